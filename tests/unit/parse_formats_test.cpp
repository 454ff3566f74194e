#include <gtest/gtest.h>

#include "core/hash.hpp"
#include "core/time.hpp"
#include "parse/format_id.hpp"
#include "parse_test_util.hpp"

namespace sysgrok::parse {
namespace {

using testing::parse_as;
using testing::parse_with;

int64_t
utc(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s, uint32_t ns = 0) {
    return to_epoch_ns(y, mo, d, h, mi, s, ns);
}

TEST(ParseSeverity, Words) {
    EXPECT_EQ(severity_from_word("INFO"), severity::info);
    EXPECT_EQ(severity_from_word("Warn"), severity::warning);
    EXPECT_EQ(severity_from_word("FATAL"), severity::critical);
    EXPECT_EQ(severity_from_word("SEVERE"), severity::error);
    EXPECT_EQ(severity_from_word("notice"), severity::notice);
    EXPECT_EQ(severity_from_word("TRACE"), severity::debug);
    EXPECT_FALSE(severity_from_word("D"));
    EXPECT_EQ(severity_from_word("D", true), severity::debug);
    EXPECT_FALSE(severity_from_word("combo"));
}

TEST(ParseCommon, EventBasics) {
    parse_state st;
    st.reference_ns = testing::k_reference_ns;
    st.input = 3;
    st.input_hash = 77;
    const auto out = parse_as("generic", "first line\nsecond line", &st);
    ASSERT_EQ(out.events.size(), 2U);
    const event& e = out.events[1];
    EXPECT_EQ(e.line, 2U);
    EXPECT_EQ(e.input, 3U);
    EXPECT_EQ(e.raw, "second line");
    EXPECT_EQ(e.id, hash64("second line", hash_combine(77, 2)));
    EXPECT_EQ(e.ts_ns, k_no_time);
    EXPECT_EQ(e.sev, severity::none);
    EXPECT_EQ(out.blocks.size(), 1U);
}

TEST(ParseRfc3164, Fields) {
    const auto out =
        parse_as("rfc3164", "<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed\n"
                            "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure\n"
                            "Jun 14 15:16:02 sshd: no host here\n"
                            "2024-01-05T10:00:00.123456+01:00 host prog[42]: iso\n"
                            "Jun 19 04:08:55 combo logrotate: ALERT exited abnormally\n");
    ASSERT_EQ(out.events.size(), 5U);
    const event& a = out.events[0];
    EXPECT_EQ(a.sev, severity::critical);
    EXPECT_EQ(a.host, "mymachine");
    EXPECT_EQ(a.program, "su");
    EXPECT_EQ(a.pid, 123);
    EXPECT_EQ(a.message, "'su root' failed");
    EXPECT_EQ(a.ts_ns, utc(2023, 10, 11, 22, 14, 15));
    EXPECT_EQ(a.format, static_cast<uint16_t>(format_id::rfc3164));
    EXPECT_EQ(out.events[1].program, "sshd(pam_unix)");
    EXPECT_EQ(out.events[1].pid, 19939);
    EXPECT_EQ(out.events[1].sev, severity::none);
    EXPECT_EQ(out.events[2].host, "");
    EXPECT_EQ(out.events[2].program, "sshd");
    EXPECT_EQ(out.events[3].ts_ns, utc(2024, 1, 5, 9, 0, 0, 123456000));
    EXPECT_EQ(out.events[3].utc_offset_s, 3600);
    EXPECT_EQ(out.events[3].host, "host");
    EXPECT_EQ(out.events[4].sev, severity::alert);
}

TEST(ParseRfc3164, NonMatchingFallsBackToGeneric) {
    parse_state st;
    st.reference_ns = testing::k_reference_ns;
    const auto out = parse_as("rfc3164", "not syslog at all\n", &st);
    ASSERT_EQ(out.events.size(), 1U);
    EXPECT_EQ(out.events[0].format, static_cast<uint16_t>(format_id::generic));
    EXPECT_EQ(out.events[0].message, "not syslog at all");
    EXPECT_EQ(st.unmatched, 1U);
    EXPECT_EQ(st.matched, 0U);
}

TEST(ParseRfc5424, FieldsAndStructuredData) {
    const auto out = parse_as(
        "rfc5424", "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 99 ID47 "
                   "[exampleSDID@32473 iut=\"3\" eventSource=\"Appli\\\"cation\"][meta seq=\"1\"] "
                   "\xEF\xBB\xBF"
                   "An application event\n"
                   "<34>1 - - - - - - no time\n");
    ASSERT_EQ(out.events.size(), 2U);
    const event& e = out.events[0];
    EXPECT_EQ(e.format, static_cast<uint16_t>(format_id::rfc5424));
    EXPECT_EQ(e.sev, severity::notice);
    EXPECT_EQ(e.ts_ns, utc(2003, 10, 11, 22, 14, 15, 3000000));
    EXPECT_EQ(e.host, "mymachine.example.com");
    EXPECT_EQ(e.program, "evntslog");
    EXPECT_EQ(e.pid, 99);
    EXPECT_EQ(e.message, "An application event");
    EXPECT_EQ(out.field_value(e, "log.syslog.msgid"), "ID47");
    EXPECT_EQ(out.field_value(e, "exampleSDID@32473.iut"), "3");
    EXPECT_EQ(out.field_value(e, "exampleSDID@32473.eventSource"), "Appli\"cation");
    EXPECT_EQ(out.field_value(e, "meta.seq"), "1");
    EXPECT_EQ(out.events[1].ts_ns, k_no_time);
    EXPECT_EQ(out.events[1].message, "no time");
    EXPECT_EQ(out.events[1].format, static_cast<uint16_t>(format_id::rfc5424));
}

TEST(ParseJson, GenericKeysAndFields) {
    const auto out = parse_as(
        "json",
        R"({"time":"2024-01-05T10:00:00Z","level":"warn","msg":"disk \"sda\" full","host":"h1",)"
        R"("logger":"disk","pid":42,"pct":99.5,"ok":false,"user":{"id":7,"name":"bob"},"tags":[1,2]})"
        "\n");
    ASSERT_EQ(out.events.size(), 1U);
    const event& e = out.events[0];
    EXPECT_EQ(e.format, static_cast<uint16_t>(format_id::json));
    EXPECT_EQ(e.ts_ns, utc(2024, 1, 5, 10, 0, 0));
    EXPECT_EQ(e.sev, severity::warning);
    EXPECT_EQ(e.message, "disk \"sda\" full");
    EXPECT_EQ(e.host, "h1");
    EXPECT_EQ(e.program, "disk");
    EXPECT_EQ(e.pid, 42);
    EXPECT_EQ(out.field_value(e, "pct"), "99.5");
    EXPECT_EQ(out.field_value(e, "ok"), "false");
    EXPECT_EQ(out.field_value(e, "user.id"), "7");
    EXPECT_EQ(out.field_value(e, "user.name"), "bob");
}

TEST(ParseJson, JournalDockerEcs) {
    const auto out = parse_as(
        "json",
        R"({"__REALTIME_TIMESTAMP":"1704448800123456","PRIORITY":"3","_HOSTNAME":"srv",)"
        R"("SYSLOG_IDENTIFIER":"sshd","_PID":"812","MESSAGE":"Failed password"})"
        "\n"
        R"({"log":"hello world\n","stream":"stderr","time":"2024-01-05T10:00:00.5Z"})"
        "\n"
        R"({"@timestamp":"2024-01-05T10:00:00.000Z","log.level":"error","message":"boom",)"
        R"("host":{"name":"web-1"},"process":{"pid":9},"event":{"category":"web","outcome":"failure"}})"
        "\n"
        R"({"ts":1704448800.25,"level":30,"msg":"pino"})"
        "\n");
    ASSERT_EQ(out.events.size(), 4U);
    const event& j = out.events[0];
    EXPECT_EQ(j.ts_ns, int64_t{1704448800123456} * 1000);
    EXPECT_EQ(j.sev, severity::error);
    EXPECT_EQ(j.host, "srv");
    EXPECT_EQ(j.program, "sshd");
    EXPECT_EQ(j.pid, 812);
    EXPECT_EQ(j.message, "Failed password");
    const event& d = out.events[1];
    EXPECT_EQ(d.message, "hello world");
    EXPECT_EQ(out.field_value(d, "stream"), "stderr");
    EXPECT_EQ(d.ts_ns, utc(2024, 1, 5, 10, 0, 0, 500000000));
    const event& c = out.events[2];
    EXPECT_EQ(c.sev, severity::error);
    EXPECT_EQ(c.host, "web-1");
    EXPECT_EQ(c.pid, 9);
    EXPECT_EQ(out.field_value(c, "event.category"), "web");
    EXPECT_EQ(out.field_value(c, "event.outcome"), "failure");
    const event& p = out.events[3];
    EXPECT_EQ(p.ts_ns, int64_t{1704448800250} * 1000000);
    EXPECT_EQ(p.sev, severity::info);
}

TEST(ParseJson, InvalidJsonFallsBack) {
    parse_state st;
    st.reference_ns = testing::k_reference_ns;
    const auto out = parse_as("json", "{\"a\": \n{broken\n[1,2]\n", &st);
    ASSERT_EQ(out.events.size(), 3U);
    EXPECT_EQ(st.unmatched, 3U);
}

TEST(ParseLogfmt, Fields) {
    const auto out = parse_as(
        "logfmt",
        "ts=2024-01-05T10:00:00Z level=info msg=\"quoted \\\" value\" key=value n=3 host=h\n");
    ASSERT_EQ(out.events.size(), 1U);
    const event& e = out.events[0];
    EXPECT_EQ(e.format, static_cast<uint16_t>(format_id::logfmt));
    EXPECT_EQ(e.ts_ns, utc(2024, 1, 5, 10, 0, 0));
    EXPECT_EQ(e.sev, severity::info);
    EXPECT_EQ(e.message, "quoted \" value");
    EXPECT_EQ(e.host, "h");
    EXPECT_EQ(out.field_value(e, "key"), "value");
    EXPECT_EQ(out.field_value(e, "n"), "3");
}

TEST(ParseAccess, CombinedAndCommon) {
    const auto out = parse_as(
        "access",
        "1.2.3.4 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a?b HTTP/1.1\" 200 2326 "
        "\"http://ref/\" \"Mozilla/5.0\"\n"
        "crawler.example.com - - [10/Oct/2000:13:55:37 -0700] \"POST /login HTTP/1.0\" 503 -\n"
        "::1 - - [10/Oct/2000:13:55:38 +0000] \"GET /x HTTP/2.0\" 404 12\n");
    ASSERT_EQ(out.events.size(), 3U);
    const event& a = out.events[0];
    EXPECT_EQ(a.format, static_cast<uint16_t>(format_id::access));
    EXPECT_EQ(a.ts_ns, utc(2000, 10, 10, 20, 55, 36));
    EXPECT_EQ(a.utc_offset_s, -25200);
    EXPECT_EQ(a.sev, severity::info);
    EXPECT_EQ(a.message, "GET /a?b HTTP/1.1");
    EXPECT_EQ(out.field_value(a, "source.ip"), "1.2.3.4");
    EXPECT_EQ(out.field_value(a, "user.name"), "frank");
    EXPECT_EQ(out.field_value(a, "http.request.method"), "GET");
    EXPECT_EQ(out.field_value(a, "url.original"), "/a?b");
    EXPECT_EQ(out.field_value(a, "http.version"), "1.1");
    EXPECT_EQ(out.field_value(a, "http.response.status_code"), "200");
    EXPECT_EQ(out.field_value(a, "http.response.body.bytes"), "2326");
    EXPECT_EQ(out.field_value(a, "http.request.referrer"), "http://ref/");
    EXPECT_EQ(out.field_value(a, "user_agent.original"), "Mozilla/5.0");
    EXPECT_EQ(out.field_value(a, "event.category"), "web");
    EXPECT_EQ(out.field_value(a, "event.outcome"), "success");
    const event& b = out.events[1];
    EXPECT_EQ(out.field_value(b, "source.domain"), "crawler.example.com");
    EXPECT_EQ(out.field_value(b, "user.name"), "");
    EXPECT_EQ(b.sev, severity::error);
    EXPECT_EQ(out.field_value(b, "event.outcome"), "failure");
    EXPECT_EQ(out.field_value(out.events[2], "source.ip"), "::1");
    EXPECT_EQ(out.events[2].sev, severity::warning);
}

TEST(ParseCri, Fields) {
    const auto out = parse_as("cri", "2016-10-06T00:17:09.669794202Z stderr F the message\n");
    ASSERT_EQ(out.events.size(), 1U);
    EXPECT_EQ(out.events[0].message, "the message");
    EXPECT_EQ(out.field_value(out.events[0], "log.stream"), "stderr");
}

TEST(ParseGeneric, LevelsComponentsAndPids) {
    const auto out = parse_as(
        "generic",
        "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating\n"
        "2015-10-18 18:01:47,978 INFO [main] org.apache.MRAppMaster: Created MRAppMaster\n"
        "2015-07-29 17:41:44,747 - WARN  [QuorumPeer[myid=1]/0:2181:FastLeaderElection@774] - "
        "Notification time out: 3200\n"
        "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezing\n"
        "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6\n"
        "- 1117838570 2005.06.03 R02-M1-N0 2005-06-03-15.42.50.675872 R02-M1-N0 RAS KERNEL FATAL "
        "data TLB error interrupt\n"
        "2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack\n"
        "I0312 10:00:00.123456   123 file.go:12] klog message\n"
        "no timestamp and no level here\n");
    ASSERT_EQ(out.events.size(), 9U);
    EXPECT_EQ(out.events[0].sev, severity::info);
    EXPECT_EQ(out.events[0].pid, 148);
    EXPECT_EQ(out.events[0].program, "dfs.DataNode$PacketResponder");
    EXPECT_EQ(out.events[0].message, "PacketResponder 1 terminating");
    EXPECT_EQ(out.events[1].program, "org.apache.MRAppMaster");
    EXPECT_EQ(out.events[1].message, "Created MRAppMaster");
    EXPECT_EQ(out.events[2].sev, severity::warning);
    EXPECT_EQ(out.events[2].message, "Notification time out: 3200");
    EXPECT_EQ(out.events[3].sev, severity::debug);
    EXPECT_EQ(out.events[3].program, "WindowManager");
    EXPECT_EQ(out.events[3].pid, 1702);
    EXPECT_EQ(out.events[4].sev, severity::error);
    EXPECT_EQ(out.events[4].message, "mod_jk child workerEnv in error state 6");
    EXPECT_EQ(out.events[5].sev, severity::critical);
    EXPECT_EQ(out.events[5].message, "data TLB error interrupt");
    EXPECT_EQ(out.events[6].sev, severity::info);
    EXPECT_EQ(out.events[7].sev, severity::info);
    EXPECT_EQ(out.events[7].pid, 123);
    EXPECT_EQ(out.events[7].message, "klog message");
    EXPECT_EQ(out.events[8].ts_ns, k_no_time);
    EXPECT_EQ(out.events[8].sev, severity::none);
    EXPECT_EQ(out.events[8].message, "no timestamp and no level here");
}

TEST(ParseUserFormats, HeaderParser) {
    auto p =
        make_header_parser("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>");
    ASSERT_TRUE(p);
    const auto out = parse_with(**p, "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: auth failure \n"
                                     "Jun 14 15:16:02 combo su: session opened\n");
    ASSERT_EQ(out.events.size(), 2U);
    EXPECT_EQ(out.events[0].format, static_cast<uint16_t>(format_id::header));
    EXPECT_EQ(out.events[0].message, "auth failure");
    EXPECT_EQ(out.events[0].program, "sshd(pam_unix)");
    EXPECT_EQ(out.events[0].pid, 19939);
    EXPECT_EQ(out.field_value(out.events[0], "Level"), "combo");
    EXPECT_EQ(out.events[0].ts_ns, utc(2024, 6, 14, 15, 16, 1));
    EXPECT_EQ(out.events[1].pid, -1);
    EXPECT_FALSE(make_header_parser("no fields at all"));
    EXPECT_FALSE(make_header_parser("<A> (unclosed <Content>"));
}

TEST(ParseUserFormats, RegexParser) {
    auto p = make_regex_parser(
        R"(^(?P<timestamp>\S+) (?P<level>\w+) (?P<program>\w+)\[(?P<pid>\d+)\] (?P<message>.*)$)");
    ASSERT_TRUE(p);
    const auto out = parse_with(**p, "2024-01-05T10:00:00Z ERROR app[7] it broke\nother\n");
    ASSERT_EQ(out.events.size(), 2U);
    EXPECT_EQ(out.events[0].format, static_cast<uint16_t>(format_id::regex));
    EXPECT_EQ(out.events[0].sev, severity::error);
    EXPECT_EQ(out.events[0].program, "app");
    EXPECT_EQ(out.events[0].pid, 7);
    EXPECT_EQ(out.events[0].message, "it broke");
    EXPECT_EQ(out.events[0].ts_ns, utc(2024, 1, 5, 10, 0, 0));
    EXPECT_EQ(out.events[1].format, static_cast<uint16_t>(format_id::generic));
    EXPECT_FALSE(make_regex_parser("(unclosed"));
}

TEST(ParseRegistry, MakeParserAndNames) {
    for (const auto& f : builtin_formats()) {
        auto p = make_parser(f.name);
        ASSERT_TRUE(p) << f.name;
        EXPECT_EQ((*p)->name(), f.name);
        EXPECT_FALSE(f.description.empty());
    }
    auto bad = make_parser("nope");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().hint.find("rfc3164"), std::string::npos);
}

std::string detect(std::string_view text) {
    const record_batch b = testing::make_batch(text);
    return std::string(detect_format(b.records)->name());
}

TEST(ParseDetect, ChoosesFormat) {
    EXPECT_EQ(detect("Jun 14 15:16:01 combo sshd[1]: a\nJun 14 15:16:02 combo su: b\n"), "rfc3164");
    EXPECT_EQ(detect("<34>1 2003-10-11T22:14:15.003Z h app - - - msg\n"), "rfc5424");
    EXPECT_EQ(detect("{\"msg\":\"a\"}\n{\"msg\":\"b\",\"level\":\"info\"}\n"), "json");
    EXPECT_EQ(detect("ts=1 level=info msg=a\nts=2 level=warn msg=b\n"), "logfmt");
    EXPECT_EQ(detect("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5\n"),
              "access");
    EXPECT_EQ(detect("2016-10-06T00:17:09.669794202Z stdout F x\n"), "cri");
    EXPECT_EQ(detect("2015-10-18 18:01:47,978 INFO [main] a.B: c\n"), "generic");
    EXPECT_EQ(detect(""), "generic");
    // Mostly JSON with a stray line: still JSON.
    EXPECT_EQ(detect("{\"a\":1}\n{\"a\":2}\nstray\n"), "json");
}

} // namespace
} // namespace sysgrok::parse

namespace sysgrok::parse {
namespace {

TEST(ParseRobustness, HugeAndBinaryLines) {
    std::string input;
    input += std::string(1 << 20, '{') + "\n";
    input += std::string(1 << 20, '[') + "\n";
    input += "<34>Oct 11 22:14:15 h p: " + std::string(1 << 20, 'x') + "\n";
    input += std::string("\x00\xff\xfe{\"a\":\"\x00\"}", 12) + "\n";
    input += "ts=1 msg=\"unterminated\n";
    input += "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /\\\"\n";
    std::string bad_utf8 = "2024-01-05T10:00:00Z \xc3\x28 \xe2\x82 INFO \xf0\x9f";
    input += bad_utf8 + "\n";
    for (const auto& f : builtin_formats()) {
        const auto out = testing::parse_as(f.name, input);
        EXPECT_EQ(out.events.size(), 7U) << f.name;
    }
    auto h = make_header_parser("<Date> <Time> <Level> <Component>: <Content>");
    ASSERT_TRUE(h);
    EXPECT_EQ(testing::parse_with(**h, input).events.size(), 7U);
}

} // namespace
} // namespace sysgrok::parse
