// Unit tests for the file follower (src/ingest/file_follower): rotation, copytruncate and
// resuming from saved positions, driven poll by poll (no threads).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "ingest/file_follower.hpp"

using namespace sysgrok::ingest;
namespace fs = std::filesystem;

namespace {

class IngestFollower : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = fs::temp_directory_path() /
              ("sysgrok-follow-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
        log = (dir / "app.log").string();
        std::ofstream(log).flush();
    }
    void TearDown() override { fs::remove_all(dir); }

    void append(const std::string& path, const std::string& text) {
        std::ofstream f(path, std::ios::app);
        f << text;
    }
    /// Polls until nothing more is read; returns the lines read, in order.
    std::vector<std::string> drain(file_follower& f) {
        f.poll_once(true);
        while (f.poll_once(true)) {
        }
        std::vector<std::string> out;
        while (auto c = queue.pop(std::chrono::milliseconds(0))) {
            std::string text(c->block->view());
            size_t pos = 0;
            while (pos < text.size()) {
                const size_t nl = text.find('\n', pos);
                out.push_back(text.substr(pos, nl - pos));
                pos = nl + 1;
            }
            if (c->after) {
                last = *c->after;
            }
        }
        return out;
    }
    follower_options opts() {
        follower_options o;
        o.patterns = {log};
        o.close_inactive = std::chrono::milliseconds(0);
        return o;
    }

    fs::path dir;
    std::string log;
    source_table sources;
    chunk_queue queue;
    file_position last;
};

using lines = std::vector<std::string>;

} // namespace

TEST_F(IngestFollower, ReadsCompleteLinesOnly) {
    file_follower f(opts(), sources, queue, {});
    append(log, "a\nb\npart");
    EXPECT_EQ(drain(f), (lines{"a", "b"}));
    EXPECT_EQ(last.offset, 4U);
    EXPECT_EQ(last.line, 2U);
    append(log, "ial\n");
    EXPECT_EQ(drain(f), (lines{"partial"}));
}

TEST_F(IngestFollower, RenameRotationReadsTheRestOfTheOldFile) {
    file_follower f(opts(), sources, queue, {});
    append(log, "1\n");
    EXPECT_EQ(drain(f), (lines{"1"}));
    append(log, "2\n");
    fs::rename(log, log + ".1");
    append(log + ".1", "3\n"); // the writer still had the old file open
    append(log, "4\n");
    EXPECT_EQ(drain(f), (lines{"2", "3", "4"}));
}

TEST_F(IngestFollower, CopytruncateReadsUnreadLinesFromTheCopy) {
    file_follower f(opts(), sources, queue, {});
    append(log, "first line of the file\n");
    EXPECT_EQ(drain(f), (lines{"first line of the file"}));
    append(log, "unread\n");
    fs::copy_file(log, log + ".1");
    fs::resize_file(log, 0);
    append(log, "after truncation, longer than before the copy was made\n");
    EXPECT_EQ(drain(f),
              (lines{"unread", "after truncation, longer than before the copy was made"}));
}

TEST_F(IngestFollower, ResumesAtASavedPositionAndSkipsOtherContent) {
    append(log, "old 1\nold 2\n");
    {
        file_follower f(opts(), sources, queue, {});
        EXPECT_EQ(drain(f), (lines{"old 1", "old 2"}));
    }
    append(log, "new 3\n");
    file_follower again(opts(), sources, queue, {last});
    EXPECT_EQ(drain(again), (lines{"new 3"}));
    EXPECT_EQ(last.line, 3U);
    // A position whose fingerprint does not match (another file under the name): from 0.
    file_position wrong = last;
    wrong.fingerprint = "0123456789abcdef:5";
    file_follower other(opts(), sources, queue, {wrong});
    EXPECT_EQ(drain(other).size(), 3U);
}
