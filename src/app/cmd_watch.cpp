// `sysgrok watch`: a long-running monitor. Follows files (through rotation, truncation and
// restarts), receives syslog over UDP/TCP and Elasticsearch _bulk traffic over HTTP, and
// prints alerts as they happen. The work is done by src/ingest (watch_service).
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "app/commands.hpp"
#include "app/es_options.hpp"
#include "app/exit_codes.hpp"
#include "app/rules_dir.hpp"
#include "app/time_args.hpp"
#include "es/bulk_sink.hpp"
#include "es/documents.hpp"
#include "ingest/watch_service.hpp"
#include "store/store.hpp"

namespace sysgrok::app {

namespace {

struct watch_cmd_options {
    std::vector<std::string> paths;
    std::vector<std::string> syslog;
    std::string http;
    std::string http_user;
    std::string http_password;
    std::string http_api_key;
    std::string http_tls_cert;
    std::string http_tls_key;
    std::string es_version = "8.17.0";
    bool json = false;
    std::string webhook;
    int webhook_retries = 5;
    std::string events_out;
    double stats = 0;
    std::string store_path;
    bool no_store = false;
    bool from_end = false;
    std::string window = "5m";
    bool detect = true;
    bool rules = true;
    bool builtin_rules = true;
    std::vector<std::string> rule_dirs;
    int poll_ms = 50;
    int close_inactive_s = 5;
    int checkpoint_ms = 1000;
    size_t queue_mb = 64;
    es_options es; ///< --es: events and alerts to Elasticsearch/OpenSearch
};

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// Events and alerts of `watch` into a cluster, through the spooling bulk sink (so a
/// cluster that is down slows nothing and loses nothing). Analysis thread only.
class es_output {
  public:
    static result<std::unique_ptr<es_output>> open(const es_options& o) {
        const es::sink_options so = sink_options_of(o);
        auto sink = es::bulk_sink::open(so);
        if (!sink) {
            return sink.error();
        }
        std::unique_ptr<es_output> out(new es_output());
        out->sink_ = std::move(*sink);
        out->findings_index_ = so.indices.findings;
        out->send_events_ = o.events;
        out->docs_ = std::make_unique<es::event_documents>(so.indices.events,
                                                           std::vector<std::string>{}, o.original);
        return out;
    }

    void on_batch(const event_batch& b, std::span<const uint32_t> tids, const ingest::analyzer& a) {
        if (!send_events_ || b.events.empty()) {
            return;
        }
        if (a.source_names().size() != known_sources_) {
            known_sources_ = a.source_names().size();
            docs_->set_inputs(a.source_names(), {});
        }
        buf_.clear();
        docs_->append(buf_, b, tids, &template_text_of, &a);
        report(sink_->add(buf_, b.events.size()));
    }

    void on_alert(const detect::finding& f, uint64_t incident, const ingest::analyzer& a) {
        buf_.clear();
        es::append_finding(buf_, findings_index_, f, incident, a.source_names(), now_ns());
        report(sink_->add(buf_, 1));
    }

    status close() { return sink_->close(); }

  private:
    es_output() = default;
    static std::string_view template_text_of(const void* ctx, uint32_t id) {
        // the view must outlive only the formatting of this one event
        static thread_local std::string text;
        text = static_cast<const ingest::analyzer*>(ctx)->template_text(id);
        return text;
    }
    void report(const status& st) {
        if (!st && !failed_) {
            failed_ = true;
            std::fprintf(stderr, "sysgrok watch: --es: %s\n", st.error().to_string().c_str());
        }
    }

    std::unique_ptr<es::bulk_sink> sink_;
    std::unique_ptr<es::event_documents> docs_;
    std::string findings_index_;
    std::string buf_;
    size_t known_sources_ = 0;
    bool send_events_ = true;
    bool failed_ = false;
};

constexpr const char* k_events_out_key = "sysgrok-watch:events-out:";

std::string default_store_path() {
    const char* xdg = std::getenv("XDG_STATE_HOME");
    std::string base;
    if (xdg != nullptr && *xdg != '\0') {
        base = xdg;
    } else {
        const char* home = std::getenv("HOME");
        base = std::string(home != nullptr ? home : ".") + "/.local/state";
    }
    return base + "/sysgrok/watch.db";
}

std::string absolute(const std::string& p) {
    std::error_code ec;
    auto a = std::filesystem::absolute(p, ec);
    return ec ? p : a.lexically_normal().string();
}

/// Events written after the last checkpoint are written again after a restart: cut them.
void truncate_events_out(const std::string& path, const std::vector<store::file_checkpoint>& cps) {
    const std::string key = k_events_out_key + absolute(path);
    for (const auto& cp : cps) {
        if (cp.path != key) {
            continue;
        }
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0 || st.st_dev != cp.device || st.st_ino != cp.inode ||
            static_cast<uint64_t>(st.st_size) <= cp.offset) {
            return;
        }
        if (::truncate(path.c_str(), static_cast<off_t>(cp.offset)) == 0) {
            std::fprintf(stderr,
                         "sysgrok watch: %s: removed %lld bytes written after the last "
                         "checkpoint (those events are read again)\n",
                         path.c_str(),
                         static_cast<long long>(st.st_size) - static_cast<long long>(cp.offset));
        }
        return;
    }
}

sigset_t watch_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

int run_watch(watch_cmd_options& o) {
    if (o.paths.empty() && o.syslog.empty() && o.http.empty()) {
        std::fprintf(stderr, "sysgrok watch: nothing to watch: give files or globs, --syslog "
                             "udp://HOST:PORT or tcp://HOST:PORT, or --http HOST:PORT\n");
        return k_exit_usage;
    }
    ingest::watch_options wo;
    wo.files.patterns = o.paths;
    wo.files.from_end = o.from_end;
    wo.files.poll = std::chrono::milliseconds(std::max(1, o.poll_ms));
    wo.files.close_inactive = std::chrono::seconds(std::max(1, o.close_inactive_s));
    for (const auto& s : o.syslog) {
        auto u = ingest::parse_listen_url(s);
        if (!u || (u->scheme != "udp" && u->scheme != "tcp")) {
            std::fprintf(stderr,
                         "sysgrok watch: --syslog %s: use udp://HOST:PORT or tcp://HOST:PORT\n",
                         s.c_str());
            return k_exit_usage;
        }
        wo.syslog.push_back(*u);
    }
    if (!o.http.empty()) {
        auto u = ingest::parse_listen_url("http://" + o.http);
        if (!u) {
            std::fprintf(stderr, "sysgrok watch: --http %s: use HOST:PORT, e.g. 127.0.0.1:9200\n",
                         o.http.c_str());
            return k_exit_usage;
        }
        ingest::http_options ho;
        ho.host = u->host;
        ho.port = u->port;
        ho.user = o.http_user;
        ho.password = o.http_password;
        ho.api_key = o.http_api_key;
        ho.tls_cert = o.http_tls_cert;
        ho.tls_key = o.http_tls_key;
        ho.version = o.es_version;
        wo.http = ho;
    }
    const auto window = parse_duration_arg(o.window);
    if (!window) {
        std::fprintf(stderr, "sysgrok watch: --window: expected a duration like 30s, 5m or 1h\n");
        return k_exit_usage;
    }
    wo.analysis.detect = o.detect;
    wo.analysis.detector.window_ns = *window;
    if (o.rules) {
        if (o.builtin_rules) {
            wo.analysis.rule_paths.push_back(builtin_rules_dir());
        }
        wo.analysis.rule_paths.insert(wo.analysis.rule_paths.end(), o.rule_dirs.begin(),
                                      o.rule_dirs.end());
    }
    wo.analysis.events_out = o.events_out;
    wo.json_alerts = o.json;
    wo.webhook_url = o.webhook;
    wo.webhook_retries = o.webhook_retries;
    wo.queue_bytes = std::max<size_t>(1, o.queue_mb) << 20U;
    wo.stats_interval_ms = static_cast<int64_t>(o.stats * 1000);
    wo.checkpoint_interval_ms = std::max(50, o.checkpoint_ms);

    // Checkpoints: where each file stopped, and the events-out size that goes with it.
    std::shared_ptr<store::store> db;
    std::vector<ingest::file_position> resume;
    if (!o.no_store) {
        const std::string path = o.store_path.empty() ? default_store_path() : o.store_path;
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
        auto s = store::store::open(path);
        if (!s) {
            std::fprintf(stderr, "sysgrok watch: --store: %s\n", s.error().to_string().c_str());
            return k_exit_error;
        }
        db = std::move(*s);
        auto cps = db->load_checkpoints();
        if (!cps) {
            std::fprintf(stderr, "sysgrok watch: --store: %s\n", cps.error().to_string().c_str());
            return k_exit_error;
        }
        if (!o.events_out.empty()) {
            truncate_events_out(o.events_out, *cps);
        }
        for (const auto& cp : *cps) {
            if (cp.path.rfind(k_events_out_key, 0) == 0) {
                continue;
            }
            resume.push_back({cp.path, cp.device, cp.inode, cp.offset, cp.line, cp.fingerprint});
        }
    }
    // Alerts and incidents to the store (incidents when they close), and to the cluster.
    int64_t run = 0;
    if (db) {
        auto r = db->begin_run("watch", o.paths);
        if (!r) {
            std::fprintf(stderr, "sysgrok watch: --store: %s\n", r.error().to_string().c_str());
            return k_exit_error;
        }
        run = *r;
        wo.on_incident_closed = [db, run](uint64_t, const detect::incident& inc,
                                          const ingest::analyzer&) {
            if (auto st = db->save_incidents(run, std::span<const detect::incident>(&inc, 1));
                !st) {
                std::fprintf(stderr, "sysgrok watch: --store: %s\n",
                             st.error().to_string().c_str());
            }
        };
    }
    std::shared_ptr<es_output> cluster;
    if (!o.es.url.empty()) {
        auto c = es_output::open(o.es);
        if (!c) {
            std::fprintf(stderr, "sysgrok watch: --es: %s\n", c.error().to_string().c_str());
            return k_exit_error;
        }
        cluster = std::move(*c);
        wo.analysis.on_batch = [cluster](const event_batch& b, std::span<const uint32_t> tids,
                                         const ingest::analyzer& a) {
            cluster->on_batch(b, tids, a);
        };
        wo.on_alert = [cluster](const detect::finding& f, uint64_t incident,
                                const ingest::analyzer& a) { cluster->on_alert(f, incident, a); };
    }

    ingest::checkpoint_saver saver;
    if (db) {
        const std::string out_key =
            o.events_out.empty() ? std::string() : k_events_out_key + absolute(o.events_out);
        const std::string out_path = o.events_out;
        saver = [db, out_key, out_path](std::span<const ingest::file_position> files,
                                        uint64_t out_size) -> status {
            std::vector<store::file_checkpoint> cps;
            cps.reserve(files.size() + 1);
            for (const auto& f : files) {
                cps.push_back({f.path, f.device, f.inode, f.offset, f.line, f.fingerprint, 0});
            }
            if (!out_key.empty()) {
                struct stat st {};
                if (::stat(out_path.c_str(), &st) == 0) {
                    cps.push_back({out_key, st.st_dev, st.st_ino, out_size, 0, "", 0});
                }
            }
            if (cps.empty()) {
                return ok();
            }
            return db->save_checkpoints(cps);
        };
    }

    // Signals are taken by this thread only (sigtimedwait below); worker threads inherit
    // the blocked mask.
    const sigset_t sigs = watch_signals();
    pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    auto svc = ingest::watch_service::create(std::move(wo), std::move(resume), saver, stdout);
    if (!svc) {
        std::fprintf(stderr, "sysgrok watch: %s\n", svc.error().to_string().c_str());
        return k_exit_error;
    }
    std::string where;
    for (const auto& l : (*svc)->listening()) {
        where += where.empty() ? l : ", " + l;
    }
    std::fprintf(stderr, "sysgrok watch: started; %zu path patterns%s%s\n", o.paths.size(),
                 where.empty() ? "" : "; listening on ", where.c_str());
    (*svc)->start();
    while (true) {
        const timespec wait{0, 200 * 1000 * 1000};
        const int sig = sigtimedwait(&sigs, nullptr, &wait);
        if (sig == SIGHUP) {
            (*svc)->request_reload();
        } else if (sig == SIGTERM || sig == SIGINT) {
            break;
        }
    }
    std::fprintf(stderr, "sysgrok watch: stopping: draining queued input and saving checkpoints\n");
    (*svc)->request_stop();
    int rc = (*svc)->wait();
    if (db) {
        (void)db->finish_run(run, 0);
    }
    if (cluster) {
        if (auto st = cluster->close(); !st) {
            std::fprintf(stderr, "sysgrok watch: --es: %s (kept in the spool for the next run)\n",
                         st.error().to_string().c_str());
            rc = 1;
        }
    }
    return rc == 0 ? k_exit_ok : k_exit_error;
}

} // namespace

void register_watch_command(CLI::App& root, int& exit_code) {
    auto opts = std::make_shared<watch_cmd_options>();
    CLI::App* cmd = root.add_subcommand(
        "watch",
        "Monitor in real time: follow files and globs (through rename rotation, "
        "copytruncate, deletion and restarts, each line exactly once), receive syslog over "
        "UDP/TCP and Elasticsearch _bulk traffic from shippers, and print alerts (Sigma rules, "
        "new/rare templates, spikes, error bursts) as they happen. Runs until SIGTERM/SIGINT "
        "(drains and checkpoints); SIGHUP reloads the rules. See docs/WATCH.md.");
    cmd->add_option("paths", opts->paths,
                    "Files, directories or globs to follow (new matching files are picked up)");
    cmd->add_option("--syslog", opts->syslog,
                    "Receive syslog (RFC 3164/5424): udp://HOST:PORT or tcp://HOST:PORT (TCP: "
                    "octet counting or newline framing); repeatable")
        ->type_name("URL");
    cmd->add_option("--http", opts->http,
                    "Elasticsearch-compatible ingest endpoint on HOST:PORT (POST /_bulk, "
                    "/<index>/_bulk, gzip; answers the version/license/template calls of "
                    "shippers such as rsyslog omelasticsearch, Filebeat, Fluent Bit, Logstash)")
        ->type_name("HOST:PORT");
    cmd->add_option("--http-user", opts->http_user, "Require basic auth with this user");
    cmd->add_option("--http-password", opts->http_password, "Password for --http-user");
    cmd->add_option("--http-api-key", opts->http_api_key,
                    "Require 'Authorization: ApiKey ...' with this key (id:key or its base64)");
    cmd->add_option("--http-tls-cert", opts->http_tls_cert, "Serve HTTPS with this PEM certificate")
        ->check(CLI::ExistingFile);
    cmd->add_option("--http-tls-key", opts->http_tls_key, "PEM private key for --http-tls-cert")
        ->check(CLI::ExistingFile);
    cmd->add_option("--es-version", opts->es_version,
                    "Elasticsearch version reported to shippers (GET /)")
        ->capture_default_str();
    cmd->add_flag("--json", opts->json,
                  "Alerts as NDJSON ECS alerts (event.kind alert, event.severity, rule.id, ...) "
                  "instead of one text line each");
    cmd->add_option("--alert-webhook", opts->webhook,
                    "POST each alert (ECS JSON) to this URL; retried with backoff")
        ->type_name("URL");
    cmd->add_option("--webhook-retries", opts->webhook_retries, "Retries per alert")
        ->capture_default_str();
    cmd->add_option("--events-out", opts->events_out,
                    "Append every processed event as ECS JSON (with log.file.path/sysgrok.line/"
                    "log.offset or the syslog sender's log.source.address)")
        ->type_name("FILE");
    cmd->add_option("--stats", opts->stats,
                    "Every SECONDS print ingest rate, lag, queue depth and drops to stderr")
        ->type_name("SECONDS");
    cmd->add_option("--store", opts->store_path,
                    "SQLite file for checkpoints (default "
                    "${XDG_STATE_HOME:-~/.local/state}/sysgrok/watch.db)")
        ->type_name("FILE");
    cmd->add_flag("--no-store", opts->no_store,
                  "Keep no checkpoints (a restart reads files from the start again)");
    cmd->add_flag("--from-end", opts->from_end,
                  "Files present at start and never seen before: only new lines (like tail -f)");
    cmd->add_option("--window", opts->window, "Detection window (30s, 5m, 1h)")
        ->capture_default_str();
    cmd->add_flag("!--no-detect", opts->detect, "Skip the anomaly detectors");
    cmd->add_option("--rules", opts->rule_dirs, "More Sigma rules (files or directories)")
        ->check(CLI::ExistingPath)
        ->type_name("DIR");
    cmd->add_flag("!--no-builtin-rules", opts->builtin_rules,
                  "Do not load the built-in rule pack (rules/)");
    cmd->add_flag("!--no-rules", opts->rules, "Do not run Sigma rules at all");
    cmd->add_option("--poll-ms", opts->poll_ms, "How often files are checked for new lines")
        ->capture_default_str();
    cmd->add_option("--close-inactive", opts->close_inactive_s,
                    "Seconds without growth after which a rotated or deleted file is closed")
        ->capture_default_str();
    cmd->add_option("--checkpoint-ms", opts->checkpoint_ms, "How often checkpoints are saved")
        ->capture_default_str();
    cmd->add_option("--queue-mb", opts->queue_mb,
                    "Bound of the ingest queue; when full, files and TCP wait, UDP drops")
        ->capture_default_str();
    add_es_options(cmd, opts->es, false);
    cmd->footer("Exit status: 0 stopped by a signal after saving checkpoints; 1 error (a port in "
                "use, an unwritable file); 2 usage error.");
    cmd->callback([opts, &exit_code] { exit_code = run_watch(*opts); });
}

} // namespace sysgrok::app
