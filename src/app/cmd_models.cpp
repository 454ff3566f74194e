// `sysgrok models`: the installed language models with their GGUF metadata.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/llm_options.hpp"
#include "explain/evidence.hpp"
#include "explain/explain.hpp"
#include "explain/label_cache.hpp"
#include "llm/llama_backend.hpp"
#include "llm/model_store.hpp"

namespace sysgrok::app {

namespace {

struct models_options {
    std::vector<std::string> paths; ///< GGUF files to describe instead of the installed ones
    bool json = false;
};

std::string human_count(uint64_t n) {
    char buf[32];
    if (n >= 1000000000ULL) {
        std::snprintf(buf, sizeof buf, "%.1fB", static_cast<double>(n) / 1e9);
    } else if (n >= 1000000ULL) {
        std::snprintf(buf, sizeof buf, "%.0fM", static_cast<double>(n) / 1e6);
    } else {
        std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
    }
    return buf;
}

int run_models(const models_options& o) {
    if (!llm::llama_available()) {
        const auto e = llm::read_model_info("").error();
        std::fprintf(stderr, "sysgrok models: %s\n", e.to_string().c_str());
        return k_exit_error;
    }
    std::vector<std::string> paths = o.paths.empty() ? llm::installed_models() : o.paths;
    const auto def = llm::default_model();
    if (paths.empty()) {
        std::fprintf(stderr, "sysgrok models: %s\n", def.error().to_string().c_str());
        return k_exit_error;
    }
    int rc = k_exit_ok;
    nlohmann::json all = nlohmann::json::array();
    std::string text = "  " + std::string("model") + std::string(34, ' ') +
                       "   size  arch        params  quantisation       context\n";
    for (const auto& p : paths) {
        auto info = llm::read_model_info(p);
        if (!info) {
            std::fprintf(stderr, "sysgrok models: %s\n", info.error().to_string().c_str());
            rc = k_exit_error;
            continue;
        }
        const bool is_default = def && *def == p;
        if (o.json) {
            all.push_back({{"file", info->path},
                           {"name", info->name},
                           {"bytes", info->file_bytes},
                           {"architecture", info->architecture},
                           {"parameters", info->parameters},
                           {"size_label", info->size_label},
                           {"quantization", info->quantization},
                           {"context_length", info->context_length},
                           {"default", is_default}});
            continue;
        }
        char line[512];
        std::snprintf(line, sizeof line, "%s %-38s %5.0fM  %-10s %7s  %-17s %7d\n",
                      is_default ? "*" : " ", info->name.c_str(),
                      static_cast<double>(info->file_bytes) / (1024.0 * 1024.0),
                      info->architecture.c_str(), human_count(info->parameters).c_str(),
                      info->quantization.c_str(), info->context_length);
        text += line;
    }
    if (o.json) {
        std::printf("%s\n", all.dump(2).c_str());
    } else {
        text += "\n* default. Models live in " + llm::models_dir() +
                "; `--model PATH` runs any GGUF file.\n";
        std::fputs(text.c_str(), stdout);
    }
    return rc;
}

struct eval_options {
    llm_cli_options llm;
    int answer_tokens = explain::session_options{}.answer_tokens;
};

explain::evidence evidence_from_json(const nlohmann::json& j) {
    explain::evidence ev;
    ev.title = j.value("title", std::string());
    for (const auto& f : j.value("facts", nlohmann::json::array())) {
        ev.facts.push_back(f.get<std::string>());
    }
    for (const auto& t : j.value("templates", nlohmann::json::array())) {
        ev.templates.push_back({t.value("id", std::string()), 0, t.value("text", std::string()),
                                t.value("count", uint64_t{0}), t.value("expected", -1.0)});
    }
    for (const auto& l : j.value("lines", nlohmann::json::array())) {
        ev.lines.push_back({l.value("id", std::string()), l.value("where", std::string()),
                            l.value("text", std::string())});
    }
    return ev;
}

/// `sysgrok models eval`: runs label and explain tasks (JSON lines on stdin) through the
/// model and writes one result line each, then the stats and the peak RSS. Used by
/// bench/llm_bench.py to measure speed and quality per model.
int run_eval(const eval_options& o) {
    auto rt = open_llm(o.llm);
    if (!rt) {
        std::fprintf(stderr, "sysgrok models eval: %s\n", rt.error().to_string().c_str());
        return k_exit_error;
    }
    explain::session_options so = rt->session->options();
    so.answer_tokens = o.answer_tokens;
    explain::session s(*rt->backend, rt->redactor.get(), rt->audit.get(), so);
    explain::memory_label_store labels;
    std::string line;
    while (std::getline(std::cin, line)) {
        const auto task = nlohmann::json::parse(line, nullptr, false);
        if (task.is_discarded() || !task.is_object()) {
            continue;
        }
        nlohmann::json out;
        out["id"] = task.value("id", std::string());
        const auto before = s.stats();
        const auto t0 = std::chrono::steady_clock::now();
        if (task.value("kind", std::string()) == "label") {
            const std::vector<explain::template_ref> one = {
                {0, task.value("template", std::string()), task.value("example", std::string())}};
            const auto l = explain::label_templates(s, one, labels);
            out["category"] = l.at(0).category;
            out["description"] = l.at(0).description;
        } else {
            const auto e = explain::explain_evidence(
                s, evidence_from_json(task.value("evidence", nlohmann::json::object())));
            out["explanation"] = nlohmann::json::parse(explain::explanation_json(e));
        }
        out["seconds"] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        out["prompt_tokens"] = s.stats().prompt_tokens - before.prompt_tokens;
        out["reused_prompt_tokens"] = s.stats().reused_prompt_tokens - before.reused_prompt_tokens;
        out["generated_tokens"] = s.stats().generated_tokens - before.generated_tokens;
        out["model_seconds"] = s.stats().seconds - before.seconds;
        out["prompt_seconds"] = s.stats().prompt_seconds - before.prompt_seconds;
        std::printf("%s\n",
                    out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        std::fflush(stdout);
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    nlohmann::json fin = nlohmann::json::parse(explain::stats_json(s.stats()));
    fin["id"] = "stats";
    fin["peak_rss_kb"] = ru.ru_maxrss;
    fin["model"] = rt->backend->info().name;
    std::printf("%s\n", fin.dump().c_str());
    return k_exit_ok;
}

} // namespace

void register_models_command(CLI::App& root, int& exit_code) {
    auto opts = std::make_shared<models_options>();
    CLI::App* cmd = root.add_subcommand(
        "models", "List the installed language models (file, size, architecture, parameters, "
                  "quantisation, context length) and which one is the default");
    cmd->add_option("files", opts->paths, "GGUF files to describe instead of the installed ones")
        ->type_name("GGUF");
    cmd->add_flag("--json", opts->json, "Write the list as JSON");
    cmd->footer(k_exit_help);
    auto eopts = std::make_shared<eval_options>();
    CLI::App* eval = cmd->add_subcommand(
        "eval", "Benchmark helper: run label/explain tasks (JSON lines on stdin) through the "
                "model; one result line each, then stats with the peak RSS (bench/llm_bench.py)");
    add_llm_options(eval, eopts->llm);
    eval->add_option("--answer-tokens", eopts->answer_tokens, "Generation budget per explanation")
        ->capture_default_str();
    eval->callback([eopts, &exit_code] { exit_code = run_eval(*eopts); });
    cmd->callback([opts, eval, &exit_code] {
        if (!eval->parsed()) {
            exit_code = run_models(*opts);
        }
    });
}

} // namespace sysgrok::app
