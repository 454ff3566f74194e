// tests/unit/store_test.cpp — the SQLite store: tables, migrations, writer, crash safety.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.hpp"
#include "store/writer.hpp"

namespace fs = std::filesystem;
using namespace sysgrok;

namespace {

class StoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("sysgrok_store_test_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    [[nodiscard]] std::string file(const std::string& name) const { return (dir_ / name).string(); }

    std::unique_ptr<store::store> open_ok(const std::string& path) {
        auto s = store::store::open(path);
        EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().to_string());
        return s ? std::move(*s) : nullptr;
    }

    fs::path dir_;
};

/// A batch of `n` events with distinct ids and messages; views point into `text`.
void make_batch(event_batch& b, std::string& text, uint64_t first, size_t n) {
    b.clear();
    text.clear();
    text.reserve(n * 40);
    std::vector<std::pair<size_t, size_t>> spans;
    for (size_t i = 0; i < n; ++i) {
        const size_t at = text.size();
        text +=
            "connection " + std::to_string(first + i) + " timed out on db" + std::to_string(i % 3);
        spans.emplace_back(at, text.size() - at);
    }
    for (size_t i = 0; i < n; ++i) {
        event e;
        e.id = 0x9000000000000000ULL + first + i; // exercises the sign bit
        e.ts_ns = static_cast<int64_t>(1700000000 + first + i) * 1000000000LL;
        e.line = first + i + 1;
        e.sev = i % 10 == 0 ? severity::error : severity::info;
        e.message = std::string_view(text).substr(spans[i].first, spans[i].second);
        e.raw = e.message;
        e.host = "db1";
        e.program = "pgbouncer";
        b.events.push_back(e);
    }
}

} // namespace

TEST_F(StoreTest, CheckpointsUpsertByPathAndSurviveReopen) {
    const auto path = file("s.db");
    {
        auto s = open_ok(path);
        ASSERT_TRUE(s);
        EXPECT_EQ(s->schema_version(), store::store::k_schema_version);
        std::vector<store::file_checkpoint> cps = {
            {"/var/log/a.log", 1, 100, 4096, 50, "abc", 11},
            {"/var/log/b.log", 1, 101, 10, 1, "def", 12},
        };
        ASSERT_TRUE(s->save_checkpoints(cps));
        cps[0].offset = 8192;
        cps[0].line = 99;
        ASSERT_TRUE(s->save_checkpoints(std::span(cps).first(1)));
    }
    auto s = open_ok(path);
    ASSERT_TRUE(s);
    auto loaded = s->load_checkpoints();
    ASSERT_TRUE(loaded);
    ASSERT_EQ(loaded->size(), 2U);
    EXPECT_EQ((*loaded)[0].path, "/var/log/a.log");
    EXPECT_EQ((*loaded)[0].offset, 8192U);
    EXPECT_EQ((*loaded)[0].line, 99U);
    EXPECT_EQ((*loaded)[0].inode, 100U);
    EXPECT_EQ((*loaded)[1].fingerprint, "def");
    EXPECT_EQ((*loaded)[1].updated_ns, 12);
}

TEST_F(StoreTest, TemplatesMergeCountsAcrossRuns) {
    auto s = open_ok(file("t.db"));
    ASSERT_TRUE(s);
    std::vector<store::template_row> a = {{7, 1, "open <*>", 10, 2, 500, 900}};
    ASSERT_TRUE(s->merge_templates(a));
    std::vector<store::template_row> b = {{7, 4, "open <*>", 5, 1, 300, 700},
                                          {8, 2, "close <*>", 1, 0, 0, 0}};
    ASSERT_TRUE(s->merge_templates(b));
    auto t = s->load_templates();
    ASSERT_TRUE(t);
    ASSERT_EQ(t->size(), 2U);
    EXPECT_EQ((*t)[0].text, "open <*>");
    EXPECT_EQ((*t)[0].count, 15U);
    EXPECT_EQ((*t)[0].problem_count, 3U);
    EXPECT_EQ((*t)[0].first_ns, 300);
    EXPECT_EQ((*t)[0].last_ns, 900);
    EXPECT_EQ((*t)[0].id, 4U);
}

TEST_F(StoreTest, LlmCacheAndLabels) {
    auto s = open_ok(file("l.db"));
    ASSERT_TRUE(s);
    auto miss = s->llm_get("k1");
    ASSERT_TRUE(miss);
    EXPECT_FALSE(miss->has_value());
    ASSERT_TRUE(s->llm_put("k1", "the disk is full", "smollm"));
    ASSERT_TRUE(s->llm_put("k1", "the disk is really full", "smollm"));
    auto hit = s->llm_get("k1");
    ASSERT_TRUE(hit && hit->has_value());
    EXPECT_EQ(**hit, "the disk is really full");

    std::vector<store::label_row> labels = {{1, true, "error <*>"}, {2, false, "gc <*>"}};
    ASSERT_TRUE(s->save_labels(labels));
    labels[0].problem = false;
    ASSERT_TRUE(s->save_labels(std::span(labels).first(1)));
    auto l1 = s->label_of(1);
    ASSERT_TRUE(l1 && l1->has_value());
    EXPECT_FALSE(**l1);
    auto l3 = s->label_of(3);
    ASSERT_TRUE(l3);
    EXPECT_FALSE(l3->has_value());
    auto all = s->load_labels();
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 2U);
}

TEST_F(StoreTest, WriterStoresEventsTemplatesFindingsIncidents) {
    auto s = open_ok(file("w.db"));
    ASSERT_TRUE(s);
    store::writer_options opts;
    opts.store_events = true;
    opts.commit_rows = 1000;
    auto w = store::writer::open(*s, "analyze", {"/logs/app.log"}, opts);
    ASSERT_TRUE(w) << w.error().to_string();
    event_batch b;
    std::string text;
    std::vector<uint32_t> tids;
    for (int k = 0; k < 3; ++k) {
        make_batch(b, text, static_cast<uint64_t>(k) * 600, 600);
        tids.assign(600, 0);
        for (size_t i = 0; i < tids.size(); ++i) {
            tids[i] = static_cast<uint32_t>(i % 3);
        }
        ASSERT_TRUE((*w)->on_batch(b, tids));
    }
    detect::finding f;
    f.kind = detect::finding_kind::spike;
    f.level = detect::alert_level::high;
    f.template_ids = {1, 2};
    f.host = "db1";
    f.examples.push_back({0, 5, 1600000000000000000LL, "a \"quoted\" line"});
    detect::incident inc;
    inc.level = detect::alert_level::critical;
    inc.findings = {f, f};
    std::vector<detect::finding> loose = {f};
    auto text_of = [](uint32_t id) -> std::string_view {
        static const std::string names[] = {"connection <*> timed out on db0",
                                            "connection <*> timed out on db1", ""};
        return names[id];
    };
    ASSERT_TRUE((*w)->finish(loose, std::span(&inc, 1), text_of));

    EXPECT_EQ(*s->query_int("SELECT count(*) FROM events"), 1800);
    EXPECT_EQ(*s->query_int("SELECT count(*) FROM events WHERE template_id=1"), 600);
    // Event ids round-trip through the signed column.
    EXPECT_EQ(*s->query_int("SELECT count(DISTINCT event_id) FROM events"), 1800);
    auto hits = s->search_events("connection AND db2");
    ASSERT_TRUE(hits);
    EXPECT_EQ(hits->size(), 600U);
    EXPECT_GE((*hits)[0], 0x9000000000000000ULL);

    auto t = s->load_templates();
    ASSERT_TRUE(t);
    ASSERT_EQ(t->size(), 2U); // template 2 had no text
    EXPECT_EQ((*t)[0].count, 600U);

    auto fs_ = s->load_findings((*w)->run_id());
    ASSERT_TRUE(fs_);
    ASSERT_EQ(fs_->size(), 3U);
    EXPECT_EQ((*fs_)[0].rule_id, "sysgrok.spike");
    EXPECT_EQ((*fs_)[0].level, 73);
    EXPECT_EQ((*fs_)[0].template_ids, "1,2");
    EXPECT_EQ(*s->count_incidents((*w)->run_id()), 1U);
    EXPECT_EQ(*s->query_int("SELECT count(*) FROM findings WHERE incident<>0"), 2);
    EXPECT_EQ(*s->query_int("SELECT count(*) FROM findings WHERE json_valid(examples)"), 3);
    auto runs = s->load_runs();
    ASSERT_TRUE(runs);
    ASSERT_EQ(runs->size(), 1U);
    EXPECT_EQ((*runs)[0].events, 1800U);
    EXPECT_NE((*runs)[0].finished_ns, 0);
}

TEST_F(StoreTest, RefusesForeignAndNewerFiles) {
    const auto junk = file("junk.db");
    std::ofstream(junk) << "this is not an sqlite file at all, just text, long enough to matter\n";
    auto a = store::store::open(junk);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().path, junk);

    const auto newer = file("newer.db");
    {
        auto s = open_ok(newer);
        ASSERT_TRUE(s);
        ASSERT_TRUE(s->exec("PRAGMA user_version=99"));
    }
    auto b = store::store::open(newer);
    ASSERT_FALSE(b);
    EXPECT_NE(b.error().message.find("newer sysgrok"), std::string::npos);
    EXPECT_FALSE(b.error().hint.empty());
}

// kill -9 during ingest: the file stays intact and holds whole commits only.
TEST_F(StoreTest, KillNineDuringIngestLosesAtMostTheOpenBatch) {
    const auto path = file("crash.db");
    constexpr size_t k_batch = 5000;
    {
        auto s = open_ok(path); // create the schema before forking
        ASSERT_TRUE(s);
    }
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        auto s = store::store::open(path);
        if (!s) {
            ::_exit(2);
        }
        store::writer_options opts;
        opts.store_events = true;
        opts.fts = false;
        opts.commit_rows = k_batch;
        auto w = store::writer::open(**s, "crash-test", {"/x.log"}, opts);
        if (!w) {
            ::_exit(3);
        }
        event_batch b;
        std::string text;
        for (uint64_t k = 0;; ++k) { // until killed
            make_batch(b, text, k * k_batch, k_batch);
            if (!(*w)->on_batch(b, {})) {
                ::_exit(4);
            }
        }
    }
    // Let it commit a few batches, then kill it in the middle of one.
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    ::kill(child, SIGKILL);
    int wstatus = 0;
    ::waitpid(child, &wstatus, 0);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "the ingesting child exited early: " << wstatus;

    auto s = open_ok(path);
    ASSERT_TRUE(s);
    auto ic = s->integrity_check();
    ASSERT_TRUE(ic);
    EXPECT_EQ(*ic, "ok");
    auto n = s->query_int("SELECT count(*) FROM events");
    ASSERT_TRUE(n);
    EXPECT_GT(*n, 0);
    EXPECT_EQ(*n % static_cast<int64_t>(k_batch), 0) << *n << " rows";
    // The rows that are there are whole batches: the last id matches the count.
    EXPECT_EQ(*s->query_int("SELECT max(line) FROM events"), *n);
}
