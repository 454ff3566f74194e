// src/security/rule_set.hpp — an immutable, compiled set of Sigma rules.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "security/prefilter.hpp"
#include "security/rule.hpp"
#include "security/rule_loader.hpp"

namespace sysgrok::security {

/// Where a rule's matches go: correlation `correlation`, at position `position` of its
/// `rules:` list.
struct rule_consumer {
    uint32_t correlation = 0;
    uint32_t position = 0;
};

/// Compiled once, then shared read-only by any number of engine_state objects.
class rule_set {
  public:
    /// Links correlations to their rules (by id or name), assigns field accessors and
    /// builds the literal prefilter. Correlations that reference unknown rules, or form
    /// a cycle, move to rejected().
    static std::unique_ptr<rule_set> build(loaded_rules in);

    /// Loads the given files/directories and builds the set. Errors: a path is missing.
    static result<std::unique_ptr<rule_set>> load(const std::vector<std::string>& paths);

    [[nodiscard]] const std::vector<detection_rule>& detections() const { return detections_; }
    [[nodiscard]] const std::vector<correlation_rule>& correlations() const {
        return correlations_;
    }
    [[nodiscard]] const std::vector<rejected_rule>& rejected() const { return rejected_; }
    [[nodiscard]] size_t files() const { return files_; }
    /// Rules loaded; a converted v1 aggregation (a detection plus its correlation) counts once.
    [[nodiscard]] size_t loaded() const;

    // Engine internals.
    [[nodiscard]] const std::vector<field_accessor>& accessors() const { return accessors_; }
    [[nodiscard]] const literal_prefilter& prefilter() const { return prefilter_; }
    [[nodiscard]] const std::vector<std::vector<uint32_t>>& rules_of_literal() const {
        return rules_of_literal_;
    }
    [[nodiscard]] const std::vector<std::vector<rule_consumer>>& detection_consumers() const {
        return detection_consumers_;
    }
    [[nodiscard]] const std::vector<std::vector<rule_consumer>>& correlation_consumers() const {
        return correlation_consumers_;
    }
    [[nodiscard]] bool correlation_standalone(size_t i) const { return corr_standalone_[i]; }
    /// Accessors for the finding entities source.ip, user.name, host.name.
    [[nodiscard]] const std::vector<std::pair<std::string, uint32_t>>& entity_accessors() const {
        return entity_accessors_;
    }
    [[nodiscard]] size_t max_identifiers() const { return max_identifiers_; }

  private:
    uint32_t intern_accessor(const std::string& sigma_field);
    void link_correlations();
    void compile_accessors();
    void build_prefilter();

    std::vector<detection_rule> detections_;
    std::vector<correlation_rule> correlations_;
    std::vector<rejected_rule> rejected_;
    size_t files_ = 0;
    std::vector<field_accessor> accessors_;
    std::unordered_map<std::string, uint32_t> accessor_index_;
    literal_prefilter prefilter_;
    std::vector<std::vector<uint32_t>> rules_of_literal_;
    std::vector<std::vector<rule_consumer>> detection_consumers_;
    std::vector<std::vector<rule_consumer>> correlation_consumers_;
    std::vector<bool> corr_standalone_;
    std::vector<std::pair<std::string, uint32_t>> entity_accessors_;
    size_t max_identifiers_ = 0;
};

} // namespace sysgrok::security
