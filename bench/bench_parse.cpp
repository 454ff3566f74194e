// bench_parse FILE [FORMAT] [--no-security] — reads FILE through source -> framing -> parsing
// on one thread and prints one JSON line: bytes, events, events with a timestamp, seconds.
// --no-security leaves out the security field extraction (parse/security) to time it apart.
#include <chrono>
#include <cstdio>
#include <string>

#include "pipeline/event_stream.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_parse FILE [FORMAT]\n");
        return 2;
    }
    sysgrok::pipeline::pipeline_options opts;
    opts.inputs = {argv[1]};
    if (argc > 2) {
        opts.format = argv[2];
    }
    if (argc > 3 && std::string(argv[3]) == "--no-security") {
        opts.parse.security_fields = false;
    }
    sysgrok::diagnostics diag;
    const auto t0 = std::chrono::steady_clock::now();
    auto stream = sysgrok::pipeline::event_stream::open(opts, diag);
    if (!stream) {
        std::fprintf(stderr, "bench_parse: %s\n", stream.error().to_string().c_str());
        return 1;
    }
    sysgrok::event_batch batch;
    uint64_t events = 0;
    uint64_t timed = 0;
    while ((*stream)->next(batch)) {
        events += batch.events.size();
        for (const auto& e : batch.events) {
            timed += e.ts_ns != sysgrok::k_no_time ? 1 : 0;
        }
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto& in = (*stream)->inputs().front();
    std::printf(
        "{\"bytes\":%llu,\"events\":%llu,\"timed\":%llu,\"format\":\"%s\",\"seconds\":%.4f}\n",
        static_cast<unsigned long long>(in.bytes), static_cast<unsigned long long>(events),
        static_cast<unsigned long long>(timed), in.format.c_str(), secs);
    return 0;
}
