// src/security/text_util.hpp — small ASCII helpers shared by the security stage.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/result.hpp"

namespace sysgrok::security {

inline char lower_ascii(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string to_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = lower_ascii(c);
    }
    return out;
}

/// Appends `s` lower-cased to `out`.
inline void append_lower(std::string& out, std::string_view s) {
    const size_t n = out.size();
    out.resize(n + s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        out[n + i] = lower_ascii(s[i]);
    }
}

/// An error with only a message.
inline sysgrok::error make_error(std::string message) {
    return sysgrok::error{std::move(message), "", 0, ""};
}

} // namespace sysgrok::security
