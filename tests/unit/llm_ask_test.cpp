// `sysgrok ask`: retrieval over per-template digests and the evidence it builds.
#include <gtest/gtest.h>

#include "explain/ask.hpp"
#include "llm_test_util.hpp"

using namespace sysgrok;
using namespace sysgrok::explain;

namespace {

event make_event(std::string_view raw, severity sev, uint64_t line) {
    event e;
    e.raw = raw;
    e.message = raw;
    e.sev = sev;
    e.line = line;
    e.ts_ns = static_cast<int64_t>(line) * 1000000000LL;
    return e;
}

/// Three templates: routine cron runs (many), sshd failures (some), a disk error (one).
log_digest sample_digest(mine::template_miner& miner) {
    log_digest d;
    const std::vector<std::pair<std::string, severity>> lines = {
        {"cron: job backup started", severity::info},
        {"sshd: Failed password for root from 10.0.0.9", severity::none},
        {"cron: job backup started", severity::info},
        {"kernel: I/O error on device sdb", severity::error},
        {"sshd: Failed password for admin from 10.0.0.9", severity::none},
        {"cron: job rotate started", severity::info},
    };
    uint64_t n = 0;
    for (const auto& [text, sev] : lines) {
        const auto m = miner.add(text);
        d.add(make_event(text, sev, ++n), m.template_id, "x.log");
    }
    d.finish(miner);
    return d;
}

} // namespace

TEST(llm_ask, retrieval_follows_the_question_words) {
    mine::template_miner miner;
    const auto d = sample_digest(miner);
    ASSERT_EQ(d.events(), 6U);
    const auto ssh = retrieve("who failed the ssh password logins?", d, 1);
    ASSERT_EQ(ssh.size(), 1U);
    EXPECT_NE(d.templates()[ssh[0]].text.find("Failed password"), std::string::npos);
    const auto disk = retrieve("any disk errors?", d, 1);
    EXPECT_NE(d.templates()[disk[0]].text.find("I/O error"), std::string::npos);
    // A question about failures without matching words prefers problem templates.
    const auto bad = retrieve("what went wrong?", d, 1);
    EXPECT_EQ(d.templates()[bad[0]].problems, 1U);
}

TEST(llm_ask, evidence_cites_templates_and_example_lines) {
    mine::template_miner miner;
    const auto d = sample_digest(miner);
    const auto chosen = retrieve("password failures", d, 2);
    const auto ev = question_evidence(d, chosen);
    ASSERT_EQ(ev.templates.size(), 2U);
    EXPECT_EQ(ev.templates[0].id, template_cite_id(d.templates()[chosen[0]].id));
    ASSERT_FALSE(ev.lines.empty());
    EXPECT_EQ(ev.lines[0].id, "L1");
    EXPECT_EQ(ev.lines[0].where.rfind("x.log:", 0), 0U);
    EXPECT_NE(ev.title.find("6 events"), std::string::npos);
}

TEST(llm_ask, answer_is_checked_and_restored) {
    mine::template_miner miner;
    const auto d = sample_digest(miner);
    const auto ev = question_evidence(d, retrieve("password failures", d, 2));
    const std::string t = ev.templates[0].id;
    llm_test::scripted_backend b({"{\"answer\": \"<IP_1> tried root and admin (" + t +
                                  ")\", \"citations\": [\"" + t + "\", \"T999\"]}"});
    auto red = redactor::create({});
    ASSERT_TRUE(red);
    session s(b, red->get(), nullptr);
    const auto a = answer_question(s, "who failed to log in from 10.0.0.9?", ev);
    ASSERT_TRUE(a.ok()) << a.error;
    EXPECT_EQ(a.answer.rfind("10.0.0.9 tried", 0), 0U) << a.answer;
    EXPECT_EQ(a.citations, (std::vector<std::string>{t}));
    EXPECT_EQ(a.invalid_citations, (std::vector<std::string>{"T999"}));
    EXPECT_EQ(b.prompts.at(0).back().content.find("10.0.0.9"), std::string::npos);
}
