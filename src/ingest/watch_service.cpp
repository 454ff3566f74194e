#include "ingest/watch_service.hpp"

#include <chrono>
#include <cinttypes>

#include "core/time.hpp"
#include "ingest/alert_format.hpp"

namespace sysgrok::ingest {

namespace {

int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

watch_service::watch_service(watch_options opts)
    : opts_(std::move(opts)), queue_(opts_.queue_bytes),
      incidents_(detect::incident_config{.gap_ns = 2 * opts_.analysis.detector.window_ns}) {}

void watch_service::emit(const std::string& text, const std::string& json) {
    const std::string& line = opts_.json_alerts ? json : text;
    std::fwrite(line.data(), 1, line.size(), alerts_out_);
    std::fflush(alerts_out_);
    if (webhook_) {
        webhook_->post(json.substr(0, json.size() - 1));
    }
}

void watch_service::on_finding(const detect::finding& f, const analyzer& a) {
    const int64_t now = wall_ns();
    const int64_t ts = f.end_ns != k_no_time ? f.end_ns : f.start_ns;
    if (ts != k_no_time && ts > last_finding_ts_) {
        last_finding_ts_ = ts;
    }
    last_finding_wall_ = now;
    close_incidents(false);
    const auto u = incidents_.add(f);
    alert_context ctx{a.source_names(), [&a](uint32_t id) { return a.template_text(id); },
                      a.window_ns(), now};
    ctx.incident = u.id;
    emit(alert_text(f, ctx), alert_json(f, ctx));
    if (opts_.on_alert) {
        opts_.on_alert(f, u.id, a);
    }
    if (u.raised && u.inc->level >= detect::alert_level::medium) {
        const auto what = u.opened ? incident_event::opened : incident_event::raised;
        emit(incident_text(u.id, what, *u.inc, u.findings, ctx),
             incident_json(u.id, what, *u.inc, u.findings, ctx));
    }
}

void watch_service::close_incidents(bool all) {
    if (incidents_.open_count() == 0) {
        return;
    }
    const int64_t now = wall_ns();
    // the log's clock: the latest finding's time, moved on by the wall time since
    const int64_t clock = last_finding_ts_ == INT64_MIN
                              ? now
                              : last_finding_ts_ + std::max<int64_t>(now - last_finding_wall_, 0);
    auto closed = all ? incidents_.close_all() : incidents_.expire(clock);
    for (const auto& c : closed) {
        if (analyzer_ == nullptr) {
            continue;
        }
        const analyzer& a = *analyzer_;
        if (opts_.on_incident_closed) {
            opts_.on_incident_closed(c.id, c.inc, a);
        }
        if (c.inc.level < detect::alert_level::medium) {
            continue;
        }
        const alert_context ctx{a.source_names(), [&a](uint32_t id) { return a.template_text(id); },
                                a.window_ns(), now};
        emit(incident_text(c.id, incident_event::closed, c.inc, c.findings, ctx),
             incident_json(c.id, incident_event::closed, c.inc, c.findings, ctx));
    }
}

watch_service::~watch_service() {
    if (analysis_thread_.joinable() || !ingest_threads_.empty()) {
        request_stop();
        wait();
    }
}

result<std::unique_ptr<watch_service>> watch_service::create(watch_options opts,
                                                             std::vector<file_position> resume,
                                                             checkpoint_saver saver,
                                                             std::FILE* alerts_out) {
    std::unique_ptr<watch_service> w(new watch_service(std::move(opts)));
    w->saver_ = std::move(saver);
    w->alerts_out_ = alerts_out;
    for (const auto& u : w->opts_.syslog) {
        auto r = syslog_receiver::open(u, w->sources_, w->queue_);
        if (!r) {
            return r.error();
        }
        w->receivers_.push_back(std::move(*r));
    }
    if (w->opts_.http) {
        auto h = http_endpoint::open(*w->opts_.http, w->sources_, w->queue_);
        if (!h) {
            return h.error();
        }
        w->http_ = std::move(*h);
    }
    watch_service* self = w.get();
    auto on_alert = [self](const detect::finding& f, const analyzer& a) { self->on_finding(f, a); };
    if (!w->opts_.webhook_url.empty()) {
        webhook_options wo;
        wo.url = w->opts_.webhook_url;
        wo.retries = w->opts_.webhook_retries;
        w->webhook_ = std::make_unique<webhook_sender>(wo);
    }
    auto a = analyzer::create(w->opts_.analysis, w->sources_, on_alert);
    if (!a) {
        return a.error();
    }
    w->analyzer_ = std::move(*a);
    if (!w->opts_.files.patterns.empty()) {
        w->follower_ = std::make_unique<file_follower>(w->opts_.files, w->sources_, w->queue_,
                                                       std::move(resume));
    }
    return w;
}

std::vector<std::string> watch_service::listening() const {
    std::vector<std::string> out;
    out.reserve(receivers_.size() + 1);
    for (const auto& r : receivers_) {
        out.push_back(r->name());
    }
    if (http_) {
        out.push_back(http_->name());
    }
    return out;
}

void watch_service::start() {
    if (follower_) {
        ingest_threads_.emplace_back([this] { follower_->run(ingest_stop_); });
    }
    for (auto& r : receivers_) {
        syslog_receiver* rp = r.get();
        ingest_threads_.emplace_back([this, rp] { rp->run(ingest_stop_); });
    }
    if (http_) {
        ingest_threads_.emplace_back([this] { http_->run(); });
    }
    analysis_thread_ = std::thread([this] { analysis_loop(); });
}

int watch_service::wait() {
    ingest_stop_.store(true);
    if (http_) {
        http_->stop();
    }
    for (auto& t : ingest_threads_) {
        t.join();
    }
    ingest_threads_.clear();
    draining_.store(true);
    queue_.close(); // the analysis thread drains what is queued, then exits
    if (analysis_thread_.joinable()) {
        analysis_thread_.join();
    }
    return exit_code_;
}

void watch_service::analysis_loop() {
    int64_t next_tick = steady_ms() + opts_.tick_interval_ms;
    int64_t next_checkpoint = steady_ms() + opts_.checkpoint_interval_ms;
    int64_t stats_start = steady_ms();
    int64_t next_stats = stats_start + opts_.stats_interval_ms;
    while (true) {
        auto c = queue_.pop(std::chrono::milliseconds(opts_.tick_interval_ms));
        if (c) {
            analyzer_->process(*c);
        } else if (draining_.load()) {
            break; // ingestion has stopped and the queue is empty
        }
        const int64_t now = steady_ms();
        if (now >= next_tick) {
            analyzer_->tick(wall_ns());
            close_incidents(false);
            next_tick = now + opts_.tick_interval_ms;
            if (reload_.exchange(false)) {
                if (auto st = analyzer_->reload_rules(); !st) {
                    std::fprintf(stderr, "sysgrok watch: SIGHUP: rules not reloaded: %s\n",
                                 st.error().to_string().c_str());
                } else {
                    std::fprintf(stderr, "sysgrok watch: SIGHUP: %zu rules reloaded\n",
                                 analyzer_->rules_loaded());
                }
            }
        }
        if (now >= next_checkpoint) {
            save_checkpoint();
            next_checkpoint = now + opts_.checkpoint_interval_ms;
        }
        if (opts_.stats_interval_ms > 0 && now >= next_stats) {
            print_stats(static_cast<double>(now - stats_start) / 1000.0);
            stats_start = now;
            next_stats = now + opts_.stats_interval_ms;
        }
    }
    analyzer_->tick(wall_ns());
    close_incidents(true);
    save_checkpoint();
}

void watch_service::save_checkpoint() {
    auto size = analyzer_->flush_events_out();
    if (!size) {
        std::fprintf(stderr, "sysgrok watch: %s\n", size.error().to_string().c_str());
        exit_code_ = 1;
        return;
    }
    for (auto& p : analyzer_->take_positions()) {
        pending_[p.path] = std::move(p);
    }
    if (!saver_) {
        return;
    }
    std::vector<file_position> positions;
    positions.reserve(pending_.size());
    for (const auto& [k, p] : pending_) {
        positions.push_back(p);
    }
    if (auto st = saver_(positions, *size); !st) {
        if (!checkpoint_failed_) {
            std::fprintf(stderr, "sysgrok watch: checkpoint not saved: %s\n",
                         st.error().to_string().c_str());
        }
        checkpoint_failed_ = true;
        exit_code_ = 1;
        return;
    }
    checkpoint_failed_ = false;
    pending_.clear();
}

void watch_service::print_stats(double secs) {
    const auto& s = analyzer_->stats();
    const uint64_t lines = s.lines - stats_last_lines_;
    stats_last_lines_ = s.lines;
    uint64_t dropped = 0;
    uint64_t received = 0;
    for (const auto& r : receivers_) {
        dropped += r->stats().dropped.load();
        received += r->stats().messages.load();
    }
    std::string extra;
    if (follower_) {
        extra += " files " + std::to_string(follower_->stats().files_open.load()) + " (unread " +
                 std::to_string(follower_->stats().lag_bytes.load()) + " B)";
    }
    if (!receivers_.empty()) {
        extra +=
            " syslog received " + std::to_string(received) + " dropped " + std::to_string(dropped);
    }
    if (http_) {
        extra += " bulk docs " + std::to_string(http_->stats().documents.load());
    }
    if (webhook_) {
        extra += " webhook sent " + std::to_string(webhook_->sent()) + " failed " +
                 std::to_string(webhook_->failed());
    }
    std::fprintf(stderr,
                 "sysgrok watch: stats %s lines %" PRIu64 " (%.0f/s) events %" PRIu64
                 " alerts %" PRIu64 " queue %zu chunks %.1f MiB lag %.0f ms (max %.0f ms)%s\n",
                 format_iso8601_utc(wall_ns()).c_str(), s.lines,
                 secs > 0 ? static_cast<double>(lines) / secs : 0.0, s.events, s.alerts,
                 queue_.depth(), static_cast<double>(queue_.bytes()) / (1024.0 * 1024.0),
                 static_cast<double>(s.last_lag_ns) / 1e6, static_cast<double>(s.max_lag_ns) / 1e6,
                 extra.c_str());
    analyzer_->reset_max_lag();
}

} // namespace sysgrok::ingest
