// src/app/time_args.cpp — parsing --since/--until times and --window durations.
#include "app/time_args.hpp"

#include <cstdio>
#include <string>

#include "core/time.hpp"

namespace sysgrok::app {

std::optional<int64_t> parse_time_arg(std::string_view s) {
    unsigned y = 0;
    unsigned mo = 0;
    unsigned d = 0;
    unsigned h = 0;
    unsigned mi = 0;
    unsigned sec = 0;
    const std::string str(s);
    const int n =
        std::sscanf(str.c_str(), "%4u-%2u-%2u%*1[T ]%2u:%2u:%2u", &y, &mo, &d, &h, &mi, &sec);
    if (n != 3 && n < 5) {
        return std::nullopt;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
        return std::nullopt;
    }
    return to_epoch_ns(y, mo, d, h, mi, sec, 0);
}

std::optional<int64_t> parse_duration_arg(std::string_view s) {
    if (s.empty()) {
        return std::nullopt;
    }
    int64_t mult = 1000000000LL;
    switch (s.back()) {
        case 's':
            break;
        case 'm':
            mult *= 60;
            break;
        case 'h':
            mult *= 3600;
            break;
        case 'd':
            mult *= 86400;
            break;
        default:
            return std::nullopt;
    }
    int64_t v = 0;
    for (const char c : s.substr(0, s.size() - 1)) {
        if (c < '0' || c > '9' || v > 1000000) {
            return std::nullopt;
        }
        v = v * 10 + (c - '0');
    }
    return v > 0 ? std::optional<int64_t>(v * mult) : std::nullopt;
}

} // namespace sysgrok::app
