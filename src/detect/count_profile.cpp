#include "detect/count_profile.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace sysgrok::detect {

namespace {

uint64_t pair_key(uint32_t a, uint32_t b) {
    return (static_cast<uint64_t>(std::min(a, b)) << 32) | std::max(a, b);
}

double surprise(double hits, double total) {
    return -std::log2((hits + 1.0) / (total + 2.0));
}

/// Distinct templates of a session with their counts, sorted by template.
std::vector<std::pair<uint32_t, uint32_t>> tally(const std::vector<uint32_t>& s) {
    std::vector<uint32_t> sorted = s;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::pair<uint32_t, uint32_t>> out;
    for (uint32_t id : sorted) {
        if (!out.empty() && out.back().first == id) {
            ++out.back().second;
        } else {
            out.emplace_back(id, 1);
        }
    }
    return out;
}

/// Distinct count vectors over the candidate templates, with their multiplicity.
struct count_rows {
    std::vector<std::vector<int32_t>> rows;
    std::vector<uint32_t> weight;
    std::vector<std::vector<uint32_t>> nonzero; ///< per candidate: rows where it occurs
};

count_rows distinct_rows(const std::vector<std::vector<uint32_t>>& sessions,
                         const std::vector<uint32_t>& candidates,
                         uint32_t vocabulary) {
    std::vector<int32_t> slot(vocabulary, -1);
    for (size_t c = 0; c < candidates.size(); ++c) {
        slot[candidates[c]] = static_cast<int32_t>(c);
    }
    std::map<std::vector<int32_t>, uint32_t> counted;
    std::vector<int32_t> row(candidates.size());
    for (const auto& s : sessions) {
        std::fill(row.begin(), row.end(), 0);
        for (uint32_t id : s) {
            if (id < vocabulary && slot[id] >= 0) {
                ++row[static_cast<size_t>(slot[id])];
            }
        }
        ++counted[row];
    }
    count_rows out;
    for (auto& [r, w] : counted) {
        out.rows.push_back(r);
        out.weight.push_back(w);
    }
    // Heaviest rows first: a wrong candidate invariant then fails on the first rows.
    std::vector<size_t> order(out.rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return out.weight[a] > out.weight[b]; });
    count_rows sorted;
    for (size_t i : order) {
        sorted.rows.push_back(std::move(out.rows[i]));
        sorted.weight.push_back(out.weight[i]);
    }
    sorted.nonzero.resize(candidates.size());
    for (size_t r = 0; r < sorted.rows.size(); ++r) {
        for (size_t c = 0; c < candidates.size(); ++c) {
            if (sorted.rows[r][c] != 0) {
                sorted.nonzero[c].push_back(static_cast<uint32_t>(r));
            }
        }
    }
    return sorted;
}

int32_t gcd3(int32_t a, int32_t b, int32_t c) {
    return std::gcd(std::gcd(std::abs(a), std::abs(b)), std::abs(c));
}

uint64_t support_key(const std::array<uint32_t, 3>& s, uint32_t terms) {
    uint64_t k = terms;
    for (uint32_t i = 0; i < terms; ++i) {
        k = k * 1000003ULL + s[i] + 1;
    }
    return k;
}

} // namespace

void count_profile::train(const std::vector<std::vector<uint32_t>>& sessions,
                          uint32_t vocabulary,
                          const count_profile_config& cfg) {
    vocabulary_ = vocabulary;
    sessions_ = static_cast<uint32_t>(sessions.size());
    present_.assign(vocabulary, 0);
    pairs_.clear();
    for (const auto& s : sessions) {
        const auto t = tally(s);
        for (size_t i = 0; i < t.size(); ++i) {
            if (t[i].first >= vocabulary) {
                continue;
            }
            ++present_[t[i].first];
            for (size_t j = i + 1; j < t.size(); ++j) {
                if (t[j].first < vocabulary) {
                    ++pairs_[pair_key(t[i].first, t[j].first)];
                }
            }
        }
    }
    mine_invariants(sessions, cfg);
}

void count_profile::mine_invariants(const std::vector<std::vector<uint32_t>>& sessions,
                                    const count_profile_config& cfg) {
    invariants_.clear();
    std::vector<uint32_t> candidates;
    for (uint32_t id = 0; id < vocabulary_; ++id) {
        if (present_[id] >= cfg.min_support) {
            candidates.push_back(id);
        }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](uint32_t a, uint32_t b) { return present_[a] > present_[b]; });
    if (candidates.size() > cfg.max_templates) {
        candidates.resize(cfg.max_templates);
    }
    std::sort(candidates.begin(), candidates.end());
    if (candidates.size() < 2) {
        return;
    }
    const count_rows rows = distinct_rows(sessions, candidates, vocabulary_);
    const auto c = static_cast<uint32_t>(candidates.size());
    const uint32_t max_terms = std::clamp<uint32_t>(cfg.max_terms, 2, 3);
    const int32_t cmax = std::max(1, cfg.max_coef);
    std::set<uint64_t> found; // supports (candidate slots) that already have an invariant

    std::vector<uint32_t> active;
    auto collect_active = [&](const std::array<uint32_t, 3>& s, uint32_t terms) {
        active.clear();
        for (uint32_t i = 0; i < terms; ++i) {
            const auto& nz = rows.nonzero[s[i]];
            active.insert(active.end(), nz.begin(), nz.end());
        }
        std::sort(active.begin(), active.end());
        active.erase(std::unique(active.begin(), active.end()), active.end()); // heaviest first
    };
    auto covered = [&](const std::array<uint32_t, 3>& s, uint32_t terms) {
        if (found.count(support_key(s, terms)) != 0) {
            return true;
        }
        if (terms == 3) {
            for (uint32_t drop = 0; drop < 3; ++drop) {
                std::array<uint32_t, 3> sub{};
                uint32_t k = 0;
                for (uint32_t i = 0; i < 3; ++i) {
                    if (i != drop) {
                        sub[k++] = s[i];
                    }
                }
                if (found.count(support_key(sub, 2)) != 0) {
                    return true;
                }
            }
        }
        return false;
    };
    // Tries every coefficient vector on one support; records the first that holds.
    auto try_support = [&](const std::array<uint32_t, 3>& s, uint32_t terms, uint32_t budget,
                           bool exact) {
        collect_active(s, terms);
        uint32_t act = 0;
        for (uint32_t r : active) {
            act += rows.weight[r];
        }
        if (act < cfg.min_support) {
            return;
        }
        const int32_t lim3 = terms == 3 ? cmax : 1;
        for (int32_t a = 1; a <= cmax; ++a) {
            for (int32_t b = -cmax; b <= cmax; ++b) {
                for (int32_t cc = (terms == 3 ? -lim3 : 0); cc <= (terms == 3 ? lim3 : 0); ++cc) {
                    if (b == 0 || (terms == 3 && cc == 0) || gcd3(a, b, cc) != 1) {
                        continue;
                    }
                    uint32_t broken = 0;
                    for (uint32_t r : active) {
                        const auto& row = rows.rows[r];
                        int64_t v = static_cast<int64_t>(a) * row[s[0]] +
                                    static_cast<int64_t>(b) * row[s[1]];
                        if (terms == 3) {
                            v += static_cast<int64_t>(cc) * row[s[2]];
                        }
                        if (v != 0) {
                            broken += rows.weight[r];
                            if (broken > budget) {
                                break;
                            }
                        }
                    }
                    if (broken > budget || (!exact && broken == 0)) {
                        continue;
                    }
                    count_invariant inv;
                    inv.terms = terms;
                    inv.coef = {a, b, cc};
                    for (uint32_t i = 0; i < terms; ++i) {
                        inv.ids[i] = candidates[s[i]];
                    }
                    inv.broken = broken;
                    inv.active = act;
                    invariants_.push_back(inv);
                    found.insert(support_key(s, terms));
                    return;
                }
            }
        }
    };
    const auto tolerance_budget = static_cast<uint32_t>(cfg.tolerance * sessions_);
    for (int pass = 0; pass < 2; ++pass) {
        const bool exact = pass == 0;
        const uint32_t budget = exact ? 0 : tolerance_budget;
        if (!exact && budget == 0) {
            break;
        }
        for (uint32_t terms = 2; terms <= max_terms; ++terms) {
            for (uint32_t i = 0; i < c; ++i) {
                for (uint32_t j = i + 1; j < c; ++j) {
                    if (terms == 2) {
                        const std::array<uint32_t, 3> s{i, j, 0};
                        if (!covered(s, 2)) {
                            try_support(s, 2, budget, exact);
                        }
                        continue;
                    }
                    for (uint32_t k = j + 1; k < c; ++k) {
                        const std::array<uint32_t, 3> s{i, j, k};
                        if (!covered(s, 3)) {
                            try_support(s, 3, budget, exact);
                        }
                        if (invariants_.size() >= cfg.max_invariants) {
                            return;
                        }
                    }
                }
            }
        }
    }
}

double count_profile::bits(const std::vector<uint32_t>& session) const {
    const double n = sessions_;
    double best = 0.0;
    const auto t = tally(session);
    for (size_t i = 0; i < t.size(); ++i) {
        const uint32_t id = t[i].first;
        if (id >= vocabulary_) {
            best = std::max(best, surprise(0, n));
            continue;
        }
        best = std::max(best, surprise(present_[id], n));
        for (size_t j = i + 1; j < t.size(); ++j) {
            if (t[j].first >= vocabulary_) {
                continue;
            }
            const auto it = pairs_.find(pair_key(id, t[j].first));
            best = std::max(best, surprise(it == pairs_.end() ? 0 : it->second, n));
        }
    }
    auto count_of = [&](uint32_t id) -> int64_t {
        const auto it = std::lower_bound(t.begin(), t.end(), std::make_pair(id, 0U));
        return it != t.end() && it->first == id ? it->second : 0;
    };
    for (const auto& inv : invariants_) {
        int64_t v = 0;
        bool any = false;
        for (uint32_t i = 0; i < inv.terms; ++i) {
            const int64_t k = count_of(inv.ids[i]);
            any = any || k != 0;
            v += inv.coef[i] * k;
        }
        if (any && v != 0) {
            best = std::max(best, surprise(inv.broken, inv.active));
        }
    }
    return best;
}

} // namespace sysgrok::detect
