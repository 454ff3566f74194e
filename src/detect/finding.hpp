// src/detect/finding.hpp — what a detector reports, and incidents that group findings.
//
// A finding is one observation ("template 17 spiked on host db1 in 14:00-14:05"). Any
// engine can produce findings: the window detectors here, the session model, or an
// external rule engine (Sigma): set `kind = finding_kind::external` and fill `rule_id`,
// `rule_name`, the time range, host/service and the evidence lines; the incident
// builder then groups it with the others by time, host, service and template.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"

namespace sysgrok::detect {

/// Alert severity; the values are ECS `event.severity` numbers.
enum class alert_level : uint8_t {
    low = 21,
    medium = 47,
    high = 73,
    critical = 99,
};

std::string_view alert_level_name(alert_level l);

enum class finding_kind : uint8_t {
    new_template,    ///< a template not in the baseline
    first_error,     ///< first occurrence of a template whose events are problems
    rare_template,   ///< a template seen only a few times before
    spike,           ///< count far above its baseline
    dip,             ///< count far below its baseline
    disappearance,   ///< a steady template stopped
    error_burst,     ///< severity-weighted error rate of a service/host jumped
    numeric_param,   ///< a numeric parameter left its usual range
    new_param_value, ///< a new value of a categorical parameter
    external,        ///< from another engine (e.g. a Sigma rule)
};

/// Stable rule id ("sysgrok.spike") and a human name.
std::string_view finding_rule_id(finding_kind k);
std::string_view finding_rule_name(finding_kind k);

/// A line that shows the finding.
struct line_ref {
    uint32_t input = 0; ///< index into the run's input paths
    uint64_t line = 0;
    int64_t ts_ns = k_no_time;
    std::string text; ///< the message, cut to a few hundred bytes
};

struct finding {
    finding_kind kind = finding_kind::new_template;
    alert_level level = alert_level::low;
    double score = 0;      ///< strength, comparable within a kind (-log10 p, z, ...)
    double confidence = 0; ///< 0..1, after correction for the number of tests
    bool problem = false;  ///< about problem events (errors, failures, attacks)
    int64_t start_ns = k_no_time;
    int64_t end_ns = k_no_time;
    std::string host;
    std::string service;
    std::vector<uint32_t> template_ids; ///< empty for findings about a whole service
    uint64_t count = 0;                 ///< events in the window
    double expected = 0;                ///< baseline events per window
    std::string detail;                 ///< parameter change, e.g. "param 2: 512 (usual 1..9)"
    std::string rule_id;                ///< external findings only; else from the kind
    std::string rule_name;              ///< external findings only; else from the kind
    std::vector<line_ref> examples;

    [[nodiscard]] std::string_view rule_id_or_kind() const {
        return rule_id.empty() ? finding_rule_id(kind) : std::string_view(rule_id);
    }
    [[nodiscard]] std::string_view rule_name_or_kind() const {
        return rule_name.empty() ? finding_rule_name(kind) : std::string_view(rule_name);
    }
};

/// Related findings: one thing that went wrong.
struct incident {
    alert_level level = alert_level::low;
    double score = 0; ///< ranking key within a level
    int64_t start_ns = k_no_time;
    int64_t end_ns = k_no_time;
    std::vector<std::string> hosts;
    std::vector<std::string> services;
    std::vector<uint32_t> template_ids;
    std::vector<finding> findings; ///< strongest first
};

} // namespace sysgrok::detect
