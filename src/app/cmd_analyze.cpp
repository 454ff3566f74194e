// `sysgrok analyze`: incidents found by the detectors, then a report of what the logs hold.
#include <chrono>
#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "app/analyze_llm.hpp"
#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/input_options.hpp"
#include "app/output_file.hpp"
#include "app/rules_dir.hpp"
#include "app/store_options.hpp"
#include "app/stored_labels.hpp"
#include "app/time_args.hpp"
#include "core/time.hpp"
#include "detect/incident_builder.hpp"
#include "detect/problem_classifier.hpp"
#include "detect/window_detector.hpp"
#include "mine/template_miner.hpp"
#include "report/incident_render.hpp"
#include "report/render.hpp"
#include "report/summary.hpp"
#include "security/engine.hpp"
#include "security/finding_format.hpp"
#include "security/rule_set.hpp"

namespace sysgrok::app {

namespace {

struct analyze_cmd_options {
    input_options in;
    bool json = false;
    std::string output = "-";
    size_t top = 10;
    std::string color = "auto";
    std::vector<std::string> baseline;
    std::string since;
    std::string until;
    std::string window = "5m";
    std::string labels;
    bool detect = true;
    bool all_incidents = false;
    bool rules = true; ///< run the Sigma rules (built-ins + --rules)
    bool builtin_rules = true;
    std::vector<std::string> rule_dirs; ///< --rules DIR
    store_options store;                ///< --store FILE
    es_options es;                      ///< --es URL, --from-es URL
    llm_cli_options llm;                ///< --model, --llm-url, ...
    bool explain = true;                ///< --no-llm turns the model off
};

/// Loads the built-in rule pack and --rules directories; rules that cannot be supported
/// are counted on stderr (`sysgrok rules check` lists them with reasons).
result<std::unique_ptr<security::rule_set>> load_rules(const analyze_cmd_options& o) {
    std::vector<std::string> paths;
    if (o.builtin_rules) {
        paths.push_back(builtin_rules_dir());
    }
    paths.insert(paths.end(), o.rule_dirs.begin(), o.rule_dirs.end());
    auto rs = security::rule_set::load(paths);
    if (rs && !(*rs)->rejected().empty()) {
        std::fprintf(stderr,
                     "sysgrok analyze: %zu rules not supported and skipped "
                     "(see `sysgrok rules check` for the reasons)\n",
                     (*rs)->rejected().size());
    }
    return rs;
}

std::string_view base_name(std::string_view path) {
    const size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

/// Everything the per-event loop needs.
struct analyze_state {
    explicit analyze_state(const detect::detector_config& dc) : detector(dc) {}

    mine::template_miner miner;
    detect::window_detector detector;
    detect::problem_classifier classifier;
    std::vector<std::string_view> params;
    int64_t since = k_no_time;
    int64_t until = k_no_time;
    bool detect = true;

    /// Feeds one event to the detectors; returns its template id.
    uint32_t feed(const event& e, const std::string& path) {
        const auto m = miner.add(e.message);
        if (!detect) {
            return m.template_id;
        }
        params.clear();
        for (const auto& p : m.params) {
            params.push_back(e.message.substr(p.begin, p.end - p.begin));
        }
        const std::string_view ttext =
            classifier.has_labels() ? miner.template_text(m.template_id) : e.message;
        classifier.learn(path, e.line, m.template_id, e.sev, ttext);
        detect::event_view v;
        v.ts_ns = e.ts_ns;
        v.input = e.input;
        v.line = e.line;
        v.sev = e.sev;
        v.problem =
            classifier.classify(e.sev, e.message, m.template_id, ttext, path, e.line).problem;
        v.template_id = m.template_id;
        v.host = e.host;
        v.service = e.program.empty() ? base_name(path) : e.program;
        v.message = e.message;
        v.params = params;
        detector.add(v);
        return m.template_id;
    }

    [[nodiscard]] bool in_range(const event& e) const {
        if (e.ts_ns == k_no_time) {
            return true;
        }
        return (since == k_no_time || e.ts_ns >= since) && (until == k_no_time || e.ts_ns < until);
    }
};

/// Reads the --baseline inputs into the miner and the detectors (learning only).
int learn_baseline(const analyze_cmd_options& o, analyze_state& st) {
    pipeline::pipeline_options popt = o.in.pipe;
    popt.inputs = o.baseline;
    diagnostics diag;
    auto stream = pipeline::event_stream::open(popt, diag);
    if (!stream) {
        std::fprintf(stderr, "sysgrok analyze: --baseline: %s\n",
                     stream.error().to_string().c_str());
        return k_exit_error;
    }
    const std::vector<std::string> paths = input_paths((*stream)->inputs());
    st.detector.begin_baseline();
    event_batch batch;
    const std::string none;
    while ((*stream)->next(batch)) {
        for (const auto& e : batch.events) {
            st.feed(e, e.input < paths.size() ? paths[e.input] : none);
        }
    }
    st.detector.end_baseline();
    return k_exit_ok;
}

/// The overview JSON document on one line.
std::string compact_json(const std::string& pretty) {
    auto j = nlohmann::json::parse(pretty, nullptr, false);
    if (j.is_discarded()) {
        return pretty;
    }
    nlohmann::json wrap;
    wrap["sysgrok.report"] = std::move(j);
    return wrap.dump() + "\n";
}

int run_analyze(analyze_cmd_options& o) {
    if (auto st = finish_input_options(o.in); !st) {
        std::fprintf(stderr, "sysgrok analyze: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    const auto window = parse_duration_arg(o.window);
    if (!window) {
        std::fprintf(stderr, "sysgrok analyze: --window: expected a duration like 5m or 1h\n");
        return k_exit_error;
    }
    detect::detector_config dc;
    dc.window_ns = *window;
    auto state = std::make_unique<analyze_state>(dc);
    analyze_state& st = *state;
    st.detect = o.detect;
    for (const auto& [arg, out] :
         {std::pair{&o.since, &st.since}, std::pair{&o.until, &st.until}}) {
        if (arg->empty()) {
            continue;
        }
        const auto t = parse_time_arg(*arg);
        if (!t) {
            std::fprintf(stderr, "sysgrok analyze: bad time '%s' (use 2026-03-14T03:10:00, UTC)\n",
                         arg->c_str());
            return k_exit_error;
        }
        *out = *t;
    }
    if (!o.labels.empty()) {
        auto book = detect::label_book::load(o.labels);
        if (!book) {
            std::fprintf(stderr, "sysgrok analyze: %s\n", book.error().to_string().c_str());
            return k_exit_error;
        }
        st.classifier = detect::problem_classifier(std::move(*book));
    }
    auto outs = outputs::open(o.store, o.es, "analyze");
    if (!outs) {
        std::fprintf(stderr, "sysgrok analyze: %s\n", outs.error().to_string().c_str());
        return k_exit_error;
    }
    if (auto n = recall_labels((*outs)->db(), st.classifier); !n) {
        std::fprintf(stderr, "sysgrok analyze: --store: %s\n", n.error().to_string().c_str());
        return k_exit_error;
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (o.detect && !o.baseline.empty()) {
        if (const int rc = learn_baseline(o, st); rc != k_exit_ok) {
            return rc;
        }
    }
    diagnostics diag;
    auto stream = open_event_stream(o.in, o.es, st.since, st.until, diag);
    if (!stream) {
        std::fprintf(stderr, "sysgrok analyze: %s\n", stream.error().to_string().c_str());
        return k_exit_error;
    }
    if (const status so = (*outs)->start(**stream); !so) {
        std::fprintf(stderr, "sysgrok analyze: %s\n", so.error().to_string().c_str());
        return k_exit_error;
    }
    const outputs::text_fn text_of = [&st](uint32_t id) { return st.miner.template_text(id); };
    const auto& infos = (*stream)->inputs();
    const std::vector<std::string> paths = input_paths(infos);
    std::unique_ptr<security::rule_set> rules;
    std::unique_ptr<security::engine_state> sigma;
    std::vector<security::finding> sigma_findings;
    if (o.rules) {
        auto rs = load_rules(o);
        if (!rs) {
            std::fprintf(stderr, "sysgrok analyze: %s\n", rs.error().to_string().c_str());
            return k_exit_error;
        }
        rules = std::move(*rs);
        sigma = std::make_unique<security::engine_state>(*rules);
    }
    report::summary sum;
    event_batch batch;
    std::vector<uint32_t> ids;
    const std::string none;
    {
        progress prog(**stream);
        while ((*stream)->next(batch)) {
            if (st.since != k_no_time || st.until != k_no_time) {
                std::erase_if(batch.events, [&st](const event& e) { return !st.in_range(e); });
            }
            ids.resize(batch.events.size());
            for (size_t i = 0; i < batch.events.size(); ++i) {
                const auto& e = batch.events[i];
                ids[i] = st.feed(e, e.input < paths.size() ? paths[e.input] : none);
            }
            sum.add(batch, paths, &ids);
            if (auto so = (*outs)->on_batch(batch, ids, text_of); !so) {
                std::fprintf(stderr, "sysgrok analyze: %s\n", so.error().to_string().c_str());
                return k_exit_error;
            }
            if (sigma) {
                sigma->process(batch, sigma_findings);
            }
            prog.update(sum.events());
        }
    }
    std::vector<detect::incident> incidents;
    if (o.detect || !sigma_findings.empty()) {
        std::vector<detect::finding> findings;
        if (o.detect) {
            st.detector.finish();
            findings = st.detector.take_findings();
        }
        for (const auto& f : sigma_findings) {
            findings.push_back(security::to_detect_finding(f));
        }
        incidents = detect::build_incidents(std::move(findings),
                                            detect::incident_config{.gap_ns = 2 * *window});
    }
    const detect::alert_level shown_level =
        o.all_incidents ? detect::alert_level::low : detect::alert_level::medium;
    analyze_llm_result llm;
    if (o.explain && !incidents.empty()) {
        llm = explain_for_analyze(o.llm, incidents, st.miner, paths, (*outs)->db(), shown_level,
                                  o.top);
    }
    status so = (*outs)->on_findings(incidents, {}, text_of);
    if (so) {
        so = keep_labels((*outs)->db(), st.classifier);
    }
    if (status closed = (*outs)->close(); so && !closed) {
        so = closed;
    }
    if (!so) {
        std::fprintf(stderr, "sysgrok analyze: %s\n", so.error().to_string().c_str());
        return k_exit_error;
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto tmpl_text = [&st](uint64_t id) {
        return std::string(st.miner.template_text(static_cast<uint32_t>(id)));
    };
    report::report_input rin{sum, infos, diag, secs, tmpl_text};
    report::incident_view iv{incidents, paths,
                             [&st](uint32_t id) { return std::string(st.miner.template_text(id)); },
                             *window};
    iv.notes_text = &llm.text;
    iv.notes_json = &llm.json;
    auto out = output_file::open(o.output);
    if (!out) {
        std::fprintf(stderr, "sysgrok analyze: %s\n", out.error().to_string().c_str());
        return k_exit_error;
    }
    if (o.json) {
        out->write(report::render_incidents_ndjson(iv));
        std::string last = compact_json(report::render_json(rin, o.top));
        if (!llm.stats_json.empty()) {
            // {"sysgrok.report": {...}, "stats": {"llm": {...}}}
            const size_t close = last.rfind('}');
            if (close != std::string::npos) {
                last.insert(close, ",\"stats\":{\"llm\":" + llm.stats_json + "}");
            }
        }
        out->write(last);
    } else {
        report::text_options to;
        to.top = o.top;
        to.color = o.color == "always" ||
                   (o.color == "auto" && o.output == "-" && ::isatty(STDOUT_FILENO) == 1);
        std::string text = report::render_text(rin, to);
        if (o.detect || o.rules) {
            // The report's first two lines (run and time range) stay on top.
            size_t cut = text.find('\n');
            cut = cut == std::string::npos ? text.size() : text.find('\n', cut + 1);
            cut = cut == std::string::npos ? text.size() : cut + 1;
            const std::string inc = report::render_incidents_text(iv, o.top, to.color, shown_level);
            text = text.substr(0, cut) + "\n" + inc + text.substr(cut);
        }
        out->write(text);
    }
    if (auto stc = out->close(); !stc) {
        std::fprintf(stderr, "sysgrok analyze: %s\n", stc.error().to_string().c_str());
        return k_exit_error;
    }
    return diag.any_data_lost() ? k_exit_input_skipped : k_exit_ok;
}

} // namespace

void register_analyze_command(CLI::App& root, int& exit_code) {
    auto opts = std::make_shared<analyze_cmd_options>();
    CLI::App* cmd = root.add_subcommand(
        "analyze", "Report on logs: incidents (related anomalies: new and error templates, "
                   "rate spikes and dips, error bursts, unusual parameters), then inputs and "
                   "formats, skipped input, volume over time, severities, services and hosts, "
                   "most frequent messages, first and last errors");
    add_input_options(cmd, opts->in);
    cmd->add_flag("--json", opts->json,
                  "Write NDJSON: one ECS alert line per incident and per finding (event.kind "
                  "alert, event.severity, rule.id, ...), then one {\"sysgrok.report\": ...} "
                  "line with the overview");
    cmd->add_option("-o,--output", opts->output, "Write to this file instead of stdout");
    cmd->add_option("--top", opts->top, "Rows in each top-N table and incidents shown")
        ->capture_default_str();
    cmd->add_option("--color", opts->color, "Colour the terminal report: auto, always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    cmd->add_option("--baseline", opts->baseline,
                    "Known-good logs to compare against (their templates, rates and "
                    "parameter values are the reference)")
        ->check(CLI::ExistingPath);
    cmd->add_option("--since", opts->since, "Only events at or after this UTC time");
    cmd->add_option("--until", opts->until, "Only events before this UTC time");
    cmd->add_option("--window", opts->window, "Detection window (30s, 5m, 1h)")
        ->capture_default_str();
    cmd->add_option("--labels", opts->labels,
                    "Feedback labels (CSV line,problem) for the problem flag")
        ->check(CLI::ExistingFile);
    cmd->add_flag("--all-incidents", opts->all_incidents,
                  "Show low-severity incidents too (text report)");
    cmd->add_flag("!--no-detect", opts->detect, "Skip the anomaly detectors");
    cmd->add_option("--rules", opts->rule_dirs,
                    "More Sigma rules (files or directories) besides the built-in pack")
        ->check(CLI::ExistingPath)
        ->type_name("DIR");
    cmd->add_flag("!--no-builtin-rules", opts->builtin_rules,
                  "Do not load the built-in rule pack (rules/)");
    cmd->add_flag("!--no-rules", opts->rules, "Do not run Sigma rules at all");
    add_store_options(cmd, opts->store);
    add_llm_options(cmd, opts->llm);
    cmd->add_flag("!--no-llm", opts->explain,
                  "Do not explain incidents with the local model (default: explain the incidents "
                  "shown, when a model is installed)");
    add_es_options(cmd, opts->es, true);
    cmd->footer(k_exit_help);
    cmd->callback([opts, &exit_code] { exit_code = run_analyze(*opts); });
}

} // namespace sysgrok::app
