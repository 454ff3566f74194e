// src/core/json_writer.hpp — writing JSON text (parsing uses simdjson).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sysgrok {

/// Appends `s` as a quoted JSON string. Invalid UTF-8 bytes become U+FFFD,
/// control characters (NUL included) are escaped, so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view s);

/// Appends `s` with invalid UTF-8 replaced by U+FFFD (for terminal output).
void append_sanitized_utf8(std::string& out, std::string_view s);

/// True when `s` is valid UTF-8 (simdjson's validator).
bool valid_utf8(std::string_view s);

} // namespace sysgrok
