// src/security/prefilter.hpp — Aho-Corasick automaton over rule literals.
//
// Every rule whose condition implies "one of these literals occurs in the line" is only
// evaluated when the automaton saw one of them, so the per-line cost of thousands of
// rules is one pass over the (lower-cased) line plus the few rules it wakes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sysgrok::security {

class literal_prefilter {
  public:
    /// Adds a literal (deduplicated); returns its id. Call before build().
    uint32_t add(std::string_view literal);
    /// Builds the automaton (a dense DFA over byte classes).
    void build();
    [[nodiscard]] size_t size() const { return literals_.size(); }

    /// Calls hit(id) for each occurrence of each literal in `text`; ASCII letters match
    /// case-insensitively (the literals are lower-case).
    template <class F>
    void scan(std::string_view text, F&& hit) const {
        if (literals_.empty()) {
            return;
        }
        uint32_t s = 0;
        for (char c : text) {
            s = delta_[static_cast<size_t>(s) * classes_ + class_of_[static_cast<uint8_t>(c)]];
            for (int32_t o = out_head_[s]; o >= 0; o = out_next_[static_cast<size_t>(o)]) {
                hit(out_id_[static_cast<size_t>(o)]);
            }
        }
    }

  private:
    std::vector<std::string> literals_;
    std::unordered_map<std::string, uint32_t> index_;
    std::array<uint16_t, 256> class_of_{};
    uint32_t classes_ = 1;
    std::vector<uint32_t> delta_;
    std::vector<int32_t> out_head_; ///< per state: first output entry, -1 if none
    std::vector<int32_t> out_next_;
    std::vector<uint32_t> out_id_;
};

} // namespace sysgrok::security
