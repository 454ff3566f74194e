// src/app/time_args.hpp — time and duration arguments of the commands (--since, --until,
// --window).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sysgrok::app {

/// "2026-03-14", "2026-03-14T03:10", "2026-03-14 03:10:00Z" (UTC) -> ns.
std::optional<int64_t> parse_time_arg(std::string_view s);

/// "30s", "5m", "1h", "1d" -> ns.
std::optional<int64_t> parse_duration_arg(std::string_view s);

} // namespace sysgrok::app
