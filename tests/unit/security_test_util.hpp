// tests/unit/security_test_util.hpp — building events and running rules in tests.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/event.hpp"
#include "parse/format_id.hpp"
#include "security/engine.hpp"
#include "security/rule_loader.hpp"
#include "security/rule_set.hpp"

namespace sysgrok::security::test {

using field_list = std::vector<std::pair<std::string, std::string>>;

/// Builds an event_batch from literal lines and fields.
class batch_builder {
  public:
    /// Adds an event; `ts_s` in seconds; `program` sets the routing (sshd, sudo, ...).
    batch_builder& add(std::string_view raw,
                       const field_list& fields = {},
                       int64_t ts_s = 0,
                       std::string_view program = "",
                       std::string_view message = {},
                       parse::format_id format = parse::format_id::rfc3164) {
        event e;
        e.raw = b_.strings.add(raw);
        e.message = message.empty() ? e.raw : b_.strings.add(message);
        e.program = b_.strings.add(program);
        e.host = b_.strings.add("host1");
        e.ts_ns = ts_s * 1'000'000'000LL;
        e.format = static_cast<uint16_t>(format);
        e.line = b_.events.size() + 1;
        e.field_begin = static_cast<uint32_t>(b_.fields.size());
        for (const auto& [k, v] : fields) {
            b_.fields.push_back({b_.strings.add(k), b_.strings.add(v)});
        }
        e.field_count = static_cast<uint32_t>(fields.size());
        b_.events.push_back(e);
        return *this;
    }
    /// An access-log event with the W3C-mapped ECS fields.
    batch_builder& web(std::string_view ip,
                       std::string_view method,
                       std::string_view target,
                       std::string_view status,
                       std::string_view agent = "curl/8.0",
                       int64_t ts_s = 0) {
        const std::string raw = std::string(ip) + " - - [x] \"" + std::string(method) + " " +
                                std::string(target) + " HTTP/1.1\" " + std::string(status) +
                                " 1 \"-\" \"" + std::string(agent) + "\"";
        return add(raw,
                   {{"source.ip", std::string(ip)},
                    {"http.request.method", std::string(method)},
                    {"url.original", std::string(target)},
                    {"http.response.status_code", std::string(status)},
                    {"user_agent.original", std::string(agent)}},
                   ts_s, "", {}, parse::format_id::access);
    }
    [[nodiscard]] const event_batch& batch() const { return b_; }

  private:
    event_batch b_;
};

/// Loads `yaml`, expecting every document to load.
inline std::unique_ptr<rule_set> compile(const std::string& yaml) {
    loaded_rules lr;
    load_rules_text(yaml, "test.yml", lr);
    auto rs = rule_set::build(std::move(lr));
    for (const auto& r : rs->rejected()) {
        ADD_FAILURE() << "rejected: " << r.path << ":" << r.line << ": " << r.reason;
    }
    return rs;
}

/// Rejection reasons of `yaml` (empty when everything loaded).
inline std::vector<rejected_rule> rejections(const std::string& yaml) {
    loaded_rules lr;
    load_rules_text(yaml, "test.yml", lr);
    return rule_set::build(std::move(lr))->rejected();
}

/// Runs the rules over the batch (ignoring logsource routing unless `route`).
inline std::vector<finding> run(const rule_set& rs, const event_batch& b, bool route = false) {
    engine_options o;
    o.ignore_logsource = !route;
    engine_state st(rs, o);
    std::vector<finding> out;
    st.process(b, out);
    return out;
}

/// A one-rule document: `detection` is the YAML body under `detection:` (4-space indent).
inline std::string rule_yaml(const std::string& detection, const std::string& extra = "") {
    return "title: t\nid: r1\nname: r1\nlevel: high\nlogsource:\n    product: linux\n" + extra +
           "detection:\n" + detection;
}

/// How many events of `b` the single-detection rule matches.
inline size_t match_count(const std::string& detection, const batch_builder& b) {
    auto rs = compile(rule_yaml(detection));
    return run(*rs, b.batch()).size();
}

/// Whether the single-detection rule matches the single event.
inline bool
matches(const std::string& detection, std::string_view raw, const field_list& fields = {}) {
    batch_builder b;
    b.add(raw, fields);
    return match_count(detection, b) == 1;
}

} // namespace sysgrok::security::test
