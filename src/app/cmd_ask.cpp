// `sysgrok ask "question" FILE...`: answers a question about logs from the templates and
// lines that match it, with citations checked against that evidence.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/input_options.hpp"
#include "app/llm_options.hpp"
#include "core/time.hpp"
#include "explain/ask.hpp"
#include "mine/template_miner.hpp"

namespace sysgrok::app {

namespace {

struct ask_options {
    std::string question;
    input_options in;
    llm_cli_options llm;
    size_t top = 8; ///< templates given to the model
    std::string since;
    std::string until;
    bool json = false;
};

int fail(const error& e) {
    std::fprintf(stderr, "sysgrok ask: %s\n", e.to_string().c_str());
    return k_exit_error;
}

/// "2024-05-01T10:00:00Z" style (or anything the event timestamp parser of the project
/// accepts as ISO 8601) to ns; error names the option.
result<int64_t> parse_time_option(const std::string& s, const char* option) {
    int year = 0;
    unsigned mon = 0;
    unsigned day = 0;
    unsigned hh = 0;
    unsigned mm = 0;
    unsigned ss = 0;
    const int n =
        std::sscanf(s.c_str(), "%d-%u-%u%*[T ]%u:%u:%u", &year, &mon, &day, &hh, &mm, &ss);
    if (n < 3 || !valid_civil(year, mon, day, hh, mm, ss)) {
        return error{std::string(option) + " '" + s + "' is not a date", "", 0,
                     "use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (UTC)"};
    }
    return to_epoch_ns(year, mon, day, hh, mm, ss, 0);
}

int run_ask(ask_options& o) {
    if (auto st = finish_input_options(o.in); !st) {
        return fail(st.error());
    }
    int64_t since = k_no_time;
    int64_t until = k_no_time;
    if (!o.since.empty()) {
        auto t = parse_time_option(o.since, "--since");
        if (!t) {
            return fail(t.error());
        }
        since = *t;
    }
    if (!o.until.empty()) {
        auto t = parse_time_option(o.until, "--until");
        if (!t) {
            return fail(t.error());
        }
        until = *t;
    }
    // Open the model first: a missing model is reported before reading gigabytes.
    auto rt = open_llm(o.llm);
    if (!rt) {
        return fail(rt.error());
    }
    diagnostics diag;
    auto stream = pipeline::event_stream::open(o.in.pipe, diag);
    if (!stream) {
        return fail(stream.error());
    }
    const auto paths = input_paths((*stream)->inputs());
    mine::template_miner miner;
    explain::log_digest digest;
    event_batch batch;
    progress prog(**stream);
    uint64_t events = 0;
    while ((*stream)->next(batch)) {
        for (const auto& e : batch.events) {
            const auto m = miner.add(e.message);
            if ((since != k_no_time && (e.ts_ns == k_no_time || e.ts_ns < since)) ||
                (until != k_no_time && (e.ts_ns == k_no_time || e.ts_ns > until))) {
                continue;
            }
            if (!e.host.empty()) {
                rt->redactor->add_term("HOST", e.host);
            }
            digest.add(e, m.template_id, e.input < paths.size() ? paths[e.input] : "input");
        }
        events += batch.events.size();
        prog.update(events);
    }
    digest.finish(miner);
    if (digest.events() == 0) {
        return fail(error{"no events to answer from", "", 0,
                          "check the inputs and the --since/--until range"});
    }
    const auto chosen = explain::retrieve(o.question, digest, o.top);
    const auto ev = explain::question_evidence(digest, chosen);
    const auto a = explain::answer_question(*rt->session, o.question, ev);
    const auto& st = rt->session->stats();
    auto where = [&ev](const std::string& id) -> std::string {
        for (const auto& l : ev.lines) {
            if (l.id == id) {
                return l.where + "  " + l.text.substr(0, 200);
            }
        }
        for (const auto& t : ev.templates) {
            if (t.id == id) {
                return std::to_string(t.count) + " events  " + t.text.substr(0, 200);
            }
        }
        return {};
    };
    if (o.json) {
        nlohmann::json j;
        if (a.ok()) {
            j["answer"] = a.answer;
            j["citations"] = nlohmann::json::array();
            for (const auto& c : a.citations) {
                j["citations"].push_back({{"id", c}, {"evidence", where(c)}});
            }
            j["invalid_citations"] = a.invalid_citations;
        } else {
            j["error"] = a.error;
        }
        j["model"] = a.model;
        j["stats"] = nlohmann::json::parse(explain::stats_json(st));
        std::printf("%s\n",
                    j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else if (a.ok()) {
        std::string out = a.answer + "\n";
        if (!a.citations.empty()) {
            out += "\nEvidence:\n";
            for (const auto& c : a.citations) {
                out += "  " + c + "  " + where(c) + "\n";
            }
        }
        if (!a.invalid_citations.empty()) {
            out += "(" + std::to_string(a.invalid_citations.size()) +
                   " citations not in the evidence were dropped)\n";
        }
        out += "\n(model " + a.model + ", " + std::to_string(st.prompt_tokens) + " prompt + " +
               std::to_string(st.generated_tokens) + " generated tokens)\n";
        std::fputs(out.c_str(), stdout);
    } else {
        std::fprintf(stderr, "sysgrok ask: no answer: %s\n", a.error.c_str());
        return k_exit_error;
    }
    return diag.any_data_lost() ? k_exit_input_skipped : k_exit_ok;
}

} // namespace

void register_ask_command(CLI::App& root, int& exit_code) {
    auto opts = std::make_shared<ask_options>();
    CLI::App* cmd = root.add_subcommand(
        "ask", "Answer a question about logs with the local model: the templates and lines that "
               "match the question (words, problem level, time range) are the evidence, and "
               "every citation in the answer is checked against it");
    cmd->add_option("question", opts->question, "The question, in quotes")->required();
    add_input_options(cmd, opts->in);
    add_llm_options(cmd, opts->llm);
    cmd->add_option("--top", opts->top, "Templates given to the model as evidence")
        ->capture_default_str();
    cmd->add_option("--since", opts->since, "Only events at or after this UTC time")
        ->type_name("TIME");
    cmd->add_option("--until", opts->until, "Only events at or before this UTC time")
        ->type_name("TIME");
    cmd->add_flag("--json", opts->json, "Write the answer, citations and stats as JSON");
    cmd->footer(k_exit_help);
    cmd->callback([opts, &exit_code] { exit_code = run_ask(*opts); });
}

} // namespace sysgrok::app
