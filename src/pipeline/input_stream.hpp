// src/pipeline/input_stream.hpp — one input: reader -> framer -> parser.
#pragma once

#include <memory>
#include <string>

#include "core/diagnostics.hpp"
#include "frame/record_reader.hpp"
#include "parse/parser.hpp"
#include "pipeline/event_stream.hpp"

namespace sysgrok::pipeline {

/// Parses one input batch by batch. The parser is either shared (forced format)
/// or detected from the input's first records.
class input_stream {
  public:
    input_stream(std::unique_ptr<record_reader> reader,
                 const parse::parser* forced,
                 parse::parse_state state,
                 input_info& info);

    /// Appends the events of the next block to `out`; false at the end of the input.
    bool next(event_batch& out);

    [[nodiscard]] uint64_t raw_bytes_read() const { return reader_->raw_bytes_read(); }

  private:
    std::unique_ptr<record_reader> reader_;
    const parse::parser* parser_;
    std::unique_ptr<parse::parser> detected_;
    parse::parse_state state_;
    input_info& info_;
    record_batch records_;
};

} // namespace sysgrok::pipeline
