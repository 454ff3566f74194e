#include "report/text_util.hpp"

#include <algorithm>

#include "core/event.hpp"
#include "core/json_writer.hpp"
#include "core/time.hpp"

namespace sysgrok::report {

std::string group_digits(uint64_t v) {
    std::string s = std::to_string(v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
        s.insert(static_cast<size_t>(i), ",");
    }
    return s;
}

std::string ts_text(int64_t ts_ns) {
    if (ts_ns == k_no_time) {
        return "(no time)";
    }
    std::string s = format_iso8601_utc(ts_ns);
    const size_t dot = s.find('.');
    if (dot != std::string::npos) {
        s = s.substr(0, dot) + "Z"; // sub-second digits are noise on a terminal
    }
    s[10] = ' ';
    return s;
}

std::string clean_text(std::string_view s, size_t max) {
    std::string out;
    append_sanitized_utf8(out, s.substr(0, max));
    std::replace(out.begin(), out.end(), '\n', ' ');
    if (s.size() > max) {
        out += "…";
    }
    return out;
}

} // namespace sysgrok::report
