// src/app/analyze_llm.hpp — the local model's part of `sysgrok analyze`: an explanation of
// each incident shown (summary, cause, impact, next steps, confidence, checked citations)
// and a label for each new template in them, cached by template text (in the store with
// --store, else in the user's label cache), so a second run makes no label calls.
#pragma once

#include <string>
#include <vector>

#include "app/llm_options.hpp"
#include "detect/finding.hpp"
#include "mine/template_miner.hpp"
#include "store/store.hpp"

namespace sysgrok::app {

struct analyze_llm_result {
    std::vector<std::string> text; ///< by incident index: indented lines for the report
    std::vector<std::string> json; ///< by incident index: the `explanation` object
    std::string stats_json;        ///< `stats.llm`; empty when no model ran
};

/// Explains the incidents at `min_level` or above, at most `top` (the ones the report
/// shows). A missing or broken model is reported once on stderr and the run goes on
/// without explanations.
analyze_llm_result explain_for_analyze(const llm_cli_options& o,
                                       const std::vector<detect::incident>& incidents,
                                       const mine::template_miner& miner,
                                       const std::vector<std::string>& paths,
                                       store::store* db,
                                       detect::alert_level min_level,
                                       size_t top);

} // namespace sysgrok::app
