// src/detect/param_tracker.hpp — usual values of each template parameter, and departures.
//
// Per (template, parameter position) it keeps: how many values were seen, the numeric
// range and moments, and up to `max_values` distinct values. A parameter with few
// distinct values (exit codes, users, source addresses of a quiet service) is
// categorical: a value not seen before is reported once. A numeric parameter with many
// values is ranged: a value beyond the seen range by more than `range_factor` times its
// width is reported. Memory is bounded by `max_keys` x `max_values`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sysgrok::detect {

struct param_config {
    uint32_t min_seen = 20;    ///< observations before a parameter is judged
    uint32_t max_values = 6;   ///< more distinct values: not categorical
    double range_factor = 2.0; ///< numeric: outside [min - f*w, max + f*w], w = max - min
    size_t max_keys = 50000;
    uint32_t max_positions = 12;
};

struct param_departure {
    bool numeric = false; ///< false: new categorical value
    uint32_t position = 0;
    std::string value;
    std::string usual; ///< "1..9" or "a, b, c"
};

class param_tracker {
  public:
    explicit param_tracker(param_config c = {}) : config_(c) {}

    /// Observes parameter `pos` of `template_id`. Returns a departure when judging
    /// (`judge`) and the value is unusual. When `learn` is false the state is not updated
    /// (a frozen baseline), except that a reported categorical value is remembered.
    std::optional<param_departure>
    observe(uint32_t template_id, uint32_t pos, std::string_view value, bool judge, bool learn);

    [[nodiscard]] size_t keys() const { return state_.size(); }

  private:
    struct param_state {
        uint64_t seen = 0;
        uint64_t numeric = 0;
        double lo = 0;
        double hi = 0;
        bool overflow = false; ///< more than max_values distinct values
        std::vector<std::string> values;
    };
    param_config config_;
    std::unordered_map<uint64_t, param_state> state_;
};

/// Parses a plain decimal number (optionally signed, with a fraction); nullopt otherwise.
std::optional<double> parse_number(std::string_view s);

} // namespace sysgrok::detect
