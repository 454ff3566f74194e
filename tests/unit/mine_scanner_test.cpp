// Variable recognition of the template miner's token scanner.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mine/token_scanner.hpp"

using sysgrok::mine::token_scanner;

namespace {

std::string mask(std::string_view s) {
    token_scanner sc;
    return sc.mask_one(s);
}

std::vector<std::string> params(std::string_view s) {
    token_scanner sc;
    sc.scan(s);
    std::vector<std::string> out;
    for (const auto& t : sc.tokens()) {
        for (const auto& p : sc.params(t)) {
            out.emplace_back(s.substr(p.begin, p.end - p.begin));
        }
    }
    return out;
}

} // namespace

TEST(MineScanner, KeepsWordsAndNormalisesSpaces) {
    EXPECT_EQ(mask("Interrupting  SendWorker"), "Interrupting SendWorker");
    EXPECT_EQ(mask("ERROR IN CONTACTING RM."), "ERROR IN CONTACTING RM.");
    EXPECT_EQ(mask(""), "");
}

TEST(MineScanner, Numbers) {
    EXPECT_EQ(mask("took 160 ms"), "took <*> ms");
    EXPECT_EQ(mask("size -1 and +3.5"), "size <*> and <*>");
    EXPECT_EQ(mask("on port 55904."), "on port <*>.");
    EXPECT_EQ(mask("(TID 3). 2703 bytes"), "(TID <*>). <*> bytes");
}

TEST(MineScanner, AddressesWithPorts) {
    EXPECT_EQ(mask("10.251.73.220:50010"), "<*>:<*>");
    EXPECT_EQ(mask("from /10.251.42.84"), "from <*>");
    EXPECT_EQ(mask("/10.10.34.11:45307"), "<*>:<*>");
    EXPECT_EQ(mask("0.0.0.0/0.0.0.0:3888"), "<*>/<*>:<*>");
    EXPECT_EQ(mask("fe80::1ff:fe23:4567:890a"), "<*>");
    EXPECT_EQ(mask("[2001:db8::1]"), "[<*>]");
    EXPECT_EQ(mask("mac FF:F2:9F:16:E2:23:00:0D"), "mac <*>");
    EXPECT_EQ(mask("proxy.cse.cuhk.edu.hk:5070"), "<*>:<*>");
    EXPECT_EQ(mask("msra-sa-41:9000"), "<*>:<*>");
}

TEST(MineScanner, HexUuidAndIds) {
    EXPECT_EQ(mask("sessionid 0x14ed93111f20005"), "sessionid <*>");
    EXPECT_EQ(mask("iar 003a90fc dear 00b360e8"), "iar <*> dear <*>");
    EXPECT_EQ(mask("id 123e4567-e89b-12d3-a456-426614174000 done"), "id <*> done");
    EXPECT_EQ(mask("deadbeef-e89b-12d3-a456-426614174000"), "<*>");
    EXPECT_EQ(mask("block blk_-1608999687919862906"), "block <*>");
    EXPECT_EQ(mask("attempt_1445144423722_0020_m_000000_0"), "<*>");
    EXPECT_EQ(mask("Partition rdd_2_1 not found"), "Partition <*> not found");
    EXPECT_EQ(mask("node node-69 on MININT-FNANLI5"), "node node-<*> on MININT-<*>");
    EXPECT_EQ(mask("generating core.2275"), "generating core.<*>");
}

TEST(MineScanner, NamesWithDigitsStayConstant) {
    EXPECT_EQ(mask("port 22 ssh2"), "port <*> ssh2");
    EXPECT_EQ(mask("via interface eth0"), "via interface eth0");
    EXPECT_EQ(mask("jk2_init() Found child"), "jk2_init() Found child");
    EXPECT_EQ(mask("Slf4jLogger started"), "Slf4jLogger started");
    EXPECT_EQ(mask("domain storage234"), "domain <*>");
}

TEST(MineScanner, PathsAndUrls) {
    EXPECT_EQ(mask("ok /etc/httpd/conf/workers2.properties"), "ok <*>");
    EXPECT_EQ(mask("chdir(/p/gb2/glosli/t800) failed"), "chdir(<*>) failed");
    EXPECT_EQ(mask("Path:/home/curi/.zookeeper"), "Path:<*>");
    EXPECT_EQ(mask("node '/udev/vcsa2'"), "node '<*>'");
    EXPECT_EQ(mask("split: hdfs://10.10.34.11:9000/pjhe/logs/a.log:21876+7292"),
              "split: hdfs://<*>");
    EXPECT_EQ(mask("[hdfs://msra-sa-41:9000]"), "[hdfs://<*>:<*>]");
    EXPECT_EQ(mask("see https://example.com/a?b=1."), "see https://<*>.");
    EXPECT_EQ(mask("Core: C:\\Windows\\winsxs\\x.dll"), "Core: <*>");
    EXPECT_EQ(mask("load/store tree/torus"), "load/store tree/torus");
}

TEST(MineScanner, EmailsDatesTimesSizes) {
    EXPECT_EQ(mask("mail to alice.smith@example.org now"), "mail to <*> now");
    EXPECT_EQ(mask("at Fri Jun 17 07:07:00 2005"), "at <*>:<*>:<*>");
    EXPECT_EQ(mask("at Jun 17 07:07:00 x"), "at <*>:<*>:<*> x");
    EXPECT_EQ(mask("on Jun 17, 2005 done"), "on <*> done");
    EXPECT_EQ(mask("ts 2016-09-28T04:30:31.123Z"), "ts <*>");
    EXPECT_EQ(mask("date 2016-09-28"), "date <*>");
    EXPECT_EQ(mask("lifetime 00:01:20"), "lifetime <*>:<*>:<*>");
    EXPECT_EQ(mask("(estimated size 5.2 KB, free 17.7 GB)"), "(estimated size <*>, free <*>)");
    EXPECT_EQ(mask("timeout of 10000ms exceeded"), "timeout of <*> exceeded");
}

TEST(MineScanner, KeyValuesAndQuotedValues) {
    EXPECT_EQ(mask("uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4"),
              "uid=<*> euid=<*> tty=ssh ruser= rhost=<*>");
    EXPECT_EQ(mask("mc=e08x status=M"), "mc=<*> status=M");
    EXPECT_EQ(mask("ready=true,policy=3,mode=false"), "ready=<*>,policy=<*>,mode=<*>");
    EXPECT_EQ(mask("tag=\"View Lock\", name=x"), "tag=\"<*>\", name=x");
    EXPECT_EQ(mask("headroom=<memory:10240, vCores:-17>"), "headroom=<memory:<*>, vCores:<*>>");
    EXPECT_EQ(mask("visible is null"), "visible is <*>");
}

TEST(MineScanner, ParameterSpans) {
    EXPECT_EQ(params("Received block blk_123 of size 67108864 from /10.251.42.84"),
              (std::vector<std::string>{"blk_123", "67108864", "/10.251.42.84"}));
    EXPECT_EQ(params("src: /10.250.14.38:37362"),
              (std::vector<std::string>{"/10.250.14.38", "37362"}));
    EXPECT_EQ(params("user=root size 5.2 KB"), (std::vector<std::string>{"5.2 KB"}));
}

TEST(MineScanner, LongMessagesAreBounded) {
    std::string msg;
    for (int i = 0; i < 1000; ++i) {
        msg += "w ";
    }
    token_scanner sc;
    sc.scan(msg);
    EXPECT_EQ(sc.tokens().size(), 256U);
    EXPECT_EQ(sc.masked(sc.tokens().back()), "<*>");
}
