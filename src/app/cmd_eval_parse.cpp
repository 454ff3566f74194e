// `sysgrok eval-parse`: parsing accuracy (GA, FGA, PA, FTA) of a parsed CSV against a
// Loghub ground-truth CSV.
#include <cstdio>
#include <memory>
#include <string>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "mine/parse_eval.hpp"

namespace sysgrok::app {

namespace {

struct eval_parse_options {
    std::string truth;
    std::string parsed;
    std::string align = "auto";
    bool json = false;
};

int run_eval_parse(const eval_parse_options& o) {
    mine::eval_files files{o.truth, o.parsed, mine::eval_alignment::automatic};
    if (o.align == "row") {
        files.alignment = mine::eval_alignment::by_row;
    } else if (o.align == "line-id") {
        files.alignment = mine::eval_alignment::by_line_id;
    } else if (o.align == "content") {
        files.alignment = mine::eval_alignment::by_content;
    }
    auto m = mine::evaluate_parse_files(files);
    if (!m) {
        std::fprintf(stderr, "sysgrok eval-parse: %s\n", m.error().to_string().c_str());
        return k_exit_error;
    }
    if (o.json) {
        std::printf("{\"messages\":%zu,\"truth_templates\":%zu,\"parsed_templates\":%zu,"
                    "\"GA\":%.4f,\"FGA\":%.4f,\"PGA\":%.4f,\"RGA\":%.4f,\"PA\":%.4f,"
                    "\"FTA\":%.4f,\"PTA\":%.4f,\"RTA\":%.4f,"
                    "\"FTA_strict\":%.4f,\"PTA_strict\":%.4f,\"RTA_strict\":%.4f}\n",
                    m->messages, m->truth_templates, m->parsed_templates, m->ga, m->fga, m->pga,
                    m->rga, m->pa, m->fta, m->pta, m->rta, m->fta_strict, m->pta_strict,
                    m->rta_strict);
    } else {
        std::printf("messages          %zu\n", m->messages);
        std::printf("truth templates   %zu\n", m->truth_templates);
        std::printf("parsed templates  %zu\n", m->parsed_templates);
        std::printf("GA   %.4f\n", m->ga);
        std::printf("FGA  %.4f  (PGA %.4f, RGA %.4f)\n", m->fga, m->pga, m->rga);
        std::printf("PA   %.4f\n", m->pa);
        std::printf("FTA  %.4f  (PTA %.4f, RTA %.4f)\n", m->fta, m->pta, m->rta);
        std::printf("FTA strict %.4f  (PTA %.4f, RTA %.4f)\n", m->fta_strict, m->pta_strict,
                    m->rta_strict);
    }
    return k_exit_ok;
}

} // namespace

void register_eval_parse_command(CLI::App& root, int& exit_code) {
    auto opts = std::make_shared<eval_parse_options>();
    CLI::App* cmd = root.add_subcommand(
        "eval-parse",
        "Parsing accuracy against a Loghub ground truth: GA, FGA, PA and FTA as defined by the "
        "Loghub-2.0 evaluator (rows with an empty truth template are left out)");
    cmd->add_option("--truth", opts->truth,
                    "Ground-truth CSV with an EventTemplate column (and LineId or Content)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--parsed", opts->parsed,
                    "Parsed CSV with EventTemplate (or template) and LineId (or Content/log), "
                    "e.g. from `sysgrok templates --loghub-csv`")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--align", opts->align,
                    "How rows are matched: auto (LineId, else message text, else row order), "
                    "row, line-id, content")
        ->check(CLI::IsMember({"auto", "row", "line-id", "content"}))
        ->capture_default_str();
    cmd->add_flag("--json", opts->json, "Print one JSON object");
    cmd->footer(k_exit_help);
    cmd->callback([opts, &exit_code] { exit_code = run_eval_parse(*opts); });
}

} // namespace sysgrok::app
