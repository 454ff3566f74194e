// Evidence of incidents and the context budget.
#include <gtest/gtest.h>

#include "explain/evidence.hpp"

using namespace sysgrok;
using namespace sysgrok::explain;

namespace {

detect::incident big_incident(size_t findings) {
    detect::incident inc;
    inc.level = detect::alert_level::high;
    inc.hosts = {"web1"};
    inc.services = {"nginx"};
    for (size_t i = 0; i < findings; ++i) {
        detect::finding f;
        f.kind = detect::finding_kind::spike;
        f.template_ids = {static_cast<uint32_t>(i + 1)};
        f.count = 100 + i;
        f.expected = 2;
        f.service = "nginx";
        f.examples.push_back({0, 10 + i, k_no_time,
                              "upstream timed out while reading response header " +
                                  std::string(200, 'x') + std::to_string(i)});
        inc.findings.push_back(f);
        inc.template_ids.push_back(static_cast<uint32_t>(i + 1));
    }
    return inc;
}

int tokens(const std::string& s) {
    return static_cast<int>(s.size() / 4 + 1);
}

} // namespace

TEST(llm_evidence, incident_evidence_names_templates_lines_and_counts) {
    const auto ev = incident_evidence(
        big_incident(2), [](uint32_t id) { return "tmpl " + std::to_string(id) + " <*>"; },
        {"/var/log/nginx/error.log"});
    ASSERT_EQ(ev.templates.size(), 2U);
    EXPECT_EQ(ev.templates[0].id, "T1");
    EXPECT_EQ(ev.templates[0].count, 100U);
    ASSERT_EQ(ev.lines.size(), 2U);
    EXPECT_EQ(ev.lines[1].id, "L2");
    EXPECT_EQ(ev.lines[1].where, "/var/log/nginx/error.log:11");
    EXPECT_NE(ev.facts[0].find("T1"), std::string::npos) << ev.facts[0];
    EXPECT_NE(ev.title.find("web1"), std::string::npos);
    const auto r = render_evidence(ev, 10000, &tokens);
    EXPECT_EQ(r.stage, 0);
    EXPECT_EQ(r.ids, (std::vector<std::string>{"T1", "T2", "L1", "L2"}));
    EXPECT_NE(r.text.find("T1 [100 events, usual 2]: tmpl 1 <*>"), std::string::npos) << r.text;
}

TEST(llm_evidence, always_fits_the_budget_and_cites_only_what_is_shown) {
    const auto ev = incident_evidence(
        big_incident(30), [](uint32_t id) { return "template number " + std::to_string(id); },
        {"a.log"});
    int last_stage = -1;
    for (int budget : {5000, 700, 400, 200, 120, 60}) {
        const auto r = render_evidence(ev, budget, &tokens);
        EXPECT_LE(r.tokens, budget) << "budget " << budget;
        EXPECT_GE(r.stage, last_stage) << "smaller budgets never show more";
        last_stage = r.stage;
        for (const auto& id : r.ids) {
            EXPECT_NE(r.text.find(id), std::string::npos) << id << " cited but not shown";
        }
    }
    EXPECT_GT(last_stage, 0);
}
