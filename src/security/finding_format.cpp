// src/security/finding_format.cpp — findings as JSON lines and as text.
#include "security/finding_format.hpp"

#include "core/json_writer.hpp"
#include "core/time.hpp"

namespace sysgrok::security {

namespace {

std::string_view path_of(const std::vector<std::string>& paths, uint32_t input) {
    return input < paths.size() ? std::string_view(paths[input]) : std::string_view("-");
}

} // namespace

void append_finding_json(std::string& out,
                         const finding& f,
                         const std::vector<std::string>& paths) {
    out += "{\"rule.id\":";
    append_json_string(out, f.rule_id);
    out += ",\"rule.name\":";
    append_json_string(out, f.rule_name);
    out += ",\"rule.title\":";
    append_json_string(out, f.title);
    out += ",\"rule.level\":";
    append_json_string(out, f.level);
    out += ",\"kind\":";
    append_json_string(out, f.kind);
    out += ",\"tags\":[";
    for (size_t i = 0; i < f.tags.size(); ++i) {
        out += i == 0 ? "" : ",";
        append_json_string(out, f.tags[i]);
    }
    out += "],\"entities\":{";
    for (size_t i = 0; i < f.entities.size(); ++i) {
        out += i == 0 ? "" : ",";
        append_json_string(out, f.entities[i].first);
        out += ':';
        append_json_string(out, f.entities[i].second);
    }
    out += "},\"event_count\":" + std::to_string(f.event_count);
    out += ",\"first\":\"";
    append_iso8601_utc(out, f.first_ns);
    out += "\",\"last\":\"";
    append_iso8601_utc(out, f.last_ns);
    out += "\",\"evidence\":[";
    for (size_t i = 0; i < f.evidence.size(); ++i) {
        const auto& e = f.evidence[i];
        out += i == 0 ? "{\"file\":" : ",{\"file\":";
        append_json_string(out, path_of(paths, e.input));
        out += ",\"line\":" + std::to_string(e.line);
        out += ",\"raw\":";
        append_json_string(out, e.raw);
        out += '}';
    }
    out += "]}";
}

void append_finding_text(std::string& out,
                         const finding& f,
                         const std::vector<std::string>& paths) {
    out += '[';
    out += f.level.empty() ? "unknown" : f.level;
    out += "] ";
    append_sanitized_utf8(out, f.title);
    out += " (" + f.kind + (f.rule_id.empty() ? "" : ", " + f.rule_id) + ")";
    for (const auto& [k, v] : f.entities) {
        out += ' ' + k + '=';
        append_sanitized_utf8(out, v);
    }
    out += " events=" + std::to_string(f.event_count) + ' ';
    append_iso8601_utc(out, f.first_ns);
    if (f.last_ns != f.first_ns) {
        out += "..";
        append_iso8601_utc(out, f.last_ns);
    }
    if (!f.tags.empty()) {
        out += " tags=";
        for (size_t i = 0; i < f.tags.size(); ++i) {
            out += (i == 0 ? "" : ",") + f.tags[i];
        }
    }
    out += '\n';
    for (const auto& e : f.evidence) {
        out += "    ";
        out += path_of(paths, e.input);
        out += ':' + std::to_string(e.line) + ": ";
        append_sanitized_utf8(out, e.raw);
        out += '\n';
    }
}

namespace {

detect::alert_level level_of_sigma(std::string_view level) {
    if (level == "critical") {
        return detect::alert_level::critical;
    }
    if (level == "high") {
        return detect::alert_level::high;
    }
    if (level == "medium") {
        return detect::alert_level::medium;
    }
    return detect::alert_level::low;
}

} // namespace

/// A Sigma finding as a detector finding, so that it joins incidents with the others.
detect::finding to_detect_finding(const security::finding& f) {
    detect::finding d;
    d.kind = detect::finding_kind::external;
    d.rule_id = "sigma:" + f.rule_id;
    d.rule_name = f.title.empty() ? f.rule_name : f.title;
    d.level = level_of_sigma(f.level);
    d.score = static_cast<double>(static_cast<int>(d.level));
    d.confidence = 1.0;
    d.problem = true;
    d.start_ns = f.first_ns;
    d.end_ns = f.last_ns;
    d.count = f.event_count;
    for (const auto& [k, v] : f.entities) {
        if (k == "host.name") {
            d.host = v;
        }
        if (!d.detail.empty()) {
            d.detail += ' ';
        }
        d.detail.append(k).append("=").append(v);
    }
    for (const auto& t : f.tags) {
        if (t.rfind("attack.t", 0) == 0) {
            if (!d.detail.empty()) {
                d.detail += ' ';
            }
            d.detail += t;
        }
    }
    for (const auto& ev : f.evidence) {
        if (d.examples.size() >= 5) {
            break;
        }
        d.examples.push_back(detect::line_ref{ev.input, ev.line, ev.ts_ns, ev.raw.substr(0, 300)});
    }
    return d;
}

} // namespace sysgrok::security
