// src/parse/scan.hpp — small byte-scanning helpers shared by the parsers (no allocation,
// never read outside the given view).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sysgrok::parse {

inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
inline bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}
inline bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}
inline bool is_alpha(char c) {
    return is_upper(c) || is_lower(c);
}
inline bool is_alnum(char c) {
    return is_digit(c) || is_alpha(c);
}
inline bool is_space(char c) {
    return c == ' ' || c == '\t';
}
inline bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
inline char to_lower(char c) {
    return is_upper(c) ? static_cast<char>(c + ('a' - 'A')) : c;
}

/// Parses exactly `n` digits at `s[pos]`; returns false (and leaves `out`) otherwise.
inline bool digits_at(std::string_view s, size_t pos, size_t n, unsigned& out) {
    if (pos > s.size() || s.size() - pos < n) {
        return false;
    }
    unsigned v = 0;
    for (size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (!is_digit(c)) {
            return false;
        }
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    out = v;
    return true;
}

/// Number of consecutive digits starting at `pos`.
inline size_t count_digits(std::string_view s, size_t pos) {
    size_t n = 0;
    while (pos + n < s.size() && is_digit(s[pos + n])) {
        ++n;
    }
    return n;
}

/// True when `s[pos]` exists and equals `c`.
inline bool char_at(std::string_view s, size_t pos, char c) {
    return pos < s.size() && s[pos] == c;
}

/// Parses a non-negative decimal integer of at most 18 digits; false if `s` is not one.
inline bool parse_uint(std::string_view s, int64_t& out) {
    if (s.empty() || s.size() > 18) {
        return false;
    }
    int64_t v = 0;
    for (const char c : s) {
        if (!is_digit(c)) {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

inline size_t skip_spaces(std::string_view s, size_t pos) {
    while (pos < s.size() && is_space(s[pos])) {
        ++pos;
    }
    return pos;
}

/// End of the space-delimited token starting at `pos`.
inline size_t token_end(std::string_view s, size_t pos) {
    while (pos < s.size() && !is_space(s[pos])) {
        ++pos;
    }
    return pos;
}

inline std::string_view trim(std::string_view s) {
    size_t b = 0;
    size_t e = s.size();
    while (b < e && is_ws(s[b])) {
        ++b;
    }
    while (e > b && is_ws(s[e - 1])) {
        --e;
    }
    return s.substr(b, e - b);
}

inline std::string_view trim_right(std::string_view s) {
    size_t e = s.size();
    while (e > 0 && is_ws(s[e - 1])) {
        --e;
    }
    return s.substr(0, e);
}

/// Case-insensitive ASCII comparison.
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (to_lower(a[i]) != to_lower(b[i])) {
            return false;
        }
    }
    return true;
}

/// True for a dotted-quad IPv4 address or something shaped like an IPv6 address.
inline bool looks_like_ip(std::string_view s) {
    if (s.empty() || s.size() > 45) {
        return false;
    }
    if (s.find(':') != std::string_view::npos) {
        size_t colons = 0;
        for (const char c : s) {
            const bool hex = is_digit(c) || (to_lower(c) >= 'a' && to_lower(c) <= 'f');
            if (c == ':') {
                ++colons;
            } else if (!hex && c != '.' && c != '%') {
                return false;
            }
        }
        return colons >= 2;
    }
    int parts = 0;
    size_t i = 0;
    while (i < s.size()) {
        const size_t n = count_digits(s, i);
        if (n == 0 || n > 3) {
            return false;
        }
        ++parts;
        i += n;
        if (i == s.size()) {
            break;
        }
        if (s[i] != '.') {
            return false;
        }
        ++i;
        if (i == s.size()) {
            return false;
        }
    }
    return parts == 4;
}

} // namespace sysgrok::parse
