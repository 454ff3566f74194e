// src/store/writer.cpp — streaming a run into the store.
#include "store/writer.hpp"

#include <algorithm>

#include "core/hash.hpp"
#include "store/statement.hpp"

namespace sysgrok::store {

namespace {

int64_t time_or_zero(int64_t ns) {
    return ns == k_no_time ? 0 : ns;
}

bool is_problem(severity s) {
    return s <= severity::error;
}

} // namespace

result<std::unique_ptr<writer>> writer::open(store& s,
                                             std::string_view command,
                                             const std::vector<std::string>& inputs,
                                             writer_options opts) {
    std::unique_ptr<writer> w(new writer(s, opts));
    auto run = s.begin_run(command, inputs);
    if (!run) {
        return run.error();
    }
    w->run_ = *run;
    if (opts.store_events) {
        if (auto st = w->set_inputs(inputs); !st) {
            return st.error();
        }
        auto ins = s.prepare("INSERT INTO events(event_id,ts_ns,source,line,severity,template_id,"
                             "host,program,message) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
        if (!ins) {
            return ins.error();
        }
        w->insert_ = std::move(*ins);
        if (opts.fts) {
            auto f =
                s.prepare("INSERT INTO events_fts(rowid,message) VALUES(last_insert_rowid(),?1)");
            if (!f) {
                return f.error();
            }
            w->insert_fts_ = std::move(*f);
        }
    }
    return w;
}

status writer::set_inputs(const std::vector<std::string>& inputs) {
    if (!opts_.store_events) {
        return ok();
    }
    for (size_t i = sources_.size(); i < inputs.size(); ++i) {
        auto id = s_.source_id(inputs[i]);
        if (!id) {
            return id.error();
        }
        sources_.push_back(*id);
    }
    return ok();
}

writer::~writer() {
    // An unfinished run keeps what was committed; the open transaction is rolled back
    // by the store (which outlives us only if the caller arranged it so).
    if (s_.in_transaction()) {
        s_.rollback();
    }
}

status writer::on_batch(const event_batch& batch, std::span<const uint32_t> template_ids) {
    events_ += batch.events.size();
    if (!template_ids.empty()) {
        const size_t n = std::min(template_ids.size(), batch.events.size());
        for (size_t i = 0; i < n; ++i) {
            const auto& e = batch.events[i];
            auto& t = templates_[template_ids[i]];
            ++t.count;
            t.problems += is_problem(e.sev) ? 1 : 0;
            const int64_t ts = time_or_zero(e.ts_ns);
            if (ts != 0) {
                t.first_ns = t.first_ns == 0 ? ts : std::min(t.first_ns, ts);
                t.last_ns = std::max(t.last_ns, ts);
            }
        }
    }
    if (insert_) {
        return insert(batch, template_ids);
    }
    return ok();
}

status writer::insert(const event_batch& batch, std::span<const uint32_t> template_ids) {
    if (!s_.in_transaction()) {
        if (auto st = s_.begin(); !st) {
            return st;
        }
    }
    auto& s = *insert_;
    for (size_t i = 0; i < batch.events.size(); ++i) {
        const auto& e = batch.events[i];
        s.bind_int(1, static_cast<int64_t>(e.id));
        s.bind_int(2, time_or_zero(e.ts_ns));
        s.bind_int(3, e.input < sources_.size() ? sources_[e.input] : 0);
        s.bind_int(4, static_cast<int64_t>(e.line));
        s.bind_int(5, static_cast<int>(e.sev));
        s.bind_int(6, i < template_ids.size() ? static_cast<int64_t>(template_ids[i]) : -1);
        s.bind_text(7, e.host);
        s.bind_text(8, e.program);
        s.bind_text(9, e.message);
        if (auto r = s.run(); !r) {
            return r;
        }
        if (insert_fts_) {
            insert_fts_->bind_text(1, e.message);
            if (auto r = insert_fts_->run(); !r) {
                return r;
            }
        }
    }
    pending_ += batch.events.size();
    if (pending_ >= opts_.commit_rows) {
        return flush();
    }
    return ok();
}

status writer::flush() {
    if (!s_.in_transaction()) {
        return ok();
    }
    if (auto st = s_.commit(); !st) {
        return st;
    }
    committed_ += pending_;
    pending_ = 0;
    return ok();
}

status writer::finish(std::span<const detect::finding> findings,
                      std::span<const detect::incident> incidents,
                      const std::function<std::string_view(uint32_t)>& text_of) {
    if (auto st = flush(); !st) {
        return st;
    }
    std::vector<template_row> rows;
    rows.reserve(templates_.size());
    for (const auto& [id, t] : templates_) {
        const std::string_view text = text_of ? text_of(id) : std::string_view();
        if (text.empty()) {
            continue;
        }
        rows.push_back(
            {hash64(text), id, std::string(text), t.count, t.problems, t.first_ns, t.last_ns});
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    if (auto st = s_.begin(); !st) {
        return st;
    }
    status st = s_.merge_templates(rows);
    if (st) {
        st = s_.save_findings(run_, findings);
    }
    if (st) {
        st = s_.save_incidents(run_, incidents);
    }
    if (st) {
        st = s_.finish_run(run_, events_);
    }
    if (!st) {
        s_.rollback();
        return st;
    }
    return s_.commit();
}

} // namespace sysgrok::store
