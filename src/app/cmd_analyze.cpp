// `sysgrok analyze`: a report of what the logs hold.
#include <chrono>
#include <cstdio>
#include <memory>

#include <unistd.h>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/input_options.hpp"
#include "app/output_file.hpp"
#include "mine/template_miner.hpp"
#include "report/render.hpp"
#include "report/summary.hpp"

namespace sysgrok::app {

namespace {

struct analyze_cmd_options {
    input_options in;
    bool json = false;
    std::string output = "-";
    size_t top = 10;
    std::string color = "auto";
};

int run_analyze(analyze_cmd_options& o) {
    if (auto st = finish_input_options(o.in); !st) {
        std::fprintf(stderr, "sysgrok analyze: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    const auto t0 = std::chrono::steady_clock::now();
    diagnostics diag;
    auto stream = pipeline::event_stream::open(o.in.pipe, diag);
    if (!stream) {
        std::fprintf(stderr, "sysgrok analyze: %s\n", stream.error().to_string().c_str());
        return k_exit_error;
    }
    const auto& infos = (*stream)->inputs();
    const std::vector<std::string> paths = input_paths(infos);
    report::summary sum;
    mine::template_miner miner;
    event_batch batch;
    std::vector<uint32_t> ids;
    {
        progress prog(**stream);
        while ((*stream)->next(batch)) {
            ids.resize(batch.events.size());
            for (size_t i = 0; i < batch.events.size(); ++i) {
                ids[i] = miner.add(batch.events[i].message).template_id;
            }
            sum.add(batch, paths, &ids);
            prog.update(sum.events());
        }
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    report::report_input rin{sum, infos, diag, secs, [&miner](uint64_t id) {
                                 return std::string(miner.template_text(static_cast<uint32_t>(id)));
                             }};
    auto out = output_file::open(o.output);
    if (!out) {
        std::fprintf(stderr, "sysgrok analyze: %s\n", out.error().to_string().c_str());
        return k_exit_error;
    }
    if (o.json) {
        out->write(report::render_json(rin, o.top));
    } else {
        report::text_options to;
        to.top = o.top;
        to.color = o.color == "always" ||
                   (o.color == "auto" && o.output == "-" && ::isatty(STDOUT_FILENO) == 1);
        out->write(report::render_text(rin, to));
    }
    if (auto st = out->close(); !st) {
        std::fprintf(stderr, "sysgrok analyze: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    return diag.any_data_lost() ? k_exit_input_skipped : k_exit_ok;
}

} // namespace

void register_analyze_command(CLI::App& root, int& exit_code) {
    auto opts = std::make_shared<analyze_cmd_options>();
    CLI::App* cmd = root.add_subcommand(
        "analyze", "Report on logs: inputs and formats, skipped input, volume over time, "
                   "severities, services and hosts, most frequent messages, first and last errors");
    add_input_options(cmd, opts->in);
    cmd->add_flag("--json", opts->json, "Write the report as one JSON document");
    cmd->add_option("-o,--output", opts->output, "Write to this file instead of stdout");
    cmd->add_option("--top", opts->top, "Rows in each top-N table")->capture_default_str();
    cmd->add_option("--color", opts->color, "Colour the terminal report: auto, always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    cmd->footer(k_exit_help);
    cmd->callback([opts, &exit_code] { exit_code = run_analyze(*opts); });
}

} // namespace sysgrok::app
