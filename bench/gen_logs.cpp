// gen_logs KIND BYTES SEED > file — writes a synthetic log for benchmarks.
// KIND: syslog (RFC 3164), json (JSON lines), access (combined access log).
// Deterministic for a seed; ~120-250 bytes per line with realistic variety.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <string_view>

namespace {

constexpr const char* k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* k_users[] = {"root", "admin", "alice", "bob", "deploy", "oracle", "test"};
constexpr const char* k_paths[] = {
    "/",      "/index.html",    "/api/v1/items",  "/api/v1/cart?id=42", "/static/app.js",
    "/login", "/products/1234", "/search?q=shoes"};
constexpr const char* k_agents[] = {
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "curl/8.5.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1)"};

struct gen {
    std::mt19937_64 rng;
    uint64_t t = 1714521600; // 2024-05-01
    uint32_t r(uint32_t n) { return static_cast<uint32_t>(rng() % n); }
    std::string ip() {
        return std::to_string(10 + r(200)) + "." + std::to_string(r(256)) + "." +
               std::to_string(r(256)) + "." + std::to_string(1 + r(254));
    }
};

void syslog_line(gen& g, std::string& out) {
    g.t += g.r(3);
    const uint64_t day = g.t / 86400;
    const uint64_t sod = g.t % 86400;
    char head[64];
    std::snprintf(head, sizeof head, "%s %2u %02u:%02u:%02u host%02u ", k_months[(day / 30) % 12],
                  static_cast<unsigned>(day % 28 + 1), static_cast<unsigned>(sod / 3600),
                  static_cast<unsigned>(sod / 60 % 60), static_cast<unsigned>(sod % 60), g.r(20));
    out += head;
    const uint32_t pid = 1000 + g.r(30000);
    switch (g.r(8)) {
        case 0:
            out += "sshd[" + std::to_string(pid) + "]: Failed password for " + k_users[g.r(7)] +
                   " from " + g.ip() + " port " + std::to_string(1024 + g.r(60000)) + " ssh2";
            break;
        case 1:
            out += "sshd[" + std::to_string(pid) + "]: Accepted publickey for " + k_users[g.r(7)] +
                   " from " + g.ip() + " port " + std::to_string(1024 + g.r(60000)) + " ssh2";
            break;
        case 2:
            out += "CRON[" + std::to_string(pid) +
                   "]: (root) CMD (/usr/local/bin/backup.sh --incremental)";
            break;
        case 3:
            out += "kernel: [" + std::to_string(g.r(99999)) +
                   ".123456] IN=eth0 OUT= SRC=" + g.ip() + " DST=" + g.ip() +
                   " LEN=60 PROTO=TCP DPT=" + std::to_string(g.r(65535));
            break;
        case 4:
            out += "systemd[1]: Started Session " + std::to_string(g.r(90000)) + " of user " +
                   k_users[g.r(7)] + ".";
            break;
        case 5:
            out +=
                "postfix/smtpd[" + std::to_string(pid) + "]: connect from unknown[" + g.ip() + "]";
            break;
        case 6:
            out += "sudo[" + std::to_string(pid) +
                   "]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt "
                   "update";
            break;
        default:
            out +=
                "dhclient[" + std::to_string(pid) + "]: DHCPACK of " + g.ip() + " from " + g.ip();
    }
    out += '\n';
}

void json_line(gen& g, std::string& out) {
    g.t += g.r(3);
    char buf[512];
    static constexpr const char* levels[] = {"info", "info", "info", "debug", "warn", "error"};
    std::snprintf(
        buf, sizeof buf,
        "{\"time\":\"2024-05-%02uT%02u:%02u:%02u.%03uZ\",\"level\":\"%s\",\"logger\":\"svc.%s\","
        "\"msg\":\"request completed\",\"method\":\"GET\",\"path\":\"%s\",\"status\":%u,"
        "\"duration_ms\":%u,\"request_id\":\"%016llx\",\"client_ip\":\"%s\"}\n",
        static_cast<unsigned>(g.t / 86400 % 28 + 1), static_cast<unsigned>(g.t % 86400 / 3600),
        static_cast<unsigned>(g.t / 60 % 60), static_cast<unsigned>(g.t % 60), g.r(1000),
        levels[g.r(6)], k_users[g.r(7)], k_paths[g.r(8)], 200 + g.r(4) * 100, g.r(5000),
        static_cast<unsigned long long>(g.rng()), g.ip().c_str());
    out += buf;
}

void access_line(gen& g, std::string& out) {
    g.t += g.r(2);
    char buf[512];
    static constexpr unsigned status[] = {200, 200, 200, 304, 404, 500, 301};
    std::snprintf(
        buf, sizeof buf,
        "%s - - [%02u/May/2024:%02u:%02u:%02u +0000] \"GET %s HTTP/1.1\" %u %u \"-\" \"%s\"\n",
        g.ip().c_str(), static_cast<unsigned>(g.t / 86400 % 28 + 1),
        static_cast<unsigned>(g.t % 86400 / 3600), static_cast<unsigned>(g.t / 60 % 60),
        static_cast<unsigned>(g.t % 60), k_paths[g.r(8)], status[g.r(7)], g.r(50000),
        k_agents[g.r(3)]);
    out += buf;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: gen_logs syslog|json|access BYTES [SEED]\n");
        return 2;
    }
    const std::string_view kind = argv[1];
    const uint64_t bytes = std::strtoull(argv[2], nullptr, 10);
    gen g{std::mt19937_64(argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 42)};
    std::string buf;
    uint64_t written = 0;
    while (written < bytes) {
        buf.clear();
        for (int i = 0; i < 4096; ++i) {
            if (kind == "syslog") {
                syslog_line(g, buf);
            } else if (kind == "json") {
                json_line(g, buf);
            } else if (kind == "access") {
                access_line(g, buf);
            } else {
                std::fprintf(stderr, "unknown kind %s\n", argv[1]);
                return 2;
            }
        }
        std::fwrite(buf.data(), 1, buf.size(), stdout);
        written += buf.size();
    }
    return 0;
}
