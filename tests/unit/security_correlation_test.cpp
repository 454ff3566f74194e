// Sigma v2 correlations: event_count, value_count, temporal, temporal_ordered, aliases,
// chaining, generate, and the specification's example correlation rules.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "security_test_util.hpp"

namespace sysgrok::security::test {
namespace {

const std::string k_base = R"(title: failed
id: 11111111-0000-0000-0000-000000000001
name: failed
logsource:
    product: linux
detection:
    selection:
        outcome: failure
    condition: selection
level: low
)";

std::string event_count(int gte, const std::string& span = "10m") {
    return k_base + R"(---
title: many failures
id: c1
correlation:
    type: event_count
    rules:
        - failed
    group-by:
        - source.ip
    timespan: )" +
           span + R"(
    condition:
        gte: )" +
           std::to_string(gte) + "\nlevel: high\n";
}

void failures(batch_builder& b,
              const std::string& ip,
              int n,
              int64_t t0,
              int64_t step,
              const std::string& user = "root") {
    for (int i = 0; i < n; ++i) {
        b.add("fail " + ip, {{"outcome", "failure"}, {"source.ip", ip}, {"user.name", user}},
              t0 + i * step);
    }
}

/// `s` with the first `from` replaced by `to`.
std::string replaced(const std::string& s, const std::string& from, const std::string& to) {
    const size_t p = s.find(from);
    return s.substr(0, p) + to + s.substr(p + from.size());
}

size_t count_kind(const std::vector<finding>& fs, const std::string& title) {
    size_t n = 0;
    for (const auto& f : fs) {
        n += f.title == title ? 1 : 0;
    }
    return n;
}

TEST(SecurityCorrelation, EventCountThreshold) {
    auto rs = compile(event_count(10));
    batch_builder nine;
    failures(nine, "1.1.1.1", 9, 0, 10);
    EXPECT_EQ(count_kind(run(*rs, nine.batch()), "many failures"), 0U);
    batch_builder ten;
    failures(ten, "1.1.1.1", 10, 0, 10);
    const auto fs = run(*rs, ten.batch());
    ASSERT_EQ(count_kind(fs, "many failures"), 1U);
    const auto& f = fs.back();
    EXPECT_EQ(f.kind, "event_count");
    EXPECT_EQ(f.event_count, 10U);
    EXPECT_EQ(f.first_ns, 0);
    EXPECT_EQ(f.last_ns, 90'000'000'000LL);
    ASSERT_FALSE(f.entities.empty());
    EXPECT_EQ(f.entities[0], (std::pair<std::string, std::string>{"source.ip", "1.1.1.1"}));
    EXPECT_EQ(f.evidence.size(), 10U);
    // The base rule is a correlation input only (generate defaults to false).
    EXPECT_EQ(count_kind(fs, "failed"), 0U);
}

TEST(SecurityCorrelation, EventCountWindowSlides) {
    auto rs = compile(event_count(10));
    // 10 events spread over 15 minutes: never 10 inside 10 minutes.
    batch_builder slow;
    failures(slow, "1.1.1.1", 10, 0, 100);
    EXPECT_EQ(count_kind(run(*rs, slow.batch()), "many failures"), 0U);
    // 5 early, then a gap, then 10 close together: the window slides over the gap.
    batch_builder burst;
    failures(burst, "1.1.1.1", 5, 0, 1);
    failures(burst, "1.1.1.1", 10, 2000, 1);
    EXPECT_EQ(count_kind(run(*rs, burst.batch()), "many failures"), 1U);
    // Not aligned to buckets: 5 just before a 10-minute boundary and 5 just after fire.
    batch_builder edge;
    failures(edge, "1.1.1.1", 5, 595, 1);
    failures(edge, "1.1.1.1", 5, 601, 1);
    EXPECT_EQ(count_kind(run(*rs, edge.batch()), "many failures"), 1U);
}

TEST(SecurityCorrelation, EventCountGroupsAreSeparate) {
    auto rs = compile(event_count(5));
    batch_builder b;
    for (int i = 0; i < 4; ++i) {
        failures(b, "1.1.1.1", 1, i, 1);
        failures(b, "2.2.2.2", 1, i, 1);
    }
    EXPECT_EQ(count_kind(run(*rs, b.batch()), "many failures"), 0U);
    failures(b, "2.2.2.2", 1, 10, 1);
    const auto fs = run(*rs, b.batch());
    ASSERT_EQ(count_kind(fs, "many failures"), 1U);
    EXPECT_EQ(fs.back().entities[0].second, "2.2.2.2");
}

TEST(SecurityCorrelation, OneFindingPerTimespanDuringALongAttack) {
    auto rs = compile(event_count(10));
    batch_builder b;
    failures(b, "1.1.1.1", 100, 0, 1); // 100 failures in 100 s
    EXPECT_EQ(count_kind(run(*rs, b.batch()), "many failures"), 1U);
    failures(b, "1.1.1.1", 20, 1000, 1); // a second burst after the quiet period
    EXPECT_EQ(count_kind(run(*rs, b.batch()), "many failures"), 2U);
}

TEST(SecurityCorrelation, ConditionRange) {
    const auto yaml = replaced(event_count(0), "gte: 0", "gt: 2\n        lte: 3");
    auto rs = compile(yaml);
    batch_builder b;
    failures(b, "1.1.1.1", 3, 0, 1);
    EXPECT_EQ(count_kind(run(*rs, b.batch()), "many failures"), 1U);
}

TEST(SecurityCorrelation, ValueCountDistinctValues) {
    auto rs = compile(k_base + R"(---
title: spraying
correlation:
    type: value_count
    rules:
        - failed
    group-by:
        - source.ip
    timespan: 1h
    condition:
        field: user.name
        gte: 3
)");
    batch_builder same;
    failures(same, "1.1.1.1", 10, 0, 1, "root");
    EXPECT_EQ(count_kind(run(*rs, same.batch()), "spraying"), 0U);
    batch_builder many;
    failures(many, "1.1.1.1", 1, 0, 1, "root");
    failures(many, "1.1.1.1", 1, 1, 1, "root");
    failures(many, "1.1.1.1", 1, 2, 1, "alice");
    EXPECT_EQ(count_kind(run(*rs, many.batch()), "spraying"), 0U);
    failures(many, "1.1.1.1", 1, 3, 1, "bob");
    EXPECT_EQ(count_kind(run(*rs, many.batch()), "spraying"), 1U);
    // Values leave the window: three users over three hours are never 3 in 1 h.
    batch_builder slow;
    failures(slow, "1.1.1.1", 1, 0, 1, "a");
    failures(slow, "1.1.1.1", 1, 4000, 1, "b");
    failures(slow, "1.1.1.1", 1, 8000, 1, "c");
    EXPECT_EQ(count_kind(run(*rs, slow.batch()), "spraying"), 0U);
}

const std::string k_three = R"(title: a
name: rule_a
logsource:
    product: linux
detection:
    s:
        step: a
    condition: s
---
title: b
name: rule_b
logsource:
    product: linux
detection:
    s:
        step: b
    condition: s
---
title: c
name: rule_c
logsource:
    product: linux
detection:
    s:
        step: c
    condition: s
---
title: seq
correlation:
    type: TYPE
    rules:
        - rule_a
        - rule_b
        - rule_c
    group-by:
        - user.name
    timespan: 5m
)";

size_t run_steps(const std::string& type,
                 const std::string& steps,
                 int64_t step_s = 1,
                 const std::string& user = "u") {
    const std::string yaml = replaced(k_three, "TYPE", type);
    auto rs = compile(yaml);
    batch_builder b;
    int64_t t = 0;
    for (char c : steps) {
        b.add(std::string("step ") + c, {{"step", std::string(1, c)}, {"user.name", user}}, t);
        t += step_s;
    }
    return count_kind(run(*rs, b.batch()), "seq");
}

TEST(SecurityCorrelation, TemporalAnyOrder) {
    EXPECT_EQ(run_steps("temporal", "abc"), 1U);
    EXPECT_EQ(run_steps("temporal", "cba"), 1U);
    EXPECT_EQ(run_steps("temporal", "aab"), 0U);
    EXPECT_EQ(run_steps("temporal", "abc", 200), 0U); // a..c span 400 s > 5 m
}

TEST(SecurityCorrelation, TemporalOrdered) {
    EXPECT_EQ(run_steps("temporal_ordered", "abc"), 1U);
    EXPECT_EQ(run_steps("temporal_ordered", "cba"), 0U);
    EXPECT_EQ(run_steps("temporal_ordered", "acb"), 0U);
    EXPECT_EQ(run_steps("temporal_ordered", "acbc"), 1U);
    EXPECT_EQ(run_steps("temporal_ordered", "abc", 200), 0U);
}

TEST(SecurityCorrelation, AliasesMapFieldsPerRule) {
    auto rs = compile(R"(title: err
name: internal_error
logsource:
    product: linux
detection:
    s:
        http.response.status_code: 500
    condition: s
---
title: conn
name: new_network_connection
logsource:
    product: linux
detection:
    s:
        event.category: network
    condition: s
---
title: alias
correlation:
    type: temporal
    rules:
        - internal_error
        - new_network_connection
    group-by:
        - internal_ip
    timespan: 10s
    aliases:
        internal_ip:
            internal_error: destination.ip
            new_network_connection: source.ip
)");
    batch_builder b;
    b.add("e", {{"http.response.status_code", "500"}, {"destination.ip", "10.0.0.1"}}, 0);
    b.add("c", {{"event.category", "network"}, {"source.ip", "10.0.0.2"}}, 1);
    EXPECT_EQ(count_kind(run(*rs, b.batch()), "alias"), 0U);
    b.add("c", {{"event.category", "network"}, {"source.ip", "10.0.0.1"}}, 2);
    const auto fs = run(*rs, b.batch());
    ASSERT_EQ(count_kind(fs, "alias"), 1U);
    EXPECT_EQ(fs.back().entities[0].second, "10.0.0.1");
}

TEST(SecurityCorrelation, GenerateKeepsBaseRuleFindings) {
    const auto yaml =
        replaced(event_count(2), "    timespan:", "    generate: true\n    timespan:");
    auto rs = compile(yaml);
    batch_builder b;
    failures(b, "1.1.1.1", 2, 0, 1);
    const auto fs = run(*rs, b.batch());
    EXPECT_EQ(count_kind(fs, "failed"), 2U);
    EXPECT_EQ(count_kind(fs, "many failures"), 1U);
}

TEST(SecurityCorrelation, UnknownRuleAndCycleAreRejected) {
    auto rej = rejections("title: x\ncorrelation:\n    type: event_count\n    rules:\n"
                          "        - nope\n    group-by:\n        - a\n    timespan: 1m\n"
                          "    condition:\n        gte: 1\n");
    ASSERT_EQ(rej.size(), 1U);
    EXPECT_NE(rej[0].reason.find("unknown rule 'nope'"), std::string::npos);
    rej = rejections("title: x\nname: x\ncorrelation:\n    type: event_count\n    rules:\n"
                     "        - y\n    group-by:\n        - a\n    timespan: 1m\n"
                     "    condition:\n        gte: 1\n---\n"
                     "title: y\nname: y\ncorrelation:\n    type: event_count\n    rules:\n"
                     "        - x\n    group-by:\n        - a\n    timespan: 1m\n"
                     "    condition:\n        gte: 1\n");
    EXPECT_EQ(rej.size(), 2U);
}

TEST(SecurityCorrelation, LegacyV1CountIsConverted) {
    const std::string head = "title: v1\nid: v1-rule\nlevel: high\nlogsource:\n"
                             "    product: linux\ndetection:\n    selection:\n"
                             "        outcome: failure\n    timeframe: 1m\n";
    auto by_count = compile(head + "    condition: selection | count() by source.ip >= 3\n");
    ASSERT_EQ(by_count->correlations().size(), 1U);
    EXPECT_EQ(by_count->correlations()[0].type, correlation_type::event_count);
    EXPECT_EQ(by_count->loaded(), 1U);
    batch_builder b;
    failures(b, "1.1.1.1", 2, 0, 1, "a");
    EXPECT_EQ(count_kind(run(*by_count, b.batch()), "v1"), 0U);
    failures(b, "1.1.1.1", 1, 2, 1, "b");
    EXPECT_EQ(count_kind(run(*by_count, b.batch()), "v1"), 1U);
    auto distinct =
        compile(head + "    condition: selection | count(user.name) by source.ip > 1\n");
    ASSERT_EQ(distinct->correlations().size(), 1U);
    EXPECT_EQ(distinct->correlations()[0].type, correlation_type::value_count);
    batch_builder same;
    failures(same, "1.1.1.1", 5, 0, 1, "a");
    EXPECT_EQ(count_kind(run(*distinct, same.batch()), "v1"), 0U);
    failures(same, "1.1.1.1", 1, 5, 1, "b");
    EXPECT_EQ(count_kind(run(*distinct, same.batch()), "v1"), 1U);
    // Other aggregations, near, and a count without timeframe are listed as unsupported.
    EXPECT_EQ(rejections(head + "    condition: selection | max(x) by y > 1\n").size(), 1U);
    EXPECT_EQ(rejections(head + "    condition: selection | near selection\n").size(), 1U);
    const std::string no_tf = "title: v1\nlogsource:\n    product: linux\ndetection:\n"
                              "    s:\n        a: 1\n    condition: s | count() > 1\n";
    EXPECT_EQ(rejections(no_tf).size(), 1U);
}

// The specification's complete example ("Failed Logins Followed by Successful Login"),
// verbatim: a chained temporal_ordered over an event_count, referenced by name.
const std::string k_spec_example =
    R"(title: Correlation - Multiple Failed Logins Followed by Successful Login
id: b180ead8-d58f-40b2-ae54-c8940995b9b6
status: experimental
description: Detects multiple failed logins by a single user followed by a successful login of that user
references:
    - https://reference.com
author: Florian Roth (Nextron Systems)
date: 2023-06-16
correlation:
    type: temporal_ordered
    rules:
        - multiple_failed_login
        - successful_login
    group-by:
        - User
    timespan: 10m
falsepositives:
    - Unlikely
level: high
---
title: Multiple failed logons
id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
description: Detects multiple failed logins within a certain amount of time
name: multiple_failed_login
correlation:
    type: event_count
    rules:
        - failed_login
    group-by:
        - User
    timespan: 10m
    condition:
        gte: 10
---
title: Single failed login
id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
name: failed_login
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID:
            - 529
            - 4625
    condition: selection
---
title: Successful login
id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
description: Detects a successful login
name: successful_login
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID:
            - 528
            - 4624
    condition: selection
)";

TEST(SecurityCorrelation, SpecExampleFailedLoginsThenSuccess) {
    auto rs = compile(k_spec_example);
    ASSERT_EQ(rs->correlations().size(), 2U);
    ASSERT_EQ(rs->detections().size(), 2U);
    const std::string title = "Correlation - Multiple Failed Logins Followed by Successful Login";
    batch_builder b;
    for (int i = 0; i < 10; ++i) {
        b.add("logon failure", {{"EventID", i % 2 == 0 ? "4625" : "529"}, {"User", "alice"}}, i);
    }
    b.add("logon", {{"EventID", "4624"}, {"User", "bob"}}, 20); // another user
    auto fs = run(*rs, b.batch());
    EXPECT_EQ(count_kind(fs, title), 0U);
    EXPECT_EQ(count_kind(fs, "Multiple failed logons"), 0U); // chained: not standalone
    b.add("logon", {{"EventID", "4624"}, {"User", "alice"}}, 30);
    fs = run(*rs, b.batch());
    ASSERT_EQ(count_kind(fs, title), 1U);
    EXPECT_EQ(fs.back().level, "high");
    EXPECT_EQ(fs.back().entities[0], (std::pair<std::string, std::string>{"User", "alice"}));
    EXPECT_GE(fs.back().evidence.size(), 2U);
    // Nine failures are not enough; a success more than 10 minutes later is too late.
    batch_builder nine;
    for (int i = 0; i < 9; ++i) {
        nine.add("f", {{"EventID", "4625"}, {"User", "alice"}}, i);
    }
    nine.add("s", {{"EventID", "4624"}, {"User", "alice"}}, 30);
    EXPECT_EQ(count_kind(run(*rs, nine.batch()), title), 0U);
    batch_builder late;
    for (int i = 0; i < 10; ++i) {
        late.add("f", {{"EventID", "4625"}, {"User", "alice"}}, i);
    }
    late.add("s", {{"EventID", "4624"}, {"User", "alice"}}, 1000);
    EXPECT_EQ(count_kind(run(*rs, late.batch()), title), 0U);
    // Routed by logsource, Windows rules never see Linux events.
    EXPECT_EQ(count_kind(run(*rs, b.batch(), true), title), 0U);
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A stub detection rule named `name` matching events with stub=<name>.
std::string stub(const std::string& name) {
    return "---\ntitle: stub " + name + "\nname: " + name +
           "\nlogsource:\n    product: linux\n"
           "detection:\n    s:\n        stub: " +
           name + "\n    condition: s\n";
}

TEST(SecurityCorrelation, SpecSchemaExamplesLoadAndFire) {
    const std::filesystem::path dir =
        std::filesystem::path(SYSGROK_SHARED_DATA) / "security/sigma-spec/tests/schema/correlation";
    if (!std::filesystem::is_directory(dir)) {
        GTEST_SKIP() << "no " << dir;
    }
    const std::string base_id = "5638f7c0-ac70-491d-8465-2a65075e0d86";
    // event_count: 100 events of the base rule from one computer within 1 h.
    for (const std::string file : {"event_count.yml", "event_count_ecs.yml"}) {
        auto rs = compile(read_file(dir / file) + "\n" + stub(base_id));
        batch_builder b;
        const std::string key = file == "event_count.yml" ? "ComputerName" : "dns.question.name";
        for (int i = 0; i < 100; ++i) {
            b.add("x", {{"stub", base_id}, {key, "pc1"}}, i);
        }
        auto fs = run(*rs, b.batch());
        ASSERT_EQ(count_kind(fs, "Many failed logins"), 1U) << file;
    }
    {
        auto rs = compile(read_file(dir / "value_count.yml") + "\n" + stub(base_id));
        batch_builder b;
        for (int i = 0; i < 100; ++i) {
            b.add("x",
                  {{"stub", base_id},
                   {"ComputerName", "pc1"},
                   {"WorkstationName", "w"},
                   {"User", std::to_string(i) + "u"}},
                  i);
        }
        EXPECT_EQ(count_kind(run(*rs, b.batch()), "Failed login"), 1U);
    }
    for (const std::string file : {"temporal.yml", "temporal_ordered.yml"}) {
        auto rs = compile(read_file(dir / file) + "\n" + stub("recon_cmd_a") + stub("recon_cmd_b") +
                          stub("recon_cmd_c"));
        batch_builder b;
        int t = 0;
        for (const std::string r : {"recon_cmd_a", "recon_cmd_b", "recon_cmd_c"}) {
            b.add("x", {{"stub", r}, {"ComputerName", "pc1"}, {"User", "u"}}, t++);
        }
        EXPECT_EQ(run(*rs, b.batch()).size(), 1U) << file;
    }
    // value_sum / value_avg / value_percentile (v2.1) are listed as unsupported.
    for (const std::string file : {"value_sum.yml", "value_avg.yml", "value_percentile.yml"}) {
        const auto rej = rejections(read_file(dir / file));
        ASSERT_EQ(rej.size(), 1U) << file;
        EXPECT_NE(rej[0].reason.find("not supported"), std::string::npos) << rej[0].reason;
    }
}

} // namespace
} // namespace sysgrok::security::test
