#include "ingest/analyzer.hpp"

#include <chrono>
#include <cstring>

#include <unistd.h>

#include "core/hash.hpp"
#include "core/json_writer.hpp"
#include "ingest/alert_format.hpp"
#include "security/finding_format.hpp"

namespace sysgrok::ingest {

namespace {

int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string_view base_name(std::string_view path) {
    const size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

constexpr size_t k_detect_sample = 200; ///< records used to detect a file's format

} // namespace

analyzer::analyzer(analyzer_options opts, source_table& sources, alert_sink on_alert)
    : opts_(std::move(opts)), sources_(sources), on_alert_(std::move(on_alert)),
      detector_(opts_.detector) {}

analyzer::~analyzer() {
    if (events_out_ != nullptr) {
        std::fclose(events_out_);
    }
}

result<std::unique_ptr<analyzer>>
analyzer::create(analyzer_options opts, source_table& sources, alert_sink on_alert) {
    std::unique_ptr<analyzer> a(new analyzer(std::move(opts), sources, std::move(on_alert)));
    if (!a->opts_.rule_paths.empty()) {
        if (auto st = a->reload_rules(); !st) {
            return st.error();
        }
    }
    if (!a->opts_.events_out.empty()) {
        a->events_out_ = std::fopen(a->opts_.events_out.c_str(), "ae");
        if (a->events_out_ == nullptr) {
            return error{std::string("cannot open for appending: ") + std::strerror(errno),
                         a->opts_.events_out, 0, "check the directory exists and is writable"};
        }
        std::setvbuf(a->events_out_, nullptr, _IOFBF, 1U << 20U);
    }
    return a;
}

status analyzer::reload_rules() {
    auto rs = security::rule_set::load(opts_.rule_paths);
    if (!rs) {
        return rs.error();
    }
    rules_ = std::move(*rs);
    sigma_ = std::make_unique<security::engine_state>(*rules_);
    return ok();
}

analyzer::source_state& analyzer::state_of(uint32_t source) {
    if (source >= states_.size()) {
        const size_t old = states_.size();
        states_.resize(source + 1);
        names_.resize(source + 1);
        std::vector<std::string> formats(source + 1);
        for (size_t i = old; i <= source; ++i) {
            auto st = std::make_unique<source_state>();
            st->info = sources_.get(static_cast<uint32_t>(i));
            st->ps.input = static_cast<uint32_t>(i);
            st->ps.input_hash = hash64(st->info.name);
            if (st->info.kind == source_kind::syslog) {
                auto p = parse::make_parser("rfc3164"); // takes RFC 5424 lines too
                st->owned = p ? std::move(*p) : nullptr;
            } else if (st->info.kind == source_kind::bulk) {
                auto p = parse::make_parser("json");
                st->owned = p ? std::move(*p) : nullptr;
            }
            st->parser = st->owned.get();
            names_[i] = st->info.name;
            states_[i] = std::move(st);
        }
        for (size_t i = 0; i < states_.size(); ++i) {
            formats[i] = states_[i]->parser ? std::string(states_[i]->parser->name()) : "";
        }
        formatter_ = std::make_unique<sink::ecs_json_formatter>(names_, std::move(formats));
    }
    return *states_[source];
}

void analyzer::process(const chunk& c) {
    if (!c.block) {
        return;
    }
    source_state& st = state_of(c.source);
    // Framing: one record per line (the ingestion side sends complete lines only).
    records_.clear();
    offsets_.clear();
    peers_.clear();
    records_.input = c.source;
    records_.block = c.block;
    const char* base = c.block->data();
    const size_t size = c.block->size();
    size_t pos = 0;
    uint64_t rec_no = 0;
    while (pos < size) {
        const void* nl = std::memchr(base + pos, '\n', size - pos);
        const size_t end =
            nl == nullptr ? size : static_cast<size_t>(static_cast<const char*>(nl) - base);
        size_t tend = end;
        if (tend > pos && base[tend - 1] == '\r') {
            --tend;
        }
        if (tend > pos) {
            record r;
            r.text = std::string_view(base + pos, tend - pos);
            r.line = c.first_line + rec_no;
            records_.records.push_back(r);
            offsets_.push_back(c.first_offset + pos);
            peers_.push_back(rec_no < c.peer_of.size() ? c.peer_of[rec_no] : UINT16_MAX);
        }
        ++rec_no;
        pos = end + 1;
    }
    stats_.chunks += 1;
    stats_.lines += rec_no;
    if (!records_.records.empty()) {
        if (st.parser == nullptr) {
            const size_t n = std::min(records_.records.size(), k_detect_sample);
            st.owned = parse::detect_format(std::span<const record>(records_.records.data(), n));
            st.parser = st.owned.get();
            std::vector<std::string> formats(states_.size());
            for (size_t i = 0; i < states_.size(); ++i) {
                formats[i] = states_[i]->parser ? std::string(states_[i]->parser->name()) : "";
            }
            formatter_->set_formats(std::move(formats));
        }
        const int64_t now = wall_ns();
        st.ps.reference_ns = now;
        batch_.clear();
        st.parser->parse(records_, st.ps, batch_);
        stats_.events += batch_.events.size();
        feed_detectors(c);
        if (sigma_) {
            sigma_findings_.clear();
            sigma_->process(batch_, sigma_findings_);
            for (const auto& f : sigma_findings_) {
                emit(security::to_detect_finding(f));
            }
        }
        if (events_out_ != nullptr) {
            write_events(c);
        }
        if (opts_.on_batch) {
            opts_.on_batch(batch_, template_ids_, *this);
        }
    }
    if (c.after) {
        positions_[c.after->path] = *c.after;
    }
    const int64_t lag = c.read_ns > 0 ? wall_ns() - c.read_ns : 0;
    stats_.last_lag_ns = lag;
    stats_.max_lag_ns = std::max(stats_.max_lag_ns, lag);
}

void analyzer::feed_detectors(const chunk& c) {
    template_ids_.resize(batch_.events.size());
    const std::string& path = states_[c.source]->info.name;
    for (size_t i = 0; i < batch_.events.size(); ++i) {
        const event& e = batch_.events[i];
        const auto m = miner_.add(e.message);
        template_ids_[i] = m.template_id;
        if (!opts_.detect) {
            continue;
        }
        params_.clear();
        for (const auto& p : m.params) {
            params_.push_back(e.message.substr(p.begin, p.end - p.begin));
        }
        detect::event_view v;
        v.ts_ns = e.ts_ns != k_no_time ? e.ts_ns : c.read_ns;
        v.input = e.input;
        v.line = e.line;
        v.sev = e.sev;
        v.problem =
            classifier_.classify(e.sev, e.message, m.template_id, e.message, path, e.line).problem;
        v.template_id = m.template_id;
        v.host = e.host;
        v.service = e.program.empty() ? base_name(path) : e.program;
        v.message = e.message;
        v.params = params_;
        detector_.add(v);
    }
    if (opts_.detect) {
        for (const auto& f : detector_.take_findings()) {
            emit(f);
        }
    }
}

void analyzer::write_events(const chunk& c) {
    out_buf_.clear();
    const bool file = states_[c.source]->info.kind == source_kind::file;
    for (size_t i = 0; i < batch_.events.size(); ++i) {
        const event& e = batch_.events[i];
        sink::event_annotations ann;
        ann.template_id = template_ids_[i];
        ann.template_text = miner_.template_text(template_ids_[i]);
        formatter_->append(out_buf_, batch_, e, ann);
        // Where the event came from: byte offset in the file, or the sender's address.
        out_buf_.resize(out_buf_.size() - 2); // "}\n"
        if (file) {
            out_buf_ += ",\"log.offset\":";
            out_buf_ += std::to_string(offsets_[i]);
        } else if (peers_[i] < c.peers.size()) {
            out_buf_ += ",\"log.source.address\":";
            append_json_string(out_buf_, c.peers[peers_[i]]);
        }
        out_buf_ += "}\n";
    }
    if (std::fwrite(out_buf_.data(), 1, out_buf_.size(), events_out_) != out_buf_.size() &&
        !events_out_failed_) {
        events_out_failed_ = true;
        std::fprintf(stderr, "sysgrok watch: %s: write failed: %s\n", opts_.events_out.c_str(),
                     std::strerror(errno));
    }
}

void analyzer::tick(int64_t now_ns) {
    if (!opts_.detect) {
        return;
    }
    detector_.advance_clock(now_ns);
    for (const auto& f : detector_.take_findings()) {
        emit(f);
    }
}

void analyzer::emit(const detect::finding& f) {
    ++stats_.alerts;
    if (on_alert_) {
        on_alert_(f, *this);
    }
}

std::string analyzer::template_text(uint32_t id) const {
    return std::string(miner_.template_text(id));
}

result<uint64_t> analyzer::flush_events_out() {
    if (events_out_ == nullptr) {
        return uint64_t{0};
    }
    if (std::fflush(events_out_) != 0) {
        return error{std::string("cannot write: ") + std::strerror(errno), opts_.events_out, 0,
                     "is the disk full?"};
    }
    const long pos = std::ftell(events_out_);
    if (pos < 0) {
        return error{std::string("cannot tell the size: ") + std::strerror(errno), opts_.events_out,
                     0, ""};
    }
    return static_cast<uint64_t>(pos);
}

std::vector<file_position> analyzer::take_positions() {
    std::vector<file_position> out;
    out.reserve(positions_.size());
    for (auto& [k, p] : positions_) {
        out.push_back(std::move(p));
    }
    positions_.clear();
    return out;
}

} // namespace sysgrok::ingest
