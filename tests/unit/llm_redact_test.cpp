// Redaction before prompts and restoration in what is shown.
#include <gtest/gtest.h>

#include "explain/redact.hpp"

using namespace sysgrok::explain;

namespace {
std::unique_ptr<redactor> make(const redaction_config& c = {}) {
    auto r = redactor::create(c);
    EXPECT_TRUE(r) << r.error().message;
    return std::move(*r);
}
} // namespace

TEST(llm_redact, hides_each_kind_and_restores_it) {
    auto r = make();
    r->add_term("HOST", "db1-prod");
    const std::string line =
        "db1-prod sshd[4]: Failed password for invalid user admin from 203.0.113.7 port 22; "
        "mail alice@example.com; token=abcd1234efgh; via fe80::1ff:fe23:4567:890a at "
        "mx1.example.com; key AKIAIOSFODNN7EXAMPLE";
    const std::string red = r->redact(line);
    for (const char* secret :
         {"db1-prod", "admin", "203.0.113.7", "alice@example.com", "abcd1234efgh",
          "fe80::1ff:fe23:4567:890a", "mx1.example.com", "AKIAIOSFODNN7EXAMPLE"}) {
        EXPECT_EQ(red.find(secret), std::string::npos) << secret << " in " << red;
    }
    EXPECT_NE(red.find("<IP_1>"), std::string::npos) << red;
    EXPECT_NE(red.find("<USER_1>"), std::string::npos) << red;
    EXPECT_EQ(r->restore(red), line);
}

TEST(llm_redact, same_value_same_placeholder_and_bare_placeholders_restore) {
    auto r = make();
    const std::string a = r->redact("from 10.0.0.1 and 10.0.0.2 then 10.0.0.1");
    EXPECT_EQ(a, "from <IP_1> and <IP_2> then <IP_1>");
    // Models sometimes drop the brackets.
    EXPECT_EQ(r->restore("blocked IP_2, then <IP_1>"), "blocked 10.0.0.2, then 10.0.0.1");
    // Unknown placeholders stay as they are.
    EXPECT_EQ(r->restore("<IP_9> EMAIL_3"), "<IP_9> EMAIL_3");
}

TEST(llm_redact, leaves_ordinary_text_alone) {
    auto r = make();
    const std::string text =
        "java.io.IOException at 12:34:56 in std::vector; user authentication failure; "
        "template <*> for 10 seconds; version 1.2";
    EXPECT_EQ(r->redact(text), text);
}

TEST(llm_redact, configurable_kinds_and_extra_patterns) {
    auto only_ip = parse_redaction_spec("ip");
    ASSERT_TRUE(only_ip);
    auto r = make(*only_ip);
    EXPECT_EQ(r->redact("bob@example.com from 10.1.2.3"), "bob@example.com from <IP_1>");
    auto none = parse_redaction_spec("none");
    ASSERT_TRUE(none);
    EXPECT_EQ(make(*none)->redact("10.1.2.3"), "10.1.2.3");
    EXPECT_FALSE(parse_redaction_spec("ip,bogus"));

    redaction_config c;
    c.extra = {{"ticket", "TICKET-([0-9]+)"}};
    auto t = make(c);
    EXPECT_EQ(t->redact("see TICKET-42"), "see TICKET-<TICKET_1>");
    c.extra = {{"bad", "(unclosed"}};
    EXPECT_FALSE(redactor::create(c));
}
