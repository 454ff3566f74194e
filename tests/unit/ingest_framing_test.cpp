// Unit tests for syslog TCP framing and the chunk builder (src/ingest).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ingest/chunk.hpp"
#include "ingest/syslog_framing.hpp"

using sysgrok::ingest::chunk_builder;
using sysgrok::ingest::syslog_framer;

namespace {

std::vector<std::string>
frames(syslog_framer& f, const std::vector<std::string>& pieces, bool finish = false) {
    std::vector<std::string> out;
    auto sink = [&](std::string_view m) { out.emplace_back(m); };
    for (const auto& p : pieces) {
        f.feed(p, sink);
    }
    if (finish) {
        f.finish(sink);
    }
    return out;
}

} // namespace

TEST(IngestFraming, NewlineFramingStripsCrAndSkipsEmptyLines) {
    syslog_framer f;
    const auto m = frames(f, {"<13>a first\r\n\n<13>b second\n<13>c par", "tial\n"});
    ASSERT_EQ(m.size(), 3U);
    EXPECT_EQ(m[0], "<13>a first");
    EXPECT_EQ(m[1], "<13>b second");
    EXPECT_EQ(m[2], "<13>c partial");
}

TEST(IngestFraming, OctetCountingKeepsEmbeddedNewlines) {
    syslog_framer f;
    const std::string body = "<34>1 2026-03-14T10:00:00Z h app - - - two\nlines";
    const std::string frame = std::to_string(body.size()) + " " + body;
    // Split inside the length, inside the body, and mixed with a newline-framed message.
    const auto m = frames(
        f, {frame.substr(0, 1), frame.substr(1, 10), frame.substr(11), "<13>plain message\n"});
    ASSERT_EQ(m.size(), 2U);
    EXPECT_EQ(m[0], body);
    EXPECT_EQ(m[1], "<13>plain message");
}

TEST(IngestFraming, LineStartingWithDigitsIsNotMistakenForALength) {
    syslog_framer f;
    const auto m = frames(f, {"2026-03-14 10:00:00 host app: started\n"});
    ASSERT_EQ(m.size(), 1U);
    EXPECT_EQ(m[0], "2026-03-14 10:00:00 host app: started");
}

TEST(IngestFraming, OverLongFramesAreCutAndTheStreamStaysInSync) {
    syslog_framer f(8);
    const auto m = frames(f, {"20 abcdefghijklmnopqrst", "3 xyz", "0123456789abc\nok\n"});
    ASSERT_EQ(m.size(), 4U);
    EXPECT_EQ(m[0], "abcdefgh");
    EXPECT_EQ(m[1], "xyz");
    EXPECT_EQ(m[2], "01234567"); // LF-framed, cut at the limit, rest dropped to the LF
    EXPECT_EQ(m[3], "ok");
    EXPECT_EQ(f.truncated(), 2U);
}

TEST(IngestFraming, FinishDeliversALastMessageWithoutNewline) {
    syslog_framer f;
    EXPECT_TRUE(frames(f, {"<13>no newline"}).empty());
    const auto m = frames(f, {}, true);
    ASSERT_EQ(m.size(), 1U);
    EXPECT_EQ(m[0], "<13>no newline");
}

TEST(IngestChunk, BuilderKeepsOneRecordPerLineAndItsSender) {
    chunk_builder b(3, 16);
    b.add("first", "192.0.2.1:514", 111);
    b.add("multi\nline\rmessage", "192.0.2.2:514", 222);
    b.add("third", "192.0.2.1:514", 333);
    auto c = b.take();
    EXPECT_EQ(c.source, 3U);
    EXPECT_EQ(c.read_ns, 111);
    EXPECT_EQ(c.first_line, 1U);
    EXPECT_EQ(std::string(c.block->view()), "first\nmulti line message\nthird\n");
    ASSERT_EQ(c.peer_of.size(), 3U);
    EXPECT_EQ(c.peers[c.peer_of[0]], "192.0.2.1:514");
    EXPECT_EQ(c.peers[c.peer_of[1]], "192.0.2.2:514");
    EXPECT_EQ(c.peer_of[2], c.peer_of[0]);
    b.add("next", "", 444);
    EXPECT_EQ(b.take().first_line, 4U); // numbering continues across chunks
}
