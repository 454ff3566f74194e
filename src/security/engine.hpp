// src/security/engine.hpp — runs a rule_set over event batches.
//
//   auto rules = security::rule_set::load({"rules", extra_dir});   // once
//   security::engine_state st(**rules);                             // per stream
//   while (stream->next(batch)) { st.process(batch, findings); }
//
// Findings are appended as they fire; a correlation fires when its condition first
// holds inside its sliding window; the group's window then restarts and the group stays
// quiet for one timespan (one finding per group per timespan during a long attack).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/event.hpp"
#include "security/field_map.hpp"
#include "security/finding.hpp"
#include "security/rule_set.hpp"
#include "security/window_queue.hpp"

namespace sysgrok::security {

struct engine_options {
    size_t max_groups = 100000;       ///< per correlation; expired groups are swept first
    size_t max_evidence = 10;         ///< evidence lines kept per finding (most recent)
    size_t max_evidence_bytes = 2048; ///< each evidence line is cut to this
    bool ignore_logsource = false;    ///< run every rule on every event (tests, --all-rules)
};

struct engine_stats {
    uint64_t events = 0;
    uint64_t rule_evaluations = 0; ///< rules evaluated after routing and prefilter
    uint64_t rule_matches = 0;
    uint64_t groups_dropped = 0; ///< correlation groups not tracked (cap reached)
};

/// Mutable matching state for one stream of events; the rule_set must outlive it.
class engine_state {
  public:
    explicit engine_state(const rule_set& rules, engine_options opts = {});

    /// Matches every event of `batch`; appends findings to `out`.
    void process(const event_batch& batch, std::vector<finding>& out);

    [[nodiscard]] const engine_stats& stats() const { return stats_; }

  private:
    struct group_state {
        window_queue<int64_t> times;                          ///< event_count
        window_queue<std::pair<int64_t, std::string>> values; ///< value_count
        std::unordered_map<std::string, uint32_t> distinct;
        std::vector<int64_t> seen; ///< temporal: last time per rule; ordered: chain start
        window_queue<evidence_line> ev;
        std::vector<std::pair<std::string, std::string>> keys;
        uint64_t events = 0;
        int64_t first_ns = 0;
        int64_t last_ns = 0;
        int64_t quiet_until = k_no_time; ///< after firing: no new finding before this
    };
    struct feed {
        uint32_t correlation;
        uint32_t position;
    };

    const std::vector<uint32_t>& candidates(uint32_t traits);
    bool match_rule(const detection_rule& r);
    bool match_test(const field_test& t);
    void feed_correlation(const feed& f,
                          int64_t ts,
                          std::vector<finding>& out,
                          int depth,
                          const std::vector<evidence_line>* inherited);
    bool check(const correlation_rule& c, double n) const;
    evidence_line make_evidence(int64_t ts) const;
    void add_entities(std::vector<std::pair<std::string, std::string>>& ent);
    void emit_detection(const detection_rule& r, int64_t ts, std::vector<finding>& out);

    const rule_set& rules_;
    engine_options opts_;
    engine_stats stats_;
    event_view view_;
    std::unordered_map<uint32_t, std::vector<uint32_t>> routes_;
    std::vector<uint32_t> literal_stamp_;
    std::vector<uint32_t> rule_stamp_;
    uint32_t gen_ = 0;
    std::vector<int8_t> sel_cache_;
    std::vector<std::unordered_map<std::string, group_state>> groups_;
    std::vector<int64_t> next_sweep_; ///< per correlation: earliest time of the next sweep
    int64_t last_ts_ = 0;
};

} // namespace sysgrok::security
