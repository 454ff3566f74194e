// Explanations through a session: redaction, citation checks, failures as values.
#include <gtest/gtest.h>

#include "explain/explain.hpp"
#include "llm_test_util.hpp"

using namespace sysgrok;
using namespace sysgrok::explain;

namespace {
evidence sample_evidence() {
    evidence ev;
    ev.title = "Incident (high); hosts: db1";
    ev.facts = {"spike of T7: 90 events (usual 1)"};
    ev.templates = {{"T7", 7, "connection from <*> refused", 90, 1}};
    ev.lines = {{"L1", "a.log:3", "connection from 192.168.1.20 refused"}};
    return ev;
}
} // namespace

TEST(llm_explain, redacts_prompt_restores_answer_and_checks_citations) {
    llm_test::scripted_backend b(
        {"{\"summary\": \"<IP_1> is refused\", \"cause\": \"firewall\", \"impact\": \"clients "
         "fail\", \"next_steps\": [\"check T7\"], \"confidence\": \"medium\", \"citations\": "
         "[\"T7\", \"L4\"]}"});
    auto red = redactor::create({});
    ASSERT_TRUE(red);
    session s(b, red->get(), nullptr);
    const auto e = explain_evidence(s, sample_evidence());
    ASSERT_TRUE(e.ok()) << e.error;
    const std::string& prompt = b.prompts.at(0).at(1).content;
    EXPECT_EQ(prompt.find("192.168.1.20"), std::string::npos) << prompt;
    EXPECT_NE(prompt.find("<IP_1>"), std::string::npos);
    EXPECT_EQ(e.summary, "192.168.1.20 is refused");
    EXPECT_EQ(e.citations, (std::vector<std::string>{"T7"}));
    EXPECT_EQ(e.invalid_citations, (std::vector<std::string>{"L4"}));
    EXPECT_EQ(e.model, "scripted");
    EXPECT_NE(b.grammars[0].find("\\\"L1\\\""), std::string::npos);
    EXPECT_EQ(s.stats().calls, 1U);
    EXPECT_EQ(s.stats().prompt_tokens, 100U);
}

TEST(llm_explain, failures_become_explanations_with_an_error) {
    llm_test::scripted_backend b({"garbage"});
    session s(b, nullptr, nullptr);
    const auto bad = explain_evidence(s, sample_evidence());
    EXPECT_FALSE(bad.ok());
    const auto none = explain_evidence(s, sample_evidence()); // backend error
    EXPECT_FALSE(none.ok());
    EXPECT_NE(none.error.find("no scripted answer"), std::string::npos);
    EXPECT_EQ(s.stats().failures, 2U);
    EXPECT_NE(explanation_json(none).find("\"error\""), std::string::npos);
}

TEST(llm_explain, tiny_context_is_reported_not_overflowed) {
    llm_test::scripted_backend b({}, 300);
    session s(b, nullptr, nullptr);
    const auto e = explain_evidence(s, sample_evidence());
    EXPECT_FALSE(e.ok());
    EXPECT_NE(e.error.find("context"), std::string::npos);
    EXPECT_TRUE(b.prompts.empty()) << "no call when the prompt cannot fit";
}
