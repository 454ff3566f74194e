// src/ingest/chunk.hpp — what an ingestion thread hands to the analysis thread: a block of
// complete records from one source, and where the records came from.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text_block.hpp"

namespace sysgrok::ingest {

/// How a source's records are parsed.
enum class source_kind : uint8_t {
    file,   ///< lines of a followed file; format detected from its first records
    syslog, ///< syslog messages (RFC 3164 or RFC 5424, with or without <PRI>)
    bulk,   ///< JSON documents from an Elasticsearch _bulk request
};

/// Where a file stood after the last record of a chunk: enough to resume exactly there.
struct file_position {
    std::string path; ///< name the file had when it was last seen
    uint64_t device = 0;
    uint64_t inode = 0;
    uint64_t offset = 0; ///< bytes consumed (the end of the chunk's last line)
    uint64_t line = 0;   ///< lines consumed
    std::string fingerprint;
};

/// Complete records, each followed by one '\n' inside `block` (records never hold a
/// raw newline: network messages with embedded newlines have them replaced by spaces).
struct chunk {
    uint32_t source = 0; ///< index in the source_table
    std::shared_ptr<text_block> block;
    uint64_t first_line = 1;   ///< number of the first record (file line, or message count)
    uint64_t first_offset = 0; ///< file offset of block byte 0 (files only)
    /// Per record: index into `peers` (network sources); empty when there is no sender.
    std::vector<uint16_t> peer_of;
    std::vector<std::string> peers;     ///< sender addresses ("192.0.2.1:514")
    int64_t read_ns = 0;                ///< wall clock when the first record was read (for lag)
    std::optional<file_position> after; ///< files: position after this chunk
};

/// Appends records to a chunk under construction, growing its block as needed.
class chunk_builder {
  public:
    explicit chunk_builder(uint32_t source, size_t capacity = 256U << 10U)
        : source_(source), capacity_(capacity) {}

    /// Appends one record (newlines and CRs inside it become spaces) sent by `peer`
    /// (empty: none). `now_ns` stamps the chunk when it is the first record.
    void add(std::string_view rec, std::string_view peer, int64_t now_ns);

    [[nodiscard]] size_t records() const { return records_; }
    [[nodiscard]] size_t bytes() const { return block_ ? block_->size() : 0; }
    [[nodiscard]] bool empty() const { return records_ == 0; }
    [[nodiscard]] int64_t first_ns() const { return first_ns_; }

    /// The chunk built so far; the builder starts a new one. Record numbers continue.
    chunk take();

  private:
    uint32_t source_;
    size_t capacity_;
    std::shared_ptr<text_block> block_;
    std::vector<uint16_t> peer_of_;
    std::vector<std::string> peers_;
    size_t records_ = 0;
    uint64_t next_record_ = 1;
    int64_t first_ns_ = 0;
};

} // namespace sysgrok::ingest
