// src/detect/incident_builder.hpp — grouping findings into ranked incidents.
//
// Two findings belong to one incident when their time ranges overlap or are at most
// `gap_ns` apart and they share a host, a service or a template, or both are at least
// medium (a failure that shows in several services at once). Findings from any engine
// (finding_kind::external, e.g. Sigma) join by the same rules. An incident's level is
// its strongest finding's, raised one step when three or more findings of medium or
// above agree and at least two templates or services show problems (a correlated failure);
// incidents are ranked by level, then by the strongest finding's score x confidence plus log2 of
// the number of findings.
#pragma once

#include <cstdint>
#include <vector>

#include "detect/finding.hpp"

namespace sysgrok::detect {

struct incident_config {
    int64_t gap_ns = 5LL * 60 * 1000000000LL;
    int64_t max_span_ns = 2LL * 3600 * 1000000000LL; ///< an incident never grows longer
    size_t max_findings_per_incident = 50;           ///< evidence kept per incident
};

/// Groups and ranks. Deterministic for a given input order.
std::vector<incident> build_incidents(std::vector<finding> findings,
                                      const incident_config& config = {});

/// Whether `f` joins the open incident `inc` (time, span, shared host/service/template, or
/// both serious). The caller has checked that `inc` is still open (not idle past the gap).
bool joins(const incident& inc, const finding& f, const incident_config& config);
/// Adds `f` to `inc` (time range, hosts, services, templates, level).
void absorb(incident& inc, finding f);
/// Orders the findings strongest first, sets the score, raises the level of a correlated
/// failure and trims the evidence to `max_findings_per_incident`.
void finalize(incident& inc, const incident_config& config);

} // namespace sysgrok::detect
