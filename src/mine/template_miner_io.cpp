// src/mine/template_miner_io.cpp — saving and loading the miner state.
//
// Format (little-endian, versioned): magic "SGMINE01", the behaviour-relevant config,
// counters, every slot (live ones with their template, counts and bucket keys), the
// free-slot list, the candidate buckets in order and the masked-sequence cache. Loading
// restores all of it, so a loaded miner takes exactly the decisions the saved one would.
#include <bit>
#include <cstring>
#include <istream>
#include <ostream>

#include "core/hash.hpp"
#include "mine/template_miner.hpp"

namespace sysgrok::mine {

namespace {

constexpr char k_magic[8] = {'S', 'G', 'M', 'I', 'N', 'E', '0', '1'};
constexpr uint64_t k_max_string = 1ULL << 30U;
constexpr uint64_t k_max_count = 1ULL << 32U;

class writer {
  public:
    explicit writer(std::ostream& out) : out_(out) {}
    void u8(uint8_t v) { out_.put(static_cast<char>(v)); }
    void u32(uint32_t v) {
        char b[4];
        for (int i = 0; i < 4; ++i) {
            b[i] = static_cast<char>((v >> (8 * i)) & 0xFFU);
        }
        out_.write(b, 4);
    }
    void u64(uint64_t v) {
        char b[8];
        for (int i = 0; i < 8; ++i) {
            b[i] = static_cast<char>((v >> (8 * i)) & 0xFFU);
        }
        out_.write(b, 8);
    }
    void str(std::string_view s) {
        u64(s.size());
        out_.write(s.data(), static_cast<std::streamsize>(s.size()));
    }

  private:
    std::ostream& out_;
};

class reader {
  public:
    explicit reader(std::istream& in) : in_(in) {}
    bool ok() const { return ok_; }
    uint8_t u8() {
        char c = 0;
        if (!in_.get(c)) {
            ok_ = false;
        }
        return static_cast<uint8_t>(c);
    }
    uint32_t u32() {
        unsigned char b[4] = {};
        if (!in_.read(reinterpret_cast<char*>(b), 4)) {
            ok_ = false;
            return 0;
        }
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            v |= static_cast<uint32_t>(b[i]) << (8 * i);
        }
        return v;
    }
    uint64_t u64() {
        unsigned char b[8] = {};
        if (!in_.read(reinterpret_cast<char*>(b), 8)) {
            ok_ = false;
            return 0;
        }
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i) {
            v |= static_cast<uint64_t>(b[i]) << (8 * i);
        }
        return v;
    }
    uint64_t count() {
        uint64_t n = u64();
        if (n > k_max_count) {
            ok_ = false;
            return 0;
        }
        return n;
    }
    std::string str() {
        uint64_t n = u64();
        if (!ok_ || n > k_max_string) {
            ok_ = false;
            return {};
        }
        std::string s(n, '\0');
        if (n > 0 && !in_.read(s.data(), static_cast<std::streamsize>(n))) {
            ok_ = false;
            return {};
        }
        return s;
    }

  private:
    std::istream& in_;
    bool ok_ = true;
};

} // namespace

status template_miner::save(std::ostream& out) const {
    writer w(out);
    out.write(k_magic, sizeof k_magic);
    w.u64(std::bit_cast<uint64_t>(config_.similarity));
    w.u32(config_.max_templates);
    w.u32(config_.max_candidates);
    w.u32(config_.max_tokens);
    w.u32(config_.max_cached_sequences);
    w.u32(config_.example_bytes);
    w.u8(static_cast<uint8_t>((config_.scanner.mask_quoted_values ? 1U : 0U) |
                              (config_.scanner.mask_booleans ? 2U : 0U) |
                              (config_.scanner.mask_hostnames ? 4U : 0U)));
    w.u32(next_id_);
    w.u64(stats_.messages);
    w.u64(stats_.cache_hits);
    w.u64(stats_.templates_created);
    w.u64(stats_.templates_merged);
    w.u64(stats_.templates_evicted);
    w.u64(stats_.cache_clears);
    w.u64(slots_.size());
    for (const auto& t : slots_) {
        w.u8(t.alive ? 1 : 0);
        if (!t.alive) {
            continue;
        }
        w.u32(t.id);
        w.u64(t.count);
        w.u64(t.last_seen);
        w.u64(t.key_first);
        w.u64(t.key_last);
        w.u64(t.tok_kind.size());
        for (size_t k = 0; k < t.tok_kind.size(); ++k) {
            w.str(token_of(t, k));
        }
        w.str(t.example);
    }
    w.u64(free_slots_.size());
    for (uint32_t s : free_slots_) {
        w.u32(s);
    }
    w.u64(buckets_.size());
    for (const auto& [key, list] : buckets_) {
        w.u64(key);
        w.u64(list.size());
        for (uint32_t s : list) {
            w.u32(s);
        }
    }
    w.u64(cache_.size());
    for (const auto& [key, s] : cache_) {
        w.u64(key);
        w.u32(s);
    }
    out.flush();
    if (!out) {
        return error{"could not write the template miner state", "", 0, "check free disk space"};
    }
    return ok();
}

status template_miner::load(std::istream& in) {
    clear_state();
    auto fail = [&](const std::string& what) -> status {
        clear_state();
        return error{"invalid template miner state: " + what, "", 0,
                     "use a file written by `save` of this version"};
    };
    char magic[sizeof k_magic] = {};
    if (!in.read(magic, sizeof magic) || std::memcmp(magic, k_magic, sizeof magic) != 0) {
        return fail("bad magic");
    }
    reader r(in);
    miner_config c;
    c.similarity = std::bit_cast<double>(r.u64());
    c.max_templates = r.u32();
    c.max_candidates = r.u32();
    c.max_tokens = r.u32();
    c.max_cached_sequences = r.u32();
    c.example_bytes = r.u32();
    uint8_t flags = r.u8();
    c.scanner.mask_quoted_values = (flags & 1U) != 0;
    c.scanner.mask_booleans = (flags & 2U) != 0;
    c.scanner.mask_hostnames = (flags & 4U) != 0;
    c.scanner.max_tokens = c.max_tokens;
    if (!r.ok() || !(c.similarity >= 0.0 && c.similarity <= 1.0) || c.max_templates == 0 ||
        c.max_tokens == 0) {
        return fail("bad configuration");
    }
    config_ = c;
    scanner_ = token_scanner(c.scanner);
    next_id_ = r.u32();
    stats_.messages = r.u64();
    stats_.cache_hits = r.u64();
    stats_.templates_created = r.u64();
    stats_.templates_merged = r.u64();
    stats_.templates_evicted = r.u64();
    stats_.cache_clears = r.u64();
    uint64_t nslots = r.count();
    if (!r.ok()) {
        return fail("truncated header");
    }
    slots_.resize(nslots);
    std::vector<std::string> toks;
    std::vector<std::string_view> views;
    for (uint64_t s = 0; s < nslots; ++s) {
        tmpl& t = slots_[s];
        t.alive = r.u8() != 0;
        if (!t.alive) {
            continue;
        }
        t.id = r.u32();
        t.count = r.u64();
        t.last_seen = r.u64();
        t.key_first = r.u64();
        t.key_last = r.u64();
        uint64_t ntok = r.count();
        if (!r.ok() || ntok > c.max_tokens || t.id == 0 || t.id >= next_id_) {
            return fail("bad template record");
        }
        toks.clear();
        for (uint64_t k = 0; k < ntok && r.ok(); ++k) {
            toks.push_back(r.str());
        }
        t.example = r.str();
        if (!r.ok()) {
            return fail("truncated template record");
        }
        views.assign(toks.begin(), toks.end());
        set_tokens(t, views);
        if (!id_to_slot_.emplace(t.id, static_cast<uint32_t>(s)).second) {
            return fail("duplicate template id");
        }
        ++live_;
    }
    auto valid_slot = [&](uint32_t s) { return s < slots_.size() && slots_[s].alive; };
    uint64_t nfree = r.count();
    for (uint64_t i = 0; i < nfree && r.ok(); ++i) {
        uint32_t s = r.u32();
        if (s >= slots_.size() || slots_[s].alive) {
            return fail("bad free slot");
        }
        free_slots_.push_back(s);
    }
    uint64_t nbuckets = r.count();
    for (uint64_t i = 0; i < nbuckets && r.ok(); ++i) {
        uint64_t key = r.u64();
        uint64_t n = r.count();
        auto& list = buckets_[key];
        for (uint64_t j = 0; j < n && r.ok(); ++j) {
            uint32_t s = r.u32();
            if (!valid_slot(s)) {
                return fail("bad bucket entry");
            }
            list.push_back(s);
        }
    }
    uint64_t ncache = r.count();
    for (uint64_t i = 0; i < ncache && r.ok(); ++i) {
        uint64_t key = r.u64();
        uint32_t s = r.u32();
        if (!valid_slot(s)) {
            return fail("bad cache entry");
        }
        cache_[key] = s;
    }
    if (!r.ok()) {
        return fail("truncated file");
    }
    return ok();
}

} // namespace sysgrok::mine
