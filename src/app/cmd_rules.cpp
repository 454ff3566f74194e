// `sysgrok rules list|check|test`: the Sigma rule engine from the command line.
//
// Built-in rules: the `rules/` directory next to the build tree, found as
// `<executable dir>/../rules` (build/sysgrok -> rules/), then `<exe dir>/rules`, then the
// source tree's rules/ (compile definition SYSGROK_SOURCE_DIR). `--rules DIR` adds more;
// `--no-builtin` leaves the built-ins out.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/input_options.hpp"
#include "app/output_file.hpp"
#include "app/rules_dir.hpp"
#include "security/engine.hpp"
#include "security/finding_format.hpp"
#include "security/rule_set.hpp"

#ifndef SYSGROK_SOURCE_DIR
#define SYSGROK_SOURCE_DIR "."
#endif

namespace sysgrok::app {

namespace {

namespace fs = std::filesystem;

struct rules_options {
    std::vector<std::string> rule_dirs;
    bool no_builtin = false;
    std::vector<std::string> check_paths;
    input_options in;
    bool json = false;
    bool quiet = false;
    std::string output = "-";
};

std::vector<std::string> rule_paths(const rules_options& o) {
    std::vector<std::string> paths;
    if (!o.no_builtin) {
        paths.push_back(builtin_rules_dir());
    }
    paths.insert(paths.end(), o.rule_dirs.begin(), o.rule_dirs.end());
    return paths;
}

void add_rule_options(CLI::App* cmd, rules_options& o) {
    cmd->add_option("--rules", o.rule_dirs, "Also load Sigma rules from this file or directory")
        ->take_all()
        ->allow_extra_args(false);
    cmd->add_flag("--no-builtin", o.no_builtin, "Do not load the built-in rules/ pack");
}

void print_rejected(const security::rule_set& rs) {
    for (const auto& r : rs.rejected()) {
        std::fprintf(stderr, "%s:%llu: unsupported: %s%s%s\n", r.path.c_str(),
                     static_cast<unsigned long long>(r.line), r.reason.c_str(),
                     r.title.empty() ? "" : " -- ", r.title.c_str());
    }
}

void print_summary(const security::rule_set& rs) {
    std::printf("loaded %zu, unsupported %zu (%zu detection, %zu correlation rules, %zu files)\n",
                rs.loaded(), rs.rejected().size(), rs.detections().size(), rs.correlations().size(),
                rs.files());
}

std::string_view correlation_kind(security::correlation_type t) {
    switch (t) {
        case security::correlation_type::event_count:
            return "event_count";
        case security::correlation_type::value_count:
            return "value_count";
        case security::correlation_type::temporal:
            return "temporal";
        case security::correlation_type::temporal_ordered:
            return "temporal_ordered";
    }
    return "correlation";
}

int run_list(const rules_options& o) {
    auto rs = security::rule_set::load(rule_paths(o));
    if (!rs) {
        std::fprintf(stderr, "sysgrok rules list: %s\n", rs.error().to_string().c_str());
        return k_exit_error;
    }
    for (const auto& d : (*rs)->detections()) {
        std::printf("%-36s %-13s %-16s %-28s %s%s\n", d.meta.id.c_str(), d.meta.level.c_str(),
                    "rule", security::traits_to_string(d.traits).c_str(), d.meta.title.c_str(),
                    d.standalone ? "" : " [correlation input]");
    }
    for (size_t i = 0; i < (*rs)->correlations().size(); ++i) {
        const auto& c = (*rs)->correlations()[i];
        std::string refs;
        for (const auto& n : c.rule_names) {
            refs += (refs.empty() ? "" : ",") + n;
        }
        std::printf("%-36s %-13s %-16s %-28s %s%s\n", c.meta.id.c_str(), c.meta.level.c_str(),
                    std::string(correlation_kind(c.type)).c_str(), refs.c_str(),
                    c.meta.title.c_str(),
                    (*rs)->correlation_standalone(i) ? "" : " [correlation input]");
    }
    print_rejected(**rs);
    print_summary(**rs);
    return k_exit_ok;
}

int run_check(const rules_options& o) {
    std::vector<std::string> paths = o.check_paths.empty() ? rule_paths(o) : o.check_paths;
    if (!o.check_paths.empty()) {
        paths.insert(paths.end(), o.rule_dirs.begin(), o.rule_dirs.end());
    }
    auto rs = security::rule_set::load(paths);
    if (!rs) {
        std::fprintf(stderr, "sysgrok rules check: %s\n", rs.error().to_string().c_str());
        return k_exit_error;
    }
    print_rejected(**rs);
    print_summary(**rs);
    return (*rs)->rejected().empty() ? k_exit_ok : k_exit_input_skipped;
}

int run_test(rules_options& o) {
    if (auto st = finish_input_options(o.in); !st) {
        std::fprintf(stderr, "sysgrok rules test: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    auto rs = security::rule_set::load(rule_paths(o));
    if (!rs) {
        std::fprintf(stderr, "sysgrok rules test: %s\n", rs.error().to_string().c_str());
        return k_exit_error;
    }
    if (!o.quiet) {
        print_rejected(**rs);
    }
    diagnostics diag;
    auto stream = pipeline::event_stream::open(o.in.pipe, diag);
    if (!stream) {
        std::fprintf(stderr, "sysgrok rules test: %s\n", stream.error().to_string().c_str());
        return k_exit_error;
    }
    auto out = output_file::open(o.output);
    if (!out) {
        std::fprintf(stderr, "sysgrok rules test: %s\n", out.error().to_string().c_str());
        return k_exit_error;
    }
    security::engine_state engine(**rs);
    event_batch batch;
    std::vector<security::finding> findings;
    std::string buf;
    size_t total = 0;
    const std::vector<std::string> paths = input_paths((*stream)->inputs());
    std::chrono::steady_clock::duration engine_time{};
    while ((*stream)->next(batch)) {
        findings.clear();
        const auto t0 = std::chrono::steady_clock::now();
        engine.process(batch, findings);
        engine_time += std::chrono::steady_clock::now() - t0;
        buf.clear();
        for (const auto& f : findings) {
            if (o.json) {
                security::append_finding_json(buf, f, paths);
                buf += '\n';
            } else {
                security::append_finding_text(buf, f, paths);
            }
        }
        total += findings.size();
        out->write(buf);
    }
    if (auto st = out->close(); !st) {
        std::fprintf(stderr, "sysgrok rules test: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    if (!o.quiet) {
        const auto& s = engine.stats();
        const double secs = std::chrono::duration<double>(engine_time).count();
        std::fprintf(stderr,
                     "sysgrok rules test: %llu events, %zu findings, %llu rule evaluations, "
                     "%zu rules loaded, rule engine %.3f s (%.0f events/s)\n",
                     static_cast<unsigned long long>(s.events), total,
                     static_cast<unsigned long long>(s.rule_evaluations), (*rs)->loaded(), secs,
                     secs > 0 ? static_cast<double>(s.events) / secs : 0.0);
    }
    return diag.any_data_lost() ? k_exit_input_skipped : k_exit_ok;
}

} // namespace

void register_rules_command(CLI::App& root, int& exit_code) {
    auto opts = std::make_shared<rules_options>();
    CLI::App* cmd = root.add_subcommand(
        "rules", "Sigma rules: list the loaded rules, check rule files, test rules on logs");
    cmd->require_subcommand(1);

    CLI::App* list = cmd->add_subcommand("list", "List loaded rules (id, level, kind, routing, "
                                                 "title) and the unsupported ones with reasons");
    add_rule_options(list, *opts);
    list->callback([opts, &exit_code] { exit_code = run_list(*opts); });

    CLI::App* check = cmd->add_subcommand(
        "check", "Validate Sigma rule files (line-numbered errors on stderr) and print "
                 "'loaded N, unsupported M'. Exit 3 when some rules are unsupported");
    check->add_option("PATH", opts->check_paths,
                      "Rule files or directories (default: the built-in pack and --rules)");
    add_rule_options(check, *opts);
    check->callback([opts, &exit_code] { exit_code = run_check(*opts); });

    CLI::App* test = cmd->add_subcommand(
        "test", "Run the rules over log files and print the findings (rule id, title, level, "
                "ATT&CK tags, entities, evidence lines)");
    add_input_options(test, opts->in);
    add_rule_options(test, *opts);
    test->add_flag("--json", opts->json, "One JSON object per finding");
    test->add_flag("-q,--quiet", opts->quiet, "No summary or unsupported-rule lines on stderr");
    test->add_option("-o,--output", opts->output, "Write to this file instead of stdout");
    test->callback([opts, &exit_code] { exit_code = run_test(*opts); });
    cmd->footer(k_exit_help);
}

} // namespace sysgrok::app
