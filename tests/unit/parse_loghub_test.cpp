// Checks the parse stage on the shared Loghub-2k data (skipped when it is absent):
// automatic detection and the Loghub header templates from settings.json.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "parse_test_util.hpp"

namespace sysgrok::parse {
namespace {

const std::string k_root = std::string(SYSGROK_SHARED_DATA) + "/loghub2k/";

struct system_case {
    const char* name;
    const char* log_format; ///< from settings.json
    bool has_level;         ///< every line carries a level word
};

constexpr system_case k_systems[] = {
    {"HDFS", "<Date> <Time> <Pid> <Level> <Component>: <Content>", true},
    {"Hadoop", "<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>", true},
    {"Spark", "<Date> <Time> <Level> <Component>: <Content>", true},
    {"Zookeeper", "<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>", true},
    {"BGL",
     "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>",
     true},
    {"HPC", "<LogId> <Node> <Component> <State> <Time> <Flag> <Content>", false},
    {"Windows", "<Date> <Time>, <Level>                  <Component>    <Content>", true},
    {"Linux", "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>", false},
    {"Android", "<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>", true},
    {"Apache", "\\[<Time>\\] \\[<Level>\\] <Content>", true},
    {"Proxifier", "\\[<Time>\\] <Program> - <Content>", false},
    {"OpenSSH", "<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>", false},
};

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

/// The Content column of the structured CSV (RFC 4180 quoting), one entry per row.
std::vector<std::string> csv_content(const std::string& path) {
    const std::string data = slurp(path);
    std::vector<std::string> out;
    std::vector<std::string> row;
    std::string cell;
    int content_col = -1;
    bool header = true;
    bool quoted = false;
    for (size_t i = 0; i <= data.size(); ++i) {
        const char c = i < data.size() ? data[i] : '\n';
        if (quoted) {
            if (c == '"' && i + 1 < data.size() && data[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
            continue;
        }
        if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(cell));
            cell.clear();
        } else if (c == '\n') {
            if (cell.empty() && row.empty()) {
                continue;
            }
            row.push_back(std::move(cell));
            cell.clear();
            if (header) {
                for (size_t k = 0; k < row.size(); ++k) {
                    if (row[k] == "Content") {
                        content_col = static_cast<int>(k);
                    }
                }
                header = false;
            } else if (content_col >= 0 && static_cast<size_t>(content_col) < row.size()) {
                out.push_back(row[static_cast<size_t>(content_col)]);
            }
            row.clear();
        } else if (c != '\r') {
            cell += c;
        }
    }
    return out;
}

class ParseLoghub : public ::testing::TestWithParam<system_case> {
  protected:
    void SetUp() override {
        if (!std::filesystem::exists(k_root + "settings.json")) {
            GTEST_SKIP() << "shared data not found at " << k_root;
        }
    }
};

TEST_P(ParseLoghub, AutoDetection) {
    const auto& sc = GetParam();
    const std::string data = slurp(k_root + sc.name + "/" + sc.name + "_2k.log");
    const record_batch batch = testing::make_batch(data);
    ASSERT_EQ(batch.records.size(), 2000U);
    const std::span<const record> sample(batch.records.data(), 100);
    auto p = detect_format(sample);
    parse_state st;
    st.reference_ns = testing::k_reference_ns;
    event_batch out;
    p->parse(batch, st, out);
    ASSERT_EQ(out.events.size(), 2000U);
    size_t with_ts = 0;
    size_t with_sev = 0;
    for (const auto& e : out.events) {
        with_ts += e.ts_ns != k_no_time ? 1 : 0;
        with_sev += e.sev != severity::none ? 1 : 0;
    }
    EXPECT_GE(with_ts, 1980U) << sc.name << " via " << p->name();
    if (sc.has_level) {
        EXPECT_EQ(with_sev, 2000U) << sc.name << " via " << p->name();
    }
}

TEST_P(ParseLoghub, HeaderTemplateMatchesGroundTruth) {
    const auto& sc = GetParam();
    const std::string data = slurp(k_root + sc.name + "/" + sc.name + "_2k.log");
    const auto content =
        csv_content(k_root + sc.name + "/" + sc.name + "_2k.log_structured_corrected.csv");
    ASSERT_EQ(content.size(), 2000U);
    auto p = make_header_parser(sc.log_format);
    ASSERT_TRUE(p) << p.error().to_string();
    parse_state st;
    st.reference_ns = testing::k_reference_ns;
    const record_batch batch = testing::make_batch(data);
    event_batch out;
    (*p)->parse(batch, st, out);
    ASSERT_EQ(out.events.size(), 2000U);
    EXPECT_EQ(st.unmatched, 0U);
    size_t equal = 0;
    size_t with_ts = 0;
    for (size_t i = 0; i < out.events.size(); ++i) {
        equal += out.events[i].message == content[i] ? 1 : 0;
        with_ts += out.events[i].ts_ns != k_no_time ? 1 : 0;
    }
    EXPECT_EQ(equal, 2000U) << sc.name;
    EXPECT_GE(with_ts, 1980U) << sc.name;
}

INSTANTIATE_TEST_SUITE_P(Systems,
                         ParseLoghub,
                         ::testing::ValuesIn(k_systems),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ParseFail2ban, EveryLineParses) {
    const std::string dir = std::string(SYSGROK_SHARED_DATA) + "/security/fail2ban-testlogs";
    if (!std::filesystem::exists(dir)) {
        GTEST_SKIP() << "shared data not found at " << dir;
    }
    size_t lines = 0;
    for (const auto& de : std::filesystem::recursive_directory_iterator(dir)) {
        if (!de.is_regular_file()) {
            continue;
        }
        std::string data = slurp(de.path().string());
        std::string kept;
        std::istringstream in(data);
        std::string line;
        while (std::getline(in, line)) {
            if (!line.empty() && line[0] != '#') {
                kept += line;
                kept += '\n';
            }
        }
        const record_batch batch = testing::make_batch(kept);
        if (batch.records.empty()) {
            continue;
        }
        const size_t n = batch.records.size() < 100 ? batch.records.size() : 100;
        auto p = detect_format(std::span<const record>(batch.records.data(), n));
        parse_state st;
        event_batch out;
        p->parse(batch, st, out);
        EXPECT_EQ(out.events.size(), batch.records.size()) << de.path();
        lines += batch.records.size();
    }
    EXPECT_GT(lines, 1000U);
}

} // namespace
} // namespace sysgrok::parse
