// src/detect/count_profile.hpp — order-free evidence: which templates occur in a normal
// session, which occur together, and which linear relations between their counts hold
// (invariant mining, after Lou et al., USENIX ATC 2010).
#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace sysgrok::detect {

/// A dense template index that was not in the training vocabulary.
constexpr uint32_t k_unseen_template = 0xFFFFFFFFU;

struct count_profile_config {
    uint32_t max_terms = 3;      ///< templates per invariant (2 or 3)
    int32_t max_coef = 3;        ///< |coefficient| bound for invariants
    double tolerance = 0.01;     ///< share of sessions an approximate invariant may break
    uint32_t min_support = 5;    ///< sessions a template must occur in to join invariants
    uint32_t max_templates = 48; ///< most frequent templates considered for invariants
    uint32_t max_invariants = 4096;
};

/// sum(coef[i] * count(template[i])) == 0 in (almost) every normal session in which one
/// of its templates occurs.
struct count_invariant {
    std::array<uint32_t, 3> ids{};
    std::array<int32_t, 3> coef{};
    uint32_t terms = 0;
    uint32_t broken = 0; ///< training sessions in which it does not hold
    uint32_t active = 0; ///< training sessions in which one of its templates occurs
};

/// Learns from normal sessions (dense template indices < vocabulary size) and rates a
/// session by its most surprising count evidence, in bits: -log2 of the (Laplace-smoothed)
/// share of normal sessions showing it. Evidence: an unseen template, a rare template, a
/// rare pair of templates in one session, a broken invariant.
class count_profile {
  public:
    void train(const std::vector<std::vector<uint32_t>>& sessions,
               uint32_t vocabulary,
               const count_profile_config& cfg);

    [[nodiscard]] double bits(const std::vector<uint32_t>& session) const;

    [[nodiscard]] const std::vector<count_invariant>& invariants() const { return invariants_; }

  private:
    void mine_invariants(const std::vector<std::vector<uint32_t>>& sessions,
                         const count_profile_config& cfg);

    uint32_t vocabulary_ = 0;
    uint32_t sessions_ = 0;
    std::vector<uint32_t> present_;                ///< sessions containing each template
    std::unordered_map<uint64_t, uint32_t> pairs_; ///< sessions containing both (i < j)
    std::vector<count_invariant> invariants_;
};

} // namespace sysgrok::detect
