// src/es/bulk_sink.hpp — sends documents to Elasticsearch/OpenSearch with `_bulk`.
//
// The producer appends whole action/source pairs; they are cut into size-bounded
// bodies and handed to one sender thread through a short queue. Per body:
//  - 2xx with per-item results: 201 created and 409 "already exists" are done (ids are
//    stable, so a retry never duplicates); 429 and 5xx items are retried with
//    exponential backoff and jitter; 400/404 items go to the dead-letter file.
//  - 413 (too large): the body is split in halves.
//  - transport failure, 429 or 5xx for the whole request: retried a few times, then
//    the body goes to the on-disk spool and the sender moves on; spooled bodies are
//    replayed (oldest first) as soon as the cluster answers again.
//  - spool full: the sender keeps retrying, the queue fills and add() blocks, so the
//    pipeline slows down instead of dropping.
// close() sends what is buffered and waits (up to `drain_timeout_s`) for the queue and
// the spool to empty; what the cluster still did not take stays in the spool for the
// next run.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/result.hpp"
#include "es/cluster.hpp"
#include "es/http_client.hpp"
#include "es/spool.hpp"

namespace sysgrok::es {

struct sink_options {
    connection_options conn;
    index_names indices;
    size_t batch_bytes = 8U << 20U; ///< uncompressed bulk body size
    size_t queue_bodies = 3;        ///< bodies waiting for the sender
    std::string spool_dir;          ///< empty: default_spool_dir(conn.url)
    uint64_t spool_max_bytes = 2ULL << 30U;
    std::string dead_letter; ///< empty: <spool_dir>/dead-letter.ndjson
    int replicas = -1;       ///< index templates: number_of_replicas (-1: cluster default)
    bool templates = true;   ///< install the index templates
    double drain_timeout_s = 300;
    int quick_retries = 3; ///< attempts before a body is spooled
    int max_backoff_ms = 20000;
    bool refresh = true; ///< refresh the indices at close (search sees the documents)
};

/// $XDG_STATE_HOME/sysgrok/es-spool/<hash of the URL> (or ~/.local/state/...).
std::string default_spool_dir(std::string_view url);

struct sink_stats {
    uint64_t documents = 0; ///< added by the producer
    uint64_t created = 0;   ///< acknowledged as new
    uint64_t existed = 0;   ///< 409: already there from an earlier attempt or run
    uint64_t retried = 0;   ///< item retries (429/5xx)
    uint64_t dead = 0;      ///< written to the dead-letter file
    uint64_t spooled_bodies = 0;
    uint64_t replayed_bodies = 0;
    uint64_t requests = 0;
    uint64_t bytes = 0; ///< uncompressed bytes sent
    uint64_t spool_files_left = 0;
};

class bulk_sink {
  public:
    /// Connects (GET /), installs templates, opens the spool (its leftovers are replayed
    /// first) and starts the sender.
    static result<std::unique_ptr<bulk_sink>> open(const sink_options& opts);
    ~bulk_sink();
    bulk_sink(const bulk_sink&) = delete;
    bulk_sink& operator=(const bulk_sink&) = delete;
    bulk_sink(bulk_sink&&) = delete;
    bulk_sink& operator=(bulk_sink&&) = delete;

    /// Appends `n` whole documents (2 lines each). Blocks while the queue is full.
    /// Fails when the sender hit an error it cannot retry (e.g. 401/403).
    status add(std::string_view pairs, size_t n);
    /// Sends what is buffered and waits for the queue and the spool to drain.
    status close();

    [[nodiscard]] const server_info& server() const { return server_; }
    [[nodiscard]] sink_stats stats() const;
    [[nodiscard]] const std::string& spool_dir() const { return spool_->dir(); }

  private:
    enum class outcome : uint8_t { done, spooled, failed };
    bulk_sink(const sink_options& opts, std::unique_ptr<http_client> client, spool sp);

    void run();
    void enqueue_locked(std::unique_lock<std::mutex>& lock);
    outcome deliver(std::string body, bool replay);
    /// Handles a 200 answer; returns the documents to retry (empty: all done).
    std::string handle_items(const std::string& body, const std::string& response, bool& parsed);
    void dead_letter(std::string_view action,
                     std::string_view source,
                     long status,
                     std::string_view reason);
    bool replay_one();
    void backoff(int attempt);
    void set_fatal(error e);

    sink_options opts_;
    std::unique_ptr<http_client> client_;
    server_info server_;
    std::unique_ptr<spool> spool_;

    std::string buffer_; ///< documents not yet queued
    mutable std::mutex mu_;
    std::condition_variable cv_;      ///< queue changed / closing
    std::condition_variable cv_room_; ///< room in the queue
    std::deque<std::string> queue_;
    bool busy_ = false; ///< the sender is delivering a body
    bool closing_ = false;
    bool stop_now_ = false;
    std::unique_ptr<error> fatal_;
    std::thread sender_;

    std::atomic<uint64_t> documents_{0};
    std::atomic<uint64_t> created_{0};
    std::atomic<uint64_t> existed_{0};
    std::atomic<uint64_t> retried_{0};
    std::atomic<uint64_t> dead_{0};
    std::atomic<uint64_t> spooled_{0};
    std::atomic<uint64_t> replayed_{0};
    std::atomic<uint64_t> requests_{0};
    std::atomic<uint64_t> bytes_{0};
    bool down_ = false;  ///< sender thread only: the last attempt failed
    bool debug_ = false; ///< SYSGROK_ES_DEBUG=1: one stderr line per request
    uint64_t rng_ = 0x9e3779b97f4a7c15ULL;
};

} // namespace sysgrok::es
