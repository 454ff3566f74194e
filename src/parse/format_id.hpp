// src/parse/format_id.hpp — the numbers stored in event::format.
#pragma once

#include <cstdint>
#include <string_view>

namespace sysgrok::parse {

/// Which parser produced an event (event::format). Records that a format did not match
/// are parsed by the generic fallback and carry `generic`.
enum class format_id : uint16_t {
    generic = 0,
    rfc3164 = 1,
    rfc5424 = 2,
    json = 3,
    logfmt = 4,
    access = 5,
    cri = 6,
    header = 7, ///< user-defined Loghub header template (--log-format)
    regex = 8,  ///< user-defined regular expression (--regex)
};

/// Name of a format id ("generic", "rfc3164", ...); "unknown" for other values.
std::string_view format_name(uint16_t id);

} // namespace sysgrok::parse
