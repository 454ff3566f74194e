// src/mine/value_shapes.cpp — recognisers for the shapes of variable values.
#include "mine/value_shapes.hpp"

#include <array>

#include "mine/token_scanner.hpp"

namespace sysgrok::mine::shapes {

using chars::is_alnum;
using chars::is_alpha;
using chars::is_digit;

namespace {

bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}

char lower(char c) {
    return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

bool is_boolean_word(std::string_view s) {
    return iequals(s, "true") || iequals(s, "false") || iequals(s, "null");
}

/// Size units that follow a number as a separate token ("5.2 KB").
bool is_size_unit(std::string_view s) {
    static constexpr std::array<std::string_view, 14> k_units = {
        "B", "KB", "MB", "GB", "TB", "PB", "kB", "KiB", "MiB", "GiB", "TiB", "K", "M", "G"};
    for (auto u : k_units) {
        if (s == u) {
            return true;
        }
    }
    return false;
}

/// A plain decimal number: [+-]digits[.digits].
bool is_plain_number(std::string_view s) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
        ++i;
    }
    size_t digits = 0;
    bool dot = false;
    for (; i < s.size(); ++i) {
        if (is_digit(s[i])) {
            ++digits;
        } else if (s[i] == '.' && !dot && digits > 0) {
            dot = true;
        } else {
            return false;
        }
    }
    return digits > 0 && s.back() != '.';
}

/// Dotted host name whose last label is a top-level domain ("proxy.cse.cuhk.edu.hk").
bool is_hostname(std::string_view s) {
    size_t dots = 0;
    size_t label = 0;
    for (char c : s) {
        if (c == '.') {
            if (label == 0) {
                return false;
            }
            ++dots;
            label = 0;
        } else if (is_alnum(c) || c == '-' || c == '_') {
            ++label;
        } else {
            return false;
        }
    }
    if (dots < 2 || label < 2) {
        return false;
    }
    std::string_view tld = s.substr(s.size() - label);
    for (char c : tld) {
        if (!(c >= 'a' && c <= 'z')) {
            return false;
        }
    }
    if (tld.size() == 2) {
        return true; // country code
    }
    static constexpr std::array<std::string_view, 14> k_generic = {
        "com",  "net", "org",   "edu", "gov",      "mil",  "int",
        "info", "biz", "local", "lan", "internal", "corp", "arpa"};
    for (auto g : k_generic) {
        if (tld == g) {
            return true;
        }
    }
    return false;
}

/// 8-4-4-4-12 hex digits.
bool is_uuid(std::string_view s) {
    if (s.size() != 36) {
        return false;
    }
    for (size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) {
            return false;
        }
    }
    return true;
}

/// IPv6 addresses and MAC-like colon-separated hex groups.
bool is_colon_hex(std::string_view s) {
    size_t colons = 0;
    size_t groups = 0;
    size_t group = 0;
    bool long_group = false;
    bool double_colon = false;
    bool has_hex_letter_or_digit = false;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == ':') {
            if (i > 0 && s[i - 1] == ':') {
                double_colon = true;
            }
            ++colons;
            if (group > 0) {
                ++groups;
            }
            group = 0;
        } else if (is_hex(c)) {
            has_hex_letter_or_digit = true;
            ++group;
            if (group > 4) {
                return false;
            }
            if (group >= 3) {
                long_group = true;
            }
        } else if (c == '.') {
            // embedded IPv4 tail ("::ffff:10.0.0.1"): accept digits and dots only
            if (!double_colon && groups < 5) {
                return false;
            }
            for (size_t j = i; j < s.size(); ++j) {
                if (!is_digit(s[j]) && s[j] != '.') {
                    return false;
                }
            }
            return true;
        } else {
            return false;
        }
    }
    if (group > 0) {
        ++groups;
    }
    if (!has_hex_letter_or_digit || colons < 2) {
        return false;
    }
    return double_colon || groups >= 5 || (long_group && groups >= 3);
}

/// "2016-09-28T04:30:31.123Z", "2016-09-28 04:30" (a single token with 'T'), "2016-09-28".
bool is_iso_datetime(std::string_view s) {
    auto digits = [&](size_t at, size_t n) {
        if (at + n > s.size()) {
            return false;
        }
        for (size_t i = at; i < at + n; ++i) {
            if (!is_digit(s[i])) {
                return false;
            }
        }
        return true;
    };
    if (!digits(0, 4) || s.size() < 10 || s[4] != '-' || !digits(5, 2) || s[7] != '-' ||
        !digits(8, 2)) {
        return false;
    }
    if (s.size() == 10) {
        return true;
    }
    if (s[10] != 'T' || !digits(11, 2) || s.size() < 16 || s[13] != ':' || !digits(14, 2)) {
        return false;
    }
    for (size_t i = 16; i < s.size(); ++i) {
        char c = s[i];
        if (!is_digit(c) && c != ':' && c != '.' && c != ',' && c != 'Z' && c != '+' && c != '-') {
            return false;
        }
    }
    return true;
}

/// local@domain.tld
bool is_email(std::string_view s) {
    size_t at = s.find('@');
    if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    for (size_t i = 0; i < at; ++i) {
        char c = s[i];
        if (!is_alnum(c) && c != '.' && c != '_' && c != '%' && c != '+' && c != '-') {
            return false;
        }
    }
    std::string_view domain = s.substr(at + 1);
    size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) {
        return false;
    }
    for (char c : domain) {
        if (!is_alnum(c) && c != '.' && c != '-') {
            return false;
        }
    }
    for (size_t i = dot + 1; i < domain.size(); ++i) {
        if (!is_alpha(domain[i])) {
            return false;
        }
    }
    return true;
}

bool maybe_date_word(std::string_view s) {
    return s.size() >= 3 && s.size() <= 10 && s[0] >= 'A' && s[0] <= 'Z';
}

bool is_weekday(std::string_view s) {
    static constexpr std::array<std::string_view, 14> k_days = {
        "Mon",    "Tue",     "Wed",       "Thu",      "Fri",    "Sat",      "Sun",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    if (s.ends_with(',')) {
        s.remove_suffix(1);
    }
    for (auto d : k_days) {
        if (s == d) {
            return true;
        }
    }
    return false;
}

bool is_month(std::string_view s) {
    static constexpr std::array<std::string_view, 23> k_months = {
        "Jan",  "Feb",  "Mar",    "Apr",       "May",     "Jun",      "Jul",     "Aug",
        "Sep",  "Oct",  "Nov",    "Dec",       "January", "February", "March",   "April",
        "June", "July", "August", "September", "October", "November", "December"};
    for (auto m : k_months) {
        if (s == m) {
            return true;
        }
    }
    return false;
}

bool all_digits(std::string_view s) {
    if (s.empty()) {
        return false;
    }
    for (char c : s) {
        if (!is_digit(c)) {
            return false;
        }
    }
    return true;
}

/// H:MM, HH:MM:SS, HH:MM:SS.fff
bool is_clock(std::string_view s) {
    size_t c1 = s.find(':');
    if (c1 == std::string_view::npos || c1 == 0 || c1 > 2 || !all_digits(s.substr(0, c1))) {
        return false;
    }
    std::string_view rest = s.substr(c1 + 1);
    if (rest.size() < 2 || !all_digits(rest.substr(0, 2))) {
        return false;
    }
    rest.remove_prefix(2);
    if (rest.empty()) {
        return true;
    }
    if (rest[0] != ':' || rest.size() < 3 || !all_digits(rest.substr(1, 2))) {
        return false;
    }
    rest.remove_prefix(3);
    return rest.empty() || (rest[0] == '.' && all_digits(rest.substr(1)));
}

std::string_view strip_close(std::string_view s) {
    while (!s.empty() && (s.back() == ',' || s.back() == '.' || s.back() == ')' ||
                          s.back() == ']' || s.back() == ';')) {
        s.remove_suffix(1);
    }
    return s;
}

} // namespace sysgrok::mine::shapes
