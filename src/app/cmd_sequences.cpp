// `sysgrok sequences`: semi-supervised anomaly detection on sessions of template ids.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/output_file.hpp"
#include "detect/sequence_model.hpp"
#include "detect/session_reader.hpp"

namespace sysgrok::app {

namespace {

struct sequences_cmd_options {
    std::vector<std::string> train;
    std::string test;
    std::string output = "-";
    bool verbose = false;
    detect::sequence_model_config model;
};

int fail(const sysgrok::error& e) {
    std::fprintf(stderr, "sysgrok sequences: %s\n", e.to_string().c_str());
    return k_exit_error;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int run_sequences(const sequences_cmd_options& o) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::vector<uint32_t>> train;
    for (const auto& path : o.train) {
        auto sessions = detect::read_sessions(path);
        if (!sessions) {
            return fail(sessions.error());
        }
        for (auto& s : *sessions) {
            train.push_back(std::move(s.events));
        }
    }
    detect::sequence_model model(o.model);
    if (auto st = model.train(train); !st) {
        return fail(st.error());
    }
    const double train_s = seconds_since(t0);
    const auto t1 = std::chrono::steady_clock::now();
    auto test = detect::read_sessions(o.test);
    if (!test) {
        return fail(test.error());
    }
    auto out = output_file::open(o.output);
    if (!out) {
        return fail(out.error());
    }
    std::string buf;
    size_t flagged = 0;
    char line[64];
    for (const auto& s : *test) {
        const auto r = model.score(s.events);
        flagged += r.anomalous ? 1 : 0;
        const int n = std::snprintf(line, sizeof line, "%d %.4f\n", r.anomalous ? 1 : 0, r.score);
        buf.append(line, static_cast<size_t>(n));
        if (buf.size() > (1U << 16)) {
            out->write(buf);
            buf.clear();
        }
    }
    out->write(buf);
    if (auto st = out->close(); !st) {
        return fail(st.error());
    }
    if (o.verbose) {
        std::fprintf(stderr,
                     "sysgrok sequences: trained on %zu sessions (%zu templates, %zu invariants, "
                     "count threshold %.2f bits, order threshold %.2f bits) in %.3f s; "
                     "scored %zu sessions in %.3f s, %zu anomalous\n",
                     train.size(), model.vocabulary_size(), model.invariant_count(),
                     model.count_threshold(), model.order_threshold(), train_s, test->size(),
                     seconds_since(t1), flagged);
    }
    return k_exit_ok;
}

} // namespace

void register_sequences_command(CLI::App& root, int& exit_code) {
    auto opts = std::make_shared<sequences_cmd_options>();
    CLI::App* cmd = root.add_subcommand(
        "sequences",
        "Session anomaly detection: learn from normal sessions (sequences of template ids), "
        "then print one line per test session in input order: 0 or 1, a space, the anomaly "
        "score (1 is the decision threshold)");
    cmd->add_option("--train", opts->train,
                    "Normal sessions to learn from (repeatable): one session per line as "
                    "space-separated ids, or CSV with a header and a Sequence column first "
                    "(other columns, such as a label, are ignored)")
        ->required();
    cmd->add_option("--test", opts->test, "Sessions to score (same formats; - for stdin)")
        ->required();
    cmd->add_option("-o,--output", opts->output, "Write to this file instead of stdout");
    cmd->add_flag("-v,--verbose", opts->verbose,
                  "Print the learned model's size, thresholds and timings on stderr");
    cmd->add_option("--context", opts->model.ngram_context,
                    "Previous events the order model conditions on")
        ->check(CLI::Range(1, 3))
        ->capture_default_str();
    cmd->add_option("--count-quantile", opts->model.count_quantile,
                    "Quantile of held-out normal count surprise used as threshold")
        ->check(CLI::Range(0.5, 1.0))
        ->capture_default_str();
    cmd->add_option("--order-quantile", opts->model.order_quantile,
                    "Quantile of held-out normal order surprise used as threshold")
        ->check(CLI::Range(0.5, 1.0))
        ->capture_default_str();
    cmd->add_option("--margin", opts->model.margin_bits, "Bits added to both thresholds")
        ->check(CLI::Range(0.0, 64.0))
        ->capture_default_str();
    cmd->footer(k_exit_help);
    cmd->callback([opts, &exit_code] { exit_code = run_sequences(*opts); });
}

} // namespace sysgrok::app
