// src/explain/evidence.cpp — incident evidence and its staged rendering.
#include "explain/evidence.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_set>

#include "core/time.hpp"

namespace sysgrok::explain {

namespace {

std::string one_line(std::string_view s, size_t max) {
    std::string out;
    out.reserve(std::min(s.size(), max) + 3);
    for (char c : s.substr(0, max)) {
        out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    if (s.size() > max) {
        out += "...";
    }
    return out;
}

std::string join(const std::vector<std::string>& v, size_t max) {
    std::string out;
    for (size_t i = 0; i < v.size() && i < max; ++i) {
        out += (i > 0 ? ", " : "") + v[i];
    }
    if (v.size() > max) {
        out += ", +" + std::to_string(v.size() - max) + " more";
    }
    return out;
}

std::string format_count(double v) {
    if (v >= 10 || v == std::floor(v)) {
        return std::to_string(static_cast<int64_t>(std::llround(v)));
    }
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.1f", v);
    return buf.data();
}

std::string fact_of(const detect::finding& f) {
    std::string s(f.rule_name_or_kind());
    if (!f.template_ids.empty()) {
        s += " of";
        for (size_t i = 0; i < f.template_ids.size() && i < 3; ++i) {
            s += ' ' + template_cite_id(f.template_ids[i]);
        }
    }
    if (!f.service.empty()) {
        s += " in " + f.service;
    }
    if (!f.host.empty()) {
        s += " on " + f.host;
    }
    if (f.count > 0) {
        s += ": " + std::to_string(f.count) + " events";
        if (f.expected > 0 || f.kind == detect::finding_kind::spike ||
            f.kind == detect::finding_kind::dip) {
            s += " (usual " + format_count(f.expected) + ")";
        }
    }
    if (!f.detail.empty()) {
        s += "; " + one_line(f.detail, 160);
    }
    return s;
}

} // namespace

std::string template_cite_id(uint32_t template_id) {
    std::string s = std::to_string(template_id);
    s.insert(0, 1, 'T');
    return s;
}

evidence incident_evidence(const detect::incident& inc,
                           const std::function<std::string(uint32_t)>& template_text,
                           const std::vector<std::string>& paths) {
    evidence ev;
    ev.title = "Incident (" + std::string(detect::alert_level_name(inc.level)) + ")";
    if (inc.start_ns != k_no_time) {
        ev.title += " from " + format_iso8601_utc(inc.start_ns);
        if (inc.end_ns != k_no_time && inc.end_ns != inc.start_ns) {
            ev.title += " to " + format_iso8601_utc(inc.end_ns);
        }
    }
    if (!inc.hosts.empty()) {
        ev.title += "; hosts: " + join(inc.hosts, 5);
    }
    if (!inc.services.empty()) {
        ev.title += "; services: " + join(inc.services, 5);
    }
    std::unordered_set<uint32_t> seen_templates;
    std::unordered_set<std::string> seen_lines;
    auto add_template = [&](uint32_t id, const detect::finding* f) {
        if (!seen_templates.insert(id).second) {
            return;
        }
        evidence_template t;
        t.id = template_cite_id(id);
        t.template_id = id;
        t.text = template_text(id);
        if (f != nullptr && f->template_ids.size() == 1) {
            t.count = f->count;
            t.expected = f->expected;
        }
        if (!t.text.empty()) {
            ev.templates.push_back(std::move(t));
        }
    };
    for (const auto& f : inc.findings) { // strongest first
        ev.facts.push_back(fact_of(f));
        for (uint32_t id : f.template_ids) {
            add_template(id, &f);
        }
        for (const auto& ex : f.examples) {
            if (ex.text.empty() || !seen_lines.insert(ex.text).second) {
                continue;
            }
            evidence_line l;
            l.id = std::to_string(ev.lines.size() + 1);
            l.id.insert(0, 1, 'L');
            l.where = (ex.input < paths.size() ? paths[ex.input] : std::string("input")) + ":" +
                      std::to_string(ex.line);
            l.text = ex.text;
            ev.lines.push_back(std::move(l));
        }
    }
    for (uint32_t id : inc.template_ids) {
        add_template(id, nullptr);
    }
    return ev;
}

void transform_text(evidence& ev, const std::function<std::string(const std::string&)>& fn) {
    ev.title = fn(ev.title);
    for (auto& f : ev.facts) {
        f = fn(f);
    }
    for (auto& t : ev.templates) {
        t.text = fn(t.text);
    }
    for (auto& l : ev.lines) {
        l.text = fn(l.text);
    }
}

rendered_evidence render_evidence(const evidence& ev,
                                  int max_tokens,
                                  const std::function<int(const std::string&)>& count_tokens) {
    struct stage {
        size_t facts, templates, lines, chars;
    };
    static constexpr std::array<stage, 5> k_stages = {
        {{12, 12, 8, 240}, {8, 8, 5, 160}, {5, 5, 3, 120}, {3, 3, 1, 100}, {1, 2, 0, 80}}};
    rendered_evidence out;
    for (size_t s = 0; s < k_stages.size(); ++s) {
        const stage& st = k_stages[s];
        std::string text = one_line(ev.title, 400) + "\n";
        std::vector<std::string> ids;
        if (!ev.facts.empty()) {
            text += "Findings:\n";
            for (size_t i = 0; i < ev.facts.size() && i < st.facts; ++i) {
                text += "- " + one_line(ev.facts[i], st.chars) + "\n";
            }
            if (ev.facts.size() > st.facts) {
                text += "- and " + std::to_string(ev.facts.size() - st.facts) + " more findings\n";
            }
        }
        if (!ev.templates.empty()) {
            text += "Templates:\n";
            for (size_t i = 0; i < ev.templates.size() && i < st.templates; ++i) {
                const auto& t = ev.templates[i];
                text += t.id;
                if (t.count > 0) {
                    text += " [" + std::to_string(t.count) + " events";
                    if (t.expected >= 0) {
                        text += ", usual " + format_count(t.expected);
                    }
                    text += "]";
                }
                text += ": " + one_line(t.text, st.chars) + "\n";
                ids.push_back(t.id);
            }
        }
        if (!ev.lines.empty() && st.lines > 0) {
            text += "Lines:\n";
            for (size_t i = 0; i < ev.lines.size() && i < st.lines; ++i) {
                text += ev.lines[i].id + ": " + one_line(ev.lines[i].text, st.chars) + "\n";
                ids.push_back(ev.lines[i].id);
            }
        }
        const int tokens = count_tokens(text);
        out = {std::move(text), std::move(ids), tokens, static_cast<int>(s)};
        if (tokens <= max_tokens) {
            return out;
        }
    }
    // Last resort: cut the text; keep only the ids still in it.
    while (out.tokens > max_tokens && out.text.size() > 16) {
        out.text.resize(out.text.size() * 3 / 4);
        out.tokens = count_tokens(out.text);
    }
    std::erase_if(out.ids, [&](const std::string& id) {
        return out.text.find(id + ":") == std::string::npos &&
               out.text.find(id + " [") == std::string::npos;
    });
    out.stage = static_cast<int>(k_stages.size());
    return out;
}

} // namespace sysgrok::explain
