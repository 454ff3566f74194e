// Window detectors on synthetic streams: spikes against a noisy baseline, new and error
// templates, quiet streams that must stay quiet, parameters, and bounded state.
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "detect/robust_stats.hpp"
#include "detect/window_detector.hpp"

using namespace sysgrok;
using namespace sysgrok::detect;

namespace {

constexpr int64_t k_min = 60LL * 1000000000LL;

/// Feeds `n` events of `tmpl` spread over window `w` (5-minute windows).
void feed(window_detector& d,
          int64_t w,
          uint32_t tmpl,
          int n,
          bool problem = false,
          std::string_view service = "api") {
    for (int i = 0; i < n; ++i) {
        event_view v;
        v.ts_ns = w * 5 * k_min + (i * 5 * k_min) / std::max(n, 1);
        v.template_id = tmpl;
        v.problem = problem;
        v.sev = problem ? severity::error : severity::info;
        v.service = service;
        v.host = "h1";
        v.message = problem ? "request failed" : "request served";
        v.line = static_cast<uint64_t>(w * 1000 + i + 1);
        d.add(v);
    }
}

size_t count_kind(const std::vector<finding>& fs, finding_kind k) {
    size_t n = 0;
    for (const auto& f : fs) {
        n += f.kind == k ? 1 : 0;
    }
    return n;
}

} // namespace

TEST(DetectStats, PoissonTails) {
    EXPECT_NEAR(poisson_log10_sf(0, 5), 0.0, 1e-12);
    // P(X >= 30 | 5) is about 2.8e-14
    EXPECT_LT(poisson_log10_sf(30, 5), -13);
    EXPECT_GT(poisson_log10_sf(30, 5), -14);
    EXPECT_LT(poisson_log10_cdf(0, 20), -8);
    EXPECT_NEAR(median_of(std::vector<float>{1, 9, 3}), 3.0, 1e-9);
}

TEST(DetectWindow, SpikeOnNoisyCountsIsFoundAndNothingElse) {
    std::mt19937 rng(7);
    std::poisson_distribution<int> noise(20);
    window_detector d;
    for (int64_t w = 0; w < 40; ++w) {
        feed(d, w, 1, noise(rng));
        feed(d, w, 2, noise(rng));
    }
    feed(d, 40, 1, 200); // the spike
    feed(d, 40, 2, noise(rng));
    for (int64_t w = 41; w < 45; ++w) {
        feed(d, w, 1, noise(rng));
        feed(d, w, 2, noise(rng));
    }
    d.finish();
    const auto& fs = d.findings();
    ASSERT_EQ(count_kind(fs, finding_kind::spike), 1U);
    for (const auto& f : fs) {
        if (f.kind == finding_kind::spike) {
            EXPECT_EQ(f.template_ids.front(), 1U);
            EXPECT_EQ(f.count, 200U);
            EXPECT_NEAR(f.expected, 20, 5);
            EXPECT_GT(f.confidence, 0.99);
            EXPECT_GE(f.level, alert_level::medium);
        }
    }
    EXPECT_EQ(count_kind(fs, finding_kind::dip), 0U);
}

TEST(DetectWindow, SteadyNoiseRaisesNoRateFinding) {
    std::mt19937 rng(11);
    std::poisson_distribution<int> noise(30);
    window_detector d;
    for (int64_t w = 0; w < 200; ++w) {
        for (uint32_t t = 1; t <= 20; ++t) {
            feed(d, w, t, noise(rng));
        }
    }
    d.finish();
    for (const auto& f : d.findings()) {
        EXPECT_EQ(f.level, alert_level::low) << finding_rule_id(f.kind);
    }
    EXPECT_EQ(count_kind(d.findings(), finding_kind::spike), 0U);
}

TEST(DetectWindow, NewTemplateAndFirstError) {
    window_detector d;
    for (int64_t w = 0; w < 10; ++w) {
        feed(d, w, 1, 10);
    }
    feed(d, 10, 1, 10);
    feed(d, 10, 7, 2);        // a new, harmless template
    feed(d, 10, 8, 15, true); // a new error template, bursting
    d.finish();
    const auto& fs = d.findings();
    ASSERT_EQ(count_kind(fs, finding_kind::new_template), 1U);
    ASSERT_EQ(count_kind(fs, finding_kind::first_error), 1U);
    for (const auto& f : fs) {
        if (f.kind == finding_kind::first_error) {
            EXPECT_EQ(f.template_ids.front(), 8U);
            EXPECT_EQ(f.level, alert_level::high);
            EXPECT_FALSE(f.examples.empty());
        }
        if (f.kind == finding_kind::new_template) {
            EXPECT_EQ(f.level, alert_level::low);
        }
    }
    EXPECT_GE(count_kind(fs, finding_kind::error_burst), 1U);
}

TEST(DetectWindow, BaselineOfTheSamePeriodFindsNothingSerious) {
    std::mt19937 rng(3);
    std::poisson_distribution<int> noise(8);
    std::vector<std::vector<int>> counts(60, std::vector<int>(5));
    for (auto& w : counts) {
        for (auto& c : w) {
            c = noise(rng);
        }
    }
    window_detector d;
    d.begin_baseline();
    for (size_t w = 0; w < counts.size(); ++w) {
        for (uint32_t t = 0; t < 5; ++t) {
            feed(d, static_cast<int64_t>(w), t + 1, counts[w][t]);
        }
    }
    d.end_baseline();
    for (size_t w = 0; w < counts.size(); ++w) {
        for (uint32_t t = 0; t < 5; ++t) {
            feed(d, static_cast<int64_t>(w), t + 1, counts[w][t]);
        }
    }
    d.finish();
    for (const auto& f : d.findings()) {
        EXPECT_EQ(f.level, alert_level::low) << finding_rule_id(f.kind);
    }
}

TEST(DetectWindow, DisappearanceOfASteadyTemplate) {
    window_detector d;
    for (int64_t w = 0; w < 20; ++w) {
        feed(d, w, 1, 30);
        feed(d, w, 2, 30);
    }
    for (int64_t w = 20; w < 24; ++w) {
        feed(d, w, 2, 30); // template 1 stops
    }
    d.finish();
    ASSERT_EQ(count_kind(d.findings(), finding_kind::disappearance), 1U);
}

TEST(DetectWindow, CategoricalAndNumericParameters) {
    window_detector d;
    std::vector<std::string> codes = {"0", "1"};
    for (int i = 0; i < 200; ++i) {
        const std::string ms = std::to_string(100 + (i * 37) % 50);
        const std::string& code = codes[static_cast<size_t>(i) % 2];
        std::vector<std::string_view> ps = {code, ms};
        event_view v;
        v.ts_ns = static_cast<int64_t>(i) * 30 * 1000000000LL;
        v.template_id = 5;
        v.service = "job";
        v.message = "job exited";
        v.params = ps;
        d.add(v);
    }
    std::vector<std::string_view> odd = {"137", "5000"};
    event_view v;
    v.ts_ns = 200LL * 30 * 1000000000LL;
    v.template_id = 5;
    v.service = "job";
    v.message = "job exited";
    v.params = odd;
    d.add(v);
    d.finish();
    EXPECT_EQ(count_kind(d.findings(), finding_kind::new_param_value), 1U);
    EXPECT_EQ(count_kind(d.findings(), finding_kind::numeric_param), 1U);
}

TEST(DetectWindow, StateIsBounded) {
    detector_config c;
    c.max_keys = 100;
    c.max_findings = 50;
    window_detector d(c);
    for (int64_t w = 0; w < 50; ++w) {
        for (uint32_t t = 0; t < 40; ++t) {
            feed(d, w, static_cast<uint32_t>(w) * 40 + t, 1);
        }
    }
    d.finish();
    EXPECT_LE(d.keys(), 100U);
    EXPECT_LE(d.findings().size(), 100U);
}

TEST(DetectWindow, ASecondBurstOfASteadyTemplateIsFoundToo) {
    // The first burst must not become the bar the next one has to beat.
    std::mt19937 rng(3);
    std::poisson_distribution<int> noise(20);
    window_detector d;
    for (int64_t w = 0; w < 80; ++w) {
        const int n = w == 40 ? 200 : w == 60 ? 150 : noise(rng);
        feed(d, w, 1, n);
    }
    d.finish();
    std::vector<uint32_t> counts;
    for (const auto& f : d.findings()) {
        if (f.kind == finding_kind::spike) {
            counts.push_back(f.count);
            EXPECT_GE(f.level, alert_level::medium);
        }
    }
    EXPECT_EQ(counts, (std::vector<uint32_t>{200, 150}));
}

TEST(DetectWindow, RecurringBurstsOfAnUnknownRateStayLow) {
    // A template seen once, then in bursts now and then: its rate was never known, so no
    // burst is more than a low finding, and bursts no bigger than earlier ones are usual.
    window_detector d;
    std::mt19937 rng(5);
    std::poisson_distribution<int> noise(20);
    for (int64_t w = 0; w < 100; ++w) {
        feed(d, w, 1, noise(rng));
        const int burst = w == 3 ? 1 : w == 30 ? 60 : w == 55 ? 40 : w == 80 ? 50 : 0;
        feed(d, w, 2, burst);
    }
    d.finish();
    size_t spikes = 0;
    for (const auto& f : d.findings()) {
        if (!f.template_ids.empty() && f.template_ids.front() == 2) {
            EXPECT_EQ(f.level, alert_level::low) << finding_rule_id(f.kind) << " " << f.count;
            spikes += f.kind == finding_kind::spike ? 1 : 0;
        }
    }
    EXPECT_EQ(spikes, 1U); // the first burst only
}

namespace {

/// Four days of a template busy by day (06:00-22:00, 100 a window) and quiet by night (5);
/// optionally a real dip at noon of the last day. Returns the falls found on days 3 and 4.
std::vector<finding> daily_cycle(bool seasonal, bool dip_at_noon) {
    detector_config c;
    c.seasonal = seasonal;
    window_detector d(c);
    std::mt19937 rng(9);
    constexpr int64_t per_day = 288;
    for (int64_t w = 0; w < 4 * per_day; ++w) {
        const int64_t hour = (w % per_day) / 12;
        const bool day = hour >= 6 && hour < 22;
        std::poisson_distribution<int> noise(day ? 100 : 5);
        int n = noise(rng);
        if (dip_at_noon && w >= 3 * per_day + 144 && w < 3 * per_day + 150) {
            n = 10;
        }
        feed(d, w, 1, n);
    }
    d.finish();
    std::vector<finding> falls;
    for (const auto& f : d.findings()) {
        const bool fall = f.kind == finding_kind::dip || f.kind == finding_kind::disappearance;
        if (fall && f.start_ns >= 2 * per_day * 5 * k_min) {
            falls.push_back(f);
        }
    }
    return falls;
}

} // namespace

TEST(DetectWindow, ANightlyLullIsNoDipOnceTheDailyCycleIsKnown) {
    EXPECT_FALSE(daily_cycle(false, false).empty()); // without hour-of-day profiles: dips
    EXPECT_TRUE(daily_cycle(true, false).empty());
    const auto falls = daily_cycle(true, true);
    ASSERT_FALSE(falls.empty()); // a dip in the busy hours is still found
    for (const auto& f : falls) {
        EXPECT_EQ((f.start_ns / (5 * k_min)) / 12 % 24, 12) << f.count;
    }
}

TEST(DetectWindow, AHostFailingAcrossServicesIsABurstOfTheHost) {
    window_detector d;
    auto add = [&](int64_t w, std::string_view service, std::string_view host, int n,
                   bool problem) {
        for (int i = 0; i < n; ++i) {
            event_view v;
            v.ts_ns = w * 5 * k_min + i * k_min / 10;
            v.template_id = problem ? 9 : 1;
            v.problem = problem;
            v.sev = problem ? severity::error : severity::info;
            v.service = service;
            v.host = host;
            v.message = problem ? "write failed" : "ok";
            d.add(v);
        }
    };
    for (int64_t w = 0; w < 30; ++w) {
        for (const char* svc : {"api", "worker", "cron"}) {
            add(w, svc, "h2", 10, false);
            // four errors per service: no service bursts, but together the host does
            add(w, svc, "h2", w == 20 ? 4 : 0, true);
            add(w, svc, "h3", 5, false);
            add(w, svc, "h3", w == 25 ? 4 : 0, true);
        }
        add(w, "db", "h4", 10, false);
        add(w, "db", "h4", w == 25 ? 12 : 0, true);    // one service: its own burst only
        add(w, "queue", "h5", w == 26 ? 12 : 0, true); // new, and failing from the start
    }
    d.finish();
    std::vector<std::string> bursts;
    for (const auto& f : d.findings()) {
        if (f.kind == finding_kind::error_burst) {
            bursts.push_back(f.service.empty() ? "host " + f.host : f.service);
        }
    }
    std::sort(bursts.begin(), bursts.end());
    EXPECT_EQ(bursts, (std::vector<std::string>{"db", "host h2", "host h3", "queue"}));
}
