// src/report/incident_render.hpp — incidents as terminal text and as NDJSON alerts.
//
// NDJSON form (`sysgrok analyze --json`): one line per incident, then one line per
// finding of that incident, all with ECS alert fields: event.kind "alert",
// event.severity (21 low, 47 medium, 73 high, 99 critical), rule.id, rule.name,
// event.start, event.end, message, plus sysgrok.incident (rank, 1 = most severe),
// sysgrok.level, sysgrok.score, sysgrok.confidence and sysgrok.evidence (template ids,
// counts against the baseline, parameter changes, lines as PATH:LINE).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "detect/finding.hpp"

namespace sysgrok::report {

struct incident_view {
    const std::vector<detect::incident>& incidents;
    const std::vector<std::string>& paths; ///< input paths by index
    std::function<std::string(uint32_t)> template_text;
    int64_t window_ns = 0;
    /// Optional, by incident index: text shown under the incident (e.g. the model's
    /// explanation, already indented) and a JSON value added as its `explanation` field.
    const std::vector<std::string>* notes_text = nullptr;
    const std::vector<std::string>* notes_json = nullptr;
};

/// One-line description of a finding ("Message rate spike: Failed password for <*> ...").
std::string describe_finding(const detect::finding& f, const incident_view& v);

/// The "Incidents" section: up to `top` incidents of at least `min_level`, and a count
/// of the rest.
std::string render_incidents_text(const incident_view& v,
                                  size_t top,
                                  bool color,
                                  detect::alert_level min_level = detect::alert_level::medium);

/// NDJSON lines for all incidents and their findings.
std::string render_incidents_ndjson(const incident_view& v);

} // namespace sysgrok::report
