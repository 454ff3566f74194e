// src/report/incident_render.cpp — incidents for people (text) and machines (NDJSON).
#include "report/incident_render.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_writer.hpp"
#include "core/time.hpp"
#include "report/text_util.hpp"

namespace sysgrok::report {

namespace {

using detect::alert_level;
using detect::finding;
using detect::finding_kind;
using detect::incident;

std::string span_text(int64_t a, int64_t b) {
    if (a == k_no_time) {
        return "(no time)";
    }
    std::string s = ts_text(a);
    if (b != k_no_time && b > a) {
        const std::string e = ts_text(b);
        s += " .. " + (e.substr(0, 10) == s.substr(0, 10) ? e.substr(11) : e);
    }
    return s;
}

std::string path_of(const incident_view& v, uint32_t input) {
    return input < v.paths.size() ? v.paths[input] : std::string("?");
}

std::string window_text(int64_t ns) {
    const int64_t m = ns / 60000000000LL;
    return m >= 60 && m % 60 == 0 ? fmt::format("{} h", m / 60) : fmt::format("{} min", m);
}

std::string subject(const finding& f, const incident_view& v) {
    if (!f.template_ids.empty() && v.template_text) {
        return clean_text(v.template_text(f.template_ids.front()), 90);
    }
    if (!f.service.empty()) {
        return "service " + f.service;
    }
    return f.host.empty() ? std::string("all events") : "host " + f.host;
}

std::string upper(std::string_view s) {
    std::string o(s);
    for (auto& c : o) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return o;
}

nlohmann::json ts_json(int64_t t) {
    return t == k_no_time ? nlohmann::json(nullptr) : nlohmann::json(format_iso8601_utc(t));
}

} // namespace

std::string describe_finding(const finding& f, const incident_view& v) {
    const std::string what = subject(f, v);
    const std::string name(f.rule_name_or_kind());
    switch (f.kind) {
        case finding_kind::spike:
            if (f.expected == 0) {
                return fmt::format("{}: {} — {} in {} (new: none before)", name, what, f.count,
                                   window_text(v.window_ns));
            }
            [[fallthrough]];
        case finding_kind::dip:
        case finding_kind::disappearance:
            return fmt::format("{}: {} — {} in {} (usual {:.1f})", name, what, f.count,
                               window_text(v.window_ns), f.expected);
        case finding_kind::error_burst:
            return fmt::format("{} in {}: {} problem events ({})", name,
                               f.service.empty() ? "host " + f.host : f.service, f.count, f.detail);
        case finding_kind::new_template:
        case finding_kind::first_error:
        case finding_kind::rare_template:
            return fmt::format("{}: {} ({}×)", name, what, f.count);
        case finding_kind::numeric_param:
        case finding_kind::new_param_value:
            return fmt::format("{}: {} — {} ({}×)", name, what, f.detail, f.count);
        case finding_kind::external:
            break;
    }
    return f.detail.empty() ? fmt::format("{}: {}", name, what)
                            : fmt::format("{}: {}", name, f.detail);
}

std::string
render_incidents_text(const incident_view& v, size_t top, bool color, alert_level min_level) {
    std::string out;
    size_t shown = 0;
    size_t rest = 0;
    size_t below = 0;
    std::string body;
    for (const auto& inc : v.incidents) {
        if (inc.level < min_level) {
            ++below;
            continue;
        }
        if (shown >= top) {
            ++rest;
            continue;
        }
        ++shown;
        std::string where;
        for (const auto& s : inc.services) {
            where += (where.empty() ? "" : ", ") + s;
            if (where.size() > 60) {
                where += ", …";
                break;
            }
        }
        if (!inc.hosts.empty()) {
            where += (where.empty() ? "on " : " on ") + inc.hosts.front();
            if (inc.hosts.size() > 1) {
                where += fmt::format(" (+{} hosts)", inc.hosts.size() - 1);
            }
        }
        const std::string lvl = upper(detect::alert_level_name(inc.level));
        const std::string lvl_txt =
            color ? fmt::format("\033[1;{}m{:<8}\033[0m",
                                inc.level >= alert_level::high ? "31" : "33", lvl)
                  : fmt::format("{:<8}", lvl);
        body += fmt::format("  {:>2}. {} {}  {}\n", shown, lvl_txt,
                            span_text(inc.start_ns, inc.end_ns), where);
        // One line per subject (template, or service): its strongest finding, and how many
        // more windows it showed in.
        struct subject_line {
            const finding* top = nullptr;
            size_t more = 0;
            uint64_t events = 0;
        };
        std::vector<std::pair<std::string, subject_line>> subjects;
        for (const auto& f : inc.findings) {
            const std::string key = f.template_ids.empty()
                                        ? std::string(f.rule_id_or_kind()) + f.service
                                        : std::to_string(f.template_ids.front());
            auto it = std::find_if(subjects.begin(), subjects.end(),
                                   [&](const auto& p) { return p.first == key; });
            if (it == subjects.end()) {
                subjects.push_back({key, subject_line{&f, 0, f.count}});
            } else {
                ++it->second.more;
                it->second.events += f.count;
            }
        }
        const size_t ns = std::min<size_t>(subjects.size(), 4);
        for (size_t i = 0; i < ns; ++i) {
            const auto& sl = subjects[i].second;
            body += "      " + describe_finding(*sl.top, v);
            if (sl.more > 0) {
                body += fmt::format(" [+{} more windows, {} events in all]", sl.more, sl.events);
            }
            body += "\n";
        }
        if (subjects.size() > ns) {
            body += fmt::format("      … and {} more\n", subjects.size() - ns);
        }
        size_t ex = 0;
        for (const auto& f : inc.findings) {
            for (const auto& r : f.examples) {
                if (ex >= 2) {
                    break;
                }
                body += fmt::format("      e.g. {}:{}  {}\n", path_of(v, r.input), r.line,
                                    clean_text(r.text, 80));
                ++ex;
            }
            if (ex >= 2) {
                break;
            }
        }
        const auto idx = static_cast<size_t>(&inc - v.incidents.data());
        if (v.notes_text != nullptr && idx < v.notes_text->size()) {
            body += (*v.notes_text)[idx];
        }
    }
    const std::string head = fmt::format("Incidents ({} at {} or above", shown + rest,
                                         detect::alert_level_name(min_level));
    out += color ? "\033[1m" + head : head;
    out += below > 0 ? fmt::format("; {} below)", below) : std::string(")");
    out += color ? "\033[0m\n" : "\n";
    if (shown == 0) {
        out += "  none\n";
    }
    out += body;
    if (rest > 0) {
        out += fmt::format("  … and {} more (--top)\n", rest);
    }
    return out;
}

std::string render_incidents_ndjson(const incident_view& v) {
    using nlohmann::json;
    std::string out;
    auto lines_of = [&](const finding& f, json& refs) {
        for (const auto& r : f.examples) {
            refs.push_back({{"path", clean_text(path_of(v, r.input), 4096)},
                            {"line", r.line},
                            {"@timestamp", ts_json(r.ts_ns)},
                            {"message", clean_text(r.text, 300)}});
        }
    };
    size_t rank = 0;
    for (const auto& inc : v.incidents) {
        ++rank;
        const finding& top = inc.findings.front();
        json j;
        j["@timestamp"] = ts_json(inc.start_ns);
        j["event.kind"] = "alert";
        j["event.severity"] = static_cast<int>(inc.level);
        j["event.start"] = ts_json(inc.start_ns);
        j["event.end"] = ts_json(inc.end_ns);
        j["rule.id"] = "sysgrok.incident";
        j["rule.name"] = std::string(top.rule_name_or_kind());
        j["message"] = describe_finding(top, v);
        if (!inc.hosts.empty()) {
            j["host.name"] = inc.hosts.front();
        }
        if (!inc.services.empty()) {
            j["service.name"] = inc.services.front();
        }
        j["sysgrok.incident"] = rank;
        j["sysgrok.level"] = std::string(detect::alert_level_name(inc.level));
        j["sysgrok.score"] = std::round(inc.score * 1000) / 1000;
        const auto idx = static_cast<size_t>(&inc - v.incidents.data());
        if (v.notes_json != nullptr && idx < v.notes_json->size() &&
            !(*v.notes_json)[idx].empty()) {
            j["explanation"] = json::parse((*v.notes_json)[idx], nullptr, false);
        }
        json ev;
        ev["template_ids"] = inc.template_ids;
        ev["hosts"] = inc.hosts;
        ev["services"] = inc.services;
        ev["findings"] = inc.findings.size();
        json refs = json::array();
        for (const auto& f : inc.findings) {
            for (const auto& r : f.examples) {
                if (refs.size() < 10) {
                    refs.push_back(
                        fmt::format("{}:{}", clean_text(path_of(v, r.input), 4096), r.line));
                }
            }
        }
        ev["lines"] = refs;
        j["sysgrok.evidence"] = ev;
        out += j.dump() + "\n";
        for (const auto& f : inc.findings) {
            json k;
            k["@timestamp"] = ts_json(f.start_ns);
            k["event.kind"] = "alert";
            k["event.severity"] = static_cast<int>(f.level);
            k["event.start"] = ts_json(f.start_ns);
            k["event.end"] = ts_json(f.end_ns);
            k["rule.id"] = std::string(f.rule_id_or_kind());
            k["rule.name"] = std::string(f.rule_name_or_kind());
            k["message"] = describe_finding(f, v);
            if (!f.host.empty()) {
                k["host.name"] = f.host;
            }
            if (!f.service.empty()) {
                k["service.name"] = f.service;
            }
            k["sysgrok.incident"] = rank;
            k["sysgrok.level"] = std::string(detect::alert_level_name(f.level));
            k["sysgrok.score"] = std::round(f.score * 1000) / 1000;
            k["sysgrok.confidence"] = std::round(f.confidence * 1000) / 1000;
            json e;
            e["template_ids"] = f.template_ids;
            e["count"] = f.count;
            e["expected"] = std::round(f.expected * 1000) / 1000;
            if (!f.detail.empty()) {
                e["detail"] = clean_text(f.detail, 300);
            }
            json refs2 = json::array();
            lines_of(f, refs2);
            e["lines"] = refs2;
            k["sysgrok.evidence"] = e;
            out += k.dump() + "\n";
        }
    }
    return out;
}

} // namespace sysgrok::report
