// src/mine/csv.hpp — a small RFC 4180 CSV reader and writer.
//
// Fields may be quoted with '"'; inside quotes, "" is a quote and commas, CR and LF are
// data. Unquoted fields are taken verbatim. A trailing CR before LF is dropped. Used for
// Loghub structured files (Content fields hold commas and quotes).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sysgrok::mine {

struct csv_table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    /// Index of the header column `name`, or -1.
    [[nodiscard]] int column(std::string_view name) const;
};

/// Parses CSV text; the first record is the header. Errors name the 1-based line.
[[nodiscard]] result<csv_table> parse_csv(std::string_view text);

/// Reads and parses a CSV file.
[[nodiscard]] result<csv_table> read_csv_file(const std::string& path);

/// Appends `field` to `out`, quoted when it holds a comma, quote, CR or LF (or
/// starts/ends with a space).
void append_csv_field(std::string& out, std::string_view field);

} // namespace sysgrok::mine
