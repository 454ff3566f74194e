// src/mine/template_miner.cpp — online template mining (matching, merging, eviction).
#include "mine/template_miner.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/hash.hpp"

namespace sysgrok::mine {

namespace {

constexpr uint64_t k_seq_seed = 0x51ed270b27c4a3f1ULL;
constexpr uint64_t k_first_seed = 0x2545f4914f6cdd1dULL;
constexpr uint64_t k_last_seed = 0x9e3779b97f4a7c15ULL;

/// "<*>" in `pattern` matches any (possibly empty) run of `text`: "()" fits "(<*>)".
bool glob_match(std::string_view pattern, std::string_view text) {
    size_t star = pattern.find(k_wildcard);
    if (star == std::string_view::npos) {
        return pattern == text;
    }
    if (!text.starts_with(pattern.substr(0, star))) {
        return false;
    }
    text.remove_prefix(star);
    pattern.remove_prefix(star + k_wildcard.size());
    while (true) {
        size_t next = pattern.find(k_wildcard);
        std::string_view lit = pattern.substr(0, next);
        if (next == std::string_view::npos) {
            return text.size() >= lit.size() && text.ends_with(lit);
        }
        size_t at = text.find(lit);
        if (at == std::string_view::npos) {
            return false;
        }
        text.remove_prefix(at + lit.size());
        pattern.remove_prefix(next + k_wildcard.size());
    }
}

bool is_cut_char(char c) {
    return c == '=' || c == ':' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '"' || c == '\'' || c == ',' || c == ';' || c == '<' || c == '>' ||
           c == '@' || c == '#' || c == '|' || c == '/';
}

/// Upper-case identifiers (states, enum values) are constants: never merged away.
bool is_enum_word(std::string_view s) {
    size_t upper = 0;
    for (char c : s) {
        if (c >= 'A' && c <= 'Z') {
            ++upper;
        } else if (!(c == '_' || (c >= '0' && c <= '9'))) {
            return false;
        }
    }
    return upper >= 2;
}

/// Capitalised words ("Failed", "Begin", "WindowsUpdateAgent.") are message text, not
/// values: a position holding one is not merged away.
bool is_capitalized_word(std::string_view s) {
    while (!s.empty() && !(std::isalnum(static_cast<unsigned char>(s.back())) != 0)) {
        s.remove_suffix(1);
    }
    if (s.size() < 2 || !(s[0] >= 'A' && s[0] <= 'Z')) {
        return false;
    }
    bool lower = false;
    for (char c : s.substr(1)) {
        if (c >= 'a' && c <= 'z') {
            lower = true;
        } else if (!(c >= 'A' && c <= 'Z')) {
            return false;
        }
    }
    return lower;
}

/// camelCase identifiers ("brightnessIn", "runInThread") name things in code: constants.
bool is_camel_case(std::string_view s) {
    while (!s.empty() && std::isalnum(static_cast<unsigned char>(s.back())) == 0) {
        s.remove_suffix(1);
    }
    if (s.size() < 3 || !(s[0] >= 'a' && s[0] <= 'z')) {
        return false;
    }
    bool upper = false;
    for (char c : s) {
        if (c >= 'A' && c <= 'Z') {
            upper = true;
        } else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
            return false;
        }
    }
    return upper;
}

/// Punctuation-only tokens ("-", "****", "=>") are separators, not values.
bool is_punctuation(std::string_view s) {
    if (s.find(k_wildcard) != std::string_view::npos) {
        return false;
    }
    for (char c : s) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            return false;
        }
    }
    return true;
}

bool has_structure(std::string_view s) {
    return s.find(k_wildcard) != std::string_view::npos ||
           s.find_first_of("=:()[]{}<>@\"'|#,;/") != std::string_view::npos;
}

/// The most specific token covering both `a` and `b`: "user=root" + "user=admin" gives
/// "user=<*>"; unrelated tokens give "<*>".
std::string generalize(std::string_view a, std::string_view b) {
    size_t n = std::min(a.size(), b.size());
    size_t p = 0;
    while (p < n && a[p] == b[p]) {
        ++p;
    }
    // Cut the shared prefix after a delimiter, never inside or right after a wildcard.
    while (p > 0 &&
           (!is_cut_char(a[p - 1]) || a[p - 1] == '<' || a.substr(0, p).ends_with(k_wildcard))) {
        --p;
    }
    size_t s = 0;
    while (s < n - p && a[a.size() - 1 - s] == b[b.size() - 1 - s]) {
        ++s;
    }
    while (s > 0 && (!is_cut_char(a[a.size() - s]) || a[a.size() - s] == '>' ||
                     a.substr(a.size() - s).starts_with(k_wildcard))) {
        --s;
    }
    if (p + s >= n) {
        return std::string(k_wildcard);
    }
    std::string out;
    out.reserve(p + k_wildcard.size() + s);
    out.append(a.substr(0, p));
    out.append(k_wildcard);
    out.append(a.substr(a.size() - s));
    return out;
}

} // namespace

template_miner::template_miner(miner_config config)
    : config_(config), scanner_([&] {
          scanner_options o = config.scanner;
          o.max_tokens = config.max_tokens;
          return o;
      }()) {}

std::string_view template_miner::token_of(const tmpl& t, size_t k) {
    uint32_t b = t.tok_off[k];
    uint32_t e = t.tok_off[k + 1] - 1; // each token is followed by a space (or the end)
    return std::string_view(t.text).substr(b, e - b);
}

void template_miner::set_tokens(tmpl& t, const std::vector<std::string_view>& toks) const {
    std::string text;
    size_t total = 0;
    for (auto s : toks) {
        total += s.size() + 1;
    }
    text.reserve(total);
    t.tok_off.assign(toks.size() + 1, 0);
    t.tok_hash.resize(toks.size());
    t.tok_kind.resize(toks.size());
    for (size_t k = 0; k < toks.size(); ++k) {
        t.tok_off[k] = static_cast<uint32_t>(text.size());
        text.append(toks[k]);
        text.push_back(' ');
        t.tok_hash[k] = hash64(toks[k]);
        if (toks[k] == k_wildcard) {
            t.tok_kind[k] = k_wild;
        } else if (toks[k].find(k_wildcard) != std::string_view::npos) {
            t.tok_kind[k] = k_glob;
        } else {
            t.tok_kind[k] = k_const;
        }
    }
    t.tok_off[toks.size()] = static_cast<uint32_t>(text.size());
    // Every token is followed by one space, the last one included: token_of() stays
    // branch-free and template_text() leaves the final space out.
    t.text = std::move(text);
}

bool template_miner::token_matches(const tmpl& t, size_t k, const scanned_token& m) const {
    uint8_t kind = t.tok_kind[k];
    if (kind == k_wild) {
        return true;
    }
    std::string_view mt = scanner_.masked(m);
    if (t.tok_hash[k] == m.mask_hash && token_of(t, k) == mt) {
        return true;
    }
    return kind == k_glob && glob_match(token_of(t, k), mt);
}

int template_miner::compare(const tmpl& t, int max_diff) const {
    auto toks = scanner_.tokens();
    int diff = 0;
    for (size_t k = 0; k < toks.size(); ++k) {
        if (token_matches(t, k, toks[k])) {
            continue;
        }
        std::string_view a = token_of(t, k);
        std::string_view b = scanner_.masked(toks[k]);
        // Drain's first rule: the first token is part of the event text.
        if (k == 0 || (is_enum_word(a) && is_enum_word(b)) || is_capitalized_word(a) ||
            is_capitalized_word(b) || is_punctuation(a) || is_punctuation(b) || is_camel_case(a) ||
            is_camel_case(b)) {
            return -1;
        }
        // Merging must not erase structure: "(uid=<*>)" and "LOGIN(uid=<*>)" differ.
        if ((has_structure(a) || has_structure(b)) && generalize(a, b) == k_wildcard) {
            return -1;
        }
        if (++diff > max_diff) {
            return -1;
        }
    }
    return diff;
}

void template_miner::merge_into(tmpl& t) {
    auto toks = scanner_.tokens();
    std::vector<std::string> generalized(toks.size());
    scratch_tokens_.clear();
    bool changed = false;
    for (size_t k = 0; k < toks.size(); ++k) {
        if (!token_matches(t, k, toks[k])) {
            generalized[k] = generalize(token_of(t, k), scanner_.masked(toks[k]));
            changed = true;
        }
    }
    if (!changed) {
        return;
    }
    for (size_t k = 0; k < toks.size(); ++k) {
        scratch_tokens_.push_back(generalized[k].empty() ? token_of(t, k)
                                                         : std::string_view(generalized[k]));
    }
    tmpl updated;
    set_tokens(updated, scratch_tokens_);
    t.text = std::move(updated.text);
    t.tok_off = std::move(updated.tok_off);
    t.tok_hash = std::move(updated.tok_hash);
    t.tok_kind = std::move(updated.tok_kind);
    ++stats_.templates_merged;
}

void template_miner::add_to_bucket(uint64_t key, uint32_t slot) {
    auto& b = buckets_[key];
    b.push_back(slot);
    if (b.size() > config_.max_candidates) {
        // Drop the least used candidate (the oldest among equals).
        size_t worst = 0;
        for (size_t i = 1; i + 1 < b.size(); ++i) {
            if (slots_[b[i]].count < slots_[b[worst]].count) {
                worst = i;
            }
        }
        b.erase(b.begin() + static_cast<std::ptrdiff_t>(worst));
    }
}

void template_miner::remove_from_bucket(uint64_t key, uint32_t slot) {
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        return;
    }
    auto& b = it->second;
    b.erase(std::remove(b.begin(), b.end(), slot), b.end());
    if (b.empty()) {
        buckets_.erase(it);
    }
}

uint32_t template_miner::create_template(uint64_t first_key, uint64_t last_key) {
    uint32_t slot = 0;
    if (free_slots_.empty()) {
        slot = static_cast<uint32_t>(slots_.size());
        slots_.emplace_back();
    } else {
        slot = free_slots_.back();
        free_slots_.pop_back();
    }
    tmpl& t = slots_[slot];
    scratch_tokens_.clear();
    for (const auto& m : scanner_.tokens()) {
        scratch_tokens_.push_back(scanner_.masked(m));
    }
    set_tokens(t, scratch_tokens_);
    t.id = next_id_++;
    t.alive = true;
    t.count = 0;
    t.key_first = first_key;
    t.key_last = last_key;
    std::string_view msg = scanner_.message();
    t.example.assign(msg.substr(0, std::min<size_t>(msg.size(), config_.example_bytes)));
    id_to_slot_[t.id] = slot;
    add_to_bucket(first_key, slot);
    if (last_key != first_key) {
        add_to_bucket(last_key, slot);
    }
    ++live_;
    ++stats_.templates_created;
    return slot;
}

void template_miner::fill_params(const tmpl& t) {
    params_.clear();
    auto toks = scanner_.tokens();
    for (size_t k = 0; k < toks.size(); ++k) {
        const auto& m = toks[k];
        uint8_t kind = t.tok_kind[k];
        std::string_view mt = scanner_.masked(m);
        if (kind == k_wild) {
            if (mt == k_wildcard && m.param_count == 1) {
                params_.push_back(scanner_.params(m)[0]);
            } else {
                params_.push_back({m.begin, m.end});
            }
            continue;
        }
        std::string_view tt = token_of(t, k);
        if (kind == k_const || tt == mt) {
            auto ps = scanner_.params(m);
            params_.insert(params_.end(), ps.begin(), ps.end());
            continue;
        }
        // k_glob matched by a more specific token: take what the single wildcard covers.
        size_t star = tt.find(k_wildcard);
        std::string_view prefix = tt.substr(0, star);
        std::string_view suffix = tt.substr(star + k_wildcard.size());
        std::string_view orig = scanner_.message().substr(m.begin, m.end - m.begin);
        if (suffix.find(k_wildcard) == std::string_view::npos && orig.starts_with(prefix) &&
            orig.size() >= prefix.size() + suffix.size() && orig.ends_with(suffix)) {
            params_.push_back({static_cast<uint32_t>(m.begin + prefix.size()),
                               static_cast<uint32_t>(m.end - suffix.size())});
        } else {
            params_.push_back({m.begin, m.end});
        }
    }
}

match_result template_miner::add(std::string_view message) {
    ++stats_.messages;
    scanner_.scan(message);
    auto toks = scanner_.tokens();
    const size_t n = toks.size();
    uint64_t seq = hash_combine(k_seq_seed, n);
    for (const auto& m : toks) {
        seq = hash_combine(seq, m.mask_hash);
    }
    match_result r;
    uint32_t slot = UINT32_MAX;
    if (auto it = cache_.find(seq); it != cache_.end()) {
        const tmpl& t = slots_[it->second];
        if (t.alive && t.tok_kind.size() == n && compare(t, 0) == 0) {
            slot = it->second;
            ++stats_.cache_hits;
        }
    }
    if (slot == UINT32_MAX) {
        uint64_t first_key = hash_combine(k_first_seed ^ n, n == 0 ? 0 : toks[0].mask_hash);
        uint64_t last_key = hash_combine(k_last_seed ^ n, n == 0 ? 0 : toks[n - 1].mask_hash);
        uint32_t best = UINT32_MAX;
        double best_sim = -1.0;
        int best_diff = 0;
        for (uint64_t key : {first_key, last_key}) {
            auto b = buckets_.find(key);
            if (b == buckets_.end()) {
                continue;
            }
            for (auto c = b->second.rbegin(); c != b->second.rend(); ++c) {
                const tmpl& t = slots_[*c];
                if (t.tok_kind.size() != n) {
                    continue;
                }
                int constants = 0;
                for (uint8_t kind : t.tok_kind) {
                    constants += kind == k_wild ? 0 : 1;
                }
                int max_diff =
                    static_cast<int>(std::floor(constants * (1.0 - config_.similarity) + 1e-9));
                int diff = compare(t, max_diff);
                if (diff < 0) {
                    continue;
                }
                double sim = constants == 0 ? 1.0 : 1.0 - static_cast<double>(diff) / constants;
                if (sim > best_sim ||
                    (sim == best_sim &&
                     (diff < best_diff || (diff == best_diff && t.id < slots_[best].id)))) {
                    best = *c;
                    best_sim = sim;
                    best_diff = diff;
                }
            }
        }
        if (best != UINT32_MAX) {
            slot = best;
            if (best_diff > 0) {
                merge_into(slots_[slot]);
                r.changed = true;
            }
        } else {
            slot = create_template(first_key, last_key);
            r.created = true;
        }
        if (cache_.size() >= config_.max_cached_sequences) {
            cache_.clear();
            ++stats_.cache_clears;
        }
        cache_[seq] = slot;
    }
    tmpl& t = slots_[slot];
    ++t.count;
    t.last_seen = stats_.messages;
    r.template_id = t.id;
    fill_params(t);
    r.params = params_;
    if (live_ > config_.max_templates) {
        evict_rare();
    }
    return r;
}

void template_miner::evict_rare() {
    std::vector<uint32_t> order;
    order.reserve(live_);
    for (uint32_t s = 0; s < slots_.size(); ++s) {
        if (slots_[s].alive && slots_[s].last_seen != stats_.messages) {
            order.push_back(s);
        }
    }
    size_t k = std::max<size_t>(1, config_.max_templates / 10);
    k = std::min(k, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](uint32_t a, uint32_t b) {
                          const tmpl& x = slots_[a];
                          const tmpl& y = slots_[b];
                          if (x.count != y.count) {
                              return x.count < y.count;
                          }
                          if (x.last_seen != y.last_seen) {
                              return x.last_seen < y.last_seen;
                          }
                          return x.id < y.id;
                      });
    std::vector<bool> gone(slots_.size(), false);
    for (size_t i = 0; i < k; ++i) {
        uint32_t s = order[i];
        tmpl& t = slots_[s];
        if (evict_hook_ != nullptr) {
            evict_hook_(evict_ctx_, t.id, template_text(t.id));
        }
        remove_from_bucket(t.key_first, s);
        remove_from_bucket(t.key_last, s);
        id_to_slot_.erase(t.id);
        t = tmpl{};
        gone[s] = true;
        --live_;
        ++stats_.templates_evicted;
    }
    // Keep free slots in a deterministic order (lowest slot reused first).
    for (size_t i = k; i-- > 0;) {
        free_slots_.push_back(order[i]);
    }
    std::sort(free_slots_.begin(), free_slots_.end(), std::greater<>());
    for (auto it = cache_.begin(); it != cache_.end();) {
        if (gone[it->second]) {
            it = cache_.erase(it);
        } else {
            ++it;
        }
    }
}

std::string_view template_miner::template_text(uint32_t id) const {
    auto it = id_to_slot_.find(id);
    if (it == id_to_slot_.end()) {
        return {};
    }
    std::string_view text = slots_[it->second].text;
    if (!text.empty()) {
        text.remove_suffix(1);
    }
    return text;
}

std::vector<template_info> template_miner::templates() const {
    std::vector<template_info> out;
    out.reserve(live_);
    for (const auto& t : slots_) {
        if (t.alive) {
            out.push_back({t.id, t.count, template_text(t.id), t.example});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const template_info& a, const template_info& b) { return a.id < b.id; });
    return out;
}

size_t template_miner::memory_bytes() const {
    size_t bytes = slots_.capacity() * sizeof(tmpl);
    for (const auto& t : slots_) {
        bytes += t.text.capacity() + t.example.capacity() + t.tok_off.capacity() * 4 +
                 t.tok_hash.capacity() * 8 + t.tok_kind.capacity();
    }
    for (const auto& [k, v] : buckets_) {
        bytes += 48 + v.capacity() * 4;
    }
    bytes += cache_.size() * 32 + cache_.bucket_count() * 8;
    bytes += id_to_slot_.size() * 24 + id_to_slot_.bucket_count() * 8;
    return bytes;
}

void template_miner::clear_state() {
    slots_.clear();
    free_slots_.clear();
    id_to_slot_.clear();
    buckets_.clear();
    cache_.clear();
    next_id_ = 1;
    live_ = 0;
    stats_ = {};
}

} // namespace sysgrok::mine
