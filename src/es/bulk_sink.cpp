// src/es/bulk_sink.cpp — the bulk sender thread, retries, spool and dead letters.
#include "es/bulk_sink.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <simdjson.h>

#include "core/hash.hpp"
#include "core/json_writer.hpp"
#include "core/time.hpp"

namespace sysgrok::es {

namespace {

using clock = std::chrono::steady_clock;

/// Offsets of each document (action line + source line) in a bulk body.
std::vector<std::pair<size_t, size_t>> split_docs(std::string_view body) {
    std::vector<std::pair<size_t, size_t>> docs;
    size_t pos = 0;
    while (pos < body.size()) {
        const size_t nl1 = body.find('\n', pos);
        if (nl1 == std::string_view::npos) {
            break;
        }
        const size_t nl2 = body.find('\n', nl1 + 1);
        const size_t end = nl2 == std::string_view::npos ? body.size() : nl2 + 1;
        docs.emplace_back(pos, end);
        pos = end;
    }
    return docs;
}

int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

std::string default_spool_dir(std::string_view url) {
    std::string base;
    if (const char* x = std::getenv("XDG_STATE_HOME"); x != nullptr && *x != 0) {
        base = x;
    } else if (const char* h = std::getenv("HOME"); h != nullptr && *h != 0) {
        base = std::string(h) + "/.local/state";
    } else {
        base = "/tmp";
    }
    return base + "/sysgrok/es-spool/" + std::to_string(hash64(url) % 1000000007ULL);
}

bulk_sink::bulk_sink(const sink_options& opts, std::unique_ptr<http_client> client, spool sp)
    : opts_(opts), client_(std::move(client)), spool_(std::make_unique<spool>(std::move(sp))) {}

result<std::unique_ptr<bulk_sink>> bulk_sink::open(const sink_options& opts) {
    auto client = http_client::create(opts.conn);
    if (!client) {
        return client.error();
    }
    auto info = detect_server(**client);
    if (!info) {
        return info.error();
    }
    if (opts.templates) {
        if (auto st = install_templates(**client, *info, opts.replicas); !st) {
            return st.error();
        }
    }
    sink_options o = opts;
    if (o.spool_dir.empty()) {
        o.spool_dir = default_spool_dir(opts.conn.url);
    }
    if (o.dead_letter.empty()) {
        o.dead_letter = o.spool_dir + "/dead-letter.ndjson";
    }
    auto sp = spool::open(o.spool_dir, o.spool_max_bytes);
    if (!sp) {
        return sp.error();
    }
    std::unique_ptr<bulk_sink> s(new bulk_sink(o, std::move(*client), std::move(*sp)));
    s->server_ = *info;
    const char* dbg = std::getenv("SYSGROK_ES_DEBUG");
    s->debug_ = dbg != nullptr && *dbg != 0 && *dbg != '0';
    s->sender_ = std::thread([p = s.get()] { p->run(); });
    return s;
}

bulk_sink::~bulk_sink() {
    if (sender_.joinable()) {
        {
            std::lock_guard lock(mu_);
            closing_ = true;
            stop_now_ = true; // close() was not called: spool instead of waiting
        }
        cv_.notify_all();
        sender_.join();
    }
}

void bulk_sink::set_fatal(error e) {
    std::lock_guard lock(mu_);
    if (!fatal_) {
        fatal_ = std::make_unique<error>(std::move(e));
    }
    cv_room_.notify_all();
}

void bulk_sink::enqueue_locked(std::unique_lock<std::mutex>& lock) {
    cv_room_.wait(lock, [&] { return queue_.size() < opts_.queue_bodies || fatal_; });
    queue_.push_back(std::move(buffer_));
    buffer_.clear();
    buffer_.reserve(opts_.batch_bytes + (opts_.batch_bytes >> 3U));
    cv_.notify_all();
}

status bulk_sink::add(std::string_view pairs, size_t n) {
    documents_ += n;
    std::unique_lock lock(mu_);
    if (fatal_) {
        return *fatal_;
    }
    // Cut at document boundaries so that no body passes batch_bytes by more than one doc.
    size_t pos = 0;
    while (pos < pairs.size()) {
        const size_t room =
            opts_.batch_bytes > buffer_.size() ? opts_.batch_bytes - buffer_.size() : 0;
        if (pairs.size() - pos <= room) {
            buffer_.append(pairs.substr(pos));
            break;
        }
        // Take whole documents that fit (at least one).
        size_t end = pos;
        size_t taken = 0;
        while (end < pairs.size()) {
            const size_t nl1 = pairs.find('\n', end);
            const size_t nl2 = nl1 == std::string_view::npos ? nl1 : pairs.find('\n', nl1 + 1);
            const size_t next = nl2 == std::string_view::npos ? pairs.size() : nl2 + 1;
            if (taken > 0 && next - pos > room) {
                break;
            }
            end = next;
            ++taken;
        }
        if (taken > 0 && (end - pos <= room || buffer_.empty())) {
            buffer_.append(pairs.substr(pos, end - pos));
            pos = end;
        }
        if (!buffer_.empty()) {
            enqueue_locked(lock);
            if (fatal_) {
                return *fatal_;
            }
        }
    }
    if (buffer_.size() >= opts_.batch_bytes) {
        enqueue_locked(lock);
    }
    return ok();
}

void bulk_sink::backoff(int attempt) {
    const int shift = attempt < 10 ? attempt : 10;
    const int64_t cap = std::min<int64_t>(opts_.max_backoff_ms, 100LL << shift);
    rng_ ^= rng_ << 13U;
    rng_ ^= rng_ >> 7U;
    rng_ ^= rng_ << 17U;
    // "Equal jitter": half fixed, half random, so retries of many clients spread out.
    const int64_t ms = cap / 2 + static_cast<int64_t>(rng_ % static_cast<uint64_t>(cap / 2 + 1));
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stop_now_; });
}

void bulk_sink::dead_letter(std::string_view action,
                            std::string_view source,
                            long status,
                            std::string_view reason) {
    ++dead_;
    std::FILE* f = std::fopen(opts_.dead_letter.c_str(), "ae");
    if (f == nullptr) {
        std::fprintf(stderr, "sysgrok: cannot append to the dead-letter file %s\n",
                     opts_.dead_letter.c_str());
        return;
    }
    std::string line = "{\"@timestamp\":\"";
    append_iso8601_utc(line, wall_ns());
    line += "\",\"status\":" + std::to_string(status) + ",\"reason\":";
    append_json_string(line, reason);
    line += ",\"action\":";
    line += action.empty() ? "null" : action;
    line += ",\"document\":";
    line += source.empty() ? "null" : source;
    line += "}\n";
    std::fwrite(line.data(), 1, line.size(), f);
    std::fclose(f);
}

std::string
bulk_sink::handle_items(const std::string& body, const std::string& response, bool& parsed) {
    parsed = false;
    const auto docs = split_docs(body);
    simdjson::dom::parser p;
    simdjson::dom::element doc;
    if (p.parse(response).get(doc) != simdjson::SUCCESS) {
        return body;
    }
    simdjson::dom::array items;
    if (doc["items"].get(items) != simdjson::SUCCESS || items.size() != docs.size()) {
        return body;
    }
    parsed = true;
    bool errors = false;
    if (doc["errors"].get(errors) == simdjson::SUCCESS && !errors) {
        created_ += docs.size();
        return {};
    }
    std::string retry;
    size_t i = 0;
    for (simdjson::dom::element item : items) {
        const auto [b, e] = docs[i++];
        simdjson::dom::object obj;
        int64_t status = 0;
        if (item.get(obj) == simdjson::SUCCESS && obj.begin() != obj.end()) {
            auto field = *obj.begin();
            if (field.value["status"].get(status) != simdjson::SUCCESS) {
                status = 0;
            }
            if (status == 200 || status == 201) {
                ++created_;
            } else if (status == 409) {
                ++existed_;
            } else if (status == 429 || status >= 500 || status == 0) {
                ++retried_;
                retry.append(body, b, e - b);
            } else {
                std::string_view reason;
                if (field.value["error"]["reason"].get(reason) != simdjson::SUCCESS) {
                    reason = "rejected";
                }
                const std::string_view d(body.data() + b, e - b);
                const size_t nl = d.find('\n');
                std::string_view src = d.substr(nl + 1);
                if (!src.empty() && src.back() == '\n') {
                    src.remove_suffix(1);
                }
                dead_letter(d.substr(0, nl), src, static_cast<long>(status), reason);
            }
        } else {
            retry.append(body, b, e - b);
        }
    }
    return retry;
}

bulk_sink::outcome bulk_sink::deliver(std::string body, bool replay) {
    int attempt = 0;
    int transport_failures = 0;
    const bool spool_allowed = !replay;
    while (true) {
        ++requests_;
        bytes_ += body.size();
        auto r = client_->request("POST", "/_bulk", body, "application/x-ndjson");
        if (debug_ && r) {
            std::fprintf(stderr, "sysgrok es: POST /_bulk %zu bytes%s: HTTP %ld\n", body.size(),
                         replay ? " (replay)" : "", r->status);
        }
        bool transient = false;
        bool items_only = false; // the cluster answered; only some items must be retried
        if (!r) {
            transient = true;
            ++transport_failures;
            if (debug_) {
                std::fprintf(stderr, "sysgrok es: %s\n", r.error().to_string().c_str());
            }
        } else if (r->status == 413 && split_docs(body).size() > 1) {
            // Too large for the server: halve.
            const auto docs = split_docs(body);
            const size_t mid = docs[docs.size() / 2].first;
            const outcome a = deliver(body.substr(0, mid), replay);
            const outcome b = deliver(body.substr(mid), replay);
            return a == outcome::failed || b == outcome::failed       ? outcome::failed
                   : (a == outcome::spooled || b == outcome::spooled) ? outcome::spooled
                                                                      : outcome::done;
        } else if (r->status == 429 || r->status >= 500) {
            transient = true;
        } else if (r->status >= 200 && r->status < 300) {
            bool parsed = false;
            std::string retry = handle_items(body, r->body, parsed);
            down_ = false;
            if (retry.empty()) {
                return outcome::done;
            }
            body = std::move(retry);
            transient = true;
            items_only = true;
        } else if (r->status == 401 || r->status == 403) {
            set_fatal(response_error("POST " + client_->display_url() + "/_bulk", *r));
            if (!replay) {
                (void)spool_->push(body, true); // keep the documents for a later run
                ++spooled_;
            }
            return outcome::failed;
        } else {
            // A malformed request as a whole (should not happen): keep it for inspection.
            dead_letter("", "", r->status, r->body.substr(0, 500));
            return outcome::done;
        }
        if (transient) {
            ++attempt;
            bool stop = false;
            {
                std::lock_guard lock(mu_);
                stop = stop_now_;
            }
            // Unreachable cluster: spool after a few tries (at once when it was already down).
            if (spool_allowed &&
                (stop || attempt >= opts_.quick_retries || (down_ && transport_failures > 0))) {
                auto pushed = spool_->push(body, stop);
                if (pushed && *pushed) {
                    ++spooled_;
                    down_ = transport_failures > 0 || down_;
                    return outcome::spooled;
                }
                if (!pushed) {
                    std::fprintf(stderr, "sysgrok: %s\n", pushed.error().to_string().c_str());
                }
            }
            if (replay && (stop || (!items_only && attempt >= 1))) {
                down_ = true;
                return outcome::failed;
            }
            if (transport_failures > 0) {
                down_ = true;
            }
            backoff(attempt);
        }
    }
}

bool bulk_sink::replay_one() {
    auto path = spool_->oldest();
    if (!path) {
        return false;
    }
    auto body = spool::read(*path);
    if (!body) {
        std::fprintf(stderr, "sysgrok: %s\n", body.error().to_string().c_str());
        spool_->remove(*path);
        return true;
    }
    if (deliver(std::move(*body), true) == outcome::done) {
        ++replayed_;
        spool_->remove(*path);
        return true;
    }
    return false;
}

void bulk_sink::run() {
    auto deadline = clock::time_point::max();
    // `idle`: nothing to replay; wait for the queue only.
    const auto idle = clock::now() + std::chrono::hours(24 * 365);
    auto next_replay = spool_->files() > 0 ? clock::now() : idle;
    int replay_failures = 0;
    while (true) {
        std::string body;
        {
            std::unique_lock lock(mu_);
            if (closing_ && deadline == clock::time_point::max()) {
                deadline = clock::now() + std::chrono::milliseconds(
                                              static_cast<int64_t>(opts_.drain_timeout_s * 1000));
            }
            cv_.wait_until(lock, std::min(next_replay, deadline), [&] {
                return !queue_.empty() || stop_now_ ||
                       (closing_ && deadline == clock::time_point::max()) ||
                       (closing_ && spool_->files() == 0);
            });
            if (closing_ && deadline == clock::time_point::max()) {
                deadline = clock::now() + std::chrono::milliseconds(
                                              static_cast<int64_t>(opts_.drain_timeout_s * 1000));
            }
            if (!queue_.empty()) {
                body = std::move(queue_.front());
                queue_.pop_front();
                busy_ = true;
                cv_room_.notify_all();
            } else if (closing_ &&
                       (spool_->files() == 0 || stop_now_ || clock::now() >= deadline || fatal_)) {
                return;
            }
        }
        const bool had_body = !body.empty();
        if (had_body) {
            (void)deliver(std::move(body), false);
            std::lock_guard lock(mu_);
            busy_ = false;
        }
        // Replay the spool while the cluster answers.
        if (spool_->files() == 0) {
            next_replay = idle;
            replay_failures = 0;
            continue;
        }
        if (next_replay == idle) {
            next_replay = clock::now(); // something was just spooled
        }
        if (clock::now() >= next_replay && (!down_ || !had_body)) {
            while (replay_one()) {
                replay_failures = 0;
            }
            if (spool_->files() > 0) {
                ++replay_failures;
                const int shift = replay_failures < 6 ? replay_failures : 6;
                next_replay = clock::now() + std::chrono::milliseconds(
                                                 std::min(opts_.max_backoff_ms, 250 << shift));
            }
        }
    }
}

status bulk_sink::close() {
    {
        std::unique_lock lock(mu_);
        if (!buffer_.empty() && !fatal_) {
            enqueue_locked(lock);
        }
        closing_ = true;
    }
    cv_.notify_all();
    if (sender_.joinable()) {
        sender_.join();
    }
    if (fatal_) {
        return *fatal_;
    }
    if (spool_->files() > 0) {
        return error{std::to_string(spool_->files()) +
                         " bulk bodies could not be delivered within --es-drain-timeout; they "
                         "stay in the spool and are sent by the next run to this cluster",
                     spool_->dir(), 0,
                     "check that the cluster is up, then run sysgrok again (or raise "
                     "--es-drain-timeout)"};
    }
    if (opts_.refresh) {
        const std::string path = "/" + opts_.indices.events + "," + opts_.indices.findings +
                                 "/_refresh?ignore_unavailable=true&allow_no_indices=true";
        auto r = client_->request("POST", path, {}, "");
        if (r && r->status >= 300) {
            return response_error("refresh", *r);
        }
    }
    return ok();
}

sink_stats bulk_sink::stats() const {
    sink_stats s;
    s.documents = documents_;
    s.created = created_;
    s.existed = existed_;
    s.retried = retried_;
    s.dead = dead_;
    s.spooled_bodies = spooled_;
    s.replayed_bodies = replayed_;
    s.requests = requests_;
    s.bytes = bytes_;
    s.spool_files_left = spool_->files();
    return s;
}

} // namespace sysgrok::es
