#include "app/store_options.hpp"

#include <chrono>
#include <cstdio>

namespace sysgrok::app {

namespace {

int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string_view call_text(const void* ctx, uint32_t id) {
    const auto* fn = static_cast<const outputs::text_fn*>(ctx);
    return *fn ? (*fn)(id) : std::string_view();
}

} // namespace

void add_store_options(CLI::App* cmd, store_options& o) {
    const std::string g = "SQLite store";
    cmd->add_option("--store", o.path,
                    "Keep results in this SQLite file (created if missing): runs, templates "
                    "and their counts, findings and incidents; with --store-events the events too")
        ->group(g)
        ->type_name("FILE");
    cmd->add_flag("--store-events", o.events,
                  "Also store every event (with a full-text index on the message; query with "
                  "sqlite3: SELECT ... FROM events_fts WHERE events_fts MATCH 'timeout')")
        ->group(g);
    cmd->add_flag("!--store-no-fts", o.fts, "With --store-events: no full-text index (faster)")
        ->group(g);
}

result<std::unique_ptr<outputs>>
outputs::open(const store_options& so, const es_options& eo, std::string command) {
    std::unique_ptr<outputs> o(new outputs());
    o->so_ = so;
    o->command_ = std::move(command);
    if (!so.path.empty()) {
        auto s = store::store::open(so.path);
        if (!s) {
            return s.error();
        }
        o->store_ = std::move(*s);
    }
    if (!eo.url.empty()) {
        auto opts = sink_options_of(eo);
        auto sink = es::bulk_sink::open(opts);
        if (!sink) {
            return sink.error();
        }
        o->sink_ = std::move(*sink);
        o->findings_index_ = opts.indices.findings;
        o->es_events_ = eo.events;
        o->docs_ = std::make_unique<es::event_documents>(opts.indices.events,
                                                         std::vector<std::string>{}, eo.original);
    }
    return o;
}

outputs::~outputs() = default;

void outputs::refresh_formats() {
    if (stream_ == nullptr) {
        return;
    }
    const auto& infos = stream_->inputs();
    size_t known = 0;
    for (const auto& i : infos) {
        known += i.format.empty() ? 0 : 1;
    }
    if (known == known_formats_ && infos.size() == known_inputs_) {
        return;
    }
    known_formats_ = known;
    known_inputs_ = infos.size();
    std::vector<std::string> paths;
    std::vector<std::string> formats;
    for (const auto& i : infos) {
        paths.push_back(i.path);
        formats.push_back(i.format);
    }
    if (writer_) {
        (void)writer_->set_inputs(paths);
    }
    if (docs_) {
        docs_->set_inputs(std::move(paths), std::move(formats));
    }
}

status outputs::start(const pipeline::event_stream& stream) {
    stream_ = &stream;
    std::vector<std::string> paths;
    for (const auto& i : stream.inputs()) {
        paths.push_back(i.path);
    }
    if (store_) {
        store::writer_options wo;
        wo.store_events = so_.events;
        wo.fts = so_.fts;
        wo.commit_rows = so_.commit_rows;
        auto w = store::writer::open(*store_, command_, paths, wo);
        if (!w) {
            return w.error();
        }
        writer_ = std::move(*w);
    }
    refresh_formats();
    return ok();
}

status outputs::on_batch(const event_batch& batch,
                         std::span<const uint32_t> template_ids,
                         const text_fn& text_of) {
    refresh_formats();
    if (writer_) {
        if (auto st = writer_->on_batch(batch, template_ids); !st) {
            return st;
        }
    }
    if (sink_ && es_events_ && !batch.events.empty()) {
        buf_.clear();
        docs_->append(buf_, batch, template_ids, text_of ? call_text : nullptr, &text_of);
        return sink_->add(buf_, batch.events.size());
    }
    return ok();
}

status outputs::on_findings(std::span<const detect::incident> incidents,
                            std::span<const detect::finding> loose,
                            const text_fn& text_of) {
    if (writer_) {
        if (auto st = writer_->finish(loose, incidents, text_of); !st) {
            return st;
        }
    }
    if (sink_) {
        std::vector<std::string> paths;
        if (stream_ != nullptr) {
            for (const auto& i : stream_->inputs()) {
                paths.push_back(i.path);
            }
        }
        buf_.clear();
        size_t n = 0;
        const int64_t now = wall_ns();
        for (size_t k = 0; k < incidents.size(); ++k) {
            for (const auto& f : incidents[k].findings) {
                es::append_finding(buf_, findings_index_, f, k + 1, paths, now);
                ++n;
            }
        }
        for (const auto& f : loose) {
            es::append_finding(buf_, findings_index_, f, 0, paths, now);
            ++n;
        }
        if (n > 0) {
            return sink_->add(buf_, n);
        }
    }
    return ok();
}

status outputs::close(bool quiet) {
    status result = ok();
    if (writer_) {
        if (auto st = writer_->flush(); !st) {
            result = st;
        }
        if (!quiet) {
            std::fprintf(stderr, "sysgrok: store %s: run %lld, %llu events seen\n",
                         store_->path().c_str(), static_cast<long long>(writer_->run_id()),
                         static_cast<unsigned long long>(writer_->events_seen()));
        }
        writer_.reset();
    }
    if (sink_) {
        auto st = sink_->close();
        const auto s = sink_->stats();
        if (!quiet || !st) {
            std::fprintf(stderr,
                         "sysgrok: es %s %s: %llu documents, %llu created, %llu already there, "
                         "%llu retried, %llu dead-lettered, %llu bodies spooled, %llu replayed\n",
                         sink_->server().flavour.c_str(), sink_->server().version.c_str(),
                         static_cast<unsigned long long>(s.documents),
                         static_cast<unsigned long long>(s.created),
                         static_cast<unsigned long long>(s.existed),
                         static_cast<unsigned long long>(s.retried),
                         static_cast<unsigned long long>(s.dead),
                         static_cast<unsigned long long>(s.spooled_bodies),
                         static_cast<unsigned long long>(s.replayed_bodies));
        }
        if (!st && result) {
            result = st;
        }
        sink_.reset();
    }
    return result;
}

} // namespace sysgrok::app
