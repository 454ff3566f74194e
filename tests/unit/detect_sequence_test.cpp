// Session anomaly detection: the session reader and the sequence model on a synthetic
// workflow (and, when ../shared is present, a smoke check on the HDFS sessions).
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "detect/sequence_model.hpp"
#include "detect/session_reader.hpp"

using namespace sysgrok::detect;

namespace {

using seq = std::vector<uint32_t>;

/// A normal "job": open (1), allocate (2), three workers each doing start (3) and end (4)
/// interleaved at random, an optional retry pair (7 8) that happens in about 1 in 10 jobs,
/// a commit per worker (5), close (6).
seq normal_session(std::mt19937& rng) {
    seq s{1, 2};
    std::vector<uint32_t> pending;
    int started = 0;
    int ended = 0;
    while (ended < 3) {
        const bool can_start = started < 3;
        const bool can_end = ended < started;
        if (can_start && (!can_end || rng() % 2 == 0)) {
            s.push_back(3);
            ++started;
        } else {
            s.push_back(4);
            ++ended;
        }
    }
    if (rng() % 10 == 0) {
        s.push_back(7);
        s.push_back(8);
    }
    s.insert(s.end(), {5, 5, 5, 6});
    return s;
}

std::vector<seq> normal_sessions(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<seq> out;
    for (size_t i = 0; i < n; ++i) {
        out.push_back(normal_session(rng));
    }
    return out;
}

sequence_model trained_model() {
    sequence_model m;
    EXPECT_TRUE(m.train(normal_sessions(2000, 1)));
    return m;
}

double max_normal_score(const sequence_model& m) {
    double worst = 0;
    for (const auto& s : normal_sessions(1000, 2)) {
        worst = std::max(worst, m.score(s).score);
    }
    return worst;
}

} // namespace

TEST(DetectReader, PlainSessions) {
    auto r = parse_sessions("5 5 22 11 9 \n\n22  5\t26\n7", "t.txt");
    ASSERT_TRUE(r) << r.error().to_string();
    ASSERT_EQ(r->size(), 3U);
    EXPECT_EQ((*r)[0].events, (seq{5, 5, 22, 11, 9}));
    EXPECT_EQ((*r)[0].line, 1U);
    EXPECT_EQ((*r)[1].events, (seq{22, 5, 26}));
    EXPECT_EQ((*r)[1].line, 3U);
    EXPECT_EQ((*r)[2].events, (seq{7}));
    EXPECT_EQ(detect_session_format("5 5 22\n"), session_format::plain);
}

TEST(DetectReader, CsvSessions) {
    const std::string text = "Sequence,label\r\n"
                             "5 5 22 11,0\r\n"
                             "\"5,22,E11\",1\n"
                             "\"[5, 26]\",0\n"
                             ",0\n";
    EXPECT_EQ(detect_session_format(text), session_format::csv);
    auto r = parse_sessions(text, "t.csv");
    ASSERT_TRUE(r) << r.error().to_string();
    ASSERT_EQ(r->size(), 4U);
    EXPECT_EQ((*r)[0].events, (seq{5, 5, 22, 11}));
    EXPECT_EQ((*r)[1].events, (seq{5, 22, 11}));
    EXPECT_EQ((*r)[2].events, (seq{5, 26}));
    EXPECT_TRUE((*r)[3].events.empty());
    EXPECT_EQ((*r)[3].line, 5U);
}

TEST(DetectReader, MalformedLinesNameFileAndLine) {
    auto bad_plain = parse_sessions("5 5 22\n5 x7 22\n", "train.txt");
    ASSERT_FALSE(bad_plain);
    EXPECT_EQ(bad_plain.error().path, "train.txt");
    EXPECT_EQ(bad_plain.error().line, 2U);
    EXPECT_NE(bad_plain.error().to_string().find("train.txt:2:"), std::string::npos);

    auto bad_csv = parse_sessions("Sequence,label\n5 22,0\n\"5 22,1\n", "s.csv");
    ASSERT_FALSE(bad_csv);
    EXPECT_EQ(bad_csv.error().line, 3U);

    auto no_comma = parse_sessions("Sequence,label\n5 22 0\n", "s.csv");
    ASSERT_FALSE(no_comma);
    EXPECT_EQ(no_comma.error().line, 2U);

    auto too_big = parse_sessions("99999999999\n", "big.txt");
    ASSERT_FALSE(too_big);
    EXPECT_EQ(too_big.error().line, 1U);

    EXPECT_FALSE(read_sessions("/nonexistent/sessions.txt"));
}

TEST(DetectModel, NoTrainingDataIsAnError) {
    sequence_model m;
    EXPECT_FALSE(m.train({}));
}

TEST(DetectModel, NormalSessionsAreNotFlagged) {
    const auto m = trained_model();
    size_t flagged = 0;
    const auto test = normal_sessions(1000, 3);
    for (const auto& s : test) {
        flagged += m.score(s).anomalous ? 1 : 0;
    }
    EXPECT_LE(flagged, 5U); // at most 0.5 % false alarms on fresh normal sessions
}

TEST(DetectModel, AnomaliesScoreAboveEveryNormal) {
    const auto m = trained_model();
    const double worst_normal = max_normal_score(m);
    const std::vector<std::pair<const char*, seq>> anomalies = {
        {"missing end of one worker", {1, 2, 3, 3, 4, 3, 4, 5, 5, 5, 6}},
        {"missing close", {1, 2, 3, 4, 3, 4, 3, 4, 5, 5, 5}},
        {"stopped after allocate", {1, 2}},
        {"extra commit", {1, 2, 3, 4, 3, 4, 3, 4, 5, 5, 5, 5, 6}},
        {"unknown event", {1, 2, 3, 4, 3, 4, 3, 4, 99, 5, 5, 5, 6}},
        {"reordered: close before commits", {1, 2, 3, 4, 3, 4, 3, 4, 6, 5, 5, 5}},
        {"reordered: allocate after the work", {1, 3, 4, 3, 4, 3, 4, 2, 5, 5, 5, 6}},
    };
    for (const auto& [what, s] : anomalies) {
        const auto r = m.score(s);
        EXPECT_TRUE(r.anomalous) << what << " score " << r.score;
        EXPECT_GT(r.score, worst_normal) << what;
    }
}

TEST(DetectModel, InvariantsAreLearned) {
    const auto m = trained_model();
    // e.g. count(3) == count(4), count(4) == count(5), 3 * count(1) == count(5).
    EXPECT_GE(m.invariant_count(), 3U);
    EXPECT_GT(m.count_threshold(), 1.0);
    EXPECT_GT(m.order_threshold(), 1.0);
}

TEST(DetectModel, HdfsSmoke) {
    const std::string dir = std::string(SYSGROK_SHARED_DATA) + "/anomaly/HDFS/deeplog";
    if (!std::filesystem::exists(dir + "/hdfs_train")) {
        GTEST_SKIP() << "no ../shared/data/anomaly/HDFS";
    }
    auto train = read_sessions(dir + "/hdfs_train");
    ASSERT_TRUE(train) << train.error().to_string();
    auto abnormal = read_sessions(dir + "/hdfs_test_abnormal");
    ASSERT_TRUE(abnormal) << abnormal.error().to_string();
    std::vector<seq> normal;
    for (size_t i = 0; i < train->size(); ++i) {
        if (i % 5 != 0) {
            normal.push_back((*train)[i].events);
        }
    }
    sequence_model m;
    ASSERT_TRUE(m.train(normal));
    size_t fp = 0;
    size_t held = 0;
    for (size_t i = 0; i < train->size(); i += 5) {
        fp += m.score((*train)[i].events).anomalous ? 1 : 0;
        ++held;
    }
    size_t tp = 0;
    for (const auto& s : *abnormal) {
        tp += m.score(s.events).anomalous ? 1 : 0;
    }
    EXPECT_LE(fp, held / 100);                  // under 1 % false alarms
    EXPECT_GE(tp * 100, abnormal->size() * 95); // recall over 95 %
}
