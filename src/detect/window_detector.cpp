// src/detect/window_detector.cpp — per-window counting and the rate, novelty and
// parameter tests.
#include "detect/window_detector.hpp"

#include <algorithm>
#include <cmath>

#include "core/hash.hpp"
#include "detect/problem_judge.hpp"
#include "detect/robust_stats.hpp"

namespace sysgrok::detect {

namespace {

constexpr size_t k_example_bytes = 300;
constexpr size_t k_max_param_findings = 1000;
constexpr double k_max_score = 30; ///< -log10 p beyond this says nothing more
constexpr int64_t k_hour_ns = 3600LL * 1000000000LL;

line_ref make_ref(const event_view& e) {
    line_ref r;
    r.input = e.input;
    r.line = e.line;
    r.ts_ns = e.ts_ns;
    r.text = std::string(e.message.substr(0, k_example_bytes));
    return r;
}

/// Overwrites `r` in place (keeps the string's capacity: no allocation per event).
void set_ref(line_ref& r, const event_view& e) {
    r.input = e.input;
    r.line = e.line;
    r.ts_ns = e.ts_ns;
    r.text.assign(e.message.substr(0, k_example_bytes));
}

int64_t floor_div(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

double clamp01(double v) {
    return std::max(0.0, std::min(1.0, v));
}

} // namespace

window_detector::window_detector(detector_config c) : config_(c), params_(c.params) {
    if (config_.seasonal && config_.window_ns > 0 && config_.window_ns <= k_hour_ns &&
        k_hour_ns % config_.window_ns == 0) {
        windows_per_hour_ = static_cast<uint32_t>(k_hour_ns / config_.window_ns);
    }
}

int window_detector::hour_slot() const {
    if (windows_per_hour_ == 0 || window_ == INT64_MIN) {
        return -1;
    }
    const int64_t hour = floor_div(window_, windows_per_hour_);
    return static_cast<int>(((hour % 24) + 24) % 24);
}

double window_detector::seasonal_expected(const series& s) const {
    const int slot = hour_slot();
    if (slot < 0 || s.season_n[slot] < 2 * windows_per_hour_) {
        return -1;
    }
    return s.season[slot];
}

void window_detector::learn_season(series& s, float value, int slot) const {
    if (slot < 0) {
        return;
    }
    // a running mean for the first days, then an average that follows the recent days
    const uint16_t n = s.season_n[slot];
    const double a = std::max(1.0 / (n + 1.0), 0.25 / windows_per_hour_);
    s.season[slot] += static_cast<float>(a * (value - s.season[slot]));
    if (n < UINT16_MAX) {
        s.season_n[slot] = static_cast<uint16_t>(n + 1);
    }
}

void window_detector::begin_baseline() {
    learning_ = true;
}

void window_detector::end_baseline() {
    if (window_ != INT64_MIN) {
        close_window(true);
    }
    for (auto& s : series_) {
        s.is_new = false;
        s.reported_gone = false;
    }
    learning_ = false;
    had_baseline_ = true;
    frozen_ = true;
    window_ = INT64_MIN;
}

window_detector::series*
window_detector::key_for(uint64_t key, key_kind kind, const event_view& e) {
    const auto it = index_.find(key);
    if (it != index_.end()) {
        return &series_[it->second];
    }
    if (series_.size() >= config_.max_keys) {
        ++dropped_keys_;
        return nullptr;
    }
    series s;
    s.kind = kind;
    s.template_id = e.template_id;
    s.service = std::string(e.service);
    s.host = std::string(e.host);
    s.ring.assign(config_.history, 0.0F);
    s.is_new = kind == key_kind::tmpl && detecting();
    s.in_baseline = learning_;
    index_.emplace(key, static_cast<uint32_t>(series_.size()));
    series_.push_back(std::move(s));
    return &series_.back();
}

void window_detector::note(series& s, const event_view& e, double weight) {
    if (s.cur_events == 0) {
        s.first_ts = e.ts_ns;
    }
    s.last_ts = e.ts_ns;
    s.cur += weight;
    ++s.cur_events;
    s.cur_problems += e.problem ? 1 : 0;
    if (s.kind != key_kind::tmpl && !e.problem) {
        return; // a service's or host's examples are its problem lines
    }
    if (s.kind == key_kind::host_errors) {
        const uint64_t svc = hash64(e.service);
        if (s.cur_problems == 1) {
            s.problem_service = svc;
        } else if (svc != s.problem_service) {
            s.multi_service = true;
        }
    }
    if (s.n_examples < config_.max_examples) {
        if (s.examples.size() <= s.n_examples) {
            s.examples.emplace_back();
        }
        set_ref(s.examples[s.n_examples++], e);
    } else if (e.problem && s.cur_problems <= config_.max_examples) {
        set_ref(s.examples[s.cur_problems - 1], e); // prefer problem lines as examples
    }
}

void window_detector::add(const event_view& e) {
    if (e.ts_ns != k_no_time) {
        const int64_t w = floor_div(e.ts_ns, config_.window_ns);
        if (window_ == INT64_MIN) {
            window_ = w;
        } else if (w > window_) {
            advance_to(w);
        }
    } else if (window_ == INT64_MIN) {
        window_ = 0;
    }
    if (series* s = key_for(e.template_id, key_kind::tmpl, e)) {
        note(*s, e, 1.0);
    }
    note_group(hash_combine(hash64(e.service), 0x5e41ce5ULL) | (1ULL << 63U),
               key_kind::service_errors, e, last_service_, last_service_idx_);
    if (!e.host.empty() && e.host != e.service) {
        note_group(hash_combine(hash64(e.host), 0x4057ULL) | (1ULL << 63U), key_kind::host_errors,
                   e, last_host_, last_host_idx_);
    }
    for (uint32_t i = 0; i < e.params.size(); ++i) {
        auto dep = params_.observe(e.template_id, i, e.params[i], detecting(), !frozen_);
        if (!dep || !detecting()) {
            continue;
        }
        const uint64_t pkey = (static_cast<uint64_t>(e.template_id) << 8U) | i;
        auto it = param_findings_.find(pkey);
        if (it == param_findings_.end()) {
            if (param_findings_.size() >= k_max_param_findings) {
                continue;
            }
            finding f;
            f.kind = dep->numeric ? finding_kind::numeric_param : finding_kind::new_param_value;
            f.level = alert_level::low;
            f.score = 1;
            f.confidence = 0.5;
            f.start_ns = e.ts_ns;
            f.host = std::string(e.host);
            f.service = std::string(e.service);
            f.template_ids.push_back(e.template_id);
            f.detail = "param " + std::to_string(i + 1) + ": " + dep->value + " (usual " +
                       (dep->usual.empty() ? std::string("none") : dep->usual) + ")";
            it = param_findings_.emplace(pkey, std::move(f)).first;
        }
        finding& f = it->second;
        ++f.count;
        f.end_ns = e.ts_ns;
        if (f.examples.size() < config_.max_examples) {
            f.examples.push_back(make_ref(e));
        }
    }
}

void window_detector::note_group(
    uint64_t key, key_kind kind, const event_view& e, std::string& last, uint32_t& last_idx) {
    const std::string_view name = kind == key_kind::host_errors ? e.host : e.service;
    if (name != last || last_idx == UINT32_MAX) {
        last = std::string(name);
        series* s = key_for(key, kind, e);
        last_idx = s != nullptr ? index_.find(key)->second : UINT32_MAX;
        if (s != nullptr && kind == key_kind::host_errors) {
            s->service.clear(); // a host's series spans its services
        }
    }
    if (last_idx != UINT32_MAX) {
        note(series_[last_idx], e, problem_weight(e.sev, e.problem));
    }
}

void window_detector::advance_clock(int64_t now_ns) {
    if (window_ == INT64_MIN) {
        return;
    }
    const int64_t w = floor_div(now_ns, config_.window_ns);
    if (w > window_) {
        advance_to(w);
    }
}

void window_detector::finish() {
    if (window_ != INT64_MIN) {
        close_window(true);
        window_ = INT64_MIN;
    }
}

void window_detector::advance_to(int64_t window) {
    uint32_t steps = 0;
    while (window_ < window) {
        close_window(false);
        ++window_;
        if (++steps > config_.history + 1 && window_ < window) {
            window_ = window; // a long gap: the history is all zeros by now
            break;
        }
    }
}

std::vector<float> window_detector::history_of(const series& s) const {
    return {s.ring.begin(), s.ring.begin() + s.filled};
}

void window_detector::close_window(bool last) {
    const bool judge = detecting();
    const int slot = hour_slot();
    const uint64_t tests = std::max<uint64_t>(tested_, 1);
    uint64_t tested = 0;
    for (auto& s : series_) {
        // most series in most windows cannot rise, fall or be rare: skip them cheaply
        const bool busy =
            s.cur_events > 0 && (s.is_new || s.cur >= config_.min_spike || s.total <= 2 ||
                                 s.filled < config_.min_history || s.cur_problems > 0);
        const bool steady = s.ring_sum >= 2.0 * s.filled && s.filled >= config_.min_history;
        if (judge && (busy || steady)) {
            test_series(s, tests, last);
        }
        if (learning_) {
            s.base_max = std::max(s.base_max, s.cur);
        }
        float value = static_cast<float>(s.cur);
        if (s.clip >= 0) {
            s.flagged_run = static_cast<uint8_t>(std::min(s.flagged_run + 1, 255));
            if (s.flagged_run <= config_.accept_shift_after) {
                value = std::min(value, s.clip);
            }
        } else {
            s.flagged_run = 0;
        }
        s.clip = -1;
        if (!(frozen_ && s.in_baseline)) {
            learn_season(s, value, slot);
            s.ring_sum += value - (s.filled == config_.history ? s.ring[s.next] : 0.0F);
            s.ring[s.next] = value;
            s.next = (s.next + 1) % config_.history;
            s.filled = std::min(s.filled + 1, config_.history);
        }
        tested += s.filled >= config_.min_history ? 1 : 0;
        s.total += s.cur_events;
        s.cur = 0;
        s.cur_events = 0;
        s.cur_problems = 0;
        s.n_examples = 0;
        s.multi_service = false;
    }
    tested_ = tested;
    if (judge) {
        for (auto& [k, f] : param_findings_) {
            add_finding(std::move(f));
        }
    }
    param_findings_.clear();
    ++windows_closed_;
}

void window_detector::test_series(series& s, uint64_t tests, bool last) {
    const int64_t w_start = window_ * config_.window_ns;
    const int64_t w_end = w_start + config_.window_ns;
    const bool tmpl = s.kind == key_kind::tmpl;
    auto base = [&](finding_kind kind) {
        finding f;
        f.kind = kind;
        f.start_ns = s.cur_events > 0 && s.first_ts != k_no_time ? s.first_ts : w_start;
        f.end_ns = s.cur_events > 0 && s.last_ts != k_no_time ? s.last_ts : w_end;
        f.host = s.host;
        f.service = s.service;
        if (tmpl) {
            f.template_ids.push_back(s.template_id);
        }
        f.count = s.cur_events;
        f.problem = s.cur_problems > 0;
        f.examples.assign(s.examples.begin(), s.examples.begin() + s.n_examples);
        return f;
    };
    if (tmpl && s.is_new) {
        if (s.cur_events == 0) {
            return;
        }
        s.is_new = false;
        const bool err = s.cur_problems > 0;
        finding f = base(err ? finding_kind::first_error : finding_kind::new_template);
        f.level = !err                                  ? alert_level::low
                  : s.cur_problems >= config_.min_spike ? alert_level::high
                                                        : alert_level::medium;
        f.score = (err ? 3.0 : 1.0) + std::log10(1.0 + s.cur_events);
        f.confidence = 0.9;
        if (s.cur >= config_.min_spike) {
            s.clip = static_cast<float>(config_.min_spike); // a birth burst is no usual rate
        }
        add_finding(std::move(f));
        return;
    }
    if (s.filled < config_.min_history) {
        // A template born after the baseline has no history of its own: before it, its
        // count was zero. While young, every busy or failing window continues its finding.
        if (tmpl && !s.in_baseline && (s.cur_problems > 0 || s.cur_events >= config_.min_spike)) {
            finding f = base(finding_kind::spike);
            f.expected = 0;
            f.level = s.cur_problems >= config_.min_spike ? alert_level::high
                      : s.cur_problems > 0                ? alert_level::medium
                                                          : alert_level::low;
            f.score = (s.cur_problems > 0 ? 3.0 : 1.0) + std::log10(1.0 + s.cur_events);
            f.confidence = 0.9;
            s.clip = static_cast<float>(std::min<double>(s.cur, config_.min_spike));
            add_finding(std::move(f));
        }
        // likewise a service or host that starts out failing
        if (!tmpl && !s.in_baseline && s.cur >= config_.min_spike &&
            (s.kind != key_kind::host_errors || s.multi_service)) {
            finding f = base(finding_kind::error_burst);
            f.count = s.cur_problems;
            f.expected = 0;
            f.detail = "severity-weighted problems " + std::to_string(std::lround(s.cur)) +
                       ", none before";
            f.level =
                s.cur_problems >= 2 * config_.min_spike ? alert_level::high : alert_level::medium;
            f.score = 3.0 + std::log10(1.0 + s.cur);
            f.confidence = 0.9;
            add_finding(std::move(f));
        }
        return;
    }
    // Cheap gates first: most series in most windows need no statistics at all.
    const double mean = s.ring_sum / static_cast<double>(s.filled);
    // against a baseline, a rise must beat every window of it, not only the recent ones
    const double beat = had_baseline_ && s.in_baseline ? s.base_max : 0.0;
    // a host's burst that sits in one service is that service's burst: reported there
    const bool may_rise = s.cur >= config_.min_spike && s.cur > beat &&
                          (s.kind != key_kind::host_errors || s.multi_service);
    const bool may_fall = tmpl && !last && mean >= 2;
    const bool may_be_rare = tmpl && s.cur_events > 0 && s.total > 0 && s.total <= 2;
    if (!may_rise && !may_fall && !may_be_rare) {
        return;
    }
    const std::vector<float> hist = history_of(s);
    const double log_tests = std::log10(static_cast<double>(tests));
    const double log_alpha = std::log10(config_.alpha);
    const double season = seasonal_expected(s);
    count_test up = may_rise ? test_count(hist, s.cur, true) : count_test{};
    if (may_rise && season > up.expected) {
        // this hour of the day is usually busier: test against that
        up.expected = season;
        up.log10_p = poisson_log10_sf(s.cur, season + up.sigma);
    }
    const double ratio = s.cur / std::max(up.expected, 0.5);
    if (may_rise && up.above_max && ratio >= 2 && up.log10_p + log_tests < log_alpha) {
        finding f = base(tmpl ? finding_kind::spike : finding_kind::error_burst);
        f.expected = up.expected;
        // How much history says what "usual" is: a template seen in a handful of windows
        // has no known rate, so its burst is weaker evidence than that of a steady one.
        const double evidence = std::min(1.0, up.nonzero / 6.0);
        const bool established = up.nonzero >= 3 && up.events >= 10;
        f.score = std::min(-up.log10_p, k_max_score);
        f.confidence =
            clamp01(1.0 - std::pow(10.0, up.log10_p + log_tests)) * (tmpl ? evidence : 1.0);
        if (established || !tmpl) {
            // A known rate broken: keep this window out of the history's peaks. Without a
            // known rate the burst is what the history learns (recurring bursts are usual).
            s.clip = static_cast<float>(std::max(up.hist_max, 2.0 * up.expected));
        }
        if (!tmpl) {
            f.count = s.cur_problems;
            f.detail = "severity-weighted problems " + std::to_string(std::lround(s.cur)) +
                       ", usual " + std::to_string(std::lround(up.expected)) + " per window";
        }
        const bool strong = ratio >= 5 && s.cur >= 2.0 * config_.min_spike;
        const bool problems = s.cur_problems * 2 >= s.cur_events && s.cur_problems > 0;
        if (tmpl) {
            f.level = strong && problems      ? alert_level::high
                      : strong && established ? alert_level::medium
                                              : alert_level::low;
        } else {
            f.level = ratio >= 10 && s.cur_problems >= 2 * config_.min_spike ? alert_level::high
                                                                             : alert_level::medium;
        }
        add_finding(std::move(f));
        return;
    }
    if (may_be_rare && !s.is_new && s.cur_events <= 2) {
        finding f = base(finding_kind::rare_template);
        f.level = alert_level::low;
        f.score = 1;
        f.confidence = 0.5;
        f.expected = static_cast<double>(s.total);
        add_finding(std::move(f));
        return;
    }
    if (!may_fall) {
        return;
    }
    count_test down = test_count(hist, s.cur, false);
    if (season >= 0 && season < down.expected) {
        // this hour of the day is usually quieter: test against that
        down.expected = season;
        down.log10_p = poisson_log10_cdf(s.cur, std::max(season - down.sigma, 0.0));
    }
    if (down.expected < 5) {
        return;
    }
    if (s.cur > down.expected / 4 || down.log10_p + log_tests >= log_alpha) {
        if (s.cur > 0) {
            s.reported_gone = false;
        }
        return;
    }
    size_t nonzero = 0;
    for (const float x : hist) {
        nonzero += x > 0 ? 1 : 0;
    }
    const bool steady = nonzero * 10 >= hist.size() * 9;
    if (s.cur == 0 && (!steady || s.reported_gone)) {
        return;
    }
    finding f = base(s.cur == 0 ? finding_kind::disappearance : finding_kind::dip);
    f.start_ns = w_start;
    f.end_ns = w_end;
    f.expected = down.expected;
    f.score = std::min(-down.log10_p, k_max_score);
    f.confidence = clamp01(1.0 - std::pow(10.0, down.log10_p + log_tests));
    f.level = s.cur == 0 && down.expected >= 10 ? alert_level::medium : alert_level::low;
    s.reported_gone = s.cur == 0;
    add_finding(std::move(f));
}

void window_detector::add_finding(finding f) {
    if (findings_.size() >= config_.max_findings &&
        (f.level == alert_level::low || findings_.size() >= 2 * config_.max_findings)) {
        return; // bounded: keep the stronger findings once full
    }
    findings_.push_back(std::move(f));
}

} // namespace sysgrok::detect
