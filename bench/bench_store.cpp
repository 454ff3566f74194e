// bench_store FILE ROWS [fts] — rows/s of store::writer (one thread): synthetic events in
// batches of 4096, committed every 65,536 rows, WAL, synchronous=NORMAL.
// Prints "rows=N seconds=S rows_per_s=R bytes=B".
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "store/writer.hpp"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_store FILE ROWS [fts]\n");
        return 2;
    }
    const std::string path = argv[1];
    const auto rows = static_cast<size_t>(std::strtoull(argv[2], nullptr, 10));
    const bool fts = argc > 3 && std::string(argv[3]) == "fts";
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    auto s = sysgrok::store::store::open(path);
    if (!s) {
        std::fprintf(stderr, "%s\n", s.error().to_string().c_str());
        return 1;
    }
    sysgrok::store::writer_options wo;
    wo.store_events = true;
    wo.fts = fts;
    auto w = sysgrok::store::writer::open(**s, "bench", {"/var/log/bench.log"}, wo);
    if (!w) {
        std::fprintf(stderr, "%s\n", w.error().to_string().c_str());
        return 1;
    }
    constexpr size_t k_batch = 4096;
    // Messages of ~90 bytes like a syslog line's free text.
    std::vector<std::string> texts(k_batch);
    sysgrok::event_batch b;
    std::vector<uint32_t> tids(k_batch);
    const auto t0 = std::chrono::steady_clock::now();
    for (size_t done = 0; done < rows; done += k_batch) {
        const size_t n = std::min(k_batch, rows - done);
        b.clear();
        for (size_t i = 0; i < n; ++i) {
            const size_t k = done + i;
            texts[i] = "Failed password for invalid user u" + std::to_string(k % 977) +
                       " from 10.1." + std::to_string(k % 251) + "." + std::to_string(k % 253) +
                       " port " + std::to_string(1024 + k % 60000) + " ssh2";
            sysgrok::event e;
            e.id = 0x9e3779b97f4a7c15ULL * (k + 1);
            e.ts_ns = static_cast<int64_t>(1700000000 + k / 50) * 1000000000LL;
            e.line = k + 1;
            e.sev = sysgrok::severity::info;
            e.message = texts[i];
            e.raw = texts[i];
            e.host = "web1";
            e.program = "sshd";
            b.events.push_back(e);
            tids[i] = static_cast<uint32_t>(k % 40);
        }
        if (auto st = (*w)->on_batch(b, std::span<const uint32_t>(tids.data(), n)); !st) {
            std::fprintf(stderr, "%s\n", st.error().to_string().c_str());
            return 1;
        }
    }
    if (auto st = (*w)->finish({}, {}, [](uint32_t) { return std::string_view("t <*>"); }); !st) {
        std::fprintf(stderr, "%s\n", st.error().to_string().c_str());
        return 1;
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::error_code ec;
    const auto bytes =
        std::filesystem::file_size(path, ec) + std::filesystem::file_size(path + "-wal", ec);
    std::printf("rows=%zu seconds=%.3f rows_per_s=%.0f bytes=%llu\n", rows, secs,
                static_cast<double>(rows) / secs, static_cast<unsigned long long>(bytes));
    return 0;
}
