// tests/fuzz/fuzz_parse_util.hpp — shared driver of the parse fuzz targets: the input is
// split into lines, one record per line, and fed to a parser; invariants are checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "frame/record_batch.hpp"
#include "parse/parser.hpp"

namespace sysgrok::parse::fuzzing {

/// Bit 0 of the first byte picks where records live: in a padded text block (as framed
/// input does), or in exact-size heap copies so that AddressSanitizer catches any read
/// past a record's end.
struct fuzz_records {
    record_batch batch;
    std::vector<std::unique_ptr<char[]>> copies;
};

inline fuzz_records make_records(const uint8_t* data, size_t size) {
    fuzz_records fr;
    const bool exact = size > 0 && (data[0] & 1U) != 0;
    auto block = std::make_shared<text_block>(size);
    if (size > 0) {
        std::memcpy(block->data(), data, size);
    }
    std::memset(block->data() + size, 0x7B, text_block::k_padding); // '{' bytes
    block->set_size(size);
    const std::string_view v = block->view();
    size_t pos = 0;
    uint64_t line = 0;
    while (pos <= v.size()) {
        size_t e = v.find('\n', pos);
        if (e == std::string_view::npos) {
            e = v.size();
        }
        std::string_view t = v.substr(pos, e - pos);
        ++line;
        if (exact) {
            auto copy = std::make_unique<char[]>(t.size() == 0 ? 1 : t.size());
            if (!t.empty()) {
                std::memcpy(copy.get(), t.data(), t.size());
            }
            t = std::string_view(copy.get(), t.size());
            fr.copies.push_back(std::move(copy));
        }
        fr.batch.records.push_back(record{t, line, 1, static_cast<uint8_t>(line & 0x0F)});
        pos = e + 1;
    }
    fr.batch.block = std::move(block);
    return fr;
}

/// Parses the input with `p` and checks one event per record with the record's text.
inline void run_parser(const parser& p, const uint8_t* data, size_t size) {
    fuzz_records fr = make_records(data, size);
    parse_state state;
    state.reference_ns = int64_t{1717200000} * 1000000000;
    event_batch out;
    p.parse(fr.batch, state, out);
    if (out.events.size() != fr.batch.records.size()) {
        __builtin_trap();
    }
    for (size_t i = 0; i < out.events.size(); ++i) {
        const event& e = out.events[i];
        const record& r = fr.batch.records[i];
        if (e.raw.data() != r.text.data() || e.raw.size() != r.text.size() || e.flags != r.flags ||
            e.field_begin + e.field_count > out.fields.size()) {
            __builtin_trap();
        }
        // Touch every view so that ASan checks the memory behind it.
        size_t sum = e.message.size() + e.host.size() + e.program.size();
        for (const char c : e.message) {
            sum += static_cast<unsigned char>(c);
        }
        for (const char c : e.host) {
            sum += static_cast<unsigned char>(c);
        }
        for (const char c : e.program) {
            sum += static_cast<unsigned char>(c);
        }
        for (const auto& f : out.fields_of(e)) {
            for (const char c : f.key) {
                sum += static_cast<unsigned char>(c);
            }
            for (const char c : f.value) {
                sum += static_cast<unsigned char>(c);
            }
        }
        if (sum == 0xFFFFFFFFFFFFFFFFULL) {
            __builtin_trap();
        }
    }
    if (state.matched + state.unmatched != fr.batch.records.size()) {
        __builtin_trap();
    }
}

} // namespace sysgrok::parse::fuzzing
