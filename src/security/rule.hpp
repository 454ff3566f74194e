// src/security/rule.hpp — compiled Sigma detection and correlation rules.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "security/condition.hpp"
#include "security/field_map.hpp"
#include "security/value_matcher.hpp"

namespace sysgrok::security {

/// Descriptive attributes common to detection and correlation rules.
struct rule_meta {
    std::string id;
    std::string name;
    std::string title;
    std::string level;
    std::string status;
    std::string description;
    std::string path;  ///< file the rule came from
    uint64_t line = 0; ///< 1-based line of the YAML document
    std::vector<std::string> tags;
    std::vector<std::string> falsepositives;
};

/// One `field|modifiers: values` entry, or a keyword list (keyword == true).
struct field_test {
    std::string field;
    bool keyword = false;
    bool all = false; ///< |all: every value group must match
    bool neq = false; ///< |neq: none may match
    uint32_t accessor = 0;
    std::vector<value_group> values;
};

/// A detection identifier: OR of alternatives, each an AND of field tests.
struct selection {
    std::vector<std::vector<field_test>> alternatives;
};

struct detection_rule {
    rule_meta meta;
    logsource source;
    uint32_t traits = 0;            ///< logsource_traits(source)
    std::vector<std::string> names; ///< detection identifiers
    std::vector<selection> selections;
    cond_node condition;
    bool standalone = true; ///< false when only correlations use it (generate: false)
    bool no_prefilter = true;
    std::vector<std::string> prefilter; ///< lower-cased literals; the rule needs one of them
};

enum class correlation_type : uint8_t { event_count, value_count, temporal, temporal_ordered };

enum class compare_op : uint8_t { gt, gte, lt, lte, eq, neq };

/// A rule a correlation refers to.
struct rule_ref {
    bool correlation = false;
    uint32_t index = 0;
};

struct correlation_rule {
    rule_meta meta;
    correlation_type type = correlation_type::event_count;
    std::vector<std::string> rule_names; ///< as written (`id` or `name`)
    std::vector<rule_ref> refs;          ///< resolved
    std::vector<std::string> group_by;
    /// alias -> (rule name -> field name)
    std::map<std::string, std::map<std::string, std::string>> aliases;
    int64_t timespan_ns = 0;
    std::vector<std::pair<compare_op, double>> condition; ///< AND-ed
    std::string value_field;                              ///< value_count: condition.field
    bool generate = false;
    bool from_v1 = false; ///< converted from a v1 `| count()` aggregation of a detection rule
    /// group_accessors[r][g]: accessor of group-by field g in events of refs[r].
    std::vector<std::vector<uint32_t>> group_accessors;
    uint32_t value_accessor = 0;
};

/// A rule file document that was not loaded, and why.
struct rejected_rule {
    std::string path;
    uint64_t line = 0;
    std::string id;
    std::string title;
    std::string reason;
};

} // namespace sysgrok::security
