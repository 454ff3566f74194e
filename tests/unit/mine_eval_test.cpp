// CSV reading, the GA/FGA/PA/FTA evaluator, and accuracy on the Loghub-2k data.
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mine/csv.hpp"
#include "mine/parse_eval.hpp"
#include "mine/template_miner.hpp"

using namespace sysgrok::mine;

namespace {

const std::string k_loghub = std::string(SYSGROK_SHARED_DATA) + "/loghub2k";

bool have_loghub() {
    return std::filesystem::exists(k_loghub + "/fixtures/expected_metrics.csv");
}

double num(const std::string& s) {
    return std::stod(s);
}

const char* const k_systems[] = {"HDFS",    "Hadoop", "Spark",     "Zookeeper",
                                 "BGL",     "HPC",    "Windows",   "Linux",
                                 "Android", "Apache", "Proxifier", "OpenSSH"};

} // namespace

TEST(MineCsv, QuotesCommasAndNewlines) {
    auto t = parse_csv("a,b,c\r\n1,\"x, \"\"y\"\"\",\n\"multi\nline\",2,\"\"\n");
    ASSERT_TRUE(t);
    ASSERT_EQ(t->header, (std::vector<std::string>{"a", "b", "c"}));
    ASSERT_EQ(t->rows.size(), 2U);
    EXPECT_EQ(t->rows[0], (std::vector<std::string>{"1", "x, \"y\"", ""}));
    EXPECT_EQ(t->rows[1], (std::vector<std::string>{"multi\nline", "2", ""}));
    EXPECT_EQ(t->column("c"), 2);
    EXPECT_EQ(t->column("zz"), -1);
    EXPECT_FALSE(parse_csv("a\n\"open"));
    std::string out;
    append_csv_field(out, "plain");
    out.push_back(',');
    append_csv_field(out, "has, comma and \"quote\"");
    EXPECT_EQ(out, "plain,\"has, comma and \"\"quote\"\"\"");
}

TEST(MineEval, HandComputedMetrics) {
    // Truth groups: A (3 msgs), B (2), C (1). Parsed: A exact, B merged with C.
    std::vector<std::string> truth = {"A <*>", "A <*>", "A <*>", "B <*>", "B <*>", "C"};
    std::vector<std::string> parsed = {"A <*>", "A <*>", "A <*>", "<*> <*>", "<*> <*>", "<*> <*>"};
    auto m = evaluate_parse(truth, parsed);
    EXPECT_EQ(m.messages, 6U);
    EXPECT_DOUBLE_EQ(m.ga, 3.0 / 6.0);
    EXPECT_DOUBLE_EQ(m.pga, 1.0 / 2.0);
    EXPECT_DOUBLE_EQ(m.rga, 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(m.fga, 2 * 0.5 * (1.0 / 3) / (0.5 + 1.0 / 3));
    EXPECT_DOUBLE_EQ(m.pa, 3.0 / 6.0);
    EXPECT_DOUBLE_EQ(m.pta, 1.0 / 2.0);
    EXPECT_DOUBLE_EQ(m.rta, 1.0 / 3.0);
    // Empty truth templates are dropped before everything.
    truth.push_back("");
    parsed.push_back("whatever");
    auto m2 = evaluate_parse(truth, parsed);
    EXPECT_EQ(m2.messages, 6U);
    EXPECT_DOUBLE_EQ(m2.ga, m.ga);
}

TEST(MineEval, ReproducesExpectedMetrics) {
    if (!have_loghub()) {
        GTEST_SKIP() << "shared data not found at " << k_loghub;
    }
    auto expected = read_csv_file(k_loghub + "/fixtures/expected_metrics.csv");
    ASSERT_TRUE(expected) << expected.error().to_string();
    const int c_fixture = expected->column("fixture");
    const int c_truth = expected->column("ground_truth");
    int checked = 0;
    for (const auto& row : expected->rows) {
        const std::string& fixture = row[c_fixture];
        const std::string& version = row[c_truth];
        const std::string sys = fixture.substr(fixture.find('/') + 1);
        std::string truth;
        if (version == "original") {
            truth = k_loghub + "/" + sys + "/original/" + sys + "_2k.log_structured.csv";
        } else if (version == "khan2022") {
            truth = k_loghub + "/" + sys + "/khan2022/" + sys + "_2k.log_structured_corrected.csv";
        } else {
            truth = k_loghub + "/" + sys + "/" + sys + "_2k.log_structured_corrected.csv";
        }
        // Drain's output is row-aligned (LineId); DivLog's pairs are matched by message.
        std::string parsed =
            fixture.starts_with("drain_demo/")
                ? k_loghub + "/fixtures/drain_demo/" + sys + "_2k.log_structured.csv"
                : k_loghub + "/fixtures/divlog/2000_" + sys + "_result.csv";
        auto m = evaluate_parse_files({truth, parsed, eval_alignment::automatic});
        ASSERT_TRUE(m) << fixture << ": " << m.error().to_string();
        const double tol = 0.00005;
        EXPECT_NEAR(m->ga, num(row[expected->column("GA")]), tol) << fixture << " " << version;
        EXPECT_NEAR(m->fga, num(row[expected->column("FGA")]), tol) << fixture << " " << version;
        EXPECT_NEAR(m->pa, num(row[expected->column("PA")]), tol) << fixture << " " << version;
        EXPECT_NEAR(m->fta, num(row[expected->column("FTA_loghub2")]), tol) << fixture;
        EXPECT_NEAR(m->pta, num(row[expected->column("PTA_loghub2")]), tol) << fixture;
        EXPECT_NEAR(m->rta, num(row[expected->column("RTA_loghub2")]), tol) << fixture;
        EXPECT_NEAR(m->fta_strict, num(row[expected->column("FTA_strict")]), tol) << fixture;
        EXPECT_NEAR(m->pta_strict, num(row[expected->column("PTA_strict")]), tol) << fixture;
        EXPECT_NEAR(m->rta_strict, num(row[expected->column("RTA_strict")]), tol) << fixture;
        ++checked;
    }
    EXPECT_GE(checked, 15);
}

// The default configuration on the 12 Loghub-2k systems (Loghub-2.0 corrected labels),
// mining the Content column. Guards against accuracy regressions; the bar of issue 3.
TEST(MineEval, LoghubAccuracyBar) {
    if (!have_loghub()) {
        GTEST_SKIP() << "shared data not found at " << k_loghub;
    }
    double ga = 0;
    double fga = 0;
    double pa = 0;
    double fta = 0;
    int n = 0;
    for (const char* sys : k_systems) {
        auto t =
            read_csv_file(k_loghub + "/" + sys + "/" + sys + "_2k.log_structured_corrected.csv");
        ASSERT_TRUE(t) << t.error().to_string();
        const int c_content = t->column("Content");
        const int c_template = t->column("EventTemplate");
        template_miner miner;
        std::vector<uint32_t> ids;
        for (const auto& row : t->rows) {
            ids.push_back(miner.add(row[c_content]).template_id);
        }
        std::vector<std::string> truth;
        std::vector<std::string> parsed;
        for (size_t i = 0; i < ids.size(); ++i) {
            truth.push_back(t->rows[i][c_template]);
            parsed.emplace_back(miner.template_text(ids[i]));
        }
        auto m = evaluate_parse(truth, parsed);
        ga += m.ga;
        fga += m.fga;
        pa += m.pa;
        fta += m.fta;
        ++n;
    }
    EXPECT_GE(ga / n, 0.90);
    EXPECT_GE(fga / n, 0.80);
    EXPECT_GE(pa / n, 0.65);
    EXPECT_GE(fta / n, 0.60);
}
