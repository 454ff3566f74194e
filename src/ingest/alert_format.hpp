// src/ingest/alert_format.hpp — live alerts: a detector or Sigma finding as one text line
// or one ECS alert JSON object (the fields of `sysgrok analyze --json` finding lines).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "detect/finding.hpp"
#include "security/finding.hpp"

namespace sysgrok::ingest {

struct alert_context {
    const std::vector<std::string>& sources; ///< source names by input index
    std::function<std::string(uint32_t)> template_text;
    int64_t window_ns = 0;
    int64_t now_ns = 0;    ///< detection time (event.created)
    uint64_t incident = 0; ///< the incident a finding joined (0: none)
};

/// "2026-03-14T03:10:00Z ALERT high sigma:ssh_brute_force SSH brute force ... source.ip=..
/// (12 events, udp://0.0.0.0:5514 line 77)" and a newline.
std::string alert_text(const detect::finding& f, const alert_context& ctx);
/// One NDJSON line: event.kind alert, event.severity, event.created, rule.id, rule.name,
/// message, host.name, source.ip, user.name, sysgrok.level, sysgrok.evidence.
std::string alert_json(const detect::finding& f, const alert_context& ctx);

/// What happened to an incident: opened, raised (its level went up) or closed.
enum class incident_event : uint8_t { opened, raised, closed };

/// "2026-03-14T03:12:00Z INCIDENT #3 opened high 03:10:02Z..03:11:40Z sshd on web01: <its
/// strongest finding> (4 findings)" and a newline.
std::string incident_text(uint64_t id,
                          incident_event what,
                          const detect::incident& inc,
                          uint64_t findings,
                          const alert_context& ctx);
/// One NDJSON line like `analyze --json` incident lines (rule.id sysgrok.incident, the
/// incident's level, time range, hosts, services, templates, evidence lines) plus
/// `sysgrok.incident` (the number) and `sysgrok.incident_event`.
std::string incident_json(uint64_t id,
                          incident_event what,
                          const detect::incident& inc,
                          uint64_t findings,
                          const alert_context& ctx);

} // namespace sysgrok::ingest
