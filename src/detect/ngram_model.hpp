// src/detect/ngram_model.hpp — order evidence: how surprising each next event is given the
// events before it (an interpolated n-gram model with session start and end markers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace sysgrok::detect {

/// Witten-Bell interpolated n-gram model over dense template indices. Sessions are padded
/// with a start marker and closed with an end marker, so a session that stops early (a
/// missing last event) is as surprising as a wrong event in the middle. Rates a session by
/// the largest surprisal, -log2 P(event | up to `context` previous events), over its events
/// and its end.
class ngram_model {
  public:
    static constexpr uint32_t k_max_context = 3;

    void train(const std::vector<std::vector<uint32_t>>& sessions,
               uint32_t vocabulary,
               uint32_t context);

    [[nodiscard]] double bits(const std::vector<uint32_t>& session) const;

  private:
    struct followers {
        uint32_t total = 0;
        std::unordered_map<uint32_t, uint32_t> next;
    };

    [[nodiscard]] uint32_t token(uint32_t id) const;
    [[nodiscard]] double probability(const std::vector<uint32_t>& padded, size_t at) const;

    uint32_t vocabulary_ = 0;
    uint32_t context_ = 2;
    std::unordered_map<uint64_t, followers> table_; ///< key: context length and ids
};

} // namespace sysgrok::detect
