// src/detect/param_tracker.cpp — categorical and numeric parameter departures.
#include "detect/param_tracker.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace sysgrok::detect {

std::optional<double> parse_number(std::string_view s) {
    if (s.empty() || s.size() > 24) {
        return std::nullopt;
    }
    double v = 0;
    const auto* end = s.data() + s.size();
    const auto r = std::from_chars(s.data(), end, v);
    if (r.ec != std::errc() || r.ptr != end) {
        return std::nullopt;
    }
    return v;
}

namespace {

std::string format_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

} // namespace

std::optional<param_departure> param_tracker::observe(
    uint32_t template_id, uint32_t pos, std::string_view value, bool judge, bool learn) {
    if (pos >= config_.max_positions || value.size() > 128) {
        return std::nullopt;
    }
    const uint64_t key = (static_cast<uint64_t>(template_id) << 8U) | pos;
    auto it = state_.find(key);
    if (it == state_.end()) {
        if (!learn || state_.size() >= config_.max_keys) {
            return std::nullopt;
        }
        it = state_.emplace(key, param_state{}).first;
    }
    param_state& st = it->second;
    // Only parameters that are still (mostly) numeric need the number parsed.
    const bool numeric_so_far = st.numeric * 20 >= st.seen * 19;
    const auto num = numeric_so_far ? parse_number(value) : std::nullopt;
    const bool known =
        !st.overflow && std::find(st.values.begin(), st.values.end(), value) != st.values.end();
    std::optional<param_departure> out;
    if (judge && st.seen >= config_.min_seen) {
        if (!st.overflow && !known) {
            param_departure d;
            d.position = pos;
            d.value = std::string(value);
            for (size_t i = 0; i < st.values.size(); ++i) {
                d.usual += (i == 0 ? "" : ", ") + st.values[i];
            }
            out = std::move(d);
            if (!learn) {
                st.values.emplace_back(value); // report it once
            }
        } else if (st.overflow && num && numeric_so_far) {
            const double w = std::max(st.hi - st.lo, 1e-9);
            if (*num < st.lo - config_.range_factor * w ||
                *num > st.hi + config_.range_factor * w) {
                param_departure d;
                d.numeric = true;
                d.position = pos;
                d.value = std::string(value);
                d.usual = format_number(st.lo) + ".." + format_number(st.hi);
                out = std::move(d);
            }
        }
    }
    if (!learn) {
        return out;
    }
    ++st.seen;
    if (num) {
        if (st.numeric == 0) {
            st.lo = *num;
            st.hi = *num;
        }
        ++st.numeric;
        st.lo = std::min(st.lo, *num);
        st.hi = std::max(st.hi, *num);
    }
    if (!st.overflow && !known) {
        if (st.values.size() >= config_.max_values) {
            st.overflow = true;
            st.values.clear();
            st.values.shrink_to_fit();
        } else {
            st.values.emplace_back(value);
        }
    }
    return out;
}

} // namespace sysgrok::detect
