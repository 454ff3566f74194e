// src/report/summary.hpp — streaming aggregation behind `sysgrok analyze`.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/event.hpp"
#include "pipeline/event_stream.hpp"

namespace sysgrok::report {

/// Counts keys up to a cap; keys first seen after the cap are counted as "other".
/// Bounded memory whatever the input.
class capped_counter {
  public:
    explicit capped_counter(size_t cap = 10000) : cap_(cap) {}
    void add(std::string_view key, uint64_t n = 1);
    /// The `n` largest counts, ties broken by key.
    [[nodiscard]] std::vector<std::pair<std::string, uint64_t>> top(size_t n) const;
    [[nodiscard]] uint64_t other() const { return other_; }
    [[nodiscard]] size_t distinct() const { return counts_.size(); }

  private:
    size_t cap_;
    std::unordered_map<std::string, uint64_t> counts_;
    uint64_t other_ = 0;
};

/// An event worth pointing at (first/last error, template example).
struct event_ref {
    int64_t ts_ns = k_no_time;
    std::string path;
    uint64_t line = 0;
    severity sev = severity::none;
    std::string text; ///< the message, cut to a few hundred bytes
};

/// A group of similar messages (a template once mining exists).
struct message_group {
    uint64_t key = 0; ///< template id, or hash of the masked message
    std::string pattern;
    uint64_t count = 0;
    severity worst = severity::none;
    event_ref example;
};

/// Aggregates a run: feed every batch, then read the results.
class summary {
  public:
    summary();

    /// Adds a batch. `template_ids[i]` names the group (template) of event i; without
    /// them, messages are grouped by their text with numbers masked.
    void add(const event_batch& batch,
             const std::vector<std::string>& input_paths,
             const std::vector<uint32_t>* template_ids = nullptr);

    [[nodiscard]] uint64_t events() const { return events_; }
    [[nodiscard]] int64_t first_ts() const { return first_ts_; }
    [[nodiscard]] int64_t last_ts() const { return last_ts_; }
    [[nodiscard]] uint64_t by_severity(severity s) const;
    [[nodiscard]] const capped_counter& programs() const { return programs_; }
    [[nodiscard]] const capped_counter& hosts() const { return hosts_; }
    [[nodiscard]] const std::vector<event_ref>& first_errors() const { return first_errors_; }
    [[nodiscard]] const std::vector<event_ref>& last_errors() const { return last_errors_; }
    [[nodiscard]] uint64_t errors() const { return errors_; }
    /// The `n` most frequent message groups. `resolve` gives a template's current text
    /// (templates generalise as lines arrive, so their text is looked up at the end).
    [[nodiscard]] std::vector<message_group>
    top_groups(size_t n, const std::function<std::string(uint64_t)>& resolve = nullptr) const;
    [[nodiscard]] size_t distinct_groups() const { return groups_.size(); }
    /// Event counts over time in at most `max_bins` equal buckets.
    struct time_histogram {
        int64_t start_ns = k_no_time;
        int64_t bin_ns = 0;
        std::vector<uint64_t> counts;
    };
    [[nodiscard]] time_histogram histogram(size_t max_bins) const;

  private:
    void note_error(const event& e, const std::string& path);

    uint64_t events_ = 0;
    uint64_t errors_ = 0;
    int64_t first_ts_ = k_no_time;
    int64_t last_ts_ = k_no_time;
    std::array<uint64_t, 9> sev_counts_{};
    capped_counter programs_;
    capped_counter hosts_;
    std::vector<event_ref> first_errors_;
    std::vector<event_ref> last_errors_; ///< ring of the latest, oldest first
    std::unordered_map<uint64_t, message_group> groups_;
    uint64_t groups_other_ = 0;
    // Event counts per minute; coarsened (doubling the bucket) when too many buckets.
    std::map<int64_t, uint64_t> buckets_;
    int64_t bucket_ns_ = 60LL * 1000000000LL;
};

/// Groups messages without a template miner: numbers and hex runs become "<*>".
std::string mask_message(std::string_view message);

} // namespace sysgrok::report
