// Fuzzes framing (decompression sniffing, line splitting, multiline joining, caps).
#include <cstddef>
#include <cstdint>
#include <string>

#include "frame/record_reader.hpp"
#include "source/byte_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    sysgrok::diagnostics diag(nullptr);
    sysgrok::input_meta meta;
    sysgrok::frame_options fo;
    fo.max_line_bytes = 64; // small caps reach the truncation paths
    fo.block_bytes = 4096;
    fo.max_event_lines = 8;
    sysgrok::record_reader rr(
        sysgrok::open_memory(std::string(reinterpret_cast<const char*>(data), size), meta), "fuzz",
        0, fo, diag);
    sysgrok::record_batch b;
    size_t total = 0;
    while (rr.next(b)) {
        for (const auto& r : b.records) {
            // Every record must lie inside its block.
            const char* lo = b.block->data();
            const char* hi = lo + b.block->size();
            if (r.text.data() < lo || r.text.data() + r.text.size() > hi) {
                __builtin_trap();
            }
            total += r.text.size();
        }
    }
    return total > 0 ? 0 : 0;
}
