// Sigma value modifiers against the specification's semantics (sigma-appendix-modifiers).
#include <gtest/gtest.h>

#include "security/value_matcher.hpp"
#include "security_test_util.hpp"

namespace sysgrok::security::test {
namespace {

const std::string k_sel = "    selection:\n";
const std::string k_cond = "    condition: selection\n";

std::string sel(const std::string& body) {
    return k_sel + body + k_cond;
}

TEST(SecurityModifiers, PlainValueIsWholeFieldCaseInsensitive) {
    const auto d = sel("        Image: '/usr/bin/NC'\n");
    EXPECT_TRUE(matches(d, "x", {{"process.executable", "/usr/bin/nc"}}));
    EXPECT_FALSE(matches(d, "x", {{"process.executable", "/usr/bin/ncat"}}));
    EXPECT_FALSE(matches(d, "x", {}));
}

TEST(SecurityModifiers, WildcardsAndEscapes) {
    EXPECT_TRUE(matches(sel("        f: 'a*c'\n"), "x", {{"f", "abbbc"}}));
    EXPECT_TRUE(matches(sel("        f: 'a?c'\n"), "x", {{"f", "abc"}}));
    EXPECT_FALSE(matches(sel("        f: 'a?c'\n"), "x", {{"f", "abbc"}}));
    EXPECT_TRUE(matches(sel("        f: 'a\\*c'\n"), "x", {{"f", "a*c"}}));
    EXPECT_FALSE(matches(sel("        f: 'a\\*c'\n"), "x", {{"f", "abc"}}));
    EXPECT_TRUE(matches(sel("        f: 'a\\?'\n"), "x", {{"f", "a?"}}));
    EXPECT_TRUE(matches(sel("        f: 'a\\\\*'\n"), "x", {{"f", "a\\zzz"}}));
    EXPECT_TRUE(matches(sel("        f: 'C:\\Windows'\n"), "x", {{"f", "c:\\windows"}}));
    EXPECT_TRUE(matches(sel("        f: ''\n"), "x", {{"f", ""}}));
    EXPECT_FALSE(matches(sel("        f: ''\n"), "x", {{"f", "a"}}));
}

TEST(SecurityModifiers, ContainsStartswithEndswith) {
    EXPECT_TRUE(matches(sel("        f|contains: 'BIN/ba'\n"), "x", {{"f", "/usr/bin/bash"}}));
    EXPECT_TRUE(matches(sel("        f|startswith: '/usr'\n"), "x", {{"f", "/usr/bin/bash"}}));
    EXPECT_FALSE(matches(sel("        f|startswith: 'bin'\n"), "x", {{"f", "/usr/bin/bash"}}));
    EXPECT_TRUE(matches(sel("        f|endswith: '/bash'\n"), "x", {{"f", "/usr/bin/bash"}}));
    EXPECT_FALSE(matches(sel("        f|endswith: '/usr'\n"), "x", {{"f", "/usr/bin/bash"}}));
    EXPECT_TRUE(matches(sel("        f|contains: 'b*h'\n"), "x", {{"f", "/usr/bin/bash"}}));
}

TEST(SecurityModifiers, ListIsOrAllIsAnd) {
    const auto any = sel("        f|contains:\n            - 'foo'\n            - 'bar'\n");
    EXPECT_TRUE(matches(any, "x", {{"f", "xbarx"}}));
    const auto all = sel("        f|contains|all:\n            - 'foo'\n            - 'bar'\n");
    EXPECT_FALSE(matches(all, "x", {{"f", "xbarx"}}));
    EXPECT_TRUE(matches(all, "x", {{"f", "bar foo"}}));
}

TEST(SecurityModifiers, Cased) {
    EXPECT_TRUE(matches(sel("        f|cased: 'Abc'\n"), "x", {{"f", "Abc"}}));
    EXPECT_FALSE(matches(sel("        f|cased: 'Abc'\n"), "x", {{"f", "abc"}}));
    EXPECT_TRUE(matches(sel("        f|contains|cased: 'B'\n"), "x", {{"f", "aBc"}}));
    EXPECT_FALSE(matches(sel("        f|contains|cased: 'B'\n"), "x", {{"f", "abc"}}));
}

TEST(SecurityModifiers, Neq) {
    const auto d = sel("        f|neq: 'a'\n");
    EXPECT_TRUE(matches(d, "x", {{"f", "b"}}));
    EXPECT_FALSE(matches(d, "x", {{"f", "A"}}));
}

TEST(SecurityModifiers, RegexCaseSensitiveWithFlags) {
    EXPECT_TRUE(matches(sel("        f|re: '^/usr/.*sh$'\n"), "x", {{"f", "/usr/bin/bash"}}));
    EXPECT_FALSE(matches(sel("        f|re: 'BASH'\n"), "x", {{"f", "/usr/bin/bash"}}));
    EXPECT_TRUE(matches(sel("        f|re|i: 'BASH'\n"), "x", {{"f", "/usr/bin/bash"}}));
    EXPECT_TRUE(matches(sel("        f|re: '(?i)BASH\\s?'\n"), "x", {{"f", "bash"}}));
    EXPECT_TRUE(matches(sel("        f|re|m: '^b$'\n"), "x", {{"f", "a\nb\nc"}}));
    EXPECT_FALSE(matches(sel("        f|re: '^b$'\n"), "x", {{"f", "a\nb\nc"}}));
    EXPECT_TRUE(matches(sel("        f|re|s: 'a.b'\n"), "x", {{"f", "a\nb"}}));
    EXPECT_FALSE(matches(sel("        f|re: 'a.b'\n"), "x", {{"f", "a\nb"}}));
    // RE2 has no look-around: the rule is rejected with a reason, not dropped.
    const auto rej = rejections(rule_yaml(sel("        f|re: 'a(?=b)'\n")));
    ASSERT_EQ(rej.size(), 1U);
    EXPECT_NE(rej[0].reason.find("regex"), std::string::npos);
}

TEST(SecurityModifiers, Cidr) {
    const auto v4 =
        sel("        ip|cidr:\n            - '10.0.0.0/8'\n            - '192.168.1.0/24'\n");
    EXPECT_TRUE(matches(v4, "x", {{"ip", "10.1.2.3"}}));
    EXPECT_TRUE(matches(v4, "x", {{"ip", "192.168.1.77"}}));
    EXPECT_FALSE(matches(v4, "x", {{"ip", "192.168.2.1"}}));
    EXPECT_FALSE(matches(v4, "x", {{"ip", "not-an-ip"}}));
    const auto v6 = sel("        ip|cidr: 'fe80::/10'\n");
    EXPECT_TRUE(matches(v6, "x", {{"ip", "fe80::1"}}));
    EXPECT_FALSE(matches(v6, "x", {{"ip", "2001:db8::1"}}));
}

TEST(SecurityModifiers, Base64AndBase64Offset) {
    EXPECT_EQ(base64_encode("/bin/bash"), "L2Jpbi9iYXNo");
    EXPECT_TRUE(matches(sel("        f|base64: '/bin/bash'\n"), "x", {{"f", "L2Jpbi9iYXNo"}}));
    // base64offset: the value at any of the three byte offsets inside a base64 string.
    const auto d = sel("        f|base64offset|contains: 'secret'\n");
    for (const std::string prefix : {"", "x", "xy", "xyz", "abcd"}) {
        EXPECT_TRUE(matches(d, "x", {{"f", base64_encode(prefix + "secret" + "tail")}})) << prefix;
    }
    EXPECT_FALSE(matches(d, "x", {{"f", base64_encode("public data")}}));
    // Case matters for base64 only with |cased; the default is case-insensitive.
    EXPECT_TRUE(matches(sel("        f|base64|cased: 'a'\n"), "x", {{"f", "YQ=="}}));
}

TEST(SecurityModifiers, Utf16Variants) {
    EXPECT_TRUE(matches(sel("        f|wide|base64: 'cmd'\n"), "x", {{"f", "YwBtAGQA"}}));
    EXPECT_TRUE(matches(sel("        f|utf16le|base64: 'cmd'\n"), "x", {{"f", "YwBtAGQA"}}));
    EXPECT_TRUE(matches(sel("        f|utf16be|base64: 'cmd'\n"), "x", {{"f", "AGMAbQBk"}}));
    EXPECT_TRUE(matches(sel("        f|utf16|base64: 'cmd'\n"), "x", {{"f", "//5jAG0AZAA="}}));
}

TEST(SecurityModifiers, Windash) {
    const auto d = sel("        f|windash|contains: ' -exec'\n");
    EXPECT_TRUE(matches(d, "x", {{"f", "find . -exec rm"}}));
    EXPECT_TRUE(matches(d, "x", {{"f", "find . /exec rm"}}));
    EXPECT_TRUE(matches(d, "x",
                        {{"f", "find . \xE2\x80\x93"
                               "exec rm"}}));
    EXPECT_TRUE(matches(d, "x",
                        {{"f", "find . \xE2\x80\x94"
                               "exec rm"}}));
    EXPECT_TRUE(matches(d, "x",
                        {{"f", "find . \xE2\x80\x95"
                               "exec rm"}}));
    EXPECT_FALSE(matches(d, "x", {{"f", "find . +exec rm"}}));
}

TEST(SecurityModifiers, ExistsAndNull) {
    EXPECT_TRUE(matches(sel("        f|exists: true\n"), "x", {{"f", ""}}));
    EXPECT_FALSE(matches(sel("        f|exists: true\n"), "x", {}));
    EXPECT_TRUE(matches(sel("        f|exists: false\n"), "x", {}));
    EXPECT_FALSE(matches(sel("        f|exists: false\n"), "x", {{"f", "v"}}));
    EXPECT_TRUE(matches(sel("        f: null\n"), "x", {}));
    EXPECT_TRUE(matches(sel("        f: null\n"), "x", {{"f", ""}}));
    EXPECT_FALSE(matches(sel("        f: null\n"), "x", {{"f", "v"}}));
}

TEST(SecurityModifiers, NumericComparisons) {
    const field_list f = {{"n", "404"}};
    EXPECT_TRUE(matches(sel("        n|gt: 400\n"), "x", f));
    EXPECT_FALSE(matches(sel("        n|gt: 404\n"), "x", f));
    EXPECT_TRUE(matches(sel("        n|gte: 404\n"), "x", f));
    EXPECT_TRUE(matches(sel("        n|lt: 500\n"), "x", f));
    EXPECT_FALSE(matches(sel("        n|lt: 404\n"), "x", f));
    EXPECT_TRUE(matches(sel("        n|lte: 404\n"), "x", f));
    EXPECT_FALSE(matches(sel("        n|gt: 1\n"), "x", {{"n", "abc"}}));
    EXPECT_TRUE(matches(sel("        n: 404\n"), "x", f)); // plain numbers compare as text
}

TEST(SecurityModifiers, Fieldref) {
    const auto d = sel("        a|fieldref: b\n");
    EXPECT_TRUE(matches(d, "x", {{"a", "Root"}, {"b", "root"}}));
    EXPECT_FALSE(matches(d, "x", {{"a", "root"}, {"b", "alice"}}));
    EXPECT_FALSE(matches(d, "x", {{"a", "root"}}));
}

TEST(SecurityModifiers, UnsupportedAreRejectedWithReason) {
    for (const std::string m : {"expand", "hour", "bogus"}) {
        const auto rej = rejections(rule_yaml(sel("        f|" + m + ": 'x'\n")));
        ASSERT_EQ(rej.size(), 1U) << m;
        EXPECT_NE(rej[0].reason.find(m), std::string::npos) << rej[0].reason;
        EXPECT_EQ(rej[0].line, 9U) << m; // the line of the value
    }
}

TEST(SecurityModifiers, KeywordsSearchTheRawLine) {
    const std::string d = "    keywords:\n        - 'REPLACE'\n        - 'Trojan*FOUND'\n"
                          "    condition: keywords\n";
    EXPECT_TRUE(matches(d, "Nov 1 cron[1]: (root) replace (root)"));
    EXPECT_TRUE(matches(d, "clamd: /tmp/x: Trojan.Agent FOUND"));
    EXPECT_FALSE(matches(d, "nothing here"));
    const std::string all = "    keywords:\n        '|all':\n            - 'new user'\n"
                            "            - 'UID=0,'\n    condition: keywords\n";
    EXPECT_TRUE(matches(all, "useradd[1]: new user: name=x, UID=0, GID=0"));
    EXPECT_FALSE(matches(all, "useradd[1]: new user: name=x, UID=1000, GID=0"));
}

TEST(SecurityModifiers, ParseIp) {
    EXPECT_TRUE(parse_ip("1.2.3.4"));
    EXPECT_TRUE(parse_ip("::1"));
    EXPECT_FALSE(parse_ip("1.2.3"));
    EXPECT_FALSE(parse_ip("example.com"));
}

} // namespace
} // namespace sysgrok::security::test
