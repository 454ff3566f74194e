// bench_mine — template-mining throughput on one core.
//
//   bench_mine generate LINES SEED > FILE   a log of messages with a realistic template mix
//   bench_mine mine FILE [MAX_TEMPLATES]    mines every line (one thread), prints JSON
//
// The generated messages (no header: the part a parser hands to the miner) come from
// 60 event types of sshd, HDFS, YARN, kernel, web and database logs with Zipf-like
// frequencies, variables of every recognised kind (IPs with ports, ids, hex, UUIDs,
// paths, URLs, sizes, durations, users, key=value) and 0.5 % one-off lines.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "mine/template_miner.hpp"

namespace {

struct gen {
    std::mt19937_64 rng;
    std::string out;

    uint64_t r() { return rng(); }
    uint64_t below(uint64_t n) { return rng() % n; }
    void num(uint64_t n) { out += std::to_string(below(n)); }
    void ip() {
        out += "10." + std::to_string(below(256)) + "." + std::to_string(below(256)) + "." +
               std::to_string(1 + below(254));
    }
    void port() { out += std::to_string(1024 + below(60000)); }
    void hex(int n) {
        static const char* h = "0123456789abcdef";
        for (int i = 0; i < n; ++i) {
            out.push_back(h[below(16)]);
        }
    }
    void uuid() {
        hex(8);
        out += '-';
        hex(4);
        out += '-';
        hex(4);
        out += '-';
        hex(4);
        out += '-';
        hex(12);
    }
    void user() {
        static const char* users[] = {"root",     "admin",  "oracle", "test",   "ubuntu",  "git",
                                      "postgres", "deploy", "guest",  "nagios", "www-data"};
        out += users[below(11)];
    }
    void word() {
        static const char* syl[] = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "ze", "pi", "su"};
        int n = 2 + static_cast<int>(below(3));
        for (int i = 0; i < n; ++i) {
            out += syl[below(10)];
        }
    }
    void path() {
        out += "/var/lib/app";
        int n = 1 + static_cast<int>(below(3));
        for (int i = 0; i < n; ++i) {
            out += '/';
            word();
        }
        out += '/';
        num(100000);
        out += ".dat";
    }
    void line(int kind);
};

void gen::line(int kind) {
    switch (kind) {
        case 0:
            out += "Failed password for ";
            user();
            out += " from ";
            ip();
            out += " port ";
            port();
            out += " ssh2";
            break;
        case 1:
            out += "Accepted publickey for ";
            user();
            out += " from ";
            ip();
            out += " port ";
            port();
            out += " ssh2: RSA SHA256:";
            hex(43);
            break;
        case 2:
            out += "Invalid user ";
            user();
            out += " from ";
            ip();
            out += " port ";
            port();
            break;
        case 3:
            out += "pam_unix(sshd:session): session opened for user ";
            user();
            out += " by (uid=0)";
            break;
        case 4:
            out += "pam_unix(sshd:session): session closed for user ";
            user();
            break;
        case 5:
            out += "Received disconnect from ";
            ip();
            out += " port ";
            port();
            out += ":11: Bye Bye [preauth]";
            break;
        case 6:
            out += "Connection closed by authenticating user ";
            user();
            out += " ";
            ip();
            out += " port ";
            port();
            out += " [preauth]";
            break;
        case 7:
            out += "Receiving block blk_";
            num(1ULL << 62);
            out += " src: /";
            ip();
            out += ":";
            port();
            out += " dest: /";
            ip();
            out += ":50010";
            break;
        case 8:
            out += "PacketResponder ";
            num(3);
            out += " for block blk_-";
            num(1ULL << 62);
            out += " terminating";
            break;
        case 9:
            out += "Received block blk_";
            num(1ULL << 62);
            out += " of size ";
            num(67108864);
            out += " from /";
            ip();
            break;
        case 10:
            out += "BLOCK* NameSystem.addStoredBlock: blockMap updated: ";
            ip();
            out += ":50010 is added to blk_";
            num(1ULL << 62);
            out += " size ";
            num(67108864);
            break;
        case 11:
            out += "Deleting block blk_";
            num(1ULL << 62);
            out += " file ";
            path();
            break;
        case 12:
            out += "Container container_1445144423722_";
            num(10000);
            out += "_01_";
            num(1000000);
            out += " transitioned from RUNNING to COMPLETED";
            break;
        case 13:
            out += "Assigned container container_1445144423722_";
            num(10000);
            out += "_01_";
            num(1000000);
            out += " to attempt_1445144423722_";
            num(10000);
            out += "_m_";
            num(1000000);
            out += "_0";
            break;
        case 14:
            out += "Progress of TaskAttempt attempt_1445144423722_";
            num(10000);
            out += "_m_";
            num(1000000);
            out += "_0 is : 0.";
            num(1000000000);
            break;
        case 15:
            out += "Recalculating schedule, headroom=<memory:";
            num(100000);
            out += ", vCores:";
            num(64);
            out += ">";
            break;
        case 16:
            out += "Address change detected. Old: msra-sa-41/";
            ip();
            out += ":9000 New: msra-sa-41:9000";
            break;
        case 17:
            out += "GET /api/v1/items/";
            num(100000);
            out += " HTTP/1.1 200 ";
            num(50000);
            out += " ";
            num(900);
            out += "ms";
            break;
        case 18:
            out += "POST /api/v1/orders request_id=";
            uuid();
            out += " status=201 duration=";
            num(2000);
            out += "ms bytes=";
            num(100000);
            break;
        case 19:
            out += "upstream timed out (110: Connection timed out) while reading response header "
                   "from upstream, client: ";
            ip();
            out += ", server: example.com, request: \"GET /index.html HTTP/1.1\"";
            break;
        case 20:
            out += "Out of memory: Killed process ";
            num(65536);
            out += " (";
            word();
            out += ") total-vm:";
            num(10000000);
            out += "kB, anon-rss:";
            num(1000000);
            out += "kB";
            break;
        case 21:
            out += "eth0: link up, 1000Mbps, full-duplex, lpa 0x";
            hex(4);
            break;
        case 22:
            out += "EXT4-fs (sda";
            num(4);
            out += "): mounted filesystem with ordered data mode. Opts: (null)";
            break;
        case 23:
            out += "audit: type=1400 audit(";
            num(2000000000);
            out += ".";
            num(1000);
            out += ":";
            num(1000);
            out += "): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/";
            word();
            out += "\" pid=";
            num(65536);
            break;
        case 24:
            out += "Started Session ";
            num(100000);
            out += " of user ";
            user();
            out += ".";
            break;
        case 25:
            out += "Starting Daily apt upgrade and clean activities...";
            break;
        case 26:
            out += "CRON[";
            num(65536);
            out += "]: (";
            user();
            out += ") CMD (/usr/lib/";
            word();
            out += "/run.sh > /dev/null 2>&1)";
            break;
        case 27:
            out += "checkpoint complete: wrote ";
            num(10000);
            out += " buffers (";
            num(100);
            out += ".";
            num(10);
            out += "%); 0 WAL file(s) added, 0 removed, ";
            num(10);
            out += " recycled; write=";
            num(300);
            out += ".";
            num(1000);
            out += " s";
            break;
        case 28:
            out += "duration: ";
            num(10000);
            out += ".";
            num(1000);
            out += " ms  statement: SELECT * FROM orders WHERE id = ";
            num(1000000);
            break;
        case 29:
            out += "connection authorized: user=";
            user();
            out += " database=app SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, "
                   "bits=256)";
            break;
        case 30:
            out += "Deprecated config key spark.yarn.executor.memoryOverhead, use "
                   "spark.executor.memoryOverhead";
            break;
        case 31:
            out += "Running task ";
            num(300);
            out += ".0 in stage ";
            num(50);
            out += ".0 (TID ";
            num(100000);
            out += ")";
            break;
        case 32:
            out += "Block broadcast_";
            num(100);
            out += "_piece0 stored as bytes in memory (estimated size ";
            num(100);
            out += ".";
            num(10);
            out += " KB, free ";
            num(20);
            out += ".";
            num(10);
            out += " GB)";
            break;
        case 33:
            out += "Finished task ";
            num(300);
            out += ".0 in stage ";
            num(50);
            out += ".0 (TID ";
            num(100000);
            out += "). ";
            num(5000);
            out += " bytes result sent to driver";
            break;
        case 34:
            out += "session ";
            uuid();
            out += " expired after ";
            num(3600);
            out += "s idle";
            break;
        case 35:
            out += "Cache hit ratio ";
            num(100);
            out += ".";
            num(100);
            out += "% for region ";
            word();
            break;
        case 36:
            out += "Fetching https://cdn.example.com/assets/";
            hex(12);
            out += ".js took ";
            num(500);
            out += " ms";
            break;
        case 37:
            out += "mail from <";
            user();
            out += "@example.org> to <";
            word();
            out += "@corp.example.com> accepted, size=";
            num(100000);
            break;
        case 38:
            out += "Disk /dev/sd";
            out.push_back(static_cast<char>('a' + below(4)));
            out += " temperature ";
            num(80);
            out += "C exceeds threshold";
            break;
        case 39:
            out += "Worker w-";
            num(64);
            out += " heartbeat at 2024-05-";
            num(28);
            out += "T12:";
            num(60);
            out += ":";
            num(60);
            out += "Z lag=";
            num(1000);
            out += "ms";
            break;
        case 40:
            out += "Unable to connect to ";
            ip();
            out += ":";
            port();
            out += ": Connection refused";
            break;
        case 41:
            out += "Retrying request ";
            uuid();
            out += " (attempt ";
            num(5);
            out += " of 5) after ";
            num(10);
            out += "s";
            break;
        case 42:
            out += "user ";
            user();
            out += " changed password";
            break;
        case 43:
            out += "Loaded config from /etc/app/";
            word();
            out += ".yaml in ";
            num(100);
            out += "ms";
            break;
        case 44:
            out += "GC pause (G1 Evacuation Pause) ";
            num(200);
            out += "M->";
            num(200);
            out += "M(";
            num(1024);
            out += "M), 0.0";
            num(10000);
            out += " secs";
            break;
        case 45:
            out += "Interface ";
            word();
            out += " state changed to UP";
            break;
        case 46:
            out += "kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:16:3e:";
            hex(2);
            out += ":";
            hex(2);
            out += ":";
            hex(2);
            out += " SRC=";
            ip();
            out += " DST=";
            ip();
            out += " LEN=";
            num(1500);
            out += " PROTO=TCP SPT=";
            port();
            out += " DPT=22";
            break;
        case 47:
            out += "job ";
            num(1000);
            out += " finished with exit code ";
            num(3);
            break;
        case 48:
            out += "Queue depth ";
            num(10000);
            out += " exceeds high watermark";
            break;
        case 49:
            out += "Snapshot ";
            hex(16);
            out += " written to s3://backups/";
            word();
            out += "/";
            num(100000);
            out += ".tar.gz (";
            num(1000);
            out += ".";
            num(10);
            out += " MB)";
            break;
        default: {
            // One-off lines: random words (exercise template creation and eviction).
            int n = 3 + static_cast<int>(below(8));
            for (int i = 0; i < n; ++i) {
                if (i > 0) {
                    out += ' ';
                }
                word();
                word();
            }
            break;
        }
    }
    out += '\n';
}

int generate(uint64_t lines, uint64_t seed) {
    gen g{std::mt19937_64(seed), {}};
    // Zipf-like weights over the 50 event types; 0.5 % one-off lines.
    std::vector<double> cdf;
    double sum = 0;
    for (int k = 0; k < 50; ++k) {
        sum += 1.0 / std::pow(k + 1, 1.1);
        cdf.push_back(sum);
    }
    std::uniform_real_distribution<double> u(0.0, 1.0);
    g.out.reserve(1 << 20);
    for (uint64_t i = 0; i < lines; ++i) {
        int kind = 50;
        if (u(g.rng) >= 0.005) {
            double x = u(g.rng) * sum;
            kind = static_cast<int>(std::lower_bound(cdf.begin(), cdf.end(), x) - cdf.begin());
        }
        g.line(kind);
        if (g.out.size() > (1U << 20U) - 4096) {
            std::fwrite(g.out.data(), 1, g.out.size(), stdout);
            g.out.clear();
        }
    }
    std::fwrite(g.out.data(), 1, g.out.size(), stdout);
    return 0;
}

int mine(const char* path, uint32_t max_templates) {
    FILE* f = std::fopen(path, "rb");
    if (f == nullptr) {
        std::fprintf(stderr, "bench_mine: cannot open %s\n", path);
        return 1;
    }
    sysgrok::mine::miner_config cfg;
    if (max_templates > 0) {
        cfg.max_templates = max_templates;
    }
    sysgrok::mine::template_miner miner(cfg);
    std::vector<char> buf(1 << 20);
    size_t have = 0;
    uint64_t lines = 0;
    uint64_t bytes = 0;
    uint64_t params = 0;
    auto t0 = std::chrono::steady_clock::now();
    while (true) {
        size_t got = std::fread(buf.data() + have, 1, buf.size() - have, f);
        have += got;
        bytes += got;
        size_t start = 0;
        while (true) {
            const void* nl = std::memchr(buf.data() + start, '\n', have - start);
            if (nl == nullptr) {
                break;
            }
            size_t end = static_cast<const char*>(nl) - buf.data();
            auto r = miner.add(std::string_view(buf.data() + start, end - start));
            params += r.params.size();
            ++lines;
            start = end + 1;
        }
        if (got == 0) {
            if (start < have) {
                miner.add(std::string_view(buf.data() + start, have - start));
                ++lines;
            }
            break;
        }
        std::memmove(buf.data(), buf.data() + start, have - start);
        have -= start;
        if (have == buf.size()) {
            buf.resize(buf.size() * 2); // a line longer than the buffer
        }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fclose(f);
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const auto& st = miner.stats();
    std::printf("{\"lines\":%llu,\"bytes\":%llu,\"seconds\":%.3f,\"lines_per_s\":%.0f,"
                "\"templates\":%zu,\"created\":%llu,\"evicted\":%llu,\"cache_hits\":%llu,"
                "\"params\":%llu,\"miner_bytes\":%zu,\"peak_rss_kb\":%ld}\n",
                static_cast<unsigned long long>(lines), static_cast<unsigned long long>(bytes),
                secs, static_cast<double>(lines) / secs, miner.template_count(),
                static_cast<unsigned long long>(st.templates_created),
                static_cast<unsigned long long>(st.templates_evicted),
                static_cast<unsigned long long>(st.cache_hits),
                static_cast<unsigned long long>(params), miner.memory_bytes(), ru.ru_maxrss);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc >= 4 && std::strcmp(argv[1], "generate") == 0) {
        return generate(std::strtoull(argv[2], nullptr, 10), std::strtoull(argv[3], nullptr, 10));
    }
    if (argc >= 3 && std::strcmp(argv[1], "mine") == 0) {
        return mine(argv[2], argc >= 4 ? static_cast<uint32_t>(std::atoi(argv[3])) : 0);
    }
    std::fprintf(stderr, "usage: bench_mine generate LINES SEED > FILE | bench_mine mine FILE "
                         "[MAX_TEMPLATES]\n");
    return 2;
}
