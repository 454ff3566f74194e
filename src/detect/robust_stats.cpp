// src/detect/robust_stats.cpp — medians, MAD and Poisson tails in log space.
#include "detect/robust_stats.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sysgrok::detect {

namespace {

double ln_sum_exp(double a_ln, double b_ln) {
    const double hi = std::max(a_ln, b_ln);
    return hi + std::log(std::exp(a_ln - hi) + std::exp(b_ln - hi));
}

double log_pmf(double i, double lambda) {
    return -lambda + i * std::log(lambda) - std::lgamma(i + 1);
}

} // namespace

double median_of(std::span<const float> v) {
    if (v.empty()) {
        return 0;
    }
    std::vector<float> c(v.begin(), v.end());
    const size_t mid = c.size() / 2;
    std::nth_element(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(mid), c.end());
    double m = c[mid];
    if (c.size() % 2 == 0) {
        const float lo = *std::max_element(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(mid));
        m = (m + lo) / 2;
    }
    return m;
}

double robust_sigma(std::span<const float> v, double med) {
    std::vector<float> d;
    d.reserve(v.size());
    for (const float x : v) {
        d.push_back(static_cast<float>(std::fabs(x - med)));
    }
    return 1.4826 * median_of(d);
}

double poisson_log10_sf(double k, double lambda) {
    if (k <= lambda) {
        return 0;
    }
    lambda = std::max(lambda, 1e-3);
    const double start = std::ceil(k);
    double acc = log_pmf(start, lambda);
    for (double i = start + 1; i < start + 2000; i += 1) {
        const double t = log_pmf(i, lambda);
        acc = ln_sum_exp(acc, t);
        if (t < acc - 40) {
            break;
        }
    }
    return std::min(0.0, acc / std::log(10.0));
}

double poisson_log10_cdf(double k, double lambda) {
    if (k >= lambda) {
        return 0;
    }
    const double top = std::floor(std::max(k, 0.0));
    double acc = log_pmf(top, lambda);
    for (double i = top - 1; i >= 0; i -= 1) {
        const double t = log_pmf(i, lambda);
        acc = ln_sum_exp(acc, t);
        if (t < acc - 40) {
            break;
        }
    }
    return std::min(0.0, acc / std::log(10.0));
}

count_test test_count(std::span<const float> history, double count, bool rise) {
    count_test t;
    if (history.empty()) {
        return t;
    }
    const double med = median_of(history);
    double sum = 0;
    float hi = 0;
    for (const float x : history) {
        sum += x;
        hi = std::max(hi, x);
        t.nonzero += x > 0 ? 1 : 0;
    }
    t.hist_max = hi;
    t.events = sum;
    const double mean = sum / static_cast<double>(history.size());
    // Sparse series (median 0) still have a rate: use the mean there.
    t.expected = med > 0 ? med : mean;
    t.sigma = robust_sigma(history, med);
    t.above_max = count > hi;
    const double spread = std::max(t.sigma, std::sqrt(std::max(t.expected, 1.0)));
    t.z = (count - t.expected) / spread;
    if (rise) {
        const double lambda =
            std::max(t.expected + t.sigma, 1.0 / static_cast<double>(history.size()));
        t.log10_p = poisson_log10_sf(count, lambda);
    } else {
        const double lambda = std::max(t.expected - t.sigma, 0.0);
        t.log10_p = poisson_log10_cdf(count, lambda);
    }
    return t;
}

} // namespace sysgrok::detect
