#include "detect/sequence_model.hpp"

#include <algorithm>
#include <cmath>

namespace sysgrok::detect {

namespace {

double quantile(std::vector<double> v, double q) {
    if (v.empty()) {
        return 0.0;
    }
    std::sort(v.begin(), v.end());
    const double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(v.size());
    const auto at = std::min(v.size() - 1, static_cast<size_t>(pos));
    return v[at];
}

} // namespace

std::vector<uint32_t> sequence_model::to_dense(const std::vector<uint32_t>& raw) const {
    std::vector<uint32_t> out;
    out.reserve(raw.size());
    for (uint32_t id : raw) {
        const auto it = vocabulary_.find(id);
        out.push_back(it == vocabulary_.end() ? k_unseen_template : it->second);
    }
    return out;
}

status sequence_model::train(const std::vector<std::vector<uint32_t>>& sessions) {
    if (sessions.empty()) {
        return error{"no training sessions", "", 0, "give normal sessions with --train"};
    }
    vocabulary_.clear();
    for (const auto& s : sessions) {
        for (uint32_t id : s) {
            vocabulary_.emplace(id, static_cast<uint32_t>(vocabulary_.size()));
        }
    }
    const auto vocab = static_cast<uint32_t>(vocabulary_.size());
    std::vector<std::vector<uint32_t>> dense;
    dense.reserve(sessions.size());
    for (const auto& s : sessions) {
        dense.push_back(to_dense(s));
    }
    counts_.train(dense, vocab, cfg_.counts);
    order_.train(dense, vocab, cfg_.ngram_context);

    // Cross-fitting: rate each session with models that did not see it. Ids that only
    // occur in the held-out part are unseen there, as they would be in new data.
    std::vector<double> count_held;
    std::vector<double> order_held;
    const size_t folds = std::min<size_t>(cfg_.folds, sessions.size());
    if (folds >= 2) {
        std::vector<std::vector<uint32_t>> fit;
        std::vector<size_t> held;
        for (size_t f = 0; f < folds; ++f) {
            fit.clear();
            held.clear();
            for (size_t i = 0; i < dense.size(); ++i) {
                if (i % folds == f) {
                    held.push_back(i);
                } else {
                    fit.push_back(dense[i]);
                }
            }
            // Template indices seen in the fitting part (others become "unseen").
            std::vector<uint32_t> remap(vocab, k_unseen_template);
            uint32_t next = 0;
            for (auto& s : fit) {
                for (auto& id : s) {
                    if (remap[id] == k_unseen_template) {
                        remap[id] = next++;
                    }
                    id = remap[id];
                }
            }
            count_profile c;
            c.train(fit, next, cfg_.counts);
            ngram_model o;
            o.train(fit, next, cfg_.ngram_context);
            std::vector<uint32_t> s;
            for (size_t i : held) {
                s.clear();
                for (uint32_t id : dense[i]) {
                    s.push_back(remap[id]);
                }
                count_held.push_back(c.bits(s));
                order_held.push_back(o.bits(s));
            }
        }
    }
    count_threshold_ =
        std::max(quantile(count_held, cfg_.count_quantile), cfg_.min_threshold_bits) +
        cfg_.margin_bits;
    order_threshold_ =
        std::max(quantile(order_held, cfg_.order_quantile), cfg_.min_threshold_bits) +
        cfg_.margin_bits;
    return ok();
}

session_score sequence_model::score(const std::vector<uint32_t>& session) const {
    const auto dense = to_dense(session);
    session_score r;
    r.count_bits = counts_.bits(dense);
    r.order_bits = order_.bits(dense);
    r.score = std::max(r.count_bits / count_threshold_, r.order_bits / order_threshold_);
    r.anomalous = r.score > 1.0;
    return r;
}

} // namespace sysgrok::detect
