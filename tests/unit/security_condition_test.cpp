// Sigma condition grammar: identifiers, and/or/not, parentheses, `x of`, precedence.
#include <gtest/gtest.h>

#include "security/condition.hpp"
#include "security_test_util.hpp"

namespace sysgrok::security::test {
namespace {

/// Evaluates `cond` with the identifiers in `idents`, the true ones in `truth`.
bool eval(const std::string& cond,
          const std::vector<std::string>& idents,
          const std::vector<std::string>& truth) {
    auto n = parse_condition(cond, idents);
    EXPECT_TRUE(n.has_value()) << cond << ": " << (n ? "" : n.error().message);
    if (!n) {
        return false;
    }
    auto sel = [&](uint32_t i) {
        return std::find(truth.begin(), truth.end(), idents[i]) != truth.end();
    };
    return eval_condition(*n, sel);
}

const std::vector<std::string> k_ids = {"sel_a", "sel_b", "filter", "_hidden"};

TEST(SecurityCondition, SingleIdentifier) {
    EXPECT_TRUE(eval("sel_a", k_ids, {"sel_a"}));
    EXPECT_FALSE(eval("sel_a", k_ids, {"sel_b"}));
}

TEST(SecurityCondition, AndOrNot) {
    EXPECT_TRUE(eval("sel_a and sel_b", k_ids, {"sel_a", "sel_b"}));
    EXPECT_FALSE(eval("sel_a and sel_b", k_ids, {"sel_a"}));
    EXPECT_TRUE(eval("sel_a or sel_b", k_ids, {"sel_b"}));
    EXPECT_TRUE(eval("sel_a and not filter", k_ids, {"sel_a"}));
    EXPECT_FALSE(eval("sel_a and not filter", k_ids, {"sel_a", "filter"}));
    EXPECT_TRUE(eval("not not sel_a", k_ids, {"sel_a"}));
    EXPECT_TRUE(eval("SEL_A AND NOT filter", {"SEL_A", "filter"}, {"SEL_A"}));
}

TEST(SecurityCondition, Precedence) {
    // and binds tighter than or: a or (b and filter)
    EXPECT_TRUE(eval("sel_a or sel_b and filter", k_ids, {"sel_a"}));
    EXPECT_FALSE(eval("sel_a or sel_b and filter", k_ids, {"sel_b"}));
    // not binds tighter than and: (not a) and b
    EXPECT_TRUE(eval("not sel_a and sel_b", k_ids, {"sel_b"}));
    EXPECT_FALSE(eval("not sel_a and sel_b", k_ids, {"sel_a", "sel_b"}));
}

TEST(SecurityCondition, Parentheses) {
    EXPECT_FALSE(eval("(sel_a or sel_b) and filter", k_ids, {"sel_a"}));
    EXPECT_TRUE(eval("(sel_a or sel_b) and filter", k_ids, {"sel_b", "filter"}));
    EXPECT_TRUE(eval("not (sel_a and sel_b)", k_ids, {"sel_a"}));
    EXPECT_TRUE(eval("((sel_a))", k_ids, {"sel_a"}));
}

TEST(SecurityCondition, OneOfAndAllOf) {
    EXPECT_TRUE(eval("1 of sel_*", k_ids, {"sel_b"}));
    EXPECT_FALSE(eval("1 of sel_*", k_ids, {"filter"}));
    EXPECT_TRUE(eval("all of sel_*", k_ids, {"sel_a", "sel_b"}));
    EXPECT_FALSE(eval("all of sel_*", k_ids, {"sel_a"}));
    EXPECT_TRUE(eval("any of sel_*", k_ids, {"sel_a"}));
    EXPECT_TRUE(eval("1 of sel_* and not filter", k_ids, {"sel_a"}));
    EXPECT_FALSE(eval("1 of sel_* and not filter", k_ids, {"sel_a", "filter"}));
}

TEST(SecurityCondition, ThemSkipsUnderscoreIdentifiers) {
    EXPECT_TRUE(eval("1 of them", k_ids, {"filter"}));
    EXPECT_FALSE(eval("1 of them", k_ids, {"_hidden"}));
    EXPECT_TRUE(eval("all of them", k_ids, {"sel_a", "sel_b", "filter"}));
    EXPECT_FALSE(eval("all of them", k_ids, {"sel_a", "sel_b", "_hidden"}));
    EXPECT_TRUE(eval("all of them and _hidden", k_ids, {"sel_a", "sel_b", "filter", "_hidden"}));
}

TEST(SecurityCondition, Errors) {
    EXPECT_FALSE(parse_condition("sel_c", k_ids));
    EXPECT_FALSE(parse_condition("sel_a and", k_ids));
    EXPECT_FALSE(parse_condition("(sel_a", k_ids));
    EXPECT_FALSE(parse_condition("sel_a sel_b", k_ids));
    EXPECT_FALSE(parse_condition("1 of nomatch*", k_ids));
    auto agg = parse_condition("sel_a | count() by src > 3", k_ids);
    ASSERT_FALSE(agg);
    EXPECT_NE(agg.error().message.find("aggregation"), std::string::npos);
    EXPECT_FALSE(parse_condition("sel_a near sel_b", k_ids));
}

TEST(SecurityCondition, ConditionListIsOr) {
    const std::string d = "    a:\n        f: '1'\n    b:\n        f: '2'\n"
                          "    condition:\n        - a\n        - b\n";
    EXPECT_TRUE(matches(d, "x", {{"f", "2"}}));
    EXPECT_FALSE(matches(d, "x", {{"f", "3"}}));
}

TEST(SecurityCondition, MapIsAndListOfMapsIsOr) {
    const std::string map_and = "    s:\n        a: '1'\n        b: '2'\n    condition: s\n";
    EXPECT_TRUE(matches(map_and, "x", {{"a", "1"}, {"b", "2"}}));
    EXPECT_FALSE(matches(map_and, "x", {{"a", "1"}, {"b", "3"}}));
    const std::string list_or = "    s:\n        - a: '1'\n        - b: '2'\n    condition: s\n";
    EXPECT_TRUE(matches(list_or, "x", {{"a", "9"}, {"b", "2"}}));
    EXPECT_FALSE(matches(list_or, "x", {{"a", "9"}, {"b", "9"}}));
}

TEST(SecurityCondition, FullRuleWithEveryForm) {
    const std::string d =
        "    sel_1:\n        f|contains: 'a'\n    sel_2:\n        f|contains: 'b'\n"
        "    filter_x:\n        f|contains: 'x'\n    _skip:\n        f: 'zzz'\n"
        "    condition: (1 of sel_* and not 1 of filter_*) or (all of them and "
        "not _skip)\n";
    EXPECT_TRUE(matches(d, "x", {{"f", "a"}}));
    EXPECT_FALSE(matches(d, "x", {{"f", "ax"}}));
    EXPECT_TRUE(matches(d, "x", {{"f", "abx"}}));
    EXPECT_FALSE(matches(d, "x", {{"f", "c"}}));
}

} // namespace
} // namespace sysgrok::security::test
