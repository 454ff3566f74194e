// Fuzzes make_regex_parser: the first line is the user's regex (it may fail to compile,
// which must be a returned error), the rest are the records.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_parse_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const size_t nl = in.find('\n');
    if (nl == std::string_view::npos || nl > 256) {
        return 0;
    }
    auto p = sysgrok::parse::make_regex_parser(in.substr(0, nl));
    if (!p) {
        return 0;
    }
    sysgrok::parse::fuzzing::run_parser(**p, data + nl + 1, size - nl - 1);
    return 0;
}
