// src/mine/template_miner.hpp — online log template mining.
//
// Each message is tokenised and masked (see token_scanner.hpp). A message whose masked
// token sequence was seen before is resolved by one hash lookup. A new sequence is
// compared with the templates of the same length that share its first or its last
// token (a two-key variant of Drain's fixed-depth tree); when enough constant tokens
// agree it joins the best one and the differing positions become "<*>" (keeping a
// shared `key=` prefix), otherwise it starts a new template. Template ids are stable
// and never reused. Memory is bounded: above `max_templates` the rarest templates are
// evicted (and counted). The whole state can be saved and loaded; a loaded miner
// continues exactly as the saved one would have.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "mine/token_scanner.hpp"

namespace sysgrok::mine {

struct miner_config {
    /// Fraction of a template's constant tokens that a message must share to join it.
    double similarity = 0.75;
    /// Templates kept in memory; above this the rarest tenth is evicted.
    uint32_t max_templates = 20000;
    /// Templates compared per lookup bucket (most recent first).
    uint32_t max_candidates = 64;
    /// Tokens per message; the rest of a longer message becomes one variable.
    uint32_t max_tokens = 256;
    /// Cached masked sequences (one hash each); the cache is cleared when full.
    uint32_t max_cached_sequences = 1U << 20U;
    /// Bytes of the first message kept as the template's example.
    uint32_t example_bytes = 512;
    scanner_options scanner;
};

/// What `add` found for one message. The parameter spans point into the message and
/// are valid until the next call to `add`.
struct match_result {
    uint32_t template_id = 0;
    bool created = false; ///< the message started a new template
    bool changed = false; ///< an existing template was generalised
    std::span<const param_span> params;
};

struct miner_stats {
    uint64_t messages = 0;
    uint64_t cache_hits = 0; ///< resolved by the masked-sequence lookup
    uint64_t templates_created = 0;
    uint64_t templates_merged = 0; ///< times a template was generalised
    uint64_t templates_evicted = 0;
    uint64_t cache_clears = 0;
};

/// A read-only view of one live template.
struct template_info {
    uint32_t id = 0;
    uint64_t count = 0;       ///< messages matched
    std::string_view text;    ///< tokens joined by one space, variables as "<*>"
    std::string_view example; ///< the first message (truncated)
};

class template_miner {
  public:
    explicit template_miner(miner_config config = {});

    /// Mines one message (the free-text part of a log event).
    match_result add(std::string_view message);

    /// The template with this id rendered with "<*>"; empty if unknown or evicted.
    [[nodiscard]] std::string_view template_text(uint32_t id) const;

    /// Live templates, in id order.
    [[nodiscard]] std::vector<template_info> templates() const;
    [[nodiscard]] size_t template_count() const { return live_; }
    [[nodiscard]] const miner_stats& stats() const { return stats_; }
    [[nodiscard]] const miner_config& config() const { return config_; }

    /// Called with (id, text) just before a template is evicted (optional).
    void set_eviction_hook(void (*hook)(void*, uint32_t, std::string_view), void* ctx) {
        evict_hook_ = hook;
        evict_ctx_ = ctx;
    }

    /// Writes the complete state (config, templates, indexes, counters).
    [[nodiscard]] status save(std::ostream& out) const;
    /// Replaces the state with a saved one; on error the miner is left empty.
    [[nodiscard]] status load(std::istream& in);

    /// Approximate heap bytes held by the miner (for tests and stats).
    [[nodiscard]] size_t memory_bytes() const;

  private:
    struct tmpl {
        uint32_t id = 0;
        bool alive = false;
        uint64_t count = 0;
        uint64_t last_seen = 0;
        uint64_t key_first = 0; ///< bucket keys the template is listed under
        uint64_t key_last = 0;
        std::string text;               ///< rendered template
        std::vector<uint32_t> tok_off;  ///< token k is text[tok_off[k], tok_off[k+1]-1)
        std::vector<uint64_t> tok_hash; ///< hash of each token
        std::vector<uint8_t> tok_kind;  ///< k_const, k_wild or k_glob
        std::string example;
    };
    static constexpr uint8_t k_const = 0;
    static constexpr uint8_t k_wild = 1; ///< exactly "<*>"
    static constexpr uint8_t k_glob = 2; ///< contains "<*>" among literal text

    [[nodiscard]] static std::string_view token_of(const tmpl& t, size_t k);
    void set_tokens(tmpl& t, const std::vector<std::string_view>& toks) const;
    [[nodiscard]] bool token_matches(const tmpl& t, size_t k, const scanned_token& m) const;
    /// Mismatch count against `t`, or -1 if the message cannot join it.
    [[nodiscard]] int compare(const tmpl& t, int max_diff) const;
    void merge_into(tmpl& t);
    uint32_t create_template(uint64_t first_key, uint64_t last_key);
    void fill_params(const tmpl& t);
    void add_to_bucket(uint64_t key, uint32_t slot);
    void remove_from_bucket(uint64_t key, uint32_t slot);
    void evict_rare();
    void clear_state();

    miner_config config_;
    token_scanner scanner_;
    std::vector<tmpl> slots_;
    std::vector<uint32_t> free_slots_;
    std::unordered_map<uint32_t, uint32_t> id_to_slot_;
    std::unordered_map<uint64_t, std::vector<uint32_t>> buckets_;
    std::unordered_map<uint64_t, uint32_t> cache_; ///< masked-sequence hash -> slot
    uint32_t next_id_ = 1;
    size_t live_ = 0;
    miner_stats stats_;
    std::vector<param_span> params_;
    std::vector<std::string_view> scratch_tokens_;
    std::string scratch_text_;
    void (*evict_hook_)(void*, uint32_t, std::string_view) = nullptr;
    void* evict_ctx_ = nullptr;
};

} // namespace sysgrok::mine
