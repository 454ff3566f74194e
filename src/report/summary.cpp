#include "report/summary.hpp"

#include <algorithm>
#include <cctype>

#include "core/hash.hpp"

namespace sysgrok::report {

namespace {
constexpr size_t k_error_examples = 5;
constexpr size_t k_max_groups = 20000;
constexpr size_t k_max_buckets = 4096;
constexpr size_t k_example_bytes = 300;

size_t sev_index(severity s) {
    return s == severity::none ? 8 : static_cast<size_t>(s);
}
} // namespace

void capped_counter::add(std::string_view key, uint64_t n) {
    auto it = counts_.find(std::string(key));
    if (it != counts_.end()) {
        it->second += n;
    } else if (counts_.size() < cap_) {
        counts_.emplace(std::string(key), n);
    } else {
        other_ += n;
    }
}

std::vector<std::pair<std::string, uint64_t>> capped_counter::top(size_t n) const {
    std::vector<std::pair<std::string, uint64_t>> v(counts_.begin(), counts_.end());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (v.size() > n) {
        v.resize(n);
    }
    return v;
}

std::string mask_message(std::string_view m) {
    std::string out;
    out.reserve(m.size());
    size_t i = 0;
    while (i < m.size()) {
        const auto c = static_cast<unsigned char>(m[i]);
        if (std::isalnum(c) != 0) {
            // A token of letters and digits: masked when it holds a digit.
            size_t j = i;
            bool digit = false;
            while (j < m.size() && (std::isalnum(static_cast<unsigned char>(m[j])) != 0 ||
                                    m[j] == '_' || m[j] == '-' || m[j] == '.' || m[j] == ':')) {
                digit = digit || std::isdigit(static_cast<unsigned char>(m[j])) != 0;
                ++j;
            }
            if (digit) {
                out += "<*>";
            } else {
                out.append(m.substr(i, j - i));
            }
            i = j;
        } else {
            out += static_cast<char>(c);
            ++i;
        }
    }
    return out;
}

summary::summary() = default;

uint64_t summary::by_severity(severity s) const {
    return sev_counts_[sev_index(s)];
}

void summary::note_error(const event& e, const std::string& path) {
    ++errors_;
    event_ref r{e.ts_ns, path, e.line, e.sev, std::string(e.message.substr(0, k_example_bytes))};
    if (first_errors_.size() < k_error_examples) {
        first_errors_.push_back(r);
    }
    if (last_errors_.size() == k_error_examples) {
        last_errors_.erase(last_errors_.begin());
    }
    last_errors_.push_back(std::move(r));
}

void summary::add(const event_batch& batch,
                  const std::vector<std::string>& input_paths,
                  const std::vector<uint32_t>* template_ids) {
    static const std::string k_no_path;
    for (size_t i = 0; i < batch.events.size(); ++i) {
        const event& e = batch.events[i];
        ++events_;
        sev_counts_[sev_index(e.sev)]++;
        const std::string& path = e.input < input_paths.size() ? input_paths[e.input] : k_no_path;
        if (e.ts_ns != k_no_time) {
            first_ts_ = first_ts_ == k_no_time ? e.ts_ns : std::min(first_ts_, e.ts_ns);
            last_ts_ = last_ts_ == k_no_time ? e.ts_ns : std::max(last_ts_, e.ts_ns);
            const int64_t b =
                e.ts_ns >= 0 ? e.ts_ns / bucket_ns_ : (e.ts_ns - bucket_ns_ + 1) / bucket_ns_;
            buckets_[b]++;
            if (buckets_.size() > k_max_buckets) {
                std::map<int64_t, uint64_t> coarse;
                for (const auto& [k, v] : buckets_) {
                    coarse[k >= 0 ? k / 2 : (k - 1) / 2] += v;
                }
                buckets_ = std::move(coarse);
                bucket_ns_ *= 2;
            }
        }
        if (!e.program.empty()) {
            programs_.add(e.program);
        }
        if (!e.host.empty()) {
            hosts_.add(e.host);
        }
        if (e.sev != severity::none && e.sev <= severity::error) {
            note_error(e, path);
        }
        uint64_t key = 0;
        std::string pattern;
        if (template_ids != nullptr && i < template_ids->size()) {
            key = (*template_ids)[i];
        } else {
            pattern = mask_message(e.message.substr(0, 2000));
            key = hash64(pattern);
        }
        auto it = groups_.find(key);
        if (it == groups_.end()) {
            if (groups_.size() >= k_max_groups) {
                ++groups_other_;
                continue;
            }
            message_group g;
            g.key = key;
            g.pattern = std::move(pattern);
            g.example = event_ref{e.ts_ns, path, e.line, e.sev,
                                  std::string(e.message.substr(0, k_example_bytes))};
            it = groups_.emplace(key, std::move(g)).first;
        }
        it->second.count++;
        if (e.sev != severity::none &&
            (it->second.worst == severity::none || e.sev < it->second.worst)) {
            it->second.worst = e.sev;
        }
    }
}

std::vector<message_group>
summary::top_groups(size_t n, const std::function<std::string(uint64_t)>& resolve) const {
    std::vector<const message_group*> v;
    v.reserve(groups_.size());
    for (const auto& [k, g] : groups_) {
        v.push_back(&g);
    }
    const size_t k = std::min(n, v.size());
    std::partial_sort(v.begin(), v.begin() + static_cast<ptrdiff_t>(k), v.end(),
                      [](const message_group* a, const message_group* b) {
                          return a->count != b->count ? a->count > b->count
                                                      : a->pattern < b->pattern;
                      });
    std::vector<message_group> out;
    for (size_t i = 0; i < k; ++i) {
        out.push_back(*v[i]);
        if (resolve) {
            out.back().pattern = resolve(out.back().key);
        }
    }
    return out;
}

summary::time_histogram summary::histogram(size_t max_bins) const {
    time_histogram h;
    if (max_bins == 0 || buckets_.empty()) {
        return h;
    }
    const int64_t lo = buckets_.begin()->first;
    const int64_t hi = buckets_.rbegin()->first;
    const int64_t span = hi - lo + 1; // in base buckets
    const int64_t per_bin =
        (span + static_cast<int64_t>(max_bins) - 1) / static_cast<int64_t>(max_bins);
    const auto bins = static_cast<size_t>((span + per_bin - 1) / per_bin);
    h.start_ns = lo * bucket_ns_;
    h.bin_ns = per_bin * bucket_ns_;
    h.counts.assign(bins, 0);
    for (const auto& [b, c] : buckets_) {
        h.counts[static_cast<size_t>((b - lo) / per_bin)] += c;
    }
    return h;
}

} // namespace sysgrok::report
