// src/detect/sequence_model.hpp — semi-supervised anomaly detection on sessions of template
// ids: learns from normal sessions only, rates any session with a continuous score.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "detect/count_profile.hpp"
#include "detect/ngram_model.hpp"

namespace sysgrok::detect {

/// Settings; the defaults were chosen on a tuning split only (bench/sequences_bench.py).
struct sequence_model_config {
    count_profile_config counts;
    uint32_t ngram_context = 2;      ///< previous events the order model conditions on
    uint32_t folds = 5;              ///< cross-fitting folds for the thresholds
    double count_quantile = 0.999;   ///< held-out normal quantile for the count threshold
    double order_quantile = 1.0;     ///< ... and for the order threshold (1 = the maximum)
    double margin_bits = 1.0;        ///< added to both thresholds
    double min_threshold_bits = 4.0; ///< floor for a threshold before the margin
};

/// The verdict on one session.
struct session_score {
    double score = 0;       ///< max(count_bits / count_threshold, order_bits / order_threshold)
    bool anomalous = false; ///< score > 1
    double count_bits = 0;  ///< most surprising order-free evidence (count_profile)
    double order_bits = 0;  ///< most surprising next event or end (ngram_model)
};

/// Two views of a normal session, each rated in bits of surprise, each with its own
/// threshold learned from the normal training sessions alone: the sessions are split into
/// `folds` parts, each part is rated by models trained on the other parts, and a threshold
/// is a high quantile of those held-out ratings plus a margin. No labels are used.
class sequence_model {
  public:
    explicit sequence_model(sequence_model_config cfg = {}) : cfg_(cfg) {}

    /// Learns from normal sessions (raw template ids); an error if there are none.
    status train(const std::vector<std::vector<uint32_t>>& sessions);

    [[nodiscard]] session_score score(const std::vector<uint32_t>& session) const;

    [[nodiscard]] double count_threshold() const { return count_threshold_; }
    [[nodiscard]] double order_threshold() const { return order_threshold_; }
    [[nodiscard]] size_t vocabulary_size() const { return vocabulary_.size(); }
    [[nodiscard]] size_t invariant_count() const { return counts_.invariants().size(); }
    [[nodiscard]] const sequence_model_config& config() const { return cfg_; }

  private:
    [[nodiscard]] std::vector<uint32_t> to_dense(const std::vector<uint32_t>& raw) const;

    sequence_model_config cfg_;
    std::unordered_map<uint32_t, uint32_t> vocabulary_; ///< raw id -> dense index
    count_profile counts_;
    ngram_model order_;
    double count_threshold_ = 0;
    double order_threshold_ = 0;
};

} // namespace sysgrok::detect
