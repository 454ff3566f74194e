// src/parse/program_tag.hpp — the syslog-style "program[pid]:" tag.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "parse/scan.hpp"

namespace sysgrok::parse {

struct program_tag {
    std::string_view program;
    int64_t pid = -1;
    size_t message_pos = 0; ///< first byte of the message after "tag: "
};

/// Parses "prog:", "prog[pid]:" or "prog[pid]" + ": " at `pos` (at most 64 bytes of name).
/// The name must contain a letter and no '='; the tag must end in ':' followed by a space
/// or the end of the text.
inline std::optional<program_tag> parse_program_tag(std::string_view s, size_t pos) {
    size_t i = pos;
    bool letter = false;
    const size_t limit = pos + 64 < s.size() ? pos + 64 : s.size();
    while (i < limit && s[i] != ':' && s[i] != '[' && !is_space(s[i]) && s[i] != '=') {
        letter = letter || is_alpha(s[i]);
        ++i;
    }
    if (i == pos || i >= limit || !letter) {
        return std::nullopt;
    }
    program_tag tag;
    tag.program = s.substr(pos, i - pos);
    if (s[i] == '[') {
        const size_t n = count_digits(s, i + 1);
        if (n == 0 || n > 12 || !char_at(s, i + 1 + n, ']')) {
            return std::nullopt;
        }
        int64_t pid = 0;
        parse_uint(s.substr(i + 1, n), pid);
        tag.pid = pid;
        i += n + 2;
    }
    if (!char_at(s, i, ':')) {
        return std::nullopt;
    }
    ++i;
    if (i < s.size() && !is_space(s[i])) {
        return std::nullopt;
    }
    tag.message_pos = skip_spaces(s, i);
    return tag;
}

} // namespace sysgrok::parse
