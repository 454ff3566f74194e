// src/mine/parse_eval.hpp — log parsing accuracy: GA, FGA, PA and FTA.
//
// Definitions follow the Loghub-2.0 evaluator (see docs and
// ../shared/reference/parsing-and-anomaly-benchmarks.md §3). Messages whose ground-truth
// template is empty are dropped first. Groups are keyed by the template string.
//  - GA: a truth group is correct iff all its messages carry one parsed template P and P
//    has exactly as many messages in the whole file; GA = messages in correct groups / N.
//  - FGA: harmonic mean of PGA = correct groups / parsed templates and
//    RGA = correct groups / truth templates.
//  - PA: messages whose parsed template string equals the truth string exactly / N.
//  - FTA: a parsed template T is correct iff the truth templates of its messages are
//    exactly {T}; PTA = correct / parsed templates, RTA = correct / truth templates.
//    The strict variant also requires T's messages to be the whole truth group of T.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace sysgrok::mine {

struct parse_metrics {
    size_t messages = 0; ///< N (non-empty truth template)
    size_t truth_templates = 0;
    size_t parsed_templates = 0;
    double ga = 0;
    double pga = 0;
    double rga = 0;
    double fga = 0;
    double pa = 0;
    double pta = 0;
    double rta = 0;
    double fta = 0;
    double pta_strict = 0;
    double rta_strict = 0;
    double fta_strict = 0;
};

/// Metrics for row-aligned truth and parsed templates (same length).
[[nodiscard]] parse_metrics evaluate_parse(std::span<const std::string> truth,
                                           std::span<const std::string> parsed);

/// How parsed rows are matched to truth rows.
enum class eval_alignment {
    automatic, ///< by LineId when both files have it, else by Content text, else by row
    by_row,
    by_line_id,
    by_content, ///< parsed rows in any order: matched by their message text
};

struct eval_files {
    std::string truth_path;
    std::string parsed_path;
    eval_alignment alignment = eval_alignment::automatic;
};

/// Reads a truth CSV (EventTemplate, optional LineId and Content) and a parsed CSV
/// (EventTemplate or `template`; LineId or Content or `log` to align) and evaluates.
[[nodiscard]] result<parse_metrics> evaluate_parse_files(const eval_files& files);

} // namespace sysgrok::mine
