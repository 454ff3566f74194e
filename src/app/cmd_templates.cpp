// `sysgrok templates`: mine log templates and print them with counts, an example line
// and a summary of their parameters; optionally one Loghub-style CSV row per line.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/input_options.hpp"
#include "app/output_file.hpp"
#include "mine/csv.hpp"
#include "mine/template_miner.hpp"

namespace sysgrok::app {

namespace {

struct templates_cmd_options {
    input_options in;
    std::string loghub_csv; ///< --loghub-csv OUT
    std::string output = "-";
    std::string state_in;  ///< --state-in FILE: continue from a saved miner
    std::string state_out; ///< --state-out FILE
    size_t top = 0;        ///< 0 = all templates
    uint32_t max_templates = mine::miner_config{}.max_templates;
    double similarity = mine::miner_config{}.similarity;
};

/// Up to k_values distinct values per parameter position, with counts.
struct param_summary {
    static constexpr size_t k_values = 8;
    std::vector<std::pair<std::string, uint64_t>> values;
    uint64_t other = 0; ///< occurrences of values beyond the first k_values
    uint64_t total = 0;

    void add(std::string_view v) {
        ++total;
        for (auto& [s, n] : values) {
            if (s == v) {
                ++n;
                return;
            }
        }
        if (values.size() < k_values) {
            values.emplace_back(v.substr(0, 64), 1);
        } else {
            ++other;
        }
    }
};

/// A temporary file holding (line, template id, message) for --loghub-csv; it is
/// rewritten in input order once all templates are final.
class spool {
  public:
    spool() : f_(std::tmpfile(), &std::fclose) {}
    [[nodiscard]] bool ok() const { return f_ != nullptr && !failed_; }

    void put(uint64_t line, uint32_t id, std::string_view msg) {
        auto len = static_cast<uint32_t>(msg.size());
        failed_ |= std::fwrite(&line, sizeof line, 1, f_.get()) != 1;
        failed_ |= std::fwrite(&id, sizeof id, 1, f_.get()) != 1;
        failed_ |= std::fwrite(&len, sizeof len, 1, f_.get()) != 1;
        failed_ |= len > 0 && std::fwrite(msg.data(), 1, len, f_.get()) != len;
    }
    void rewind() { std::rewind(f_.get()); }
    bool get(uint64_t& line, uint32_t& id, std::string& msg) {
        uint32_t len = 0;
        if (std::fread(&line, sizeof line, 1, f_.get()) != 1 ||
            std::fread(&id, sizeof id, 1, f_.get()) != 1 ||
            std::fread(&len, sizeof len, 1, f_.get()) != 1) {
            return false;
        }
        msg.resize(len);
        return len == 0 || std::fread(msg.data(), 1, len, f_.get()) == len;
    }

  private:
    std::unique_ptr<FILE, int (*)(FILE*)> f_;
    bool failed_ = false;
};

void remember_evicted(void* ctx, uint32_t id, std::string_view text) {
    (*static_cast<std::unordered_map<uint32_t, std::string>*>(ctx))[id] = std::string(text);
}

std::string one_line(std::string_view s, size_t max) {
    std::string out;
    for (char c : s.substr(0, max)) {
        out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    if (s.size() > max) {
        out += "...";
    }
    return out;
}

int fail(const char* what, const error& e) {
    std::fprintf(stderr, "sysgrok templates: %s%s\n", what, e.to_string().c_str());
    return k_exit_error;
}

int run_templates(templates_cmd_options& o) {
    o.in.no_merge = true; // keep input order: LineId order in --loghub-csv
    if (auto st = finish_input_options(o.in); !st) {
        return fail("", st.error());
    }
    o.in.pipe.merge = false;
    if (!(o.similarity > 0.0 && o.similarity <= 1.0) || o.max_templates == 0) {
        return fail("", error{"--similarity must be in (0, 1] and --max-templates > 0", "", 0, ""});
    }
    mine::miner_config cfg;
    cfg.similarity = o.similarity;
    cfg.max_templates = o.max_templates;
    mine::template_miner miner(cfg);
    if (!o.state_in.empty()) {
        std::ifstream in(o.state_in, std::ios::binary);
        if (!in) {
            return fail("", error{"cannot open miner state", o.state_in, 0, "check the path"});
        }
        if (auto st = miner.load(in); !st) {
            error e = st.error();
            e.path = o.state_in;
            return fail("", e);
        }
    }
    std::unordered_map<uint32_t, std::string> evicted;
    std::unique_ptr<spool> rows;
    if (!o.loghub_csv.empty()) {
        rows = std::make_unique<spool>();
        if (!rows->ok()) {
            return fail("", error{"cannot create a temporary file", "", 0, "check TMPDIR"});
        }
        miner.set_eviction_hook(&remember_evicted, &evicted);
    }
    diagnostics diag;
    auto stream = pipeline::event_stream::open(o.in.pipe, diag);
    if (!stream) {
        return fail("", stream.error());
    }
    std::unordered_map<uint32_t, std::vector<param_summary>> summaries;
    event_batch batch;
    progress prog(**stream);
    uint64_t events = 0;
    while ((*stream)->next(batch)) {
        for (const auto& e : batch.events) {
            const auto m = miner.add(e.message);
            // Positions follow the template's wildcards; when a template gains wildcards
            // its summary restarts so that the positions stay aligned.
            auto& sums = summaries[m.template_id];
            const size_t positions = std::min<size_t>(m.params.size(), 64);
            if (sums.size() != positions) {
                sums.assign(positions, param_summary{});
            }
            for (size_t k = 0; k < m.params.size() && k < sums.size(); ++k) {
                sums[k].add(
                    e.message.substr(m.params[k].begin, m.params[k].end - m.params[k].begin));
            }
            if (rows) {
                rows->put(e.line, m.template_id, e.message);
            }
        }
        events += batch.events.size();
        prog.update(events);
        if (summaries.size() > 4 * static_cast<size_t>(cfg.max_templates)) {
            // Forget the summaries of evicted templates (memory stays bounded).
            std::erase_if(summaries,
                          [&](const auto& kv) { return miner.template_text(kv.first).empty(); });
        }
    }

    // Templates by count, with an example and the parameter summary.
    auto out = output_file::open(o.output);
    if (!out) {
        return fail("", out.error());
    }
    auto list = miner.templates();
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.count > b.count; });
    const auto& st = miner.stats();
    std::string buf = "# " + std::to_string(st.messages) + " messages, " +
                      std::to_string(list.size()) + " templates (" +
                      std::to_string(st.templates_evicted) + " rare templates evicted)\n";
    size_t shown = 0;
    for (const auto& t : list) {
        if (o.top != 0 && shown++ >= o.top) {
            break;
        }
        buf += "\n[" + std::to_string(t.id) + "] " + std::to_string(t.count) + "  " +
               std::string(t.text) + "\n";
        buf += "    example: " + one_line(t.example, 300) + "\n";
        auto it = summaries.find(t.id);
        if (it == summaries.end()) {
            continue;
        }
        for (size_t k = 0; k < it->second.size(); ++k) {
            const auto& ps = it->second[k];
            if (ps.total == 0) {
                continue;
            }
            buf += "    p" + std::to_string(k + 1) + ":";
            auto vals = ps.values;
            std::stable_sort(vals.begin(), vals.end(),
                             [](const auto& a, const auto& b) { return a.second > b.second; });
            for (size_t v = 0; v < vals.size() && v < 5; ++v) {
                buf += (v == 0 ? " " : ", ") + one_line(vals[v].first, 40) + " (" +
                       std::to_string(vals[v].second) + ")";
            }
            if (ps.other > 0 || vals.size() > 5) {
                buf += ", ... (more than " + std::to_string(std::min<size_t>(vals.size(), 5)) +
                       " distinct values)";
            }
            buf += "\n";
        }
        if (buf.size() > (1U << 16U)) {
            out->write(buf);
            buf.clear();
        }
    }
    out->write(buf);
    if (auto s = out->close(); !s) {
        return fail("", s.error());
    }

    if (rows) {
        auto csv = output_file::open(o.loghub_csv);
        if (!csv) {
            return fail("", csv.error());
        }
        rows->rewind();
        std::string line_buf = "LineId,Content,EventTemplate\n";
        uint64_t line = 0;
        uint32_t id = 0;
        std::string msg;
        while (rows->get(line, id, msg)) {
            std::string_view text = miner.template_text(id);
            if (text.empty()) {
                if (auto ev = evicted.find(id); ev != evicted.end()) {
                    text = ev->second;
                }
            }
            line_buf += std::to_string(line);
            line_buf.push_back(',');
            mine::append_csv_field(line_buf, msg);
            line_buf.push_back(',');
            mine::append_csv_field(line_buf, text);
            line_buf.push_back('\n');
            if (line_buf.size() > (1U << 16U)) {
                csv->write(line_buf);
                line_buf.clear();
            }
        }
        csv->write(line_buf);
        if (auto s = csv->close(); !s) {
            return fail("", s.error());
        }
    }
    if (!o.state_out.empty()) {
        std::ofstream so(o.state_out, std::ios::binary | std::ios::trunc);
        auto s = so ? miner.save(so) : status(error{"cannot write", o.state_out, 0, ""});
        if (!s) {
            error e = s.error();
            e.path = o.state_out;
            return fail("", e);
        }
    }
    return diag.any_data_lost() ? k_exit_input_skipped : k_exit_ok;
}

} // namespace

void register_templates_command(CLI::App& root, int& exit_code) {
    auto opts = std::make_shared<templates_cmd_options>();
    CLI::App* cmd = root.add_subcommand(
        "templates",
        "Mine message templates (variables shown as <*>) and print them by frequency with an "
        "example line and the most common values of each parameter");
    add_input_options(cmd, opts->in);
    cmd->add_option("--loghub-csv", opts->loghub_csv,
                    "Also write one row per input line, in input order: LineId,Content,"
                    "EventTemplate (the Loghub structured-file columns)")
        ->type_name("OUT");
    cmd->add_option("-o,--output", opts->output, "Write the template list to this file");
    cmd->add_option("--top", opts->top, "Print only the N most frequent templates (0 = all)")
        ->capture_default_str();
    cmd->add_option("--similarity", opts->similarity,
                    "Fraction of a template's constant tokens a message must share to join it")
        ->capture_default_str();
    cmd->add_option("--max-templates", opts->max_templates,
                    "Templates kept in memory; rarer ones are evicted and counted")
        ->capture_default_str();
    cmd->add_option("--state-in", opts->state_in,
                    "Continue from a miner state saved by --state-out (same template ids)")
        ->type_name("FILE");
    cmd->add_option("--state-out", opts->state_out, "Save the miner state at the end")
        ->type_name("FILE");
    cmd->footer(k_exit_help);
    cmd->callback([opts, &exit_code] { exit_code = run_templates(*opts); });
}

} // namespace sysgrok::app
