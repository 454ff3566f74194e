// src/frame/record_reader.hpp — bytes -> lines -> records (multiline events joined).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/diagnostics.hpp"
#include "frame/multiline.hpp"
#include "frame/record_batch.hpp"
#include "source/byte_reader.hpp"

namespace sysgrok {

struct frame_options {
    size_t max_line_bytes = 1U << 20U; ///< longer lines are cut here, flagged and counted
    size_t block_bytes = 256U << 10U;  ///< read size; a block grows only for long events
    uint32_t max_event_lines = 1000;   ///< a multiline event is closed after this many lines
    bool multiline = true;             ///< join continuation lines (stack traces)
};

/// Frames one input into records, one block at a time. Memory: one block plus the
/// open event carried into the next block.
class record_reader {
  public:
    record_reader(std::unique_ptr<byte_reader> in,
                  std::string path,
                  uint32_t input,
                  frame_options opts,
                  diagnostics& diag);

    /// Fills `out` with the records of the next block; false once the input is exhausted.
    bool next(record_batch& out);

    [[nodiscard]] uint64_t lines() const { return line_no_; }
    [[nodiscard]] uint64_t blank_lines() const { return blank_lines_; }
    [[nodiscard]] uint64_t bytes() const { return bytes_; }
    [[nodiscard]] uint64_t raw_bytes_read() const { return in_->raw_bytes_read(); }
    /// True when the input was skipped as binary.
    [[nodiscard]] bool skipped() const { return skipped_; }
    [[nodiscard]] const std::string& path() const { return path_; }

  private:
    bool fill_block();
    void scan(record_batch& out, bool at_eof);
    void on_line(size_t begin, size_t end, uint8_t extra_flags, record_batch& out);
    void flush_open(record_batch& out);
    uint8_t line_flags(size_t begin, size_t end);
    bool looks_binary(std::string_view head) const;

    std::unique_ptr<byte_reader> in_;
    std::string path_;
    uint32_t input_;
    frame_options opts_;
    diagnostics& diag_;
    multiline_joiner joiner_;

    std::shared_ptr<text_block> block_;
    size_t data_end_ = 0; ///< bytes of valid data in block_
    size_t scan_pos_ = 0; ///< first byte not yet split into lines
    bool block_utf8_ok_ = true;
    bool block_has_nul_ = false;

    bool has_open_ = false; ///< an event is open (may still get continuation lines)
    size_t open_begin_ = 0;
    size_t open_end_ = 0;
    uint64_t open_line_ = 0;
    uint32_t open_lines_ = 0;
    uint8_t open_flags_ = 0;
    uint32_t pending_blanks_ = 0;
    size_t pending_blank_end_ = 0;

    uint64_t line_no_ = 0;
    uint64_t blank_lines_ = 0;
    uint64_t bytes_ = 0;
    bool discarding_ = false; ///< skipping the rest of an over-long line
    bool first_block_ = true;
    bool eof_ = false;
    bool done_ = false;
    bool skipped_ = false;
    bool first_line_seen_ = false;
    bool reported_nul_ = false;
    bool reported_utf8_ = false;
    std::string stream_error_; ///< read/decompression error, reported after the good data
};

} // namespace sysgrok
