#include "pipeline/event_stream.hpp"

#include <algorithm>
#include <queue>

#include <sys/resource.h>

#include "core/hash.hpp"
#include "pipeline/input_stream.hpp"
#include "source/input_set.hpp"

namespace sysgrok::pipeline {

namespace {

/// Raises the open-file limit so that many inputs can be merged at once.
void raise_fd_limit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
}

struct stream_slot {
    std::unique_ptr<input_stream> stream;
    // Shared so that merged output batches can keep a finished source batch alive.
    std::shared_ptr<event_batch> batch;
    size_t pos = 0;
    int64_t last_ts = k_no_time;
    bool done = false;

    /// Sort key of the current event: its time, or the last time seen in this input.
    [[nodiscard]] int64_t key() const {
        const int64_t ts = batch->events[pos].ts_ns;
        return ts != k_no_time ? ts : last_ts;
    }
};

class stream_impl final : public event_stream {
  public:
    stream_impl(const pipeline_options& opts, diagnostics& diag) : opts_(opts), diag_(diag) {}

    status init() {
        if (!opts_.log_format.empty()) {
            auto p = parse::make_header_parser(opts_.log_format);
            if (!p) {
                return p.error();
            }
            forced_ = std::move(p.value());
        } else if (!opts_.regex.empty()) {
            auto p = parse::make_regex_parser(opts_.regex);
            if (!p) {
                return p.error();
            }
            forced_ = std::move(p.value());
        } else if (!opts_.format.empty() && opts_.format != "auto") {
            auto p = parse::make_parser(opts_.format);
            if (!p) {
                return p.error();
            }
            forced_ = std::move(p.value());
        }
        const auto paths = expand_inputs(opts_.inputs, diag_);
        if (paths.empty()) {
            return error{"no input files", "", 0, "name files, directories, globs or - for stdin"};
        }
        raise_fd_limit();
        infos_.reserve(paths.size());
        for (const auto& path : paths) {
            input_info& info = infos_.emplace_back();
            info.path = path;
            input_meta meta;
            auto reader = open_input(path, meta);
            if (!reader) {
                info.skipped = true;
                auto e = reader.error();
                e.path = path;
                diag_.report(issue_kind::unreadable, path, 0,
                             e.message + (e.hint.empty() ? "" : " (" + e.hint + ")"));
                continue;
            }
            info.compression = std::string(compression_name(meta.comp));
            total_ += meta.file_size;
            frame_options fo;
            fo.max_line_bytes = opts_.max_line_bytes;
            const auto input = static_cast<uint32_t>(infos_.size() - 1);
            auto rr =
                std::make_unique<record_reader>(std::move(reader.value()), path, input, fo, diag_);
            parse::parse_state st;
            st.options = opts_.parse;
            st.input = input;
            st.input_hash = hash64(path);
            st.reference_ns = meta.mtime_ns;
            stream_slot slot;
            slot.stream = std::make_unique<input_stream>(std::move(rr), forced_.get(), st, info);
            slot.batch = std::make_shared<event_batch>();
            slots_.push_back(std::move(slot));
        }
        return ok();
    }

    bool next(event_batch& out) override {
        out.clear();
        if (slots_.size() <= 1 || !opts_.merge) {
            return next_sequential(out);
        }
        return next_merged(out);
    }

    [[nodiscard]] const std::vector<input_info>& inputs() const override { return infos_; }

    [[nodiscard]] uint64_t bytes_read() const override {
        uint64_t n = finished_bytes_;
        for (const auto& s : slots_) {
            if (!s.done) {
                n += s.stream->raw_bytes_read();
            }
        }
        return n;
    }
    [[nodiscard]] uint64_t bytes_total() const override { return total_; }

  private:
    void finish(stream_slot& s) {
        s.done = true;
        finished_bytes_ += s.stream->raw_bytes_read();
    }

    bool next_sequential(event_batch& out) {
        while (current_ < slots_.size()) {
            auto& s = slots_[current_];
            if (s.stream->next(out)) {
                if (!out.events.empty()) {
                    return true;
                }
                continue;
            }
            finish(s);
            s.stream.reset();
            ++current_;
        }
        return false;
    }

    /// Refills a slot whose batch is used up; false when its input is exhausted.
    bool refill(stream_slot& s) {
        while (!s.done && s.pos >= s.batch->events.size()) {
            // The old batch may still be referenced by the last output batch.
            s.batch = std::make_shared<event_batch>();
            s.pos = 0;
            if (!s.stream->next(*s.batch)) {
                finish(s);
                s.stream.reset();
            }
        }
        return !s.done;
    }

    bool next_merged(event_batch& out) {
        if (!primed_) {
            primed_ = true;
            for (size_t i = 0; i < slots_.size(); ++i) {
                if (refill(slots_[i])) {
                    heap_.push({slots_[i].key(), i});
                }
            }
        }
        std::vector<const event_batch*> kept(slots_.size(), nullptr);
        while (!heap_.empty() && out.events.size() < opts_.batch_events) {
            const auto [key, idx] = heap_.top();
            heap_.pop();
            auto& s = slots_[idx];
            if (kept[idx] != s.batch.get()) {
                kept[idx] = s.batch.get();
                keep_.push_back(s.batch);
            }
            const event_batch& src = *s.batch;
            event e = src.events[s.pos];
            const uint32_t fb = static_cast<uint32_t>(out.fields.size());
            for (uint32_t k = 0; k < e.field_count; ++k) {
                out.fields.push_back(src.fields[e.field_begin + k]);
            }
            e.field_begin = fb;
            if (e.ts_ns != k_no_time) {
                s.last_ts = e.ts_ns;
            }
            out.events.push_back(e);
            ++s.pos;
            if (refill(s)) {
                heap_.push({s.key(), idx});
            }
        }
        // The output's views point into the source batches: keep those alive with it.
        out.keep_alive.assign(keep_.begin(), keep_.end());
        keep_.clear();
        return !out.events.empty();
    }

    struct heap_item {
        int64_t key;
        size_t idx;
        bool operator<(const heap_item& o) const {
            // std::priority_queue is a max-heap: invert for the smallest key, then input order.
            return key != o.key ? key > o.key : idx > o.idx;
        }
    };

    pipeline_options opts_;
    diagnostics& diag_;
    std::unique_ptr<parse::parser> forced_;
    std::vector<input_info> infos_;
    std::vector<stream_slot> slots_;
    size_t current_ = 0;
    uint64_t total_ = 0;
    uint64_t finished_bytes_ = 0;
    bool primed_ = false;
    std::priority_queue<heap_item> heap_;
    std::vector<std::shared_ptr<event_batch>> keep_;
};

} // namespace

result<std::unique_ptr<event_stream>> event_stream::open(const pipeline_options& opts,
                                                         diagnostics& diag) {
    auto s = std::make_unique<stream_impl>(opts, diag);
    auto st = s->init();
    if (!st) {
        return st.error();
    }
    return std::unique_ptr<event_stream>(std::move(s));
}

} // namespace sysgrok::pipeline
