// src/security/rule_loader.hpp — Sigma YAML (rules and v2 correlations) to compiled rules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "security/rule.hpp"

namespace sysgrok::security {

/// Rules read so far. Accessor indices in the rules are not assigned yet (rule_set does).
struct loaded_rules {
    std::vector<detection_rule> detections;
    std::vector<correlation_rule> correlations;
    std::vector<rejected_rule> rejected;
    size_t files = 0;
};

/// Parses every YAML document in `text` (multi-document files allowed). Documents that
/// are malformed or use unsupported features go to `out.rejected` with a reason and the
/// line of the document; nothing is dropped silently. Never throws.
void load_rules_text(std::string_view text, const std::string& origin, loaded_rules& out);

/// Loads a .yml/.yaml file, or every such file under a directory (recursively, sorted).
/// Errors: the path is missing or unreadable.
status load_rules_path(const std::string& path, loaded_rules& out);

} // namespace sysgrok::security
