// src/detect/window_detector.hpp — streaming detectors over fixed time windows.
//
// Events are counted per window (default 5 minutes) under keys: each template, and the
// severity-weighted problem count of each service (program, else the input's name) and of
// each host. When a window closes, every key's count is tested against that key's history
// (the last `history` windows): a rise (spike, error burst) or a fall (dip, disappearance),
// with a Poisson tail whose rate is inflated by the series' robust spread. Once two days
// of an hour of day were seen, that hour's usual count bounds the test too (a nightly lull
// is no dip, a daily peak no spike). The false alarm rate is controlled across keys: a test
// is significant when p x (keys tested) is below `alpha` (Bonferroni), and a rise must also
// exceed every count in the history. An anomalous window enters the history clipped, so
// one burst does not mask the next; `accept_shift_after` anomalous windows in a row are a
// new normal and enter as they are. A rise of a template with little history (fewer than
// three busy windows or ten events) is only low unless its events are problems: its usual
// rate is not known. Templates not seen in the baseline (or, without one, after the first
// `warmup_windows` windows) are reported as new; a new template whose events are problems
// is a first error. Parameters are checked by param_tracker. All state is bounded by
// `max_keys`, `history` and `max_findings`: memory does not grow with the number of lines.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/severity.hpp"
#include "detect/finding.hpp"
#include "detect/param_tracker.hpp"

namespace sysgrok::detect {

struct detector_config {
    int64_t window_ns = 5LL * 60 * 1000000000LL;
    uint32_t history = 288;      ///< windows of history per key (a day of 5 minutes)
    uint32_t min_history = 6;    ///< windows of history before rate tests
    uint32_t warmup_windows = 6; ///< without a baseline: windows that form it
    double alpha = 0.01;         ///< family-wise false alarm rate per window
    uint32_t min_spike = 10;     ///< events in a window before a spike can be reported
    size_t max_keys = 20000;
    size_t max_findings = 5000;      ///< weakest low findings are dropped beyond this
    bool seasonal = true;            ///< hour-of-day profiles (windows of at most an hour)
    uint32_t accept_shift_after = 3; ///< anomalous windows in a row before they count as usual
    uint32_t max_examples = 3;
    param_config params;
};

/// What the detectors need of one event.
struct event_view {
    int64_t ts_ns = 0;
    uint32_t input = 0;
    uint64_t line = 0;
    severity sev = severity::none;
    bool problem = false;
    uint32_t template_id = 0;
    std::string_view host;
    std::string_view service;
    std::string_view message;
    std::span<const std::string_view> params;
};

class window_detector {
  public:
    explicit window_detector(detector_config c = {});

    /// Baseline phase: learn, report nothing. `end_baseline` switches to detection and
    /// freezes the history (the baseline is the reference); without a baseline phase the
    /// history rolls and the first windows are the warm-up.
    void begin_baseline();
    void end_baseline();

    void add(const event_view& e);
    /// Real time: closes every window that ended before `now_ns` (wall clock) even when
    /// no event arrived, so that a stream that goes quiet still reports. Call it from a
    /// timer; events older than the current window still count in it.
    void advance_clock(int64_t now_ns);
    /// Closes the last (partial) window; call once at the end.
    void finish();

    [[nodiscard]] const std::vector<finding>& findings() const { return findings_; }
    std::vector<finding> take_findings() { return std::move(findings_); }
    [[nodiscard]] const detector_config& config() const { return config_; }
    [[nodiscard]] uint64_t windows_closed() const { return windows_closed_; }
    [[nodiscard]] size_t keys() const { return series_.size(); }

  private:
    enum class key_kind : uint8_t { tmpl, service_errors, host_errors };
    struct series {
        key_kind kind = key_kind::tmpl;
        uint32_t template_id = 0;
        std::string service;
        std::string host;
        std::vector<float> ring; ///< counts of closed windows, oldest overwritten
        uint32_t filled = 0;     ///< windows recorded (<= history)
        uint32_t next = 0;       ///< ring slot to write next
        double ring_sum = 0;     ///< sum of the recorded windows
        double base_max = 0;     ///< largest window count of the baseline
        double cur = 0;          ///< current window's count (weighted for errors)
        uint32_t cur_events = 0;
        uint32_t cur_problems = 0;
        uint64_t total = 0;  ///< events before the current window
        bool is_new = false; ///< first seen after the baseline, not yet reported
        bool reported_gone = false;
        bool in_baseline = false; ///< created while learning the baseline
        int64_t first_ts = 0;
        int64_t last_ts = 0;
        std::vector<line_ref> examples; ///< the first n_examples are this window's
        uint32_t n_examples = 0;
        /// When this window was anomalous: the value its history keeps instead of the
        /// count, so one burst does not hide the next. A lasting shift is accepted.
        float clip = -1;
        uint8_t flagged_run = 0;             ///< anomalous windows in a row
        bool multi_service = false;          ///< host keys: this window's problems span services
        uint64_t problem_service = 0;        ///< host keys: hash of the first problem's service
        std::array<float, 24> season{};      ///< usual count per window, per hour of day (UTC)
        std::array<uint16_t, 24> season_n{}; ///< windows seen in each hour
    };
    series* key_for(uint64_t key, key_kind kind, const event_view& e);
    void note(series& s, const event_view& e, double weight);
    void note_group(
        uint64_t key, key_kind kind, const event_view& e, std::string& last, uint32_t& last_idx);
    /// Hour of day of the current window, or -1 when windows are longer than an hour.
    [[nodiscard]] int hour_slot() const;
    /// The usual count for this hour of day, once two days of it were seen; else -1.
    [[nodiscard]] double seasonal_expected(const series& s) const;
    void learn_season(series& s, float value, int slot) const;
    void advance_to(int64_t window);
    void close_window(bool last);
    void test_series(series& s, uint64_t tests, bool last);
    void add_finding(finding f);
    [[nodiscard]] std::vector<float> history_of(const series& s) const;
    [[nodiscard]] bool detecting() const { return !learning_ && !in_warmup(); }
    [[nodiscard]] bool in_warmup() const {
        return !had_baseline_ && windows_closed_ < config_.warmup_windows;
    }

    detector_config config_;
    param_tracker params_;
    std::vector<series> series_;                   ///< dense, for the per-window sweep
    std::unordered_map<uint64_t, uint32_t> index_; ///< key -> position in series_
    uint64_t tested_ = 0;      ///< series with enough history (counted at the last close)
    std::string last_service_; ///< cache: consecutive events mostly share a service
    uint32_t last_service_idx_ = UINT32_MAX;
    std::string last_host_;
    uint32_t last_host_idx_ = UINT32_MAX;
    uint32_t windows_per_hour_ = 0;                        ///< 0: no seasonal profiles
    std::unordered_map<uint64_t, finding> param_findings_; ///< this window, per template+pos
    std::vector<finding> findings_;
    int64_t window_ = INT64_MIN; ///< index of the current window
    uint64_t windows_closed_ = 0;
    bool learning_ = false;
    bool had_baseline_ = false;
    bool frozen_ = false;
    uint64_t dropped_keys_ = 0;
};

} // namespace sysgrok::detect
