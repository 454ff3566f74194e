#include "detect/ngram_model.hpp"

#include <algorithm>
#include <cmath>

namespace sysgrok::detect {

namespace {

constexpr uint32_t k_id_bits = 20;
constexpr uint32_t k_id_mask = (1U << k_id_bits) - 1;

/// Key of the `len` tokens before position `at` (len <= 3, tokens < 2^20).
uint64_t context_key(const std::vector<uint32_t>& padded, size_t at, uint32_t len) {
    uint64_t k = len;
    for (uint32_t i = 1; i <= len; ++i) {
        k |= static_cast<uint64_t>(padded[at - i] & k_id_mask) << (2 + k_id_bits * (i - 1));
    }
    return k;
}

} // namespace

uint32_t ngram_model::token(uint32_t id) const {
    // vocabulary_ = start marker, +1 = end marker, +2 = any unseen template.
    return id < vocabulary_ ? id : vocabulary_ + 2;
}

void ngram_model::train(const std::vector<std::vector<uint32_t>>& sessions,
                        uint32_t vocabulary,
                        uint32_t context) {
    vocabulary_ = std::min(vocabulary, k_id_mask - 3);
    context_ = std::min(context, k_max_context);
    table_.clear();
    std::vector<uint32_t> padded;
    for (const auto& s : sessions) {
        padded.assign(context_, vocabulary_);
        for (uint32_t id : s) {
            padded.push_back(token(id));
        }
        padded.push_back(vocabulary_ + 1);
        for (size_t at = context_; at < padded.size(); ++at) {
            for (uint32_t len = 0; len <= context_; ++len) {
                auto& f = table_[context_key(padded, at, len)];
                ++f.total;
                ++f.next[padded[at]];
            }
        }
    }
}

double ngram_model::probability(const std::vector<uint32_t>& padded, size_t at) const {
    // Uniform over the templates, the end marker and "unseen", then interpolated with each
    // longer context that was seen in training.
    double p = 1.0 / (static_cast<double>(vocabulary_) + 2.0);
    for (uint32_t len = 0; len <= context_; ++len) {
        const auto it = table_.find(context_key(padded, at, len));
        if (it == table_.end()) {
            break;
        }
        const followers& f = it->second;
        const auto hit = f.next.find(padded[at]);
        const double c = hit == f.next.end() ? 0.0 : hit->second;
        const auto distinct = static_cast<double>(f.next.size());
        p = (c + distinct * p) / (static_cast<double>(f.total) + distinct);
    }
    return p;
}

double ngram_model::bits(const std::vector<uint32_t>& session) const {
    std::vector<uint32_t> padded(context_, vocabulary_);
    for (uint32_t id : session) {
        padded.push_back(token(id));
    }
    padded.push_back(vocabulary_ + 1);
    double best = 0.0;
    for (size_t at = context_; at < padded.size(); ++at) {
        best = std::max(best, -std::log2(probability(padded, at)));
    }
    return best;
}

} // namespace sysgrok::detect
