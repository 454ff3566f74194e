// Fuzzes the template miner: tokenising and variable recognition, matching, merging,
// eviction, parameter spans, save/load equivalence, and loading arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "mine/template_miner.hpp"

namespace {

void check(bool ok) {
    if (!ok) {
        __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace sysgrok::mine;
    std::string_view input(reinterpret_cast<const char*>(data), size);

    // Mode 1: the input is a saved state; loading must fail cleanly or give a usable miner.
    if (!input.empty() && input[0] == 'S') {
        template_miner m;
        std::istringstream in{std::string(input)};
        if (m.load(in)) {
            m.add("after load 1 2 3");
            std::ostringstream out;
            check(static_cast<bool>(m.save(out)));
        }
        check(true);
    }

    // Mode 2: the input is a log; each line is a message. Tiny caps reach eviction and the
    // cache clear; a twin is saved and reloaded halfway and must take the same decisions.
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start <= input.size()) {
        size_t nl = input.find('\n', start);
        if (nl == std::string_view::npos) {
            nl = input.size();
        }
        lines.push_back(input.substr(start, nl - start));
        start = nl + 1;
    }
    miner_config cfg;
    cfg.max_templates = 4;
    cfg.max_cached_sequences = 8;
    cfg.max_tokens = 16;
    template_miner a(cfg);
    template_miner b(cfg);
    for (size_t i = 0; i < lines.size(); ++i) {
        std::string_view msg = lines[i];
        auto r = a.add(msg);
        check(r.template_id != 0);
        for (const auto& p : r.params) {
            check(p.begin <= p.end && p.end <= msg.size());
        }
        check(a.template_count() <= cfg.max_templates);
        if (i == lines.size() / 2) {
            std::stringstream state;
            check(static_cast<bool>(b.save(state)));
            template_miner c;
            check(static_cast<bool>(c.load(state)));
            b = std::move(c);
        }
        auto rb = b.add(msg);
        check(rb.template_id == r.template_id);
        check(a.template_text(r.template_id) == b.template_text(rb.template_id));
    }
    token_scanner sc;
    std::string masked = sc.mask_one(input);
    check(masked.size() <= input.size() * 3 + 3);
    return 0;
}
