#include <gtest/gtest.h>

#include "core/time.hpp"
#include "parse/timestamp.hpp"

namespace sysgrok::parse {
namespace {

constexpr int64_t k_s = 1000000000;

int64_t
utc(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s, uint32_t ns = 0) {
    return to_epoch_ns(y, mo, d, h, mi, s, ns);
}

/// Finds a timestamp in `text` and resolves it with a fresh state (reference 2024-06-01).
int64_t resolve(std::string_view text, int32_t* offset = nullptr, parse_state* state = nullptr) {
    parse_state local;
    local.reference_ns = utc(2024, 6, 1, 0, 0, 0);
    parse_state& st = state != nullptr ? *state : local;
    const auto m = find_timestamp(text);
    if (!m) {
        return k_no_time;
    }
    int32_t off = 0;
    const int64_t ts = resolve_timestamp(m->parts, st, off);
    if (offset != nullptr) {
        *offset = off;
    }
    return ts;
}

TEST(ParseTimestamp, Iso8601Forms) {
    int32_t off = 0;
    EXPECT_EQ(resolve("2024-01-05T10:00:00Z msg", &off), utc(2024, 1, 5, 10, 0, 0));
    EXPECT_EQ(off, 0);
    EXPECT_EQ(resolve("2024-01-05T10:00:00.123456+01:00 host prog[1]: x", &off),
              utc(2024, 1, 5, 9, 0, 0, 123456000));
    EXPECT_EQ(off, 3600);
    EXPECT_EQ(resolve("2024-01-05 10:00:00,978 INFO x", &off),
              utc(2024, 1, 5, 10, 0, 0, 978000000));
    EXPECT_EQ(off, k_no_offset);
    EXPECT_EQ(resolve("2024-01-05T10:00:00-0530 x", &off), utc(2024, 1, 5, 15, 30, 0));
    EXPECT_EQ(off, -19800);
    EXPECT_EQ(resolve("2016-10-06T00:17:09.669794202Z stdout F x"),
              utc(2016, 10, 6, 0, 17, 9, 669794202));
}

TEST(ParseTimestamp, LogFrameworkForms) {
    EXPECT_EQ(resolve("2009/11/10 23:00:00 Go log"), utc(2009, 11, 10, 23, 0, 0));
    EXPECT_EQ(resolve("081109 203615 148 INFO dfs.DataNode: x"), utc(2008, 11, 9, 20, 36, 15));
    EXPECT_EQ(resolve("17/06/09 20:10:40 INFO spark: x"), utc(2017, 6, 9, 20, 10, 40));
    EXPECT_EQ(resolve("- 1117838570 2005.06.03 R02 RAS KERNEL INFO x"),
              utc(2005, 6, 3, 22, 42, 50));
    EXPECT_EQ(resolve("2005-06-03-15.42.50.675872 R02-M1"), utc(2005, 6, 3, 15, 42, 50, 675872000));
    EXPECT_EQ(resolve("[Sun Dec 04 04:47:44 2005] [notice] x"), utc(2005, 12, 4, 4, 47, 44));
    EXPECT_EQ(resolve("[10/Oct/2000:13:55:36 -0700] \"GET /\""), utc(2000, 10, 10, 20, 55, 36));
    EXPECT_EQ(resolve("134681 node-246 unix.hw state_change.unavailable 1077804742 1 x"),
              int64_t{1077804742} * k_s);
    EXPECT_EQ(resolve("ts 1700000000123 x"), int64_t{1700000000123} * 1000000);
    EXPECT_EQ(resolve("Sun, 04 Dec 2005 04:47:44 +0000 x"), utc(2005, 12, 4, 4, 47, 44));
    EXPECT_EQ(resolve("type=USER_LOGIN msg=audit(1373330716.415:4063): x"),
              int64_t{1373330716415} * 1000000);
}

TEST(ParseTimestamp, YearlessForms) {
    // Reference 2024-06-01: March is before it, so 2024.
    EXPECT_EQ(resolve("03-17 16:13:38.811  1702  2395 D WindowManager: x"),
              utc(2024, 3, 17, 16, 13, 38, 811000000));
    EXPECT_EQ(resolve("[10.30 16:49:06] chrome.exe - x"), utc(2023, 10, 30, 16, 49, 6));
    EXPECT_EQ(resolve("Jun  4 15:16:01 combo sshd[1]: x"), utc(2024, 6, 4, 15, 16, 1));
    EXPECT_EQ(resolve("I0312 10:00:00.123456   123 file.go:12] msg"),
              utc(2024, 3, 12, 10, 0, 0, 123456000));
    const auto m = find_timestamp("I0312 10:00:00.123456   123 file.go:12] msg");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->level_letter, 'I');
    EXPECT_EQ(m->form, timestamp_form::klog);
}

TEST(ParseTimestamp, YearInferenceAcrossNewYear) {
    parse_state st;
    st.reference_ns = utc(2024, 1, 2, 12, 0, 0);
    // December lines written before a January mtime belong to the previous year.
    EXPECT_EQ(resolve("Dec 31 23:59:59 h p: x", nullptr, &st), utc(2023, 12, 31, 23, 59, 59));
    EXPECT_EQ(resolve("Jan  1 00:00:01 h p: x", nullptr, &st), utc(2024, 1, 1, 0, 0, 1));
    EXPECT_EQ(st.inferred_year, 2024);
    // At most about a month in the future: Feb 10 with a Jan 2 reference is still 2024.
    parse_state st2;
    st2.reference_ns = utc(2024, 1, 2, 12, 0, 0);
    EXPECT_EQ(resolve("Jan 20 10:00:00 h p: x", nullptr, &st2), utc(2024, 1, 20, 10, 0, 0));
    // options.year overrides the inference.
    parse_state st3;
    st3.reference_ns = utc(2024, 1, 2, 12, 0, 0);
    st3.options.year = 2019;
    EXPECT_EQ(resolve("Dec 31 23:59:59 h p: x", nullptr, &st3), utc(2019, 12, 31, 23, 59, 59));
    // ... for the first timestamp; crossing New Year still moves to the next year.
    EXPECT_EQ(resolve("Jan  1 00:00:01 h p: x", nullptr, &st3), utc(2020, 1, 1, 0, 0, 1));
}

TEST(ParseTimestamp, DefaultOffsetAppliesToZonelessTimes) {
    parse_state st;
    st.options.default_utc_offset_s = 3600;
    int32_t off = 0;
    EXPECT_EQ(resolve("2024-01-05 10:00:00 x", &off, &st), utc(2024, 1, 5, 9, 0, 0));
    EXPECT_EQ(off, k_no_offset);
    EXPECT_EQ(resolve("2024-01-05T10:00:00Z x", &off, &st), utc(2024, 1, 5, 10, 0, 0));
    EXPECT_EQ(off, 0);
}

TEST(ParseTimestamp, RejectsNonTimes) {
    EXPECT_EQ(resolve("version 1.2.3 released"), k_no_time);
    EXPECT_EQ(resolve("id=1117838570 not a time"), k_no_time);
    EXPECT_EQ(resolve("2024-13-05T10:00:00Z bad month"), k_no_time);
    EXPECT_EQ(resolve("Jan 32 10:00:00 bad day"), k_no_time);
    EXPECT_EQ(resolve("123456 654321 not hdfs"), k_no_time);
    EXPECT_EQ(resolve(""), k_no_time);
    EXPECT_EQ(resolve("99999999999 1 2"), k_no_time);
}

TEST(ParseTimestamp, ValuesAndEpochMagnitudes) {
    EXPECT_EQ(epoch_number_to_ns("1700000000"), int64_t{1700000000} * k_s);
    EXPECT_EQ(epoch_number_to_ns("1700000000.5"), int64_t{1700000000} * k_s + 500000000);
    EXPECT_EQ(epoch_number_to_ns("1700000000123"), int64_t{1700000000123} * 1000000);
    EXPECT_EQ(epoch_number_to_ns("1700000000123456"), int64_t{1700000000123456} * 1000);
    EXPECT_EQ(epoch_number_to_ns("1700000000123456789"), int64_t{1700000000123456789});
    EXPECT_FALSE(epoch_number_to_ns("17e9"));
    const auto p = parse_timestamp_value("2024-01-05T10:00:00Z");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->year, 2024);
    EXPECT_EQ(p->offset_s, 0);
}

} // namespace
} // namespace sysgrok::parse
