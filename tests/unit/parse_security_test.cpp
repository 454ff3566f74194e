// Security field extraction (src/parse/security): the ECS fields of sshd, PAM, sudo, su,
// account tools, cron, systemd, auditd, kernel and web-server error lines.
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "parse/security/session_memory.hpp"
#include "parse_test_util.hpp"

namespace sysgrok::parse {
namespace {

using testing::parse_as;

/// Parses one line and gives access to its fields.
struct parsed {
    event_batch batch;
    parsed(std::string_view format, std::string_view line) : batch(parse_as(format, line)) {}
    [[nodiscard]] const event& ev(size_t i = 0) const { return batch.events.at(i); }
    [[nodiscard]] std::string f(std::string_view key, size_t i = 0) const {
        return std::string(batch.field_value(ev(i), key));
    }
};

TEST(ParseSecuritySshd, AcceptedPassword) {
    const parsed p("rfc3164", "Mar  4 10:01:02 bastion sshd[4410]: Accepted password for deploy "
                              "from 203.0.113.44 port 51122 ssh2");
    EXPECT_EQ(p.f("event.category"), "authentication");
    EXPECT_EQ(p.f("event.type"), "start");
    EXPECT_EQ(p.f("event.action"), "ssh_login");
    EXPECT_EQ(p.f("event.outcome"), "success");
    EXPECT_EQ(p.f("user.name"), "deploy");
    EXPECT_EQ(p.f("source.ip"), "203.0.113.44");
    EXPECT_EQ(p.f("source.port"), "51122");
    EXPECT_EQ(p.f("ssh.method"), "password");
}

TEST(ParseSecuritySshd, FailedPasswordInvalidUserIpv6) {
    const parsed p("rfc3164", "Mar  4 10:01:03 bastion sshd[4411]: Failed password for invalid "
                              "user oracle from 2001:db8:7::15 port 40022 ssh2");
    EXPECT_EQ(p.f("event.outcome"), "failure");
    EXPECT_EQ(p.f("event.action"), "ssh_invalid_user");
    EXPECT_EQ(p.f("user.name"), "oracle");
    EXPECT_EQ(p.f("source.ip"), "2001:db8:7::15");
}

TEST(ParseSecuritySshd, InjectedUserNameDoesNotMoveTheSource) {
    // The user name itself contains "from ADDR port N ssh2".
    const parsed p("rfc3164",
                   "Mar  4 10:01:04 bastion sshd[4412]: Failed password for invalid "
                   "user x from 198.51.100.9 port 22 ssh2 from 192.0.2.77 port 5511 ssh2");
    EXPECT_EQ(p.f("source.ip"), "192.0.2.77");
    EXPECT_EQ(p.f("user.name"), "x from 198.51.100.9 port 22 ssh2");
    const parsed q("rfc3164", "Mar  4 10:01:04 bastion sshd[4412]: Failed password for bob from "
                              "192.0.2.78 port 5512 ssh2: ruser from 198.51.100.9");
    EXPECT_EQ(q.f("source.ip"), "192.0.2.78");
}

TEST(ParseSecuritySshd, PublickeyRejectedForValidUserIsNotAFailure) {
    const parsed p("rfc3164", "Mar  4 10:02:00 bastion sshd[4413]: Failed publickey for git from "
                              "192.0.2.20 port 40000 ssh2: ED25519 SHA256:abc");
    EXPECT_EQ(p.f("event.action"), "ssh_publickey_rejected");
    EXPECT_EQ(p.f("event.outcome"), "");
    EXPECT_EQ(p.f("source.ip"), "192.0.2.20");
}

TEST(ParseSecuritySshd, InvalidUserAndNotAllowed) {
    const parsed p("rfc3164", "Mar  4 10:03:00 bastion sshd[4414]: Invalid user admin from "
                              "198.51.100.3 port 33100");
    EXPECT_EQ(p.f("event.action"), "ssh_invalid_user");
    EXPECT_EQ(p.f("user.name"), "admin");
    EXPECT_EQ(p.f("source.ip"), "198.51.100.3");
    EXPECT_EQ(p.f("source.port"), "33100");
    const parsed q("rfc3164", "Mar  4 10:03:01 bastion sshd[4415]: User guest from "
                              "scanner.example.net not allowed because not listed in AllowUsers");
    EXPECT_EQ(q.f("event.outcome"), "failure");
    EXPECT_EQ(q.f("user.name"), "guest");
    EXPECT_EQ(q.f("source.domain"), "scanner.example.net");
    EXPECT_EQ(q.f("source.ip"), "");
}

TEST(ParseSecuritySshd, PamErrorAndMappedAddress) {
    const parsed p("rfc3164", "Mar  4 10:04:00 mac sshd[99]: error: PAM: authentication error "
                              "for carol from host7.example.org via 10.1.1.1");
    EXPECT_EQ(p.f("event.outcome"), "failure");
    EXPECT_EQ(p.f("user.name"), "carol");
    EXPECT_EQ(p.f("source.domain"), "host7.example.org");
    const parsed q("rfc3164",
                   "Mar  4 10:04:01 gw sshd[98]: ROOT LOGIN REFUSED FROM ::ffff:192.0.2.61");
    EXPECT_EQ(q.f("source.ip"), "192.0.2.61");
    EXPECT_EQ(q.f("user.name"), "root");
}

TEST(ParseSecuritySshd, PreauthDisconnects) {
    const parsed p("rfc3164", "Mar  4 10:05:00 gw sshd[700]: Connection closed by authenticating "
                              "user root 192.0.2.90 port 41000 [preauth]");
    EXPECT_EQ(p.f("event.category"), "network");
    EXPECT_EQ(p.f("event.outcome"), "failure");
    EXPECT_EQ(p.f("user.name"), "root");
    EXPECT_EQ(p.f("source.ip"), "192.0.2.90");
    EXPECT_EQ(p.f("source.port"), "41000");
    const parsed q("rfc3164",
                   "Mar  4 10:05:01 gw sshd[701]: Connection closed by 192.0.2.91 port 41001");
    EXPECT_EQ(q.f("event.type"), "end");
    EXPECT_EQ(q.f("event.outcome"), "");
    const parsed r("rfc3164", "Mar  4 10:05:02 gw sshd[702]: Received disconnect from 192.0.2.92 "
                              "port 41002:11: Bye Bye [preauth]");
    EXPECT_EQ(r.f("event.outcome"), "failure");
    EXPECT_EQ(r.f("source.ip"), "192.0.2.92");
    EXPECT_EQ(r.f("source.port"), "41002");
}

TEST(ParseSecuritySshd, ClientRememberedPerProcess) {
    const auto b =
        parse_as("rfc3164", "Mar  4 10:06:00 gw sshd[800]: Connection from 192.0.2.100 port 5000 "
                            "on 10.0.0.1 port 22\n"
                            "Mar  4 10:06:05 gw sshd[800]: Disconnecting: Too many authentication "
                            "failures for root [preauth]\n"
                            "Mar  4 10:06:06 gw sshd[801]: fatal: Read from socket failed: "
                            "Connection reset by peer [preauth]\n");
    ASSERT_EQ(b.events.size(), 3U);
    EXPECT_EQ(b.field_value(b.events[0], "event.action"), "ssh_connection");
    EXPECT_EQ(b.field_value(b.events[1], "event.outcome"), "failure");
    EXPECT_EQ(b.field_value(b.events[1], "source.ip"), "192.0.2.100");
    EXPECT_EQ(b.field_value(b.events[1], "user.name"), "root");
    EXPECT_EQ(b.field_value(b.events[2], "source.ip"), ""); // another process
}

TEST(ParseSecuritySshd, NegotiationFailures) {
    const parsed p("rfc3164", "Mar  4 10:07:00 gw sshd[900]: Unable to negotiate with 192.0.2.5 "
                              "port 6000: no matching host key type found. Their offer: ssh-rsa "
                              "[preauth]");
    EXPECT_EQ(p.f("event.category"), "network");
    EXPECT_EQ(p.f("event.outcome"), "failure");
    EXPECT_EQ(p.f("source.ip"), "192.0.2.5");
    const parsed q("rfc3164",
                   "Mar  4 10:07:01 gw sshd[901]: Did not receive identification string from "
                   "192.0.2.6 port 6001");
    EXPECT_EQ(q.f("source.ip"), "192.0.2.6");
    EXPECT_EQ(q.f("source.port"), "6001");
}

TEST(ParseSecuritySshd, JournalShortFormatAndRfc5424) {
    const parsed p("generic",
                   "bastion sshd[123]: error: PAM: Authentication failure for ann from 192.0.2.9");
    EXPECT_EQ(p.ev().host, "bastion");
    EXPECT_EQ(p.ev().program, "sshd");
    EXPECT_EQ(p.f("source.ip"), "192.0.2.9");
    EXPECT_EQ(p.f("user.name"), "ann");
    const auto b =
        parse_as("rfc3164", "Mar  4 10:08:00 gw sshd[1]: Server listening on 0.0.0.0 port 22.\n"
                            "<38>1 2024-03-04T10:08:01.5+01:00 gw.example.com sshd 4242 - - "
                            "Failed password for root from 192.0.2.10 port 7000 ssh2\n"
                            "Mar  4 10:08:02 [sshd]: User root from 192.0.2.11 not allowed "
                            "because listed in DenyUsers\n");
    ASSERT_EQ(b.events.size(), 3U);
    EXPECT_EQ(b.events[1].program, "sshd");
    EXPECT_EQ(b.events[1].pid, 4242);
    EXPECT_EQ(b.field_value(b.events[1], "source.ip"), "192.0.2.10");
    EXPECT_EQ(b.events[2].program, "sshd");
    EXPECT_EQ(b.field_value(b.events[2], "source.ip"), "192.0.2.11");
}

TEST(ParseSecuritySshd, BracketLevelIsNotAProgram) {
    const auto b = parse_as("rfc3164", "Mar  4 10:09:00 [INFO] cache warmed\n"
                                       "Mar  4 10:09:01 [sshd] User root from 192.0.2.12 not "
                                       "allowed because not listed in AllowUsers\n");
    ASSERT_EQ(b.events.size(), 2U);
    EXPECT_EQ(b.events[0].program, "");
    EXPECT_EQ(b.events[0].message, "[INFO] cache warmed");
    EXPECT_EQ(b.events[1].program, "sshd");
    EXPECT_EQ(b.field_value(b.events[1], "source.ip"), "192.0.2.12");
}

TEST(ParseSecurityPam, AuthFailureAndSessions) {
    const parsed p("rfc3164", "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication "
                              "failure; logname= uid=0 euid=0 tty=NODEVssh ruser= "
                              "rhost=198.51.100.200  user=root");
    EXPECT_EQ(p.f("event.action"), "pam_authentication_failure");
    EXPECT_EQ(p.f("event.outcome"), "failure");
    EXPECT_EQ(p.f("source.ip"), "198.51.100.200");
    EXPECT_EQ(p.f("user.name"), "root");
    // A modern sshd reports the attempt itself: its PAM line carries no outcome.
    const parsed q("rfc3164", "Jun 14 15:16:02 web sshd[3]: pam_unix(sshd:auth): authentication "
                              "failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.201");
    EXPECT_EQ(q.f("event.outcome"), "");
    EXPECT_EQ(q.f("source.ip"), "198.51.100.201");
    const parsed r("rfc3164", "Jun 14 15:16:03 web login[77]: pam_unix(login:session): session "
                              "opened for user dave(uid=1001) by LOGIN(uid=0)");
    EXPECT_EQ(r.f("event.category"), "session");
    EXPECT_EQ(r.f("event.type"), "start");
    EXPECT_EQ(r.f("user.name"), "dave");
}

TEST(ParseSecuritySudo, CommandAndNotInSudoers) {
    const parsed p("rfc3164", "Apr  2 09:00:00 db1 sudo:    erin : TTY=pts/3 ; PWD=/srv/app ; "
                              "USER=root ; COMMAND=/usr/bin/systemctl restart app");
    EXPECT_EQ(p.f("event.action"), "sudo_command");
    EXPECT_EQ(p.f("event.outcome"), "success");
    EXPECT_EQ(p.f("user.name"), "erin");
    EXPECT_EQ(p.f("user.target.name"), "root");
    EXPECT_EQ(p.f("process.command_line"), "/usr/bin/systemctl restart app");
    EXPECT_EQ(p.f("process.working_directory"), "/srv/app");
    const parsed q("rfc3164", "Apr  2 09:00:01 db1 sudo:   frank : user NOT in sudoers ; "
                              "TTY=pts/4 ; PWD=/home/frank ; USER=root ; COMMAND=/bin/sh");
    EXPECT_EQ(q.f("event.action"), "sudo_not_in_sudoers");
    EXPECT_EQ(q.f("event.outcome"), "failure");
    EXPECT_EQ(q.f("user.name"), "frank");
    EXPECT_EQ(q.f("process.command_line"), "/bin/sh");
    const parsed r("rfc3164", "Apr  2 09:00:02 db1 sudo: pam_unix(sudo:session): session opened "
                              "for user root(uid=0) by erin(uid=1000)");
    EXPECT_EQ(r.f("user.name"), "erin");
    EXPECT_EQ(r.f("user.target.name"), "root");
}

TEST(ParseSecuritySu, SwitchAndFailure) {
    const parsed p("rfc3164", "Apr  2 09:10:00 db1 su[2001]: (to postgres) erin on pts/3");
    EXPECT_EQ(p.f("event.action"), "su");
    EXPECT_EQ(p.f("event.outcome"), "success");
    EXPECT_EQ(p.f("user.name"), "erin");
    EXPECT_EQ(p.f("user.target.name"), "postgres");
    const parsed q("rfc3164", "Apr  2 09:10:01 db1 su[2002]: FAILED SU (to root) erin on pts/3");
    EXPECT_EQ(q.f("event.outcome"), "failure");
    EXPECT_EQ(q.f("user.target.name"), "root");
    const parsed r("rfc3164", "Apr  2 09:10:02 db1 su[2003]: pam_unix(su:auth): authentication "
                              "failure; logname=erin uid=1000 euid=0 tty=pts/3 ruser=erin rhost=  "
                              "user=root");
    EXPECT_EQ(r.f("event.outcome"), "failure");
    EXPECT_EQ(r.f("user.name"), "erin");
    EXPECT_EQ(r.f("user.target.name"), "root");
}

TEST(ParseSecurityAccounts, UseraddGroupaddUsermodPasswd) {
    const parsed p("rfc3164", "May  1 12:00:00 h useradd[310]: new user: name=svc-backup, "
                              "UID=1005, GID=1005, home=/home/svc-backup, shell=/bin/bash, "
                              "from=/dev/pts/0");
    EXPECT_EQ(p.f("event.category"), "iam");
    EXPECT_EQ(p.f("event.type"), "creation");
    EXPECT_EQ(p.f("event.action"), "user_added");
    EXPECT_EQ(p.f("user.name"), "svc-backup");
    EXPECT_EQ(p.f("user.id"), "1005");
    const parsed q("rfc3164", "May  1 12:00:01 h groupadd[311]: new group: name=ops, GID=1010");
    EXPECT_EQ(q.f("event.action"), "group_added");
    EXPECT_EQ(q.f("group.name"), "ops");
    EXPECT_EQ(q.f("group.id"), "1010");
    const parsed r("rfc3164", "May  1 12:00:02 h usermod[312]: add 'svc-backup' to group 'sudo'");
    EXPECT_EQ(r.f("event.action"), "user_added_to_group");
    EXPECT_EQ(r.f("user.name"), "svc-backup");
    EXPECT_EQ(r.f("group.name"), "sudo");
    const parsed s("rfc3164", "May  1 12:00:03 h passwd[313]: pam_unix(passwd:chauthtok): "
                              "password changed for svc-backup");
    EXPECT_EQ(s.f("event.action"), "password_changed");
    EXPECT_EQ(s.f("user.target.name"), "svc-backup");
    const parsed t("rfc3164", "May  1 12:00:04 h userdel[314]: delete user 'olduser'");
    EXPECT_EQ(t.f("event.type"), "deletion");
    EXPECT_EQ(t.f("user.name"), "olduser");
}

TEST(ParseSecurityCronSystemd, CronCommandAndUnits) {
    const parsed p(
        "rfc3164",
        "May  1 13:00:01 h CRON[4000]: (www-data) CMD (php /var/www/cron.php >/dev/null)");
    EXPECT_EQ(p.f("event.action"), "cron_command");
    EXPECT_EQ(p.f("user.name"), "www-data");
    EXPECT_EQ(p.f("process.command_line"), "php /var/www/cron.php >/dev/null");
    const parsed q("rfc3164", "May  1 13:00:02 h systemd[1]: Started nginx.service - A high "
                              "performance web server.");
    EXPECT_EQ(q.f("event.action"), "service_started");
    EXPECT_EQ(q.f("systemd.unit"), "nginx.service");
    const parsed r("rfc3164", "May  1 13:00:03 h systemd[1]: Failed to start Backup job.");
    EXPECT_EQ(r.f("event.action"), "service_failed");
    EXPECT_EQ(r.f("event.outcome"), "failure");
    const parsed s("rfc3164", "May  1 13:00:04 h systemd[1]: Stopped OpenBSD Secure Shell server.");
    EXPECT_EQ(s.f("event.action"), "service_stopped");
}

TEST(ParseSecurityKernel, FirewallDropAndSegfault) {
    const parsed p("rfc3164", "May  1 14:00:00 fw kernel: [81234.567890] [UFW BLOCK] IN=eth0 OUT= "
                              "MAC=00:11 SRC=203.0.113.50 DST=192.0.2.1 LEN=60 TOS=0x00 TTL=50 "
                              "ID=1 DF PROTO=TCP SPT=45000 DPT=3389 WINDOW=1024 SYN URGP=0");
    EXPECT_EQ(p.f("event.action"), "firewall_drop");
    EXPECT_EQ(p.f("event.type"), "denied");
    EXPECT_EQ(p.f("source.ip"), "203.0.113.50");
    EXPECT_EQ(p.f("destination.ip"), "192.0.2.1");
    EXPECT_EQ(p.f("source.port"), "45000");
    EXPECT_EQ(p.f("destination.port"), "3389");
    EXPECT_EQ(p.f("network.transport"), "tcp");
    const parsed q("rfc3164", "May  1 14:00:01 app kernel: [90000.1] worker[5150]: segfault at 0 "
                              "ip 00007f1 sp 00007ff error 4 in libfoo.so[7f0+1000]");
    EXPECT_EQ(q.f("event.action"), "segfault");
    EXPECT_EQ(q.f("kernel.process.name"), "worker");
    EXPECT_EQ(q.f("kernel.process.pid"), "5150");
}

TEST(ParseSecurityAuditd, ExecveHexAndUserAuth) {
    const parsed p("generic", "type=EXECVE msg=audit(1714564800.123:901): argc=3 a0=\"curl\" "
                              "a1=\"-o\" a2=2F746D702F6120622E7368");
    EXPECT_EQ(p.f("event.action"), "executed");
    EXPECT_EQ(p.f("process.command_line"), "curl -o /tmp/a b.sh");
    EXPECT_EQ(p.f("auditd.type"), "EXECVE");
    EXPECT_EQ(p.f("auditd.a2"), "/tmp/a b.sh");
    EXPECT_EQ(p.f("auditd.sequence"), "901");
    EXPECT_EQ(p.ev().ts_ns, int64_t{1714564800123} * 1000000);
    const parsed q("generic",
                   "type=USER_AUTH msg=audit(1714564801.000:902): pid=1 uid=0 auid=4294967295 "
                   "ses=4294967295 msg='op=PAM:authentication grantors=? acct=\"mallory\" "
                   "exe=\"/usr/sbin/sshd\" hostname=192.0.2.66 addr=192.0.2.66 terminal=ssh "
                   "res=failed'");
    EXPECT_EQ(q.f("event.category"), "authentication");
    EXPECT_EQ(q.f("event.outcome"), "failure");
    EXPECT_EQ(q.f("user.name"), "mallory");
    EXPECT_EQ(q.f("source.ip"), "192.0.2.66");
    EXPECT_EQ(q.f("process.executable"), "/usr/sbin/sshd");
    EXPECT_EQ(q.f("auditd.res"), "failed");
}

TEST(ParseSecurityAuditd, ProctitleSyscallAddUser) {
    const parsed p("generic", "type=PROCTITLE msg=audit(1714564802.000:903): "
                              "proctitle=6E63002D6C0034343434");
    EXPECT_EQ(p.f("process.command_line"), "nc -l 4444");
    const parsed q("generic", "type=SYSCALL msg=audit(1714564802.000:903): arch=c000003e "
                              "syscall=59 success=yes exit=0 a0=55d1 items=2 ppid=1 pid=2 "
                              "auid=1000 uid=0 comm=\"nc\" exe=\"/usr/bin/nc\" key=\"exec\"");
    EXPECT_EQ(q.f("event.outcome"), "success");
    EXPECT_EQ(q.f("auditd.syscall"), "59");
    EXPECT_EQ(q.f("auditd.key"), "exec");
    EXPECT_EQ(q.f("auditd.a0"), "55d1");
    const parsed r("generic",
                   "type=ADD_USER msg=audit(1714564803.000:904): pid=9 uid=0 auid=1000 ses=2 "
                   "msg='op=adding user id=1006 exe=\"/usr/sbin/useradd\" hostname=h addr=? "
                   "terminal=pts/0 res=success'");
    EXPECT_EQ(r.f("event.action"), "user_added");
    EXPECT_EQ(r.f("event.type"), "creation");
    EXPECT_EQ(r.f("auditd.id"), "1006");
}

TEST(ParseSecurityWeb, ApacheErrorAuth) {
    const parsed p("generic", "[Tue Mar 05 08:00:00.123456 2024] [auth_basic:error] [pid 10:tid "
                              "20] [client 198.51.100.30:50500] AH01617: user alice: "
                              "authentication failure for \"/admin\": Password Mismatch");
    EXPECT_EQ(p.f("event.outcome"), "failure");
    EXPECT_EQ(p.f("user.name"), "alice");
    EXPECT_EQ(p.f("source.ip"), "198.51.100.30");
    EXPECT_EQ(p.f("source.port"), "50500");
    EXPECT_EQ(p.ev().program, "");
    const parsed q("generic", "[Tue Mar 05 08:00:01 2024] [error] [client 2001:db8::5] user bob "
                              "not found: /private");
    EXPECT_EQ(q.f("source.ip"), "2001:db8::5");
    EXPECT_EQ(q.f("user.name"), "bob");
    const parsed r("generic", "[Tue Mar 05 08:00:02 2024] [error] [client 198.51.100.31] File "
                              "does not exist: /var/www/favicon.ico");
    EXPECT_EQ(r.f("event.outcome"), "");
}

TEST(ParseSecurityWeb, NginxErrorAuth) {
    const parsed p("generic", "2024/03/05 08:01:00 [error] 811#811: *42 user \"carol\": password "
                              "mismatch, client: 198.51.100.40, server: intranet, request: \"GET / "
                              "HTTP/1.1\", host: \"intranet\"");
    EXPECT_EQ(p.f("event.outcome"), "failure");
    EXPECT_EQ(p.f("user.name"), "carol");
    EXPECT_EQ(p.f("source.ip"), "198.51.100.40");
    const parsed q("generic", "2024/03/05 08:01:01 [error] 811#811: *43 open() \"/x\" failed (2: "
                              "No such file or directory), client: 198.51.100.41, server: a");
    EXPECT_EQ(q.f("event.outcome"), "");
}

TEST(ParseSecurityMemory, RecallAndReuse) {
    session_memory m;
    m.remember(10, "192.0.2.1");
    m.remember(11, "host.example");
    m.remember(10, "192.0.2.2");
    EXPECT_EQ(m.recall(10), "192.0.2.2");
    EXPECT_EQ(m.recall(11), "host.example");
    EXPECT_EQ(m.recall(12), "");
    EXPECT_EQ(m.recall(-1), "");
}

} // namespace
} // namespace sysgrok::parse
