#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

#include "frame/record_reader.hpp"
#include "source/byte_reader.hpp"

using namespace sysgrok;

namespace {

struct framed {
    std::vector<std::string> texts;
    std::vector<uint64_t> lines;
    std::vector<uint8_t> flags;
    uint64_t blank = 0;
    uint64_t total_lines = 0;
};

framed frame(std::string data, frame_options fo = {}, diagnostics* d = nullptr) {
    diagnostics local(nullptr);
    diagnostics& diag = d != nullptr ? *d : local;
    input_meta meta;
    record_reader rr(open_memory(std::move(data), meta), "mem", 0, fo, diag);
    framed f;
    record_batch b;
    while (rr.next(b)) {
        for (const auto& r : b.records) {
            f.texts.emplace_back(r.text);
            f.lines.push_back(r.line);
            f.flags.push_back(r.flags);
        }
    }
    f.blank = rr.blank_lines();
    f.total_lines = rr.lines();
    return f;
}

std::string gzip(const std::string& s) {
    z_stream zs{};
    deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, s.size()) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
    zs.avail_in = static_cast<uInt>(s.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

} // namespace

TEST(frame, splits_lines_and_keeps_last_unterminated_line) {
    auto f = frame("a\nb\r\nc");
    ASSERT_EQ(f.texts.size(), 3U);
    EXPECT_EQ(f.texts[0], "a");
    EXPECT_EQ(f.texts[1], "b");
    EXPECT_EQ(f.texts[2], "c");
    EXPECT_EQ(f.lines[2], 3U);
}

TEST(frame, blank_lines_are_counted_not_events) {
    auto f = frame("a\n\n\nb\n");
    ASSERT_EQ(f.texts.size(), 2U);
    EXPECT_EQ(f.blank, 2U);
    EXPECT_EQ(f.lines[1], 4U);
    EXPECT_EQ(f.total_lines, 4U);
}

TEST(frame, java_stack_trace_joins_its_first_line) {
    const std::string log = "2024-01-01 10:00:00,000 ERROR [main] App: failed\n"
                            "java.lang.IllegalStateException: boom\n"
                            "\tat com.x.App.run(App.java:10)\n"
                            "\tat com.x.App.main(App.java:3)\n"
                            "Caused by: java.io.IOException: disk\n"
                            "\t... 2 more\n"
                            "2024-01-01 10:00:01,000 INFO [main] App: next\n";
    auto f = frame(log);
    ASSERT_EQ(f.texts.size(), 2U);
    EXPECT_EQ(f.texts[0].substr(f.texts[0].size() - 10), "... 2 more");
    EXPECT_NE(f.flags[0] & record_flag_multiline, 0);
    EXPECT_EQ(f.lines[1], 7U);
}

TEST(frame, python_traceback_with_final_exception_line) {
    const std::string log = "2024-01-01 10:00:00 ERROR handler failed\n"
                            "Traceback (most recent call last):\n"
                            "  File \"app.py\", line 3, in <module>\n"
                            "    main()\n"
                            "ValueError: bad value\n"
                            "\n"
                            "During handling of the above exception, another exception occurred:\n"
                            "\n"
                            "Traceback (most recent call last):\n"
                            "  File \"app.py\", line 5, in <module>\n"
                            "KeyError: 'x'\n"
                            "2024-01-01 10:00:01 INFO ok\n";
    auto f = frame(log);
    ASSERT_EQ(f.texts.size(), 2U);
    EXPECT_NE(f.texts[0].find("KeyError: 'x'"), std::string::npos);
    EXPECT_EQ(f.texts[1], "2024-01-01 10:00:01 INFO ok");
    EXPECT_EQ(f.blank, 0U);
}

TEST(frame, go_panic_dump) {
    const std::string log = "panic: runtime error: index out of range [5] with length 3\n"
                            "\n"
                            "goroutine 1 [running]:\n"
                            "main.main()\n"
                            "\t/tmp/x.go:8 +0x1d\n"
                            "exit status 2\n"
                            "2024/01/01 10:00:00 restarted\n";
    auto f = frame(log);
    ASSERT_EQ(f.texts.size(), 2U);
    EXPECT_NE(f.texts[0].find("exit status 2"), std::string::npos);
}

TEST(frame, indented_first_line_disables_indent_rule) {
    auto f = frame("  a\n  b\n  c\n");
    EXPECT_EQ(f.texts.size(), 3U);
}

TEST(frame, multiline_off_keeps_every_line) {
    frame_options fo;
    fo.multiline = false;
    auto f = frame("a\n\tat x\nb\n", fo);
    EXPECT_EQ(f.texts.size(), 3U);
}

TEST(frame, long_lines_are_cut_marked_and_reported) {
    frame_options fo;
    fo.max_line_bytes = 100;
    fo.block_bytes = 4096;
    diagnostics diag(nullptr);
    std::string data = "short\n" + std::string(10000, 'x') + "\nafter\n";
    auto f = frame(data, fo, &diag);
    ASSERT_EQ(f.texts.size(), 3U);
    EXPECT_EQ(f.texts[1].size(), 100U);
    EXPECT_NE(f.flags[1] & record_flag_truncated, 0);
    EXPECT_EQ(f.texts[2], "after");
    EXPECT_EQ(f.lines[2], 3U);
    EXPECT_EQ(diag.count_of(issue_kind::truncated_line), 1U);
    EXPECT_TRUE(diag.any_data_lost());
}

TEST(frame, records_cross_block_boundaries_intact) {
    frame_options fo;
    fo.block_bytes = 4096;
    std::string data;
    for (int i = 0; i < 5000; ++i) {
        data += "line number " + std::to_string(i) + " with some padding text\n";
    }
    auto f = frame(data, fo);
    ASSERT_EQ(f.texts.size(), 5000U);
    for (int i = 0; i < 5000; i += 499) {
        EXPECT_EQ(f.texts[i], "line number " + std::to_string(i) + " with some padding text");
        EXPECT_EQ(f.lines[i], static_cast<uint64_t>(i + 1));
    }
}

TEST(frame, nul_and_invalid_utf8_are_flagged_not_dropped) {
    diagnostics diag(nullptr);
    auto f = frame(std::string("ok\nbad\xff byte\nnul\0here\n", 22), {}, &diag);
    ASSERT_EQ(f.texts.size(), 3U);
    EXPECT_NE(f.flags[1] & record_flag_invalid_utf8, 0);
    EXPECT_NE(f.flags[2] & record_flag_nul, 0);
    EXPECT_EQ(diag.count_of(issue_kind::invalid_utf8), 1U);
    EXPECT_EQ(diag.count_of(issue_kind::nul_bytes), 1U);
    EXPECT_FALSE(diag.any_data_lost());
}

TEST(frame, binary_input_is_skipped) {
    diagnostics diag(nullptr);
    std::string bin;
    for (int i = 0; i < 4096; ++i) {
        bin += static_cast<char>(i % 7);
    }
    auto f = frame(bin, {}, &diag);
    EXPECT_TRUE(f.texts.empty());
    EXPECT_EQ(diag.count_of(issue_kind::binary_file), 1U);
}

TEST(source, gzip_is_detected_by_content_and_truncation_reported) {
    std::string text;
    for (int i = 0; i < 20000; ++i) {
        text += "event " + std::to_string(i) + "\n";
    }
    const std::string gz = gzip(text);
    auto f = frame(gz);
    ASSERT_EQ(f.texts.size(), 20000U);
    EXPECT_EQ(f.texts.back(), "event 19999");

    // Two concatenated members read as one stream.
    auto f2 = frame(gzip("a\n") + gzip("b\n"));
    ASSERT_EQ(f2.texts.size(), 2U);

    diagnostics diag(nullptr);
    auto cut = frame(gz.substr(0, gz.size() / 2), {}, &diag);
    EXPECT_GT(cut.texts.size(), 100U);
    EXPECT_LT(cut.texts.size(), 20000U);
    EXPECT_EQ(diag.count_of(issue_kind::corrupt_stream), 1U);
    EXPECT_EQ(cut.texts.front(), "event 0");
}
