#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/event_stream.hpp"
#include "source/input_set.hpp"

using namespace sysgrok;
namespace fs = std::filesystem;

namespace {

class temp_dir {
  public:
    temp_dir() {
        path_ = fs::temp_directory_path() /
                ("sysgrok-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        fs::create_directories(path_);
    }
    ~temp_dir() { fs::remove_all(path_); }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    [[nodiscard]] std::string file(const std::string& name, const std::string& content) const {
        const fs::path p = path_ / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << content;
        return p.string();
    }
    [[nodiscard]] std::string str() const { return path_.string(); }

  private:
    static inline int counter_ = 0;
    fs::path path_;
};

struct collected {
    std::vector<std::string> messages;
    std::vector<uint32_t> inputs;
    std::vector<int64_t> ts;
};

collected read_all(pipeline::pipeline_options opts, diagnostics& diag) {
    auto s = pipeline::event_stream::open(opts, diag);
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().to_string());
    collected c;
    if (!s) {
        return c;
    }
    event_batch b;
    while ((*s)->next(b)) {
        for (const auto& e : b.events) {
            c.messages.emplace_back(e.message);
            c.inputs.push_back(e.input);
            c.ts.push_back(e.ts_ns);
        }
    }
    return c;
}

} // namespace

TEST(pipeline, merges_inputs_in_timestamp_order) {
    temp_dir d;
    const auto a = d.file("a.log", "2024-05-01T10:00:00Z INFO a1\n"
                                   "2024-05-01T10:00:02Z INFO a2\n"
                                   "2024-05-01T10:00:04Z INFO a3\n");
    const auto b = d.file("b.log", "2024-05-01T10:00:01Z INFO b1\n"
                                   "2024-05-01T10:00:03Z INFO b2\n");
    pipeline::pipeline_options o;
    o.inputs = {a, b};
    diagnostics diag(nullptr);
    auto c = read_all(o, diag);
    ASSERT_EQ(c.messages.size(), 5U);
    for (size_t i = 1; i < c.ts.size(); ++i) {
        EXPECT_LE(c.ts[i - 1], c.ts[i]);
    }
    EXPECT_EQ(c.inputs, (std::vector<uint32_t>{0, 1, 0, 1, 0}));

    o.merge = false;
    auto seq = read_all(o, diag);
    EXPECT_EQ(seq.inputs, (std::vector<uint32_t>{0, 0, 0, 1, 1}));
}

TEST(pipeline, merge_survives_batches_released_early) {
    // Many events per input and a small output batch: views must stay valid after the
    // input batches they point into are replaced.
    temp_dir d;
    std::string x;
    std::string y;
    for (int i = 0; i < 20000; ++i) {
        x += "2024-05-01T10:" + std::to_string(10 + i / 1000) + ":00Z INFO x message " +
             std::to_string(i) + "\n";
        y += "2024-05-01T10:" + std::to_string(10 + i / 1000) + ":00Z INFO y message " +
             std::to_string(i) + "\n";
    }
    pipeline::pipeline_options o;
    o.inputs = {d.file("x.log", x), d.file("y.log", y)};
    o.batch_events = 100;
    diagnostics diag(nullptr);
    auto s = pipeline::event_stream::open(o, diag);
    ASSERT_TRUE(s.has_value());
    event_batch b;
    size_t n = 0;
    size_t ok = 0;
    while ((*s)->next(b)) {
        for (const auto& e : b.events) {
            ++n;
            ok += (e.message.rfind("x message ", 0) == 0 || e.message.rfind("y message ", 0) == 0)
                      ? 1
                      : 0;
        }
    }
    EXPECT_EQ(n, 40000U);
    EXPECT_EQ(ok, n);
}

TEST(pipeline, missing_and_binary_inputs_are_skipped_with_diagnostics) {
    temp_dir d;
    const auto good = d.file("good.log", "2024-05-01T10:00:00Z INFO ok\n");
    std::string bin(2048, '\x01');
    const auto bad = d.file("bad.bin", bin);
    pipeline::pipeline_options o;
    o.inputs = {good, bad, d.str() + "/nope.log"};
    diagnostics diag(nullptr);
    auto s = pipeline::event_stream::open(o, diag);
    ASSERT_TRUE(s.has_value());
    event_batch b;
    size_t n = 0;
    while ((*s)->next(b)) {
        n += b.events.size();
    }
    EXPECT_EQ(n, 1U);
    EXPECT_EQ(diag.count_of(issue_kind::unreadable), 1U);
    EXPECT_EQ(diag.count_of(issue_kind::binary_file), 1U);
    EXPECT_TRUE(diag.any_data_lost());
    const auto& infos = (*s)->inputs();
    ASSERT_EQ(infos.size(), 3U);
    EXPECT_FALSE(infos[0].skipped);
    EXPECT_TRUE(infos[1].skipped);
    EXPECT_TRUE(infos[2].skipped);
}

TEST(pipeline, no_inputs_is_an_error_value) {
    pipeline::pipeline_options o;
    diagnostics diag(nullptr);
    auto s = pipeline::event_stream::open(o, diag);
    ASSERT_FALSE(s.has_value());
    EXPECT_NE(s.error().message.find("no input"), std::string::npos);
}

TEST(source, expands_directories_and_globs) {
    temp_dir d;
    d.file("a/1.log", "x\n");
    d.file("a/b/2.log", "x\n");
    d.file("a/b/3.txt", "x\n");
    d.file("c.log", "x\n");
    diagnostics diag(nullptr);
    auto dir = expand_inputs({d.str() + "/a"}, diag);
    EXPECT_EQ(dir.size(), 3U);
    auto glob = expand_inputs({d.str() + "/*.log"}, diag);
    ASSERT_EQ(glob.size(), 1U);
    EXPECT_EQ(fs::path(glob[0]).filename(), "c.log");
    auto deep = expand_inputs({d.str() + "/**.log"}, diag);
    EXPECT_EQ(deep.size(), 3U);
    auto none = expand_inputs({d.str() + "/*.zzz"}, diag);
    EXPECT_TRUE(none.empty());
    EXPECT_EQ(diag.count_of(issue_kind::no_input), 1U);
    // Duplicates are read once.
    auto dup = expand_inputs({d.str() + "/c.log", d.str() + "/c.log"}, diag);
    EXPECT_EQ(dup.size(), 1U);
}
