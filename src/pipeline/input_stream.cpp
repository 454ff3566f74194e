#include "pipeline/input_stream.hpp"

#include <algorithm>

namespace sysgrok::pipeline {

input_stream::input_stream(std::unique_ptr<record_reader> reader,
                           const parse::parser* forced,
                           parse::parse_state state,
                           input_info& info)
    : reader_(std::move(reader)), parser_(forced), state_(state), info_(info) {}

bool input_stream::next(event_batch& out) {
    if (!reader_->next(records_)) {
        info_.lines = reader_->lines();
        info_.blank_lines = reader_->blank_lines();
        info_.bytes = reader_->bytes();
        info_.skipped = info_.skipped || reader_->skipped();
        info_.matched = state_.matched;
        return false;
    }
    if (parser_ == nullptr) {
        const size_t n = std::min<size_t>(records_.records.size(), 200);
        detected_ = parse::detect_format(std::span<const record>(records_.records.data(), n));
        parser_ = detected_.get();
    }
    if (info_.format.empty()) {
        info_.format = std::string(parser_->name());
    }
    const size_t before = out.events.size();
    parser_->parse(records_, state_, out);
    for (size_t i = before; i < out.events.size(); ++i) {
        info_.with_timestamp += out.events[i].ts_ns != k_no_time ? 1 : 0;
    }
    info_.events += out.events.size() - before;
    info_.lines = reader_->lines();
    info_.bytes = reader_->bytes();
    return true;
}

} // namespace sysgrok::pipeline
