// src/pipeline/event_stream.hpp — sources -> framing -> parsing for a set of inputs,
// merged in timestamp order, one batch at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/event.hpp"
#include "core/result.hpp"
#include "parse/parser.hpp"

namespace sysgrok::pipeline {

struct pipeline_options {
    std::vector<std::string> inputs; ///< files, directories (recursive), globs, "-" for stdin
    std::string format;              ///< --format NAME; empty = detect per input
    std::string log_format;          ///< --log-format "<Date> <Time> <Level>: <Content>"
    std::string regex;               ///< --regex with named groups
    parse::parse_options parse;
    size_t max_line_bytes = 1U << 20U; ///< longer lines are truncated (marker + count)
    bool merge = true;                 ///< merge several inputs by timestamp
    size_t batch_events = 4096;        ///< events per output batch (upper bound)
};

/// What was read from one input.
struct input_info {
    std::string path;
    std::string format;       ///< detected or forced format name
    std::string compression;  ///< "", "gzip" or "zstd"
    uint64_t bytes = 0;       ///< bytes after decompression
    uint64_t lines = 0;       ///< physical lines
    uint64_t events = 0;      ///< events produced
    uint64_t blank_lines = 0; ///< empty lines (not events)
    uint64_t with_timestamp = 0;
    uint64_t matched = 0; ///< events the format matched (rest: generic fallback)
    bool skipped = false; ///< unreadable or binary
};

/// Reads all inputs and yields events in batches. Several inputs are merged in
/// timestamp order (events without a timestamp keep their place after the previous
/// event of their input). Memory is bounded by one block per open input.
class event_stream {
  public:
    virtual ~event_stream() = default;

    /// Expands the inputs and opens them; errors (no inputs at all, bad --format)
    /// are returned; per-file problems go to `diag` and the file is skipped.
    static result<std::unique_ptr<event_stream>> open(const pipeline_options& opts,
                                                      diagnostics& diag);

    /// Clears `out` and fills it with the next events; false at the end of all input.
    virtual bool next(event_batch& out) = 0;

    /// Per-input statistics; complete once next() has returned false.
    [[nodiscard]] virtual const std::vector<input_info>& inputs() const = 0;

    /// Bytes consumed so far and the total size when known (for progress), 0 if unknown.
    [[nodiscard]] virtual uint64_t bytes_read() const = 0;
    [[nodiscard]] virtual uint64_t bytes_total() const = 0;
};

} // namespace sysgrok::pipeline
