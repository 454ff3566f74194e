// src/security/prefilter.cpp — Aho-Corasick construction.
#include "security/prefilter.hpp"

#include <deque>

namespace sysgrok::security {

uint32_t literal_prefilter::add(std::string_view literal) {
    const std::string key(literal);
    auto it = index_.find(key);
    if (it != index_.end()) {
        return it->second;
    }
    const auto id = static_cast<uint32_t>(literals_.size());
    literals_.push_back(key);
    index_.emplace(key, id);
    return id;
}

void literal_prefilter::build() {
    class_of_.fill(0);
    classes_ = 1;
    for (const auto& l : literals_) {
        for (char c : l) {
            auto& cls = class_of_[static_cast<uint8_t>(c)];
            if (cls == 0) {
                cls = static_cast<uint16_t>(classes_++);
            }
        }
    }
    // Literals are lower-case: upper-case letters scan as their lower-case class, so the
    // automaton runs over the original text without a lower-cased copy.
    for (size_t c = 'A'; c <= 'Z'; ++c) {
        if (class_of_[c] == 0) {
            class_of_[c] = class_of_[c - 'A' + 'a'];
        }
    }
    // Trie with -1 for missing edges.
    std::vector<int32_t> go(classes_, -1);
    std::vector<std::vector<uint32_t>> own_out(1);
    for (uint32_t id = 0; id < literals_.size(); ++id) {
        size_t s = 0;
        for (char c : literals_[id]) {
            const size_t e = s * classes_ + class_of_[static_cast<uint8_t>(c)];
            if (go[e] < 0) {
                go[e] = static_cast<int32_t>(own_out.size());
                own_out.emplace_back();
                go.resize(go.size() + classes_, -1);
            }
            s = static_cast<size_t>(go[e]);
        }
        own_out[s].push_back(id);
    }
    const size_t states = own_out.size();
    std::vector<uint32_t> fail(states, 0);
    std::vector<int32_t> dict(states, -1); // nearest proper suffix state with outputs
    delta_.assign(states * classes_, 0);
    std::deque<uint32_t> queue;
    for (uint32_t c = 0; c < classes_; ++c) {
        const int32_t t = go[c];
        if (t >= 0) {
            delta_[c] = static_cast<uint32_t>(t);
            fail[static_cast<size_t>(t)] = 0;
            queue.push_back(static_cast<uint32_t>(t));
        }
    }
    while (!queue.empty()) {
        const uint32_t s = queue.front();
        queue.pop_front();
        const uint32_t f = fail[s];
        dict[s] = !own_out[f].empty() ? static_cast<int32_t>(f) : dict[f];
        for (uint32_t c = 0; c < classes_; ++c) {
            const int32_t t = go[static_cast<size_t>(s) * classes_ + c];
            const uint32_t via_fail = delta_[static_cast<size_t>(f) * classes_ + c];
            if (t >= 0) {
                delta_[static_cast<size_t>(s) * classes_ + c] = static_cast<uint32_t>(t);
                fail[static_cast<size_t>(t)] = via_fail;
                queue.push_back(static_cast<uint32_t>(t));
            } else {
                delta_[static_cast<size_t>(s) * classes_ + c] = via_fail;
            }
        }
    }
    // Output lists: own literals, then the dictionary-suffix chain (shared tails).
    out_head_.assign(states, -1);
    out_next_.clear();
    out_id_.clear();
    // Emit in BFS order so a state's dict target already has its list.
    std::vector<uint32_t> order;
    order.reserve(states);
    order.push_back(0);
    for (size_t i = 0; i < order.size(); ++i) {
        for (uint32_t c = 0; c < classes_; ++c) {
            const int32_t t = go[static_cast<size_t>(order[i]) * classes_ + c];
            if (t >= 0) {
                order.push_back(static_cast<uint32_t>(t));
            }
        }
    }
    for (uint32_t s : order) {
        const int32_t tail = dict[s] >= 0 ? out_head_[static_cast<size_t>(dict[s])] : -1;
        int32_t head = tail;
        for (auto it = own_out[s].rbegin(); it != own_out[s].rend(); ++it) {
            out_id_.push_back(*it);
            out_next_.push_back(head);
            head = static_cast<int32_t>(out_id_.size() - 1);
        }
        out_head_[s] = head;
    }
}

} // namespace sysgrok::security
