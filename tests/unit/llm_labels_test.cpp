// Template labels: one model call per distinct template, cached across runs.
#include <filesystem>

#include <gtest/gtest.h>

#include "explain/explain.hpp"
#include "explain/label_cache.hpp"
#include "llm_test_util.hpp"

using namespace sysgrok;
using namespace sysgrok::explain;

TEST(llm_labels, labels_once_then_from_the_cache_file) {
    const auto dir = std::filesystem::temp_directory_path() / "sysgrok_llm_labels_test";
    std::filesystem::remove_all(dir);
    const std::string path = (dir / "labels.json").string();
    const std::vector<template_ref> ts = {{1, "Failed password for <*> from <*>", ""},
                                          {2, "Started session <*>", ""},
                                          {3, "Failed password for <*> from <*>", ""}};
    {
        llm_test::scripted_backend b(
            {"{\"category\": \"security\", \"description\": \"login failed\"}",
             "{\"category\": \"routine\", \"description\": \"session\"}"});
        session s(b, nullptr, nullptr);
        auto store = json_label_store::open(path);
        ASSERT_TRUE(store);
        const auto labels = label_templates(s, ts, **store);
        ASSERT_EQ(labels.size(), 3U);
        EXPECT_EQ(labels[0].category, "security");
        EXPECT_EQ(labels[1].category, "routine");
        EXPECT_EQ(labels[2].category, "security"); // same text: cached within the run
        EXPECT_EQ(s.stats().calls, 2U);
        EXPECT_EQ(s.stats().cache_hits, 1U);
        EXPECT_NE(b.grammars[0].find("state change"), std::string::npos);
        ASSERT_TRUE((*store)->flush());
    }
    {
        llm_test::scripted_backend b({}); // any call would fail
        session s(b, nullptr, nullptr);
        auto store = json_label_store::open(path);
        ASSERT_TRUE(store);
        const auto labels = label_templates(s, ts, **store);
        EXPECT_EQ(s.stats().calls, 0U) << "second run makes no label calls";
        EXPECT_EQ(s.stats().cache_hits, 3U);
        EXPECT_EQ(labels[1].description, "session");
    }
    std::filesystem::remove_all(dir);
}

TEST(llm_labels, failures_are_reported_not_cached) {
    llm_test::scripted_backend b({"not json", "{\"category\": \"error\", \"description\": \"x\"}"});
    session s(b, nullptr, nullptr);
    memory_label_store store;
    const std::vector<template_ref> ts = {{1, "disk <*> failed", ""}};
    auto first = label_templates(s, ts, store);
    EXPECT_EQ(first[0].category, "");
    EXPECT_EQ(s.stats().failures, 1U);
    EXPECT_EQ(store.size(), 0U);
    auto second = label_templates(s, ts, store);
    EXPECT_EQ(second[0].category, "error");
}

TEST(llm_labels, corrupt_cache_file_is_an_error_with_a_hint) {
    const auto p = std::filesystem::temp_directory_path() / "sysgrok_llm_bad_labels.json";
    {
        std::FILE* f = std::fopen(p.c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fputs("{not json", f);
        std::fclose(f);
    }
    auto store = json_label_store::open(p.string());
    ASSERT_FALSE(store);
    EXPECT_FALSE(store.error().hint.empty());
    std::filesystem::remove(p);
}

TEST(llm_labels, category_is_chosen_by_calibrated_likelihood) {
    llm_test::scripted_backend b(
        {"{\"category\": \"security\", \"description\": \"someone probed\"}"});
    // Order of k_categories: error, security, performance, state change, routine.
    b.scores.push_back({-1.0, -6.0, -6.0, -6.0, -0.2}); // the empty template (prior)
    b.scores.push_back({-1.5, -2.0, -6.0, -6.0, -1.0}); // the template: raw best is routine
    session s(b, nullptr, nullptr);
    memory_label_store store;
    const std::vector<template_ref> ts = {{1, "probe of port <*> from <*>", ""}};
    const auto labels = label_templates(s, ts, store);
    ASSERT_EQ(b.scored.size(), 2U);
    EXPECT_EQ(b.scored[0], "Template: <*>");
    // Relative to the prior, security gains most: the grammar fixes it.
    ASSERT_EQ(b.grammars.size(), 1U);
    EXPECT_NE(b.grammars[0].find("cat ::= \"security\"\n"), std::string::npos) << b.grammars[0];
    EXPECT_EQ(labels[0].category, "security");
}
