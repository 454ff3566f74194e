// src/explain/evidence.hpp — the compact evidence a model sees, with ids it can cite.
//
// Evidence is templates ("T<template id>": text, count in the window, baseline), findings
// (what the detectors saw, naming templates by id) and a few example lines ("L<n>"). It is
// rendered to prompt text within a token budget in stages: each stage keeps fewer and
// shorter items, the last cuts the text; the ids that survive are the only valid citations.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "detect/finding.hpp"

namespace sysgrok::explain {

struct evidence_template {
    std::string id; ///< "T17"
    uint32_t template_id = 0;
    std::string text;
    uint64_t count = 0;   ///< events in the finding's window (0 = unknown)
    double expected = -1; ///< baseline per window, < 0 = none
};

struct evidence_line {
    std::string id;    ///< "L3"
    std::string where; ///< "path:line"
    std::string text;
};

struct evidence {
    std::string title;              ///< level, time range, hosts, services
    std::vector<std::string> facts; ///< one per finding, naming templates by id
    std::vector<evidence_template> templates;
    std::vector<evidence_line> lines;
};

/// "T17": the citation id of template 17.
std::string template_cite_id(uint32_t template_id);

/// Evidence of one incident. `template_text` gives a template's text by id (empty when
/// unknown); `paths` are the run's input paths by index.
evidence incident_evidence(const detect::incident& inc,
                           const std::function<std::string(uint32_t)>& template_text,
                           const std::vector<std::string>& paths);

/// Applies `fn` to every text of the evidence (for redaction).
void transform_text(evidence& ev, const std::function<std::string(const std::string&)>& fn);

struct rendered_evidence {
    std::string text;
    std::vector<std::string> ids; ///< the ids present in `text`
    int tokens = 0;
    int stage = 0; ///< 0 = everything, higher = more was left out
};

/// Renders within `max_tokens` as counted by `count_tokens`.
rendered_evidence render_evidence(const evidence& ev,
                                  int max_tokens,
                                  const std::function<int(const std::string&)>& count_tokens);

} // namespace sysgrok::explain
