// src/ingest/watch_service.hpp — the threads of `sysgrok watch`: one per ingestion source
// (file follower, each syslog listener, the HTTP endpoint) feeding one bounded queue, and
// one analysis thread that parses, detects, writes events-out, prints alerts, closes
// detector windows on the clock, prints --stats and saves checkpoints.
//
// Exactly once for events-out: a checkpoint is saved only after the events up to its file
// offsets were written and flushed, and it records the size of events-out at that moment.
// After a crash the caller truncates events-out to that size and the followers resume at
// the saved offsets, so the events after the checkpoint are written again, once.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "detect/incident_tracker.hpp"
#include "ingest/analyzer.hpp"
#include "ingest/chunk_queue.hpp"
#include "ingest/file_follower.hpp"
#include "ingest/http_endpoint.hpp"
#include "ingest/source_table.hpp"
#include "ingest/syslog_receiver.hpp"
#include "ingest/webhook.hpp"

namespace sysgrok::ingest {

struct watch_options {
    follower_options files; ///< no patterns = no file following
    std::vector<listen_url> syslog;
    std::optional<http_options> http;
    analyzer_options analysis;
    bool json_alerts = false;
    std::string webhook_url;
    int webhook_retries = 5;
    size_t queue_bytes = 64U << 20U;
    int64_t stats_interval_ms = 0; ///< 0 = no --stats lines
    int64_t checkpoint_interval_ms = 1000;
    int64_t tick_interval_ms = 200;
    /// Besides stdout and the webhook: every alert with its incident number, and every
    /// incident when it closes (to the store, to Elasticsearch). Analysis thread.
    std::function<void(const detect::finding&, uint64_t incident, const analyzer&)> on_alert;
    std::function<void(uint64_t id, const detect::incident&, const analyzer&)> on_incident_closed;
};

/// Saves file positions plus the events-out size they correspond to (one transaction).
using checkpoint_saver =
    std::function<status(std::span<const file_position> files, uint64_t events_out_size)>;

class watch_service {
  public:
    /// Opens every listener and the analysis state; nothing runs yet.
    static result<std::unique_ptr<watch_service>> create(watch_options opts,
                                                         std::vector<file_position> resume,
                                                         checkpoint_saver saver,
                                                         std::FILE* alerts_out);
    ~watch_service();
    watch_service(const watch_service&) = delete;
    watch_service& operator=(const watch_service&) = delete;

    void start();
    /// Stops ingestion, drains the queue, writes the last checkpoint (SIGTERM).
    void request_stop() { stop_.store(true); }
    /// Reloads the Sigma rules at the next tick (SIGHUP).
    void request_reload() { reload_.store(true); }
    /// Waits for everything to finish after request_stop(); returns the exit status.
    int wait();

    /// "udp://127.0.0.1:5514" etc. with the bound ports (for a start-up line).
    [[nodiscard]] std::vector<std::string> listening() const;

  private:
    explicit watch_service(watch_options opts);
    void analysis_loop();
    void save_checkpoint();
    /// A finding from the analyzer: joins an incident, printed (and posted) as an alert.
    void on_finding(const detect::finding& f, const analyzer& a);
    /// Closes incidents idle longer than the gap (by the log's clock, advancing with the
    /// wall clock while nothing happens); `all` closes every one (shutdown).
    void close_incidents(bool all);
    void emit(const std::string& text, const std::string& json);
    void print_stats(double secs);

    watch_options opts_;
    source_table sources_;
    chunk_queue queue_;
    std::unique_ptr<file_follower> follower_;
    std::vector<std::unique_ptr<syslog_receiver>> receivers_;
    std::unique_ptr<http_endpoint> http_;
    std::unique_ptr<analyzer> analyzer_;
    std::unique_ptr<webhook_sender> webhook_;
    detect::incident_tracker incidents_;
    int64_t last_finding_ts_ = INT64_MIN; ///< log time of the latest finding
    int64_t last_finding_wall_ = 0;       ///< wall time it arrived
    checkpoint_saver saver_;
    std::FILE* alerts_out_ = stdout;
    std::atomic<bool> stop_{false};
    std::atomic<bool> ingest_stop_{false};
    std::atomic<bool> reload_{false};
    std::atomic<bool> draining_{false};
    std::map<std::string, file_position> pending_; ///< positions not yet saved
    std::vector<std::thread> ingest_threads_;
    std::thread analysis_thread_;
    bool checkpoint_failed_ = false;
    uint64_t stats_last_lines_ = 0;
    int exit_code_ = 0;
};

} // namespace sysgrok::ingest
