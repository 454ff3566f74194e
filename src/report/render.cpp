#include "report/render.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_writer.hpp"
#include "core/time.hpp"
#include "report/text_util.hpp"

namespace sysgrok::report {

namespace {

constexpr std::array<severity, 9> k_all_sev{
    severity::emergency, severity::alert, severity::critical, severity::error, severity::warning,
    severity::notice,    severity::info,  severity::debug,    severity::none};

std::string duration_text(int64_t ns) {
    const int64_t s = ns / 1000000000;
    if (s < 120) {
        return fmt::format("{} s", s);
    }
    if (s < 7200) {
        return fmt::format("{} min", s / 60);
    }
    if (s < 2 * 86400) {
        return fmt::format("{} h", s / 3600);
    }
    return fmt::format("{} d", s / 86400);
}

std::string bar(uint64_t v, uint64_t max, size_t width) {
    if (max == 0) {
        return "";
    }
    const size_t n = static_cast<size_t>((v * width + max - 1) / max);
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        out += "█";
    }
    return out;
}

struct styler {
    bool color;
    [[nodiscard]] std::string head(std::string_view s) const {
        return color ? fmt::format("\033[1m{}\033[0m", s) : std::string(s);
    }
    [[nodiscard]] std::string sev(severity sv, std::string_view s) const {
        if (!color) {
            return std::string(s);
        }
        const char* c =
            sv <= severity::error ? "\033[31m" : (sv == severity::warning ? "\033[33m" : "");
        return fmt::format("{}{}\033[0m", c, s);
    }
};

} // namespace

std::string render_text(const report_input& in, const text_options& opt) {
    const styler st{opt.color};
    const summary& sum = in.sum;
    std::string out;
    uint64_t lines = 0;
    for (const auto& i : in.inputs) {
        lines += i.lines;
    }
    out += st.head(fmt::format("sysgrok analyze: {} input{}, {} lines, {} events", in.inputs.size(),
                               in.inputs.size() == 1 ? "" : "s", group_digits(lines),
                               group_digits(sum.events())));
    out += fmt::format(" in {:.2f} s\n", in.seconds);
    if (sum.first_ts() != k_no_time) {
        out += fmt::format("time range: {} .. {} ({})\n", ts_text(sum.first_ts()),
                           ts_text(sum.last_ts()), duration_text(sum.last_ts() - sum.first_ts()));
    }

    out += "\n" + st.head("Inputs") + "\n";
    size_t pw = 10;
    for (const auto& i : in.inputs) {
        pw = std::max(pw, std::min<size_t>(i.path.size(), 60));
    }
    out += fmt::format("  {:<{}}  {:<10} {:>10} {:>10} {:>9}  {}\n", "path", pw, "format", "lines",
                       "events", "timed", "notes");
    for (const auto& i : in.inputs) {
        std::string notes;
        if (i.skipped) {
            notes = "SKIPPED";
        }
        if (!i.compression.empty()) {
            notes += (notes.empty() ? "" : ", ") + i.compression;
        }
        if (i.blank_lines > 0) {
            notes += (notes.empty() ? "" : ", ") + group_digits(i.blank_lines) + " blank";
        }
        if (i.events > i.matched && i.events > 0 && i.format != "generic") {
            notes +=
                (notes.empty() ? "" : ", ") + group_digits(i.events - i.matched) + " not in format";
        }
        const double timed = i.events > 0 ? 100.0 * static_cast<double>(i.with_timestamp) /
                                                static_cast<double>(i.events)
                                          : 0.0;
        std::string path = i.path.size() > 60 ? "…" + i.path.substr(i.path.size() - 59) : i.path;
        out += fmt::format("  {:<{}}  {:<10} {:>10} {:>10} {:>8.1f}%  {}\n", path, pw,
                           i.format.empty() ? "-" : i.format, group_digits(i.lines),
                           group_digits(i.events), timed, notes);
    }

    const auto diags = in.diag.examples();
    if (!diags.empty()) {
        out += "\n" + st.head("Skipped or repaired input") + "\n";
        for (size_t k = 0; k < k_issue_kinds; ++k) {
            const auto kind = static_cast<issue_kind>(k);
            const uint64_t n = in.diag.count_of(kind);
            if (n == 0) {
                continue;
            }
            const char* note = issue_loses_data(kind) ? "(input not processed)"
                               : (kind == issue_kind::invalid_utf8 || kind == issue_kind::nul_bytes)
                                   ? "(repaired)"
                                   : "(noted)";
            out +=
                fmt::format("  {:<15} {:>8}  {}\n", issue_kind_name(kind), group_digits(n), note);
            size_t shown = 0;
            for (const auto& d : diags) {
                if (d.kind == kind && shown++ < 3) {
                    out += fmt::format("      e.g. {}{}: {}\n", d.path,
                                       d.line > 0 ? ":" + std::to_string(d.line) : "", d.message);
                }
            }
        }
    }

    const auto hist = sum.histogram(24);
    if (!hist.counts.empty()) {
        const uint64_t mx = *std::max_element(hist.counts.begin(), hist.counts.end());
        out += "\n" +
               st.head(fmt::format("Volume over time (one row = {})", duration_text(hist.bin_ns))) +
               "\n";
        for (size_t b = 0; b < hist.counts.size(); ++b) {
            out += fmt::format("  {}  {:>9} {}\n",
                               ts_text(hist.start_ns + static_cast<int64_t>(b) * hist.bin_ns),
                               group_digits(hist.counts[b]), bar(hist.counts[b], mx, 40));
        }
    }

    out += "\n" + st.head("Severity") + "\n";
    uint64_t smax = 0;
    for (auto s : k_all_sev) {
        smax = std::max(smax, sum.by_severity(s));
    }
    for (auto s : k_all_sev) {
        const uint64_t n = sum.by_severity(s);
        if (n == 0) {
            continue;
        }
        const std::string name = s == severity::none ? "(none)" : std::string(severity_name(s));
        out +=
            fmt::format("  {:<9} {:>10} {}\n", st.sev(s, name), group_digits(n), bar(n, smax, 40));
    }

    auto counter_section = [&](const char* title, const capped_counter& c) {
        const auto top = c.top(opt.top);
        if (top.empty()) {
            return;
        }
        out += "\n" + st.head(fmt::format("{} ({} distinct)", title, group_digits(c.distinct()))) +
               "\n";
        for (const auto& [k, v] : top) {
            out += fmt::format("  {:>10}  {}\n", group_digits(v), clean_text(k, 70));
        }
    };
    counter_section("Top services", sum.programs());
    counter_section("Top hosts", sum.hosts());

    const auto groups = sum.top_groups(opt.top, in.template_text);
    if (!groups.empty()) {
        out += "\n" +
               st.head(fmt::format("Most frequent {} ({} distinct)",
                                   in.template_text ? "templates" : "messages",
                                   group_digits(sum.distinct_groups()))) +
               "\n";
        for (const auto& g : groups) {
            const std::string sv =
                g.worst == severity::none ? "" : std::string(severity_name(g.worst));
            out += fmt::format("  {:>10}  {:<7} {}\n", group_digits(g.count), st.sev(g.worst, sv),
                               clean_text(g.pattern, opt.width - 22));
        }
    }

    auto error_section = [&](const char* title, const std::vector<event_ref>& v) {
        if (v.empty()) {
            return;
        }
        out += "\n" + st.head(title) + "\n";
        for (const auto& r : v) {
            out += fmt::format("  {}  {}:{}\n      {} {}\n", ts_text(r.ts_ns), r.path, r.line,
                               st.sev(r.sev, severity_name(r.sev)),
                               clean_text(r.text, opt.width - 12));
        }
    };
    if (sum.errors() == 0) {
        out += "\nNo events of severity error or worse.\n";
    } else {
        error_section(fmt::format("First errors ({} in all)", group_digits(sum.errors())).c_str(),
                      sum.first_errors());
        if (sum.errors() > sum.first_errors().size()) {
            error_section("Last errors", sum.last_errors());
        }
    }
    return out;
}

std::string render_json(const report_input& in, size_t top) {
    using nlohmann::json;
    const summary& sum = in.sum;
    auto ts = [](int64_t t) {
        return t == k_no_time ? json(nullptr) : json(format_iso8601_utc(t));
    };
    auto clean_text = [](std::string_view s) {
        std::string o;
        append_sanitized_utf8(o, s);
        return o;
    };
    json j;
    j["events"] = sum.events();
    j["seconds"] = in.seconds;
    j["time_range"] = {{"start", ts(sum.first_ts())}, {"end", ts(sum.last_ts())}};
    json inputs = json::array();
    for (const auto& i : in.inputs) {
        inputs.push_back({{"path", clean_text(i.path)},
                          {"format", i.format},
                          {"compression", i.compression},
                          {"bytes", i.bytes},
                          {"lines", i.lines},
                          {"events", i.events},
                          {"blank_lines", i.blank_lines},
                          {"with_timestamp", i.with_timestamp},
                          {"matched_format", i.matched},
                          {"skipped", i.skipped}});
    }
    j["inputs"] = inputs;
    json issues = json::object();
    for (size_t k = 0; k < k_issue_kinds; ++k) {
        const auto kind = static_cast<issue_kind>(k);
        if (in.diag.count_of(kind) > 0) {
            json ex = json::array();
            for (const auto& d : in.diag.examples()) {
                if (d.kind == kind) {
                    ex.push_back(
                        {{"path", clean_text(d.path)}, {"line", d.line}, {"message", d.message}});
                }
            }
            issues[std::string(issue_kind_name(kind))] = {{"count", in.diag.count_of(kind)},
                                                          {"data_lost", issue_loses_data(kind)},
                                                          {"examples", ex}};
        }
    }
    j["skipped"] = issues;
    const auto hist = sum.histogram(48);
    json h = json::array();
    for (size_t b = 0; b < hist.counts.size(); ++b) {
        h.push_back({{"start", ts(hist.start_ns + static_cast<int64_t>(b) * hist.bin_ns)},
                     {"count", hist.counts[b]}});
    }
    j["volume"] = {{"bucket_seconds", hist.bin_ns / 1000000000}, {"buckets", h}};
    json sev = json::object();
    for (auto s : k_all_sev) {
        if (sum.by_severity(s) > 0) {
            sev[s == severity::none ? "none" : std::string(severity_name(s))] = sum.by_severity(s);
        }
    }
    j["severity"] = sev;
    auto counter = [&](const capped_counter& c) {
        json a = json::array();
        for (const auto& [k, v] : c.top(top)) {
            a.push_back({{"name", clean_text(k)}, {"count", v}});
        }
        return a;
    };
    j["services"] = counter(sum.programs());
    j["hosts"] = counter(sum.hosts());
    auto ref = [&](const event_ref& r) {
        return json{{"@timestamp", ts(r.ts_ns)},
                    {"log.file.path", clean_text(r.path)},
                    {"sysgrok.line", r.line},
                    {"log.level", r.sev == severity::none ? "" : std::string(severity_name(r.sev))},
                    {"message", clean_text(r.text)}};
    };
    json groups = json::array();
    for (const auto& g : sum.top_groups(top, in.template_text)) {
        groups.push_back(
            {{"pattern", clean_text(g.pattern)},
             {"template_id", in.template_text ? json(g.key) : json(nullptr)},
             {"count", g.count},
             {"worst_level", g.worst == severity::none ? "" : std::string(severity_name(g.worst))},
             {"example", ref(g.example)}});
    }
    j[in.template_text ? "top_templates" : "top_messages"] = groups;
    json fe = json::array();
    json le = json::array();
    for (const auto& r : sum.first_errors()) {
        fe.push_back(ref(r));
    }
    for (const auto& r : sum.last_errors()) {
        le.push_back(ref(r));
    }
    j["errors"] = {{"count", sum.errors()}, {"first", fe}, {"last", le}};
    return j.dump(2) + "\n";
}

} // namespace sysgrok::report
