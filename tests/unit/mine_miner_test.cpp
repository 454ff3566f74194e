// Template miner: grouping, generalisation, parameters, save/load and bounded memory.
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mine/template_miner.hpp"

using sysgrok::mine::miner_config;
using sysgrok::mine::template_miner;

namespace {

std::vector<std::string> params_of(const sysgrok::mine::match_result& r, std::string_view msg) {
    std::vector<std::string> out;
    for (const auto& p : r.params) {
        out.emplace_back(msg.substr(p.begin, p.end - p.begin));
    }
    return out;
}

/// A realistic mix: a few dozen event types with variable fields, some free-text values
/// and a sprinkle of one-off lines.
std::vector<std::string> make_stream(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    const std::vector<std::string> users = {"root", "admin", "alice", "bob", "test", "guest"};
    std::vector<std::string> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        uint32_t r = rng();
        std::string u = users[r % users.size()];
        std::string ip = std::to_string(r % 255) + "." + std::to_string((r >> 8) % 255) + ".0." +
                         std::to_string((r >> 16) % 255);
        switch ((r >> 24) % 10) {
            case 0:
                out.push_back("Failed password for " + u + " from " + ip + " port " +
                              std::to_string(r % 65535) + " ssh2");
                break;
            case 1:
                out.push_back("Invalid user " + u + " from " + ip);
                break;
            case 2:
                out.push_back("Received block blk_" + std::to_string(r) + " of size " +
                              std::to_string(r % 100000) + " from /" + ip);
                break;
            case 3:
                out.push_back("session opened for user " + u + " by (uid=" + std::to_string(r % 5) +
                              ")");
                break;
            case 4:
                out.push_back("Connection closed by " + ip + " [preauth]");
                break;
            case 5:
                out.push_back("job " + std::to_string(r % 97) + " state changed to " +
                              (r % 2 == 0 ? "RUNNING" : "DONE"));
                break;
            case 6:
                out.push_back("worker w" + std::to_string(r % 1000) + " took " +
                              std::to_string(r % 5000) + " ms");
                break;
            case 7:
                out.push_back("cache " + u + " size=" + std::to_string(r % 77) + " hit=true");
                break;
            case 8: {
                // one-off free text: random words
                std::string s = "note";
                for (int k = 0; k < 4; ++k) {
                    s +=
                        " x" + std::to_string(rng() % 100) + "q" + std::string(1, 'a' + rng() % 26);
                }
                out.push_back(s);
                break;
            }
            default:
                out.push_back("Starting task " + std::to_string(r % 300) + " on host node-" +
                              std::to_string(r % 64));
                break;
        }
    }
    return out;
}

} // namespace

TEST(MineMiner, GroupsByMaskedShape) {
    template_miner m;
    auto a = m.add("Received block blk_123 of size 67108864 from /10.251.42.84");
    auto b = m.add("Received block blk_-99 of size 12 from /10.0.0.1");
    EXPECT_TRUE(a.created);
    EXPECT_FALSE(b.created);
    EXPECT_EQ(a.template_id, b.template_id);
    EXPECT_EQ(m.template_text(a.template_id), "Received block <*> of size <*> from <*>");
    std::string msg = "Received block blk_7 of size 5 from /10.0.0.2";
    auto c = m.add(msg);
    EXPECT_EQ(params_of(c, msg), (std::vector<std::string>{"blk_7", "5", "/10.0.0.2"}));
}

TEST(MineMiner, GeneralisesVariableWords) {
    template_miner m;
    auto a = m.add("Invalid user webmaster from 173.234.31.186");
    auto b = m.add("Invalid user test from 10.0.0.1");
    EXPECT_EQ(a.template_id, b.template_id);
    EXPECT_TRUE(b.changed);
    EXPECT_EQ(m.template_text(a.template_id), "Invalid user <*> from <*>");
    std::string msg = "Invalid user oracle from 1.2.3.4";
    auto c = m.add(msg);
    EXPECT_EQ(params_of(c, msg), (std::vector<std::string>{"oracle", "1.2.3.4"}));
    auto d = m.add("pam_unix: check pass; user=root");
    auto e = m.add("pam_unix: check pass; user=admin");
    EXPECT_EQ(d.template_id, e.template_id);
    EXPECT_EQ(m.template_text(d.template_id), "pam_unix: check pass; user=<*>");
}

TEST(MineMiner, KeepsDifferentEventsApart) {
    template_miner m;
    auto a = m.add("Failed password for root from 1.2.3.4 port 22 ssh2");
    auto b = m.add("Accepted password for root from 1.2.3.4 port 22 ssh2");
    EXPECT_NE(a.template_id, b.template_id); // first token differs
    auto c = m.add("job 1 Transitioned from NEW to RUNNING");
    auto d = m.add("job 2 Transitioned from RUNNING to SUCCEEDED");
    EXPECT_NE(c.template_id, d.template_id); // upper-case states are constants
    auto e = m.add("Link error");
    auto f = m.add("Link ok");
    EXPECT_NE(e.template_id, f.template_id); // too short to generalise
    auto g = m.add("Session initialized by client WindowsUpdateAgent.");
    auto h = m.add("Session initialized by client SPP.");
    EXPECT_NE(g.template_id, h.template_id); // capitalised words are message text
}

TEST(MineMiner, EmptyAndWhitespaceMessages) {
    template_miner m;
    auto a = m.add("");
    auto b = m.add("   ");
    EXPECT_EQ(a.template_id, b.template_id);
    EXPECT_EQ(m.template_text(a.template_id), "");
    EXPECT_TRUE(a.params.empty());
}

TEST(MineMiner, SaveLoadContinuesLikeOneRun) {
    miner_config cfg;
    cfg.max_templates = 40; // small, so that eviction and the cache clear happen
    cfg.max_cached_sequences = 64;
    const auto lines = make_stream(20000, 7);
    template_miner whole(cfg);
    std::vector<uint32_t> ids;
    for (const auto& l : lines) {
        ids.push_back(whole.add(l).template_id);
    }
    ASSERT_GT(whole.stats().templates_evicted, 0U);
    ASSERT_GT(whole.stats().cache_clears, 0U);
    for (size_t cut : {size_t{1}, size_t{777}, size_t{10000}, size_t{19999}}) {
        template_miner first(cfg);
        for (size_t i = 0; i < cut; ++i) {
            ASSERT_EQ(first.add(lines[i]).template_id, ids[i]);
        }
        std::stringstream state;
        ASSERT_TRUE(first.save(state));
        template_miner second(miner_config{}); // config comes from the saved state
        ASSERT_TRUE(second.load(state)) << "cut " << cut;
        for (size_t i = cut; i < lines.size(); ++i) {
            ASSERT_EQ(second.add(lines[i]).template_id, ids[i]) << "line " << i << " cut " << cut;
        }
        auto a = whole.templates();
        auto b = second.templates();
        ASSERT_EQ(a.size(), b.size());
        for (size_t k = 0; k < a.size(); ++k) {
            EXPECT_EQ(a[k].id, b[k].id);
            EXPECT_EQ(a[k].text, b[k].text);
            EXPECT_EQ(a[k].count, b[k].count);
        }
        EXPECT_EQ(whole.stats().templates_evicted, second.stats().templates_evicted);
    }
}

TEST(MineMiner, LoadRejectsGarbage) {
    template_miner m;
    m.add("hello world");
    std::stringstream bad("not a state file");
    auto st = m.load(bad);
    EXPECT_FALSE(st);
    EXPECT_EQ(m.template_count(), 0U);
    // A truncated state is rejected too.
    template_miner src;
    for (const auto& l : make_stream(500, 3)) {
        src.add(l);
    }
    std::stringstream full;
    ASSERT_TRUE(src.save(full));
    std::string s = full.str();
    std::stringstream cut(s.substr(0, s.size() / 2));
    EXPECT_FALSE(m.load(cut));
}

TEST(MineMiner, MemoryStaysBoundedOnUniqueTokens) {
    miner_config cfg; // defaults
    template_miner m(cfg);
    std::mt19937_64 rng(42);
    const char* alphabet = "abcdefghijklmnopqrstuvwxyz";
    std::string line;
    size_t peak = 0;
    for (int i = 0; i < 1'000'000; ++i) {
        line.clear();
        int words = 3 + static_cast<int>(rng() % 6);
        for (int w = 0; w < words; ++w) {
            if (w > 0) {
                line.push_back(' ');
            }
            uint64_t r = rng();
            for (int c = 0; c < 7; ++c) {
                line.push_back(alphabet[r % 26]);
                r /= 26;
            }
        }
        m.add(line);
        ASSERT_LE(m.template_count(), cfg.max_templates);
        if (i % 50000 == 0) {
            peak = std::max(peak, m.memory_bytes());
        }
    }
    peak = std::max(peak, m.memory_bytes());
    EXPECT_GT(m.stats().templates_evicted, 0U);
    EXPECT_LE(m.template_count(), cfg.max_templates);
    // 20k templates of a few short tokens each, indexes and the sequence cache.
    EXPECT_LT(peak, 64U << 20U) << "miner holds " << peak << " bytes";
}
