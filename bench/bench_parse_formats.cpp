// bench/bench_parse_formats.cpp — parse-stage throughput per format (one core, records
// already framed in memory). Usage: bench_parse_formats [MB per format, default 100]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "parse/parser.hpp"

namespace {

using namespace sysgrok;

std::string make_rfc3164(size_t bytes) {
    static const char* progs[] = {"sshd[2412]", "CRON[881]", "kernel", "systemd[1]",
                                  "postfix/smtpd[77]"};
    std::string s;
    s.reserve(bytes + 256);
    unsigned i = 0;
    char buf[256];
    while (s.size() < bytes) {
        const int n =
            std::snprintf(buf, sizeof buf,
                          "<%u>Jan %2u %02u:%02u:%02u host-%u %s: Accepted publickey for user%u "
                          "from 10.0.%u.%u port %u ssh2\n",
                          (i % 24) * 8 + 6, 1 + i % 28, i % 24, i % 60, (i * 7) % 60, i % 17,
                          progs[i % 5], i % 100, i % 256, (i * 13) % 256, 1024 + i % 50000);
        s.append(buf, static_cast<size_t>(n));
        ++i;
    }
    return s;
}

std::string make_json(size_t bytes) {
    static const char* levels[] = {"info", "warn", "error", "debug"};
    std::string s;
    s.reserve(bytes + 512);
    unsigned i = 0;
    char buf[512];
    while (s.size() < bytes) {
        const int n = std::snprintf(
            buf, sizeof buf,
            "{\"time\":\"2024-01-05T10:%02u:%02u.%03uZ\",\"level\":\"%s\",\"msg\":\"request served "
            "path=/api/v1/items/%u\",\"logger\":\"http.server\",\"host\":\"web-%u\",\"status\":%u,"
            "\"duration_ms\":%u.%u,\"user\":{\"id\":%u,\"name\":\"user%u\"}}\n",
            i % 60, (i * 7) % 60, i % 1000, levels[i % 4], i, i % 9, 200 + (i % 5) * 100, i % 500,
            i % 10, i, i % 1000);
        s.append(buf, static_cast<size_t>(n));
        ++i;
    }
    return s;
}

std::string make_access(size_t bytes) {
    static const char* methods[] = {"GET", "POST", "GET", "HEAD"};
    std::string s;
    s.reserve(bytes + 512);
    unsigned i = 0;
    char buf[512];
    while (s.size() < bytes) {
        const int n = std::snprintf(
            buf, sizeof buf,
            "192.168.%u.%u - %s [10/Oct/2000:13:%02u:%02u -0700] \"%s /index.php?id=%u HTTP/1.1\" "
            "%u %u \"http://example.com/ref/%u\" \"Mozilla/5.0 (X11; Linux x86_64) "
            "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\"\n",
            i % 256, (i * 3) % 256, (i % 7) != 0 ? "-" : "frank", i % 60, (i * 11) % 60,
            methods[i % 4], i, 200 + (i % 4) * 100, 100 + i % 9000, i % 50);
        s.append(buf, static_cast<size_t>(n));
        ++i;
    }
    return s;
}

/// Frames `data` into batches of records (one per line) over one padded block.
std::vector<record_batch> frame(const std::string& data, block_ref& block_out) {
    auto block = std::make_shared<text_block>(data.size());
    std::memcpy(block->data(), data.data(), data.size());
    std::memset(block->data() + data.size(), 0, text_block::k_padding);
    block->set_size(data.size());
    block_out = block;
    std::vector<record_batch> batches;
    const std::string_view v = block->view();
    size_t pos = 0;
    uint64_t line = 0;
    record_batch cur;
    cur.block = block;
    while (pos < v.size()) {
        size_t e = v.find('\n', pos);
        if (e == std::string_view::npos) {
            e = v.size();
        }
        cur.records.push_back(record{v.substr(pos, e - pos), ++line, 1, 0});
        pos = e + 1;
        if (cur.records.size() == 4096) {
            batches.push_back(std::move(cur));
            cur = record_batch{};
            cur.block = block;
        }
    }
    if (!cur.records.empty()) {
        batches.push_back(std::move(cur));
    }
    return batches;
}

void run(const char* name, const std::string& data) {
    block_ref block;
    const auto batches = frame(data, block);
    auto parser = parse::make_parser(name);
    if (!parser) {
        std::fprintf(stderr, "%s\n", parser.error().to_string().c_str());
        std::exit(1);
    }
    event_batch out;
    double best = 0;
    uint64_t events = 0;
    uint64_t matched = 0;
    for (int rep = 0; rep < 3; ++rep) {
        parse::parse_state state;
        state.reference_ns = int64_t{1704067200} * 1000000000;
        events = 0;
        const auto t0 = std::chrono::steady_clock::now();
        for (const auto& b : batches) {
            out.clear();
            (*parser)->parse(b, state, out);
            events += out.events.size();
        }
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const double mbps = static_cast<double>(data.size()) / 1e6 / s;
        best = mbps > best ? mbps : best;
        matched = state.matched;
    }
    std::printf("%-8s %7.1f MB  %9llu events  matched %9llu  best of 3: %8.1f MB/s\n", name,
                static_cast<double>(data.size()) / 1e6, static_cast<unsigned long long>(events),
                static_cast<unsigned long long>(matched), best);
}

} // namespace

int main(int argc, char** argv) {
    const size_t mb = argc > 1 ? static_cast<size_t>(std::atoi(argv[1])) : 100;
    const size_t bytes = mb * 1000 * 1000;
    run("rfc3164", make_rfc3164(bytes));
    run("json", make_json(bytes));
    run("access", make_access(bytes));
    run("generic", make_rfc3164(bytes));
    return 0;
}
