// src/ingest/source_table.hpp — the names of all sources of a watch run, by index
// (event::input). Ingestion threads add sources while the analysis thread reads them.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "ingest/chunk.hpp"

namespace sysgrok::ingest {

struct source_info {
    std::string name; ///< file path, "udp://0.0.0.0:514", "http://host:port/<index>"
    source_kind kind = source_kind::file;
};

class source_table {
  public:
    /// Index of the source with this name and kind (added when new).
    uint32_t intern(const std::string& name, source_kind kind);
    /// A copy of source `i` (empty when out of range).
    [[nodiscard]] source_info get(uint32_t i) const;
    [[nodiscard]] size_t size() const;

  private:
    mutable std::mutex mu_;
    std::deque<source_info> sources_;
};

} // namespace sysgrok::ingest
