// src/detect/incident_builder.cpp — greedy time-ordered grouping of findings.
#include "detect/incident_builder.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace sysgrok::detect {

namespace {

template <class T>
void add_unique(std::vector<T>& v, const T& x, size_t cap = 32) {
    if (v.size() < cap && std::find(v.begin(), v.end(), x) == v.end()) {
        v.push_back(x);
    }
}

bool shares(const incident& inc, const finding& f) {
    if (!f.host.empty() &&
        std::find(inc.hosts.begin(), inc.hosts.end(), f.host) != inc.hosts.end()) {
        return true;
    }
    if (!f.service.empty() &&
        std::find(inc.services.begin(), inc.services.end(), f.service) != inc.services.end()) {
        return true;
    }
    for (const uint32_t t : f.template_ids) {
        if (std::find(inc.template_ids.begin(), inc.template_ids.end(), t) !=
            inc.template_ids.end()) {
            return true;
        }
    }
    return false;
}

} // namespace

void absorb(incident& inc, finding f) {
    if (inc.findings.empty() || f.start_ns < inc.start_ns) {
        inc.start_ns = f.start_ns;
    }
    if (inc.findings.empty() || f.end_ns > inc.end_ns) {
        inc.end_ns = f.end_ns;
    }
    if (!f.host.empty()) {
        add_unique(inc.hosts, f.host);
    }
    if (!f.service.empty()) {
        add_unique(inc.services, f.service);
    }
    for (const uint32_t t : f.template_ids) {
        add_unique(inc.template_ids, t, 256);
    }
    inc.level = std::max(inc.level, f.level);
    inc.findings.push_back(std::move(f));
}

namespace {

alert_level raise(alert_level l) {
    switch (l) {
        case alert_level::low:
            return alert_level::medium;
        case alert_level::medium:
            return alert_level::high;
        default:
            return alert_level::critical;
    }
}

} // namespace

bool joins(const incident& inc, const finding& f, const incident_config& config) {
    if (std::max(inc.end_ns, f.end_ns) - inc.start_ns > config.max_span_ns) {
        return false;
    }
    const bool both_serious = f.level >= alert_level::medium && inc.level >= alert_level::medium;
    return both_serious || shares(inc, f);
}

void finalize(incident& inc, const incident_config& config) {
    std::stable_sort(inc.findings.begin(), inc.findings.end(),
                     [](const finding& a, const finding& b) {
                         if (a.level != b.level) {
                             return a.level > b.level;
                         }
                         return a.score > b.score;
                     });
    size_t serious = 0;
    double best = 0;
    std::vector<std::string> failing; // distinct templates/services with serious problems
    for (const auto& f : inc.findings) {
        best = std::max(best, f.score * f.confidence);
        const bool s = f.level >= alert_level::medium;
        serious += s ? 1 : 0;
        if (s && f.problem) {
            add_unique(failing,
                       f.template_ids.empty() ? f.service : std::to_string(f.template_ids.front()));
        }
    }
    // the strongest evidence ranks; more findings add a little
    inc.score = best + std::log2(static_cast<double>(std::max<size_t>(inc.findings.size(), 1)));
    // several findings, failures in more than one template or service: one level up
    if (serious >= 3 && failing.size() >= 2) {
        alert_level top = alert_level::low;
        for (const auto& f : inc.findings) {
            top = std::max(top, f.level);
        }
        inc.level = std::max(inc.level, raise(top));
    }
    if (inc.findings.size() > config.max_findings_per_incident) {
        inc.findings.resize(config.max_findings_per_incident);
    }
}

std::vector<incident> build_incidents(std::vector<finding> findings,
                                      const incident_config& config) {
    std::stable_sort(findings.begin(), findings.end(),
                     [](const finding& a, const finding& b) { return a.start_ns < b.start_ns; });
    std::vector<incident> out;
    std::vector<size_t> open; // incidents that may still grow
    for (auto& f : findings) {
        std::erase_if(open, [&](size_t i) { return out[i].end_ns + config.gap_ns < f.start_ns; });
        size_t pick = out.size();
        for (const size_t i : open) {
            if (joins(out[i], f, config)) {
                pick = i;
                break;
            }
        }
        if (pick == out.size()) {
            out.emplace_back();
            open.push_back(pick);
        }
        absorb(out[pick], std::move(f));
    }
    for (auto& inc : out) {
        finalize(inc, config);
    }
    std::stable_sort(out.begin(), out.end(), [](const incident& a, const incident& b) {
        if (a.level != b.level) {
            return a.level > b.level;
        }
        return a.score > b.score;
    });
    return out;
}

} // namespace sysgrok::detect
