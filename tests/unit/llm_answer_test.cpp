// Answers of the model: JSON parsing, grammars, citation checks.
#include <gtest/gtest.h>

#include "explain/answer.hpp"

using namespace sysgrok::explain;

TEST(llm_answer, parses_explanation_inside_chatter) {
    const auto e = parse_explanation(
        "Sure! {\"summary\": \"DB full\", \"cause\": \"too many clients\", \"impact\": \"logins "
        "fail\", \"next_steps\": [\"raise max_connections\", \"find the leak\"], \"confidence\": "
        "\"HIGH\", \"citations\": [\"T12\", \"L1\"]} hope that helps");
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->summary, "DB full");
    EXPECT_EQ(e->cause, "too many clients");
    ASSERT_EQ(e->next_steps.size(), 2U);
    EXPECT_EQ(e->next_steps[1], "find the leak");
    EXPECT_EQ(e->confidence, "high");
    EXPECT_EQ(e->citations, (std::vector<std::string>{"T12", "L1"}));
}

TEST(llm_answer, rejects_non_json_and_missing_summary) {
    EXPECT_FALSE(parse_explanation("no json here"));
    EXPECT_FALSE(parse_explanation("{\"cause\": \"x\"}"));
    const auto e = parse_explanation("{\"summary\": \"s\", \"confidence\": \"certain\"}");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->confidence, "low"); // unknown levels are not trusted
}

TEST(llm_answer, answers_cut_by_the_token_budget_keep_their_complete_part) {
    EXPECT_EQ(close_truncated_json(R"({"a": "x", "b": "yy)"), R"({"a": "x", "b": "yy"})");
    EXPECT_EQ(close_truncated_json(R"({"a": "x", "b": ["p", "q)"),
              R"({"a": "x", "b": ["p", "q"]})");
    EXPECT_EQ(close_truncated_json(R"({"a": "x", "ke)"), R"({"a": "x"})");
    EXPECT_EQ(close_truncated_json(R"({"a": "x")"), R"({"a": "x"})") << "no dangling escape";
    EXPECT_EQ(close_truncated_json(R"({"a": {"b": "c"}, "d": )"), R"({"a": {"b": "c"}})");
    EXPECT_EQ(close_truncated_json(R"({"a": "}"} tail)"), R"({"a": "}"})");
    const auto e = parse_explanation(
        R"({"summary": "disk full on db1", "cause": "log growth", "impact": "writes fa)");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->summary, "disk full on db1");
    EXPECT_EQ(e->impact, "writes fa");
    EXPECT_TRUE(e->citations.empty());
    EXPECT_FALSE(parse_explanation(R"({"cause": "no summary yet)"));
}

TEST(llm_answer, label_category_must_be_known) {
    const auto ok = parse_label("{\"category\": \"State Change\", \"description\": \"d\"}");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->category, "state change");
    EXPECT_FALSE(parse_label("{\"category\": \"weird\", \"description\": \"d\"}"));
}

TEST(llm_answer, citations_are_checked_against_the_evidence) {
    explanation e;
    e.summary = "T12 spiked while T99 and L7 show nothing";
    e.cause = "see L1";
    e.next_steps = {"check T99"};
    e.citations = {"T12", "[L1]", "T99", "T12", "x"};
    check_citations(e, {"T12", "L1", "T3"});
    EXPECT_EQ(e.citations, (std::vector<std::string>{"T12", "L1"}));
    EXPECT_EQ(e.invalid_citations, (std::vector<std::string>{"T99", "x"}));
    EXPECT_EQ(e.summary,
              "T12 spiked while T99 [not in evidence] and L7 [not in evidence] show nothing");
    EXPECT_EQ(e.cause, "see L1");
    EXPECT_EQ(e.next_steps[0], "check T99 [not in evidence]");
}

TEST(llm_answer, ids_inside_words_and_times_are_not_citations) {
    EXPECT_EQ(mark_invalid_ids("at 2024-01-01T10:00 the LT5 and T1000x", {}),
              "at 2024-01-01T10:00 the LT5 and T1000x");
}

TEST(llm_answer, explanation_grammar_allows_only_evidence_ids) {
    const std::string g = explanation_grammar({"T12", "L1"});
    EXPECT_NE(g.find("cid ::= \"\\\"T12\\\"\" | \"\\\"L1\\\"\""), std::string::npos) << g;
    EXPECT_NE(g.find("root ::="), std::string::npos);
    EXPECT_EQ(g.find("T13"), std::string::npos);
    // Without evidence ids the citations list is forced empty.
    EXPECT_NE(explanation_grammar({}).find("\"[]\""), std::string::npos);
    EXPECT_EQ(explanation_grammar({}).find("cid ::="), std::string::npos);
    const std::string lg = label_grammar();
    for (std::string_view c : k_categories) {
        EXPECT_NE(lg.find("\"" + std::string(c) + "\""), std::string::npos) << c;
    }
}

TEST(llm_answer, question_answer_round_trip) {
    auto a =
        parse_answer("{\"answer\": \"sshd failed 3 times (T4)\", \"citations\": [\"T4\", \"L9\"]}");
    ASSERT_TRUE(a);
    check_citations(*a, {"T4", "L1"});
    EXPECT_EQ(a->citations, (std::vector<std::string>{"T4"}));
    EXPECT_EQ(a->invalid_citations, (std::vector<std::string>{"L9"}));
    EXPECT_FALSE(parse_answer("{\"answer\": \"\"}"));
}
