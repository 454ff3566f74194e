#include "core/json_writer.hpp"

#include <simdjson.h>

namespace sysgrok {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

/// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t utf8_seq_len(std::string_view s, size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > s.size()) {
        return 0;
    }
    for (size_t k = 1; k < n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return n;
}

} // namespace

bool valid_utf8(std::string_view s) {
    return simdjson::validate_utf8(s.data(), s.size());
}

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char k_hex[] = "0123456789abcdef";
    out += '"';
    size_t i = 0;
    while (i < s.size()) {
        // Fast path: copy a run of plain ASCII.
        size_t j = i;
        while (j < s.size()) {
            const auto c = static_cast<unsigned char>(s[j]);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
                break;
            }
            ++j;
        }
        out.append(s.data() + i, j - i);
        i = j;
        if (i >= s.size()) {
            break;
        }
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const size_t n = utf8_seq_len(s, i);
            if (n == 0) {
                out += k_replacement;
                ++i;
            } else {
                out.append(s.data() + i, n);
                i += n;
            }
            continue;
        }
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out += k_hex[c >> 4];
                out += k_hex[c & 0xF];
        }
        ++i;
    }
    out += '"';
}

void append_sanitized_utf8(std::string& out, std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += (c < 0x20 && c != '\t') || c == 0x7F ? ' ' : static_cast<char>(c);
            ++i;
            continue;
        }
        const size_t n = utf8_seq_len(s, i);
        if (n == 0) {
            out += k_replacement;
            ++i;
        } else {
            out.append(s.data() + i, n);
            i += n;
        }
    }
}

} // namespace sysgrok
