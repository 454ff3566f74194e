// Fuzzes the access parser (records = input lines; see fuzz_parse_util.hpp).
#include <cstddef>
#include <cstdint>

#include "fuzz_parse_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const auto parser = sysgrok::parse::make_parser("access");
    sysgrok::parse::fuzzing::run_parser(**parser, data, size);
    return 0;
}
