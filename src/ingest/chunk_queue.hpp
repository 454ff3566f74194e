// src/ingest/chunk_queue.hpp — the bounded queue between ingestion threads and the one
// analysis thread. Bounded by bytes: a file or TCP reader blocks when it is full
// (backpressure), a UDP receiver drops and counts instead.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "ingest/chunk.hpp"

namespace sysgrok::ingest {

class chunk_queue {
  public:
    explicit chunk_queue(size_t max_bytes = 64U << 20U) : max_bytes_(max_bytes) {}

    /// Waits while the queue is full; false (chunk dropped) once the queue is closed.
    bool push(chunk c);
    /// Never waits; false when full or closed (the caller counts the drop).
    bool try_push(chunk c);
    /// The oldest chunk, waiting up to `wait`; nullopt on timeout or when closed and empty.
    std::optional<chunk> pop(std::chrono::milliseconds wait);
    /// Wakes every waiter; pushes fail from now on, pops drain what is queued.
    void close();

    [[nodiscard]] size_t depth() const;
    [[nodiscard]] size_t bytes() const;
    [[nodiscard]] size_t max_bytes() const { return max_bytes_; }

  private:
    static size_t size_of(const chunk& c) { return c.block ? c.block->size() : 0; }

    mutable std::mutex mu_;
    std::condition_variable not_full_;
    std::condition_variable not_empty_;
    std::deque<chunk> q_;
    size_t bytes_ = 0;
    size_t max_bytes_;
    bool closed_ = false;
};

} // namespace sysgrok::ingest
