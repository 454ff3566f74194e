// Fuzzes the Sigma rule loader and compiler (YAML documents, modifiers, conditions,
// correlations), then runs whatever loaded over a few fixed events.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "security/engine.hpp"
#include "security/rule_loader.hpp"
#include "security/rule_set.hpp"

namespace {

sysgrok::event_batch make_batch() {
    sysgrok::event_batch b;
    const std::vector<std::string> lines = {
        "Dec 10 06:55:46 host sshd[1]: Failed password for invalid user a from 1.2.3.4 port 22",
        "type=EXECVE msg=audit(1.2:3): argc=2 a0=\"bash\" a1=2D69",
        "10.0.0.1 - - [x] \"GET /a/../../etc/passwd?x=1 HTTP/1.1\" 404 1 \"-\" \"sqlmap\"",
    };
    int64_t t = 0;
    for (const auto& l : lines) {
        sysgrok::event e;
        e.raw = b.strings.add(l);
        e.message = e.raw;
        e.program = b.strings.add(t == 0 ? "sshd" : "");
        e.ts_ns = t++ * 1'000'000'000;
        e.field_begin = static_cast<uint32_t>(b.fields.size());
        b.fields.push_back({b.strings.add("source.ip"), b.strings.add("1.2.3.4")});
        b.fields.push_back({b.strings.add("url.original"), b.strings.add("/a?b=c")});
        e.field_count = 2;
        b.events.push_back(e);
    }
    return b;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const sysgrok::event_batch batch = make_batch();
    sysgrok::security::loaded_rules lr;
    sysgrok::security::load_rules_text(std::string(reinterpret_cast<const char*>(data), size),
                                       "fuzz.yml", lr);
    auto rs = sysgrok::security::rule_set::build(std::move(lr));
    sysgrok::security::engine_options o;
    o.ignore_logsource = true;
    o.max_groups = 4;
    sysgrok::security::engine_state st(*rs, o);
    std::vector<sysgrok::security::finding> out;
    for (int i = 0; i < 3; ++i) {
        st.process(batch, out);
    }
    return 0;
}
