#include <gtest/gtest.h>

#include "core/json_writer.hpp"
#include "core/severity.hpp"
#include "core/time.hpp"

using namespace sysgrok;

TEST(time, civil_round_trip_across_eras) {
    for (int64_t d = -800000; d <= 800000; d += 997) {
        int64_t y = 0;
        unsigned m = 0;
        unsigned dd = 0;
        civil_from_days(d, y, m, dd);
        EXPECT_EQ(days_from_civil(y, m, dd), d);
    }
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
}

TEST(time, iso8601_formatting) {
    EXPECT_EQ(format_iso8601_utc(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_iso8601_utc(to_epoch_ns(2024, 2, 29, 23, 59, 59, 123000000)),
              "2024-02-29T23:59:59.123Z");
    EXPECT_EQ(format_iso8601_utc(to_epoch_ns(2024, 2, 29, 23, 59, 59, 123456000)),
              "2024-02-29T23:59:59.123456Z");
    EXPECT_EQ(format_iso8601_utc(to_epoch_ns(1969, 12, 31, 23, 59, 59, 500000000)),
              "1969-12-31T23:59:59.500Z");
}

TEST(time, validity) {
    EXPECT_TRUE(valid_civil(2024, 2, 29, 0, 0, 0));
    EXPECT_FALSE(valid_civil(2023, 2, 29, 0, 0, 0));
    EXPECT_FALSE(valid_civil(2023, 13, 1, 0, 0, 0));
    EXPECT_FALSE(valid_civil(2023, 4, 31, 0, 0, 0));
    EXPECT_FALSE(valid_civil(2023, 4, 30, 24, 0, 0));
    EXPECT_TRUE(valid_civil(2016, 12, 31, 23, 59, 60));
}

TEST(severity, words_and_letters) {
    EXPECT_EQ(severity_from_word("INFO"), severity::info);
    EXPECT_EQ(severity_from_word("warn"), severity::warning);
    EXPECT_EQ(severity_from_word("FATAL"), severity::critical);
    EXPECT_EQ(severity_from_word("SEVERE"), severity::error);
    EXPECT_EQ(severity_from_word("notice"), severity::notice);
    EXPECT_EQ(severity_from_word("trace"), severity::debug);
    EXPECT_FALSE(severity_from_word("combo").has_value());
    EXPECT_FALSE(severity_from_word("E").has_value());
    EXPECT_EQ(severity_from_word("E", true), severity::error);
    EXPECT_EQ(severity_from_word("D", true), severity::debug);
    EXPECT_EQ(severity_name(severity::error), "err");
    EXPECT_EQ(severity_from_pri(34), severity::critical);
}

TEST(json_writer, escapes_controls_and_repairs_utf8) {
    std::string out;
    append_json_string(out, std::string_view("a\"b\\c\nd\0e", 9));
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0000e\"");
    out.clear();
    append_json_string(out, "caf\xc3\xa9 \xff!");
    EXPECT_EQ(out, "\"caf\xc3\xa9 \xEF\xBF\xBD!\"");
    out.clear();
    append_json_string(out, "\xe2\x82"); // truncated 3-byte sequence
    EXPECT_EQ(out, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
    EXPECT_FALSE(valid_utf8("\xc0\xaf")); // overlong
    EXPECT_TRUE(valid_utf8("\xf0\x9f\x98\x80"));
}
