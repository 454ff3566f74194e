// src/detect/session_reader.hpp — sessions as sequences of template ids, one per line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sysgrok::detect {

/// One session: the template ids of its events in order, and where it came from.
struct session {
    std::vector<uint32_t> events;
    uint64_t line = 0; ///< 1-based line in the input file
};

/// The two accepted layouts.
enum class session_format {
    plain, ///< one session per line, ids separated by white space (deeplog `hdfs_train`)
    csv,   ///< a header row, then `Sequence,label` rows (logdeep `robust_log_train.csv`)
};

/// Parses a whole file's text. The layout is detected from the first non-blank line: a
/// header whose first field is not an id (e.g. `Sequence,label`) means CSV. In CSV rows the
/// first field (optionally double-quoted) holds the ids separated by spaces or commas,
/// optionally inside `[...]`; other fields (the label) are ignored. An id is a decimal
/// number, optionally prefixed with `E` (`E5` is 5, as in `HDFS_templates.csv`). Blank
/// lines are skipped; an empty first field is an empty session. A malformed line is an
/// error naming `path` and the line number.
result<std::vector<session>> parse_sessions(std::string_view text, const std::string& path);

/// Reads and parses `path` ("-" reads stdin).
result<std::vector<session>> read_sessions(const std::string& path);

/// The layout parse_sessions() would pick for `text`.
session_format detect_session_format(std::string_view text);

} // namespace sysgrok::detect
