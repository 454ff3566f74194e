#include "ingest/alert_format.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/json_writer.hpp"
#include "core/time.hpp"
#include "report/incident_render.hpp"

namespace sysgrok::ingest {

namespace {

std::string clean(std::string_view s) {
    std::string out;
    append_sanitized_utf8(out, s);
    return out;
}

std::string message_of(const detect::finding& f, const alert_context& ctx) {
    const std::vector<detect::incident> none;
    const report::incident_view v{none, ctx.sources, ctx.template_text, ctx.window_ns};
    return report::describe_finding(f, v);
}

std::string source_of(const alert_context& ctx, uint32_t input) {
    return input < ctx.sources.size() ? ctx.sources[input] : std::string("?");
}

} // namespace

std::string alert_text(const detect::finding& f, const alert_context& ctx) {
    std::string out = format_iso8601_utc(ctx.now_ns);
    out += " ALERT ";
    out += detect::alert_level_name(f.level);
    out += ' ';
    out += f.rule_id_or_kind();
    out += ' ';
    std::string msg = clean(message_of(f, ctx));
    for (char& c : msg) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    out += msg;
    out += " (" + std::to_string(f.count) + (f.count == 1 ? " event" : " events");
    if (!f.examples.empty()) {
        const auto& ex = f.examples.back();
        out += ", " + source_of(ctx, ex.input) + " line " + std::to_string(ex.line);
    }
    out += ")";
    if (ctx.incident != 0) {
        out += " #" + std::to_string(ctx.incident);
    }
    out += "\n";
    return out;
}

namespace {

std::string_view event_name(incident_event e) {
    switch (e) {
        case incident_event::opened:
            return "opened";
        case incident_event::raised:
            return "raised";
        case incident_event::closed:
            return "closed";
    }
    return "opened";
}

std::string where_of(const detect::incident& inc) {
    std::string where;
    for (const auto& s : inc.services) {
        where += (where.empty() ? "" : ", ") + s;
        if (where.size() > 60) {
            break;
        }
    }
    if (!inc.hosts.empty()) {
        where += (where.empty() ? "" : " on ") + inc.hosts.front();
        if (inc.hosts.size() > 1) {
            where += " (+" + std::to_string(inc.hosts.size() - 1) + " hosts)";
        }
    }
    return where;
}

} // namespace

std::string incident_text(uint64_t id,
                          incident_event what,
                          const detect::incident& inc,
                          uint64_t findings,
                          const alert_context& ctx) {
    std::string out = format_iso8601_utc(ctx.now_ns);
    out += " INCIDENT #" + std::to_string(id) + ' ' + std::string(event_name(what)) + ' ';
    out += detect::alert_level_name(inc.level);
    out += ' ' + format_iso8601_utc(inc.start_ns) + ".." + format_iso8601_utc(inc.end_ns);
    const std::string where = where_of(inc);
    if (!where.empty()) {
        out += ' ' + clean(where);
    }
    if (!inc.findings.empty()) {
        std::string msg = clean(message_of(inc.findings.front(), ctx));
        for (char& c : msg) {
            c = (c == '\n' || c == '\r') ? ' ' : c;
        }
        out += ": " + msg;
    }
    out += " (" + std::to_string(findings) + (findings == 1 ? " finding)\n" : " findings)\n");
    return out;
}

std::string incident_json(uint64_t id,
                          incident_event what,
                          const detect::incident& inc,
                          uint64_t findings,
                          const alert_context& ctx) {
    using nlohmann::json;
    auto ts = [](int64_t ns) {
        return ns == k_no_time ? json(nullptr) : json(format_iso8601_utc(ns));
    };
    json k;
    k["@timestamp"] = ts(inc.start_ns);
    k["event.kind"] = "alert";
    k["event.severity"] = static_cast<int>(inc.level);
    k["event.created"] = ts(ctx.now_ns);
    k["event.start"] = ts(inc.start_ns);
    k["event.end"] = ts(inc.end_ns);
    k["rule.id"] = "sysgrok.incident";
    const detect::finding* top = inc.findings.empty() ? nullptr : &inc.findings.front();
    k["rule.name"] = top != nullptr ? clean(top->rule_name_or_kind()) : std::string("Incident");
    k["message"] = top != nullptr ? clean(message_of(*top, ctx)) : std::string();
    if (!inc.hosts.empty()) {
        k["host.name"] = clean(inc.hosts.front());
    }
    if (!inc.services.empty()) {
        k["service.name"] = clean(inc.services.front());
    }
    k["sysgrok.incident"] = id;
    k["sysgrok.incident_event"] = std::string(event_name(what));
    k["sysgrok.level"] = std::string(detect::alert_level_name(inc.level));
    k["sysgrok.score"] = std::round(inc.score * 1000) / 1000;
    json e;
    e["template_ids"] = inc.template_ids;
    json hosts = json::array();
    for (const auto& h : inc.hosts) {
        hosts.push_back(clean(h));
    }
    json services = json::array();
    for (const auto& s : inc.services) {
        services.push_back(clean(s));
    }
    e["hosts"] = hosts;
    e["services"] = services;
    e["findings"] = findings;
    json rules = json::array();
    json lines = json::array();
    for (const auto& f : inc.findings) {
        const std::string rid(f.rule_id_or_kind());
        if (std::find(rules.begin(), rules.end(), rid) == rules.end()) {
            rules.push_back(rid);
        }
        for (const auto& r : f.examples) {
            if (lines.size() < 10) {
                lines.push_back(clean(source_of(ctx, r.input)) + ":" + std::to_string(r.line));
            }
        }
    }
    e["rules"] = rules;
    e["lines"] = lines;
    k["sysgrok.evidence"] = e;
    return k.dump() + "\n";
}

std::string alert_json(const detect::finding& f, const alert_context& ctx) {
    using nlohmann::json;
    auto ts = [](int64_t ns) {
        return ns == k_no_time ? json(nullptr) : json(format_iso8601_utc(ns));
    };
    json k;
    k["@timestamp"] = ts(f.end_ns != k_no_time ? f.end_ns : ctx.now_ns);
    k["event.kind"] = "alert";
    k["event.severity"] = static_cast<int>(f.level);
    k["event.created"] = ts(ctx.now_ns);
    k["event.ingested"] = ts(ctx.now_ns);
    k["event.start"] = ts(f.start_ns);
    k["event.end"] = ts(f.end_ns);
    k["rule.id"] = std::string(f.rule_id_or_kind());
    k["rule.name"] = clean(f.rule_name_or_kind());
    k["message"] = clean(message_of(f, ctx));
    if (!f.host.empty()) {
        k["host.name"] = clean(f.host);
    }
    if (!f.service.empty()) {
        k["service.name"] = clean(f.service);
    }
    // Entities of Sigma findings ("source.ip=1.2.3.4 user.name=x") as ECS fields.
    if (f.kind == detect::finding_kind::external) {
        size_t pos = 0;
        const std::string& d = f.detail;
        while (pos < d.size()) {
            const size_t sp = d.find(' ', pos);
            const std::string tok =
                d.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
            const size_t eq = tok.find('=');
            if (eq != std::string::npos && eq > 0 && tok.find('.') < eq) {
                k[clean(tok.substr(0, eq))] = clean(tok.substr(eq + 1));
            }
            pos = sp == std::string::npos ? d.size() : sp + 1;
        }
    }
    k["sysgrok.level"] = std::string(detect::alert_level_name(f.level));
    k["sysgrok.score"] = std::round(f.score * 1000) / 1000;
    k["sysgrok.confidence"] = std::round(f.confidence * 1000) / 1000;
    if (ctx.incident != 0) {
        k["sysgrok.incident"] = ctx.incident;
    }
    json e;
    e["template_ids"] = f.template_ids;
    e["count"] = f.count;
    e["expected"] = std::round(f.expected * 1000) / 1000;
    if (!f.detail.empty()) {
        e["detail"] = clean(f.detail.substr(0, 300));
    }
    json lines = json::array();
    for (const auto& r : f.examples) {
        lines.push_back({{"path", clean(source_of(ctx, r.input))},
                         {"line", r.line},
                         {"@timestamp", ts(r.ts_ns)},
                         {"message", clean(r.text.substr(0, 300))}});
    }
    e["lines"] = lines;
    k["sysgrok.evidence"] = e;
    return k.dump() + "\n";
}

} // namespace sysgrok::ingest
