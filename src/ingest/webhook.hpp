// src/ingest/webhook.hpp — POSTs alerts (JSON) to a URL from its own thread, so that a slow
// or unreachable receiver never stalls analysis. Failed posts (network errors, 429, 5xx)
// are retried with exponential backoff; alerts beyond the queue bound are dropped and
// counted.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace sysgrok::ingest {

struct webhook_options {
    std::string url;
    int retries = 5;                ///< attempts after the first
    int64_t first_backoff_ms = 500; ///< doubled after each failed attempt
    int64_t timeout_ms = 10000;
    size_t max_queue = 1000;
};

class webhook_sender {
  public:
    explicit webhook_sender(webhook_options opts);
    ~webhook_sender(); ///< waits for the queue to drain (bounded by one backoff sequence)
    webhook_sender(const webhook_sender&) = delete;
    webhook_sender& operator=(const webhook_sender&) = delete;

    /// Queues one alert (a JSON object).
    void post(std::string json);

    [[nodiscard]] uint64_t sent() const { return sent_.load(); }
    [[nodiscard]] uint64_t failed() const { return failed_.load(); }
    [[nodiscard]] uint64_t dropped() const { return dropped_.load(); }

  private:
    void loop();

    webhook_options opts_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::string> queue_;
    bool stopping_ = false;
    std::atomic<uint64_t> sent_{0};
    std::atomic<uint64_t> failed_{0};
    std::atomic<uint64_t> dropped_{0};
    std::thread worker_;
};

} // namespace sysgrok::ingest
