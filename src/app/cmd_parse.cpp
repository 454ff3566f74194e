// `sysgrok parse`: every event as one JSON object (ECS field names).
#include <cstdio>
#include <memory>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/input_options.hpp"
#include "app/output_file.hpp"
#include "app/store_options.hpp"
#include "app/stored_labels.hpp"
#include "detect/problem_classifier.hpp"
#include "mine/template_miner.hpp"
#include "sink/ecs_json.hpp"

namespace sysgrok::app {

namespace {

struct parse_cmd_options {
    input_options in;
    bool json = true;
    bool templates = true;
    std::string output = "-";
    std::string labels; ///< --labels FILE
    store_options store;
    es_options es;
};

/// First pass with --labels: mines the inputs and teaches `cls` the labelled lines'
/// templates. The miner is deterministic, so the second pass sees the same template ids.
int learn_labels(const parse_cmd_options& o, detect::problem_classifier& cls) {
    diagnostics diag;
    auto stream = pipeline::event_stream::open(o.in.pipe, diag);
    if (!stream) {
        std::fprintf(stderr, "sysgrok parse: %s\n", stream.error().to_string().c_str());
        return k_exit_error;
    }
    const std::vector<std::string> paths = input_paths((*stream)->inputs());
    mine::template_miner miner;
    event_batch batch;
    while ((*stream)->next(batch)) {
        for (const auto& e : batch.events) {
            const auto m = miner.add(e.message);
            cls.learn(e.input < paths.size() ? paths[e.input] : std::string(), e.line,
                      m.template_id, e.sev, miner.template_text(m.template_id));
        }
    }
    return k_exit_ok;
}

int run_parse(parse_cmd_options& o) {
    if (auto st = finish_input_options(o.in); !st) {
        std::fprintf(stderr, "sysgrok parse: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    detect::problem_classifier cls;
    if (!o.labels.empty()) {
        auto book = detect::label_book::load(o.labels);
        if (!book) {
            std::fprintf(stderr, "sysgrok parse: %s\n", book.error().to_string().c_str());
            return k_exit_error;
        }
        cls = detect::problem_classifier(std::move(*book));
        if (const int rc = learn_labels(o, cls); rc != k_exit_ok) {
            return rc;
        }
    }
    diagnostics diag;
    auto stream = open_event_stream(o.in, o.es, k_no_time, k_no_time, diag);
    if (!stream) {
        std::fprintf(stderr, "sysgrok parse: %s\n", stream.error().to_string().c_str());
        return k_exit_error;
    }
    auto outs = outputs::open(o.store, o.es, "parse");
    if (!outs) {
        std::fprintf(stderr, "sysgrok parse: %s\n", outs.error().to_string().c_str());
        return k_exit_error;
    }
    if (auto st = (*outs)->start(**stream); !st) {
        std::fprintf(stderr, "sysgrok parse: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    if (auto n = recall_labels((*outs)->db(), cls); !n) {
        std::fprintf(stderr, "sysgrok parse: --store: %s\n", n.error().to_string().c_str());
        return k_exit_error;
    }
    // With --es or --store the JSON lines are written only when -o names a file.
    const bool write_json = !(*outs)->active() || o.output != "-";
    std::vector<uint32_t> tids;
    auto out = output_file::open(o.output);
    if (!out) {
        std::fprintf(stderr, "sysgrok parse: %s\n", out.error().to_string().c_str());
        return k_exit_error;
    }
    const auto& infos = (*stream)->inputs();
    const std::vector<std::string> paths = input_paths(infos);
    sink::ecs_json_formatter formatter(paths, {});
    event_batch batch;
    std::string buf;
    mine::template_miner miner;
    const outputs::text_fn text_of = [&miner](uint32_t id) { return miner.template_text(id); };
    progress prog(**stream);
    uint64_t events = 0;
    size_t known_formats = 0;
    while ((*stream)->next(batch)) {
        // Formats are known once an input's first block was parsed.
        size_t now_known = 0;
        for (const auto& i : infos) {
            now_known += i.format.empty() ? 0 : 1;
        }
        if (now_known != known_formats) {
            known_formats = now_known;
            std::vector<std::string> formats;
            formats.reserve(infos.size());
            for (const auto& i : infos) {
                formats.push_back(i.format);
            }
            formatter.set_formats(std::move(formats));
        }
        buf.clear();
        tids.clear();
        for (const auto& e : batch.events) {
            sink::event_annotations ann;
            uint32_t tid = 0;
            if (o.templates || cls.has_labels()) {
                tid = miner.add(e.message).template_id;
            }
            if (o.templates) {
                ann.template_id = tid;
                ann.template_text = miner.template_text(tid);
            }
            const std::string_view path =
                e.input < paths.size() ? std::string_view(paths[e.input]) : std::string_view();
            const std::string_view ttext =
                cls.has_labels() ? miner.template_text(tid) : std::string_view(e.message);
            ann.problem = cls.classify(e.sev, e.message, tid, ttext, path, e.line).problem ? 1 : 0;
            tids.push_back(tid);
            if (write_json) {
                formatter.append(buf, batch, e, ann);
            }
        }
        if (write_json) {
            out->write(buf);
        }
        if (auto st = (*outs)->on_batch(
                batch, o.templates ? std::span<const uint32_t>(tids) : std::span<const uint32_t>(),
                text_of);
            !st) {
            std::fprintf(stderr, "sysgrok parse: %s\n", st.error().to_string().c_str());
            return k_exit_error;
        }
        events += batch.events.size();
        prog.update(events);
    }
    if (auto st = out->close(); !st) {
        std::fprintf(stderr, "sysgrok parse: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    if (auto st = keep_labels((*outs)->db(), cls); !st) {
        std::fprintf(stderr, "sysgrok parse: --store: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    if (auto st = (*outs)->on_findings({}, {}, text_of); !st) {
        std::fprintf(stderr, "sysgrok parse: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    if (auto st = (*outs)->close(); !st) {
        std::fprintf(stderr, "sysgrok parse: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    return diag.any_data_lost() ? k_exit_input_skipped : k_exit_ok;
}

} // namespace

void register_parse_command(CLI::App& root, int& exit_code) {
    auto opts = std::make_shared<parse_cmd_options>();
    CLI::App* cmd = root.add_subcommand(
        "parse", "Parse logs and write one JSON object per event (ECS field names: @timestamp, "
                 "message, log.level, log.file.path, host.name, process.name, process.pid, ...)");
    add_input_options(cmd, opts->in);
    cmd->add_flag("--json", opts->json, "Write NDJSON (the default and only output form)");
    cmd->add_option("-o,--output", opts->output, "Write to this file instead of stdout");
    cmd->add_flag("!--no-templates", opts->templates,
                  "Do not mine templates (omits sysgrok.template_id and sysgrok.template)");
    cmd->add_option("--labels", opts->labels,
                    "CSV of feedback labels `line,problem` (1 = problem, 0 = noise; PATH:LINE "
                    "names one input). They set sysgrok.problem for their templates and "
                    "similar messages. Inputs are read twice (not for stdin).")
        ->check(CLI::ExistingFile);
    add_store_options(cmd, opts->store);
    add_es_options(cmd, opts->es, true);
    cmd->footer(k_exit_help);
    cmd->callback([opts, &exit_code] { exit_code = run_parse(*opts); });
}

} // namespace sysgrok::app
