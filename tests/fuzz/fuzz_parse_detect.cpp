// Fuzzes format detection, then parses the same records with the chosen format; also
// runs the timestamp recogniser on every record.
#include <cstddef>
#include <cstdint>

#include "fuzz_parse_util.hpp"
#include "parse/timestamp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto fr = sysgrok::parse::fuzzing::make_records(data, size);
    auto p = sysgrok::parse::detect_format(fr.batch.records);
    sysgrok::parse::fuzzing::run_parser(*p, data, size);
    sysgrok::parse::parse_state st;
    for (const auto& r : fr.batch.records) {
        if (auto m = sysgrok::parse::find_timestamp(r.text)) {
            if (m->begin > m->end || m->end > r.text.size()) {
                __builtin_trap();
            }
            int32_t off = 0;
            (void)sysgrok::parse::resolve_timestamp(m->parts, st, off);
        }
        if (auto v = sysgrok::parse::parse_timestamp_value(r.text)) {
            int32_t off = 0;
            (void)sysgrok::parse::resolve_timestamp(*v, st, off);
        }
    }
    return 0;
}
