// src/security/finding.hpp — what a Sigma rule or correlation reports.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sysgrok::security {

/// One log line that contributed to a finding (copied: batches are transient).
struct evidence_line {
    uint32_t input = 0; ///< event::input (index of the input path)
    uint64_t line = 0;  ///< 1-based line number
    uint64_t event_id = 0;
    int64_t ts_ns = 0;
    std::string raw;
};

/// A detection: one rule match, or one correlation that crossed its threshold.
struct finding {
    std::string rule_id;
    std::string rule_name; ///< the rule's `name:` (may be empty)
    std::string title;
    std::string level; ///< informational, low, medium, high, critical
    std::string kind;  ///< "rule" or the correlation type (event_count, ...)
    std::vector<std::string> tags;
    /// source.ip, user.name, host.name (and correlation group-by fields) when known.
    std::vector<std::pair<std::string, std::string>> entities;
    std::vector<evidence_line> evidence; ///< capped (first and most recent lines)
    uint64_t event_count = 0;            ///< events behind the finding
    int64_t first_ns = 0;
    int64_t last_ns = 0;
};

} // namespace sysgrok::security
