// The per-line problem flag: default judgement and feedback labels that generalise.
#include <algorithm>

#include <gtest/gtest.h>

#include "detect/incident_builder.hpp"
#include "detect/incident_tracker.hpp"
#include "detect/label_book.hpp"
#include "detect/problem_classifier.hpp"
#include "detect/problem_judge.hpp"

using namespace sysgrok;
using namespace sysgrok::detect;

TEST(DetectProblem, DefaultJudgement) {
    EXPECT_TRUE(judge_problem(severity::critical, "data TLB error interrupt").problem);
    EXPECT_TRUE(judge_problem(severity::error, "connection to db refused").problem);
    EXPECT_FALSE(judge_problem(severity::info, "request failed, retrying").problem);
    EXPECT_TRUE(judge_problem(severity::none, "Failed password for root from 1.2.3.4").problem);
    EXPECT_FALSE(judge_problem(severity::none, "Accepted password for bob").problem);
    EXPECT_FALSE(judge_problem(severity::none, "completed with 0 errors").problem);
    EXPECT_TRUE(judge_problem(severity::warning, "upstream timed out").problem);
    // value dumps that accompany a crash are context, not problems of their own
    EXPECT_FALSE(judge_problem(severity::critical, "instruction address: 0x00004ed8").problem);
    EXPECT_FALSE(judge_problem(severity::critical, "disable store gathering......0").problem);
    EXPECT_FALSE(judge_problem(severity::critical, "lr:00004ed8 cr:28004024 xer:20000002").problem);
    EXPECT_TRUE(
        judge_problem(severity::critical, "rts: kernel terminated for reason 1004").problem);
}

TEST(DetectProblem, LabelsGeneraliseToTemplatesAndSimilarMessages) {
    // line 1 says "Error loading ..., No such file" is noise; line 2 says a socket error is a
    // problem. Nothing about lines 3+.
    problem_classifier cls(label_book::from_lines({{1, false}, {2, true}}));
    cls.learn("x.log", 1, 10, severity::critical,
              "Error loading <*>: invalid or missing program image, No such file or directory");
    cls.learn("x.log", 2, 11, severity::critical,
              "Error reading message prefix on CioStream socket to <*>, Link has been severed");
    // same template as line 1: noise, although the level says critical
    EXPECT_FALSE(cls.classify(severity::critical, "Error loading /a/b: ...", 10,
                              "Error loading <*>: invalid or missing program image, No such "
                              "file or directory",
                              "x.log", 50)
                     .problem);
    // a different template that shares most words with line 1's: noise too
    EXPECT_FALSE(cls.classify(severity::critical, "Error loading /c: ...", 12,
                              "Error loading <*>: invalid or missing program image, Permission "
                              "denied",
                              "x.log", 51)
                     .problem);
    // similar to line 2's template: a problem
    EXPECT_TRUE(cls.classify(severity::critical, "...", 13,
                             "Error reading message prefix after LOAD_MESSAGE on CioStream "
                             "socket to <*>, Link has been severed",
                             "x.log", 52)
                    .problem);
    // unrelated: the default judgement stays
    EXPECT_TRUE(
        cls.classify(severity::critical, "kernel panic", 14, "kernel panic", "x.log", 53).problem);
}

TEST(DetectProblem, LabelsLearnedInOneRunServeTheNext) {
    // run 1: a noisy critical template and a real problem are labelled
    label_book first = label_book::from_lines({{1, false}, {2, true}, {3, false}});
    first.learn(10, "Error loading <*>: No such file or directory", severity::critical, false);
    first.learn(11, "Link to <*> has been severed", severity::info, true);
    first.learn(10, "Error loading <*>: No such file or directory", severity::critical, false);
    const auto kept = first.learned();
    ASSERT_EQ(kept.size(), 2U);
    EXPECT_EQ(kept[0].text, "Error loading <*>: No such file or directory");
    EXPECT_EQ(kept[0].negative, 2U);
    EXPECT_EQ(kept[0].sev, severity::critical);

    // run 2: no labels file, only what run 1 kept; template ids differ between runs
    label_book second;
    EXPECT_TRUE(second.empty());
    for (const auto& t : kept) {
        second.remember(t);
    }
    EXPECT_FALSE(second.empty());
    problem_classifier cls(std::move(second));
    EXPECT_FALSE(cls.classify(severity::critical, "Error loading /x: No such file or directory", 77,
                              "Error loading <*>: No such file or directory", "y.log", 1)
                     .problem);
    EXPECT_TRUE(cls.classify(severity::info, "Link to ion-12 has been severed", 78,
                             "Link to <*> has been severed", "y.log", 2)
                    .problem);
    // a similar template follows the remembered one
    EXPECT_FALSE(cls.classify(severity::critical,
                              "Error loading /y: No such file or directory, retrying", 79,
                              "Error loading <*>: No such file or directory, retrying", "y.log", 3)
                     .problem);
    // and the level rule too: every labelled critical line was noise
    EXPECT_FALSE(
        cls.classify(severity::critical, "rts internal error", 80, "rts internal error", "y.log", 4)
            .problem);
    // what the second run keeps is what it was given
    const auto again = cls.labels().learned();
    ASSERT_EQ(again.size(), 2U);
    EXPECT_EQ(again[0].negative, 2U);
}

TEST(DetectProblem, LabelsFileParses) {
    const auto path = std::string(::testing::TempDir()) + "/labels.csv";
    {
        FILE* f = std::fopen(path.c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fputs("line,problem\n3,1\n4,0\napp.log:9,1\n", f);
        std::fclose(f);
    }
    auto book = label_book::load(path);
    ASSERT_TRUE(book);
    EXPECT_EQ(book->label_of("/x/app.log", 3), std::optional<bool>(true));
    EXPECT_EQ(book->label_of("/x/app.log", 4), std::optional<bool>(false));
    EXPECT_EQ(book->label_of("/x/app.log", 9), std::optional<bool>(true));
    EXPECT_EQ(book->label_of("/x/other.log", 9), std::nullopt);
}

namespace {

finding make(finding_kind k, alert_level l, int64_t start_min, std::string service, uint32_t tmpl) {
    finding f;
    f.kind = k;
    f.level = l;
    f.score = 5;
    f.confidence = 1;
    f.start_ns = start_min * 60LL * 1000000000LL;
    f.end_ns = f.start_ns + 60LL * 1000000000LL;
    f.service = std::move(service);
    f.template_ids.push_back(tmpl);
    f.problem = k == finding_kind::first_error || k == finding_kind::error_burst;
    return f;
}

} // namespace

TEST(DetectIncidents, GroupsRelatedFindingsAndRanks) {
    std::vector<finding> fs;
    // 03:10 brute force: a spike and a new parameter value in sshd
    fs.push_back(make(finding_kind::spike, alert_level::high, 190, "sshd", 4));
    fs.push_back(make(finding_kind::new_param_value, alert_level::low, 191, "sshd", 4));
    // 14:00 outage: error templates in two services at once
    fs.push_back(make(finding_kind::first_error, alert_level::high, 840, "api", 9));
    fs.push_back(make(finding_kind::first_error, alert_level::medium, 841, "billing", 12));
    fs.push_back(make(finding_kind::error_burst, alert_level::medium, 842, "api", 0));
    // unrelated low finding much later
    fs.push_back(make(finding_kind::rare_template, alert_level::low, 1200, "cron", 30));
    // an external (Sigma) finding about sshd joins the brute-force incident
    finding ext = make(finding_kind::external, alert_level::medium, 192, "sshd", 0);
    ext.template_ids.clear();
    ext.rule_id = "sigma:ssh-brute-force";
    ext.rule_name = "SSH brute force";
    fs.push_back(ext);
    const auto inc = build_incidents(fs);
    ASSERT_EQ(inc.size(), 3U);
    // the outage: three serious findings -> raised to critical, ranked first
    EXPECT_EQ(inc[0].level, alert_level::critical);
    EXPECT_EQ(inc[0].findings.size(), 3U);
    EXPECT_EQ(inc[1].level, alert_level::high);
    EXPECT_EQ(inc[1].findings.size(), 3U);
    bool has_ext = false;
    for (const auto& f : inc[1].findings) {
        has_ext = has_ext || f.rule_id_or_kind() == "sigma:ssh-brute-force";
    }
    EXPECT_TRUE(has_ext);
    EXPECT_EQ(inc[2].level, alert_level::low);
}

TEST(DetectIncidents, TheTrackerGroupsAsTheBatchBuilderDoesAndSaysWhenToSpeak) {
    std::vector<finding> fs;
    fs.push_back(make(finding_kind::spike, alert_level::high, 190, "sshd", 4));
    fs.push_back(make(finding_kind::new_param_value, alert_level::low, 191, "sshd", 4));
    fs.push_back(make(finding_kind::external, alert_level::medium, 192, "sshd", 0));
    fs.push_back(make(finding_kind::first_error, alert_level::medium, 840, "api", 9));
    fs.push_back(make(finding_kind::first_error, alert_level::medium, 841, "billing", 12));
    fs.push_back(make(finding_kind::error_burst, alert_level::medium, 842, "api", 0));
    fs.push_back(make(finding_kind::rare_template, alert_level::low, 1200, "cron", 30));

    incident_tracker t;
    std::vector<incident> closed;
    std::vector<std::pair<uint64_t, bool>> spoke; // (incident, opened) when raised
    for (const auto& f : fs) {
        for (auto& c : t.expire(f.start_ns)) {
            closed.push_back(std::move(c.inc));
        }
        const auto u = t.add(f);
        if (u.raised) {
            spoke.emplace_back(u.id, u.opened);
        }
    }
    EXPECT_EQ(t.open_count(), 1U);
    for (auto& c : t.close_all()) {
        closed.push_back(std::move(c.inc));
    }
    EXPECT_EQ(t.open_count(), 0U);
    ASSERT_EQ(closed.size(), 3U);

    const auto batch = build_incidents(fs);
    auto key = [](const incident& i) { return std::make_pair(i.start_ns, i.findings.size()); };
    std::vector<std::pair<int64_t, size_t>> a;
    std::vector<std::pair<int64_t, size_t>> b;
    for (size_t i = 0; i < 3; ++i) {
        a.push_back(key(closed[i]));
        b.push_back(key(batch[i]));
    }
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(a, b);
    // the outage went medium -> high while it grew: opened, then raised once
    const std::vector<std::pair<uint64_t, bool>> want{{1, true}, {2, true}, {2, false}, {3, true}};
    EXPECT_EQ(spoke, want);
    EXPECT_EQ(closed[1].level, alert_level::high);
}
