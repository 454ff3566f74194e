// tests/unit/parse_test_util.hpp — builds framed records for the parse tests.
#pragma once

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "frame/record_batch.hpp"
#include "parse/parser.hpp"

namespace sysgrok::parse::testing {

/// One record per line ('\n'-separated, a trailing '\r' dropped, empty lines skipped),
/// in one padded text block.
inline record_batch make_batch(std::string_view data) {
    if (data.size() > (size_t{1} << 32)) {
        return {}; // test inputs are small; the bound also keeps GCC 12 from false warnings
    }
    auto block = std::make_shared<text_block>(data.size());
    if (!data.empty()) {
        std::memcpy(block->data(), data.data(), data.size());
    }
    std::memset(block->data() + data.size(), 0, text_block::k_padding);
    block->set_size(data.size());
    record_batch b;
    const std::string_view v = block->view();
    size_t pos = 0;
    uint64_t line = 0;
    while (pos < v.size()) {
        size_t e = v.find('\n', pos);
        if (e == std::string_view::npos) {
            e = v.size();
        }
        ++line;
        std::string_view t = v.substr(pos, e - pos);
        if (!t.empty() && t.back() == '\r') {
            t.remove_suffix(1);
        }
        pos = e + 1;
        if (!t.empty()) {
            b.records.push_back(record{t, line, 1, 0});
        }
    }
    b.block = std::move(block);
    return b;
}

/// 2024-06-01T00:00:00Z: the reference time used for year inference in tests.
constexpr int64_t k_reference_ns = int64_t{1717200000} * 1000000000;

/// Parses `text` with `p` and returns the events (with their storage).
inline event_batch
parse_with(const parser& p, std::string_view text, parse_state* state = nullptr) {
    parse_state local;
    local.reference_ns = k_reference_ns;
    parse_state& st = state != nullptr ? *state : local;
    const record_batch b = make_batch(text);
    event_batch out;
    p.parse(b, st, out);
    return out;
}

/// Parses with a built-in format by name.
inline event_batch
parse_as(std::string_view format, std::string_view text, parse_state* state = nullptr) {
    auto p = make_parser(format);
    return parse_with(**p, text, state);
}

} // namespace sysgrok::parse::testing
