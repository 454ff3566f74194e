// src/detect/robust_stats.hpp — robust location and spread, and count-model tail tests.
#pragma once

#include <cstdint>
#include <span>

namespace sysgrok::detect {

/// Median of the values (copies; the input is untouched). 0 for no values.
double median_of(std::span<const float> v);

/// Median absolute deviation from `med`, scaled by 1.4826 (a robust sigma).
double robust_sigma(std::span<const float> v, double med);

/// log10 P(X >= k) for X ~ Poisson(lambda); 0 when k <= lambda.
double poisson_log10_sf(double k, double lambda);

/// log10 P(X <= k) for X ~ Poisson(lambda); 0 when k >= lambda.
double poisson_log10_cdf(double k, double lambda);

/// What a history of per-window counts says about a new count.
struct count_test {
    double expected = 0;    ///< robust rate per window (median, or mean when sparse)
    double sigma = 0;       ///< robust spread
    double log10_p = 0;     ///< one-sided tail probability (log10), <= 0
    double z = 0;           ///< robust z-score (count - expected) / spread
    bool above_max = false; ///< the count exceeds every count in the history
    double hist_max = 0;    ///< the largest count in the history
    uint32_t nonzero = 0;   ///< windows of the history with at least one event
    double events = 0;      ///< events in the history
};

/// Tests `count` against `history` for a rise (`rise` true) or a fall. The Poisson rate
/// is inflated by the robust spread, so over-dispersed series need bigger changes.
count_test test_count(std::span<const float> history, double count, bool rise);

} // namespace sysgrok::detect
