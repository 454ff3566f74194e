// src/report/text_util.hpp — small text helpers shared by the report renderers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sysgrok::report {

/// "1,234,567".
std::string group_digits(uint64_t v);

/// "2024-05-01 10:00:00Z" (seconds precision), "(no time)" for k_no_time.
std::string ts_text(int64_t ts_ns);

/// Terminal-safe text: invalid UTF-8 replaced, newlines as spaces, cut at `max` bytes with "…".
std::string clean_text(std::string_view s, size_t max);

} // namespace sysgrok::report
