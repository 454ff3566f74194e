// src/security/value_matcher.cpp — Sigma value modifiers and their matching.
#include "security/value_matcher.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <arpa/inet.h>
#include <re2/re2.h>

#include "security/text_util.hpp"

namespace sysgrok::security {

namespace {

constexpr uint8_t k_lit = 0;
constexpr uint8_t k_star = 1;
constexpr uint8_t k_qmark = 2;

/// A value as a sequence of characters, each literal or a wildcard.
struct token_string {
    std::string text;
    std::vector<uint8_t> kinds;

    void push(char c, uint8_t kind) {
        text.push_back(c);
        kinds.push_back(kind);
    }
    void append_literal(std::string_view s) {
        for (char c : s) {
            push(c, k_lit);
        }
    }
    [[nodiscard]] bool has_wildcards() const {
        return std::any_of(kinds.begin(), kinds.end(), [](uint8_t k) { return k != k_lit; });
    }
};

/// Sigma escapes: `\*`, `\?`, `\\` are literal; a lone backslash is literal.
token_string parse_sigma_string(std::string_view v) {
    token_string out;
    for (size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if (c == '\\' && i + 1 < v.size() &&
            (v[i + 1] == '*' || v[i + 1] == '?' || v[i + 1] == '\\')) {
            out.push(v[i + 1], k_lit);
            ++i;
        } else if (c == '*') {
            out.push(c, k_star);
        } else if (c == '?') {
            out.push(c, k_qmark);
        } else {
            out.push(c, k_lit);
        }
    }
    return out;
}

bool is_word(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

/// windash: every `-` or `/` that starts a command-line flag takes each of the five dashes.
result<std::vector<token_string>> windash(const token_string& in) {
    static constexpr std::array<std::string_view, 5> k_dashes = {"-", "/", "\xE2\x80\x93",
                                                                 "\xE2\x80\x94", "\xE2\x80\x95"};
    std::vector<size_t> pos;
    for (size_t i = 0; i < in.text.size(); ++i) {
        const char c = in.text[i];
        if (in.kinds[i] == k_lit && (c == '-' || c == '/') &&
            (i == 0 || !is_word(in.text[i - 1]))) {
            pos.push_back(i);
        }
    }
    if (pos.size() > 4) {
        return make_error("windash: more than 4 flag dashes in one value (too many permutations)");
    }
    std::vector<token_string> out;
    size_t combos = 1;
    for (size_t i = 0; i < pos.size(); ++i) {
        combos *= k_dashes.size();
    }
    for (size_t combo = 0; combo < combos; ++combo) {
        token_string t;
        size_t c = combo;
        size_t next = 0;
        for (size_t i = 0; i < in.text.size(); ++i) {
            if (next < pos.size() && pos[next] == i) {
                t.append_literal(k_dashes[c % k_dashes.size()]);
                c /= k_dashes.size();
                ++next;
            } else {
                t.push(in.text[i], in.kinds[i]);
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::string utf16(std::string_view s, bool big_endian) {
    std::string out;
    out.reserve(s.size() * 2);
    for (char c : s) {
        if (big_endian) {
            out.push_back('\0');
            out.push_back(c);
        } else {
            out.push_back(c);
            out.push_back('\0');
        }
    }
    return out;
}

/// Applies one encoding transform to literal strings.
result<std::vector<token_string>> apply_transform(const std::string& name,
                                                  const std::vector<token_string>& in) {
    std::vector<token_string> out;
    for (const auto& t : in) {
        if (name == "windash") {
            auto w = windash(t);
            if (!w) {
                return w.error();
            }
            for (auto& x : *w) {
                out.push_back(std::move(x));
            }
            continue;
        }
        if (t.has_wildcards()) {
            return make_error("modifier '" + name + "' on a value with wildcards");
        }
        token_string r;
        if (name == "base64") {
            r.append_literal(base64_encode(t.text));
            out.push_back(std::move(r));
        } else if (name == "base64offset") {
            static constexpr std::array<size_t, 3> k_start = {0, 2, 3};
            static constexpr std::array<size_t, 3> k_end_trim = {0, 3, 2};
            for (size_t i = 0; i < 3; ++i) {
                const std::string enc = base64_encode(std::string(i, ' ') + t.text);
                const size_t trim = k_end_trim[(t.text.size() + i) % 3];
                if (enc.size() < k_start[i] + trim) {
                    continue;
                }
                token_string v;
                v.append_literal(
                    std::string_view(enc).substr(k_start[i], enc.size() - k_start[i] - trim));
                out.push_back(std::move(v));
            }
        } else if (name == "utf16le" || name == "wide") {
            r.append_literal(utf16(t.text, false));
            out.push_back(std::move(r));
        } else if (name == "utf16be") {
            r.append_literal(utf16(t.text, true));
            out.push_back(std::move(r));
        } else if (name == "utf16") {
            r.append_literal(std::string("\xFF\xFE", 2) + utf16(t.text, false));
            out.push_back(std::move(r));
        } else {
            return make_error("unknown transform '" + name + "'");
        }
    }
    return out;
}

/// Longest run of literal characters, lower-cased.
std::string longest_literal(const token_string& t) {
    size_t best_pos = 0;
    size_t best_len = 0;
    size_t run = 0;
    for (size_t i = 0; i <= t.text.size(); ++i) {
        if (i < t.text.size() && t.kinds[i] == k_lit) {
            ++run;
            continue;
        }
        if (run > best_len) {
            best_len = run;
            best_pos = i - run;
        }
        run = 0;
    }
    return to_lower(std::string_view(t.text).substr(best_pos, best_len));
}

value_pattern make_string_pattern(token_string t, const modifier_chain& mods) {
    if (mods.contains || mods.endswith) {
        if (t.kinds.empty() || t.kinds.front() != k_star) {
            t.text.insert(t.text.begin(), '*');
            t.kinds.insert(t.kinds.begin(), k_star);
        }
    }
    if (mods.contains || mods.startswith) {
        if (t.kinds.empty() || t.kinds.back() != k_star) {
            t.push('*', k_star);
        }
    }
    value_pattern p;
    p.cased = mods.cased;
    p.prefilter = longest_literal(t);
    const bool lead = !t.kinds.empty() && t.kinds.front() == k_star;
    const bool trail = t.kinds.size() > 1 && t.kinds.back() == k_star;
    const size_t inner_begin = lead ? 1 : 0;
    const size_t inner_end = t.kinds.size() - (trail ? 1 : 0);
    bool inner_wild = false;
    for (size_t i = inner_begin; i < inner_end; ++i) {
        inner_wild = inner_wild || t.kinds[i] != k_lit;
    }
    if (!inner_wild) {
        p.text = t.text.substr(inner_begin, inner_end - inner_begin);
        p.kind = lead && trail ? match_kind::contains
                 : lead        ? match_kind::suffix
                 : trail       ? match_kind::prefix
                               : match_kind::exact;
    } else {
        p.kind = match_kind::glob;
        p.text = std::move(t.text);
        p.glob = std::move(t.kinds);
    }
    if (!p.cased) {
        p.text = to_lower(p.text);
    }
    return p;
}

bool glob_match(std::string_view pat, const std::vector<uint8_t>& kinds, std::string_view s) {
    size_t p = 0;
    size_t i = 0;
    size_t star = std::string_view::npos;
    size_t mark = 0;
    while (i < s.size()) {
        if (p < pat.size() && (kinds[p] == k_qmark || (kinds[p] == k_lit && pat[p] == s[i]))) {
            ++p;
            ++i;
        } else if (p < pat.size() && kinds[p] == k_star) {
            star = p++;
            mark = i;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            i = ++mark;
        } else {
            return false;
        }
    }
    while (p < pat.size() && kinds[p] == k_star) {
        ++p;
    }
    return p == pat.size();
}

std::optional<double> parse_number(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '"')) {
        s.remove_prefix(1);
    }
    if (s.empty() || s.size() > 64) {
        return std::nullopt;
    }
    char buf[72];
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    char* end = nullptr;
    const double d = std::strtod(buf, &end);
    if (end == buf) {
        return std::nullopt;
    }
    return d;
}

result<ip_network> parse_cidr(std::string_view v) {
    const size_t slash = v.find('/');
    const auto addr = parse_ip(v.substr(0, slash));
    if (!addr) {
        return make_error("cidr: not an IP network: '" + std::string(v) + "'");
    }
    ip_network n;
    n.addr = *addr;
    const bool v4 = v.substr(0, slash).find(':') == std::string_view::npos;
    int bits = v4 ? 32 : 128;
    if (slash != std::string_view::npos) {
        const auto b = parse_number(v.substr(slash + 1));
        if (!b || *b < 0 || *b > bits) {
            return make_error("cidr: bad prefix length in '" + std::string(v) + "'");
        }
        bits = static_cast<int>(*b);
    }
    n.prefix_bits = v4 ? bits + 96 : bits;
    return n;
}

bool in_network(const ip_network& n, const std::array<uint8_t, 16>& a) {
    int bits = n.prefix_bits;
    for (size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const unsigned mask = bits >= 8 ? 0xFFU : (0xFFU << (8 - bits)) & 0xFFU;
        if ((a[i] & mask) != (n.addr[i] & mask)) {
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<std::array<uint8_t, 16>> parse_ip(std::string_view s) {
    if (s.empty() || s.size() > 45) {
        return std::nullopt;
    }
    char buf[48];
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    std::array<uint8_t, 16> out{};
    if (s.find(':') == std::string_view::npos) {
        in_addr a4{};
        if (inet_pton(AF_INET, buf, &a4) != 1) {
            return std::nullopt;
        }
        out[10] = 0xFF;
        out[11] = 0xFF;
        std::memcpy(out.data() + 12, &a4, 4);
        return out;
    }
    in6_addr a6{};
    if (inet_pton(AF_INET6, buf, &a6) != 1) {
        return std::nullopt;
    }
    std::memcpy(out.data(), &a6, 16);
    return out;
}

std::string base64_encode(std::string_view s) {
    static constexpr std::string_view k_abc =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((s.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < s.size(); i += 3) {
        const uint32_t v = (static_cast<uint8_t>(s[i]) << 16U) |
                           (static_cast<uint8_t>(s[i + 1]) << 8U) | static_cast<uint8_t>(s[i + 2]);
        out.push_back(k_abc[(v >> 18U) & 63U]);
        out.push_back(k_abc[(v >> 12U) & 63U]);
        out.push_back(k_abc[(v >> 6U) & 63U]);
        out.push_back(k_abc[v & 63U]);
    }
    if (i < s.size()) {
        uint32_t v = static_cast<uint8_t>(s[i]) << 16U;
        if (i + 1 < s.size()) {
            v |= static_cast<uint8_t>(s[i + 1]) << 8U;
        }
        out.push_back(k_abc[(v >> 18U) & 63U]);
        out.push_back(k_abc[(v >> 12U) & 63U]);
        out.push_back(i + 1 < s.size() ? k_abc[(v >> 6U) & 63U] : '=');
        out.push_back('=');
    }
    return out;
}

bool value_pattern::matches(std::string_view value, std::string_view lower) const {
    const std::string_view v = cased ? value : lower;
    switch (kind) {
        case match_kind::exact:
            return v == text;
        case match_kind::prefix:
            return v.starts_with(text);
        case match_kind::suffix:
            return v.ends_with(text);
        case match_kind::contains:
            return v.find(text) != std::string_view::npos;
        case match_kind::glob:
            return glob_match(text, glob, v);
        case match_kind::regex:
            return RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *re);
        case match_kind::cidr: {
            const auto a = parse_ip(value);
            return a && in_network(net, *a);
        }
        case match_kind::num_lt:
        case match_kind::num_lte:
        case match_kind::num_gt:
        case match_kind::num_gte: {
            const auto d = parse_number(value);
            if (!d) {
                return false;
            }
            return kind == match_kind::num_lt    ? *d < number
                   : kind == match_kind::num_lte ? *d <= number
                   : kind == match_kind::num_gt  ? *d > number
                                                 : *d >= number;
        }
        case match_kind::exists:
            return exists;
        case match_kind::is_null:
            return value.empty();
        case match_kind::fieldref:
            return false; // resolved by the rule evaluator, which knows the other field
    }
    return false;
}

result<modifier_chain> parse_modifiers(const std::vector<std::string>& mods) {
    modifier_chain m;
    for (const auto& raw : mods) {
        const std::string mod = to_lower(raw);
        if (mod == "contains") {
            m.contains = true;
        } else if (mod == "startswith") {
            m.startswith = true;
        } else if (mod == "endswith") {
            m.endswith = true;
        } else if (mod == "all") {
            m.all = true;
        } else if (mod == "cased") {
            m.cased = true;
        } else if (mod == "neq") {
            m.neq = true;
        } else if (mod == "re") {
            m.re = true;
        } else if (mod == "i" || mod == "m" || mod == "s") {
            if (!m.re) {
                return make_error("modifier '" + mod + "' is only valid after 're'");
            }
            m.re_flags += mod;
        } else if (mod == "cidr") {
            m.cidr = true;
        } else if (mod == "exists") {
            m.exists = true;
        } else if (mod == "fieldref") {
            m.fieldref = true;
        } else if (mod == "lt" || mod == "lte" || mod == "gt" || mod == "gte") {
            m.numeric = mod == "lt"    ? match_kind::num_lt
                        : mod == "lte" ? match_kind::num_lte
                        : mod == "gt"  ? match_kind::num_gt
                                       : match_kind::num_gte;
        } else if (mod == "base64" || mod == "base64offset" || mod == "windash" ||
                   mod == "utf16le" || mod == "utf16be" || mod == "utf16" || mod == "wide") {
            m.transforms.push_back(mod);
        } else if (mod == "expand") {
            return make_error(
                "modifier 'expand' needs placeholder values that sysgrok does not define");
        } else if (mod == "minute" || mod == "hour" || mod == "day" || mod == "week" ||
                   mod == "month" || mod == "year") {
            return make_error("time modifier '" + mod + "' is not supported");
        } else {
            return make_error("unknown modifier '" + raw + "'");
        }
    }
    return m;
}

result<value_group>
compile_value(std::string_view value, bool is_null, const modifier_chain& mods) {
    value_group g;
    value_pattern p;
    p.cased = mods.cased;
    if (mods.exists) {
        const std::string v = to_lower(value);
        if (v != "true" && v != "false" && v != "yes" && v != "no") {
            return make_error("exists: value must be true or false");
        }
        p.kind = match_kind::exists;
        p.exists = v == "true" || v == "yes";
        g.push_back(std::move(p));
        return g;
    }
    if (is_null) {
        p.kind = match_kind::is_null;
        g.push_back(std::move(p));
        return g;
    }
    if (mods.fieldref) {
        p.kind = match_kind::fieldref;
        p.text = std::string(value);
        g.push_back(std::move(p));
        return g;
    }
    if (mods.numeric != match_kind::exact) {
        const auto d = parse_number(value);
        if (!d) {
            return make_error("numeric modifier on a non-number: '" + std::string(value) + "'");
        }
        p.kind = mods.numeric;
        p.number = *d;
        g.push_back(std::move(p));
        return g;
    }
    if (mods.cidr) {
        auto n = parse_cidr(value);
        if (!n) {
            return n.error();
        }
        p.kind = match_kind::cidr;
        p.net = *n;
        g.push_back(std::move(p));
        return g;
    }
    if (mods.re) {
        RE2::Options opt;
        opt.set_log_errors(false);
        std::string pattern(value);
        if (!mods.re_flags.empty()) {
            pattern = "(?" + mods.re_flags + ")" + pattern;
        }
        auto re = std::make_shared<RE2>(pattern, opt);
        if (!re->ok()) {
            return make_error("regex not supported by RE2: " + re->error());
        }
        p.kind = match_kind::regex;
        p.re = std::move(re);
        p.text = std::string(value);
        g.push_back(std::move(p));
        return g;
    }
    std::vector<token_string> variants{parse_sigma_string(value)};
    for (const auto& t : mods.transforms) {
        auto r = apply_transform(t, variants);
        if (!r) {
            return r.error();
        }
        variants = std::move(*r);
    }
    for (auto& t : variants) {
        g.push_back(make_string_pattern(std::move(t), mods));
    }
    return g;
}

result<value_group> compile_keyword(std::string_view value, const modifier_chain& mods) {
    modifier_chain m = mods;
    m.contains = true;
    return compile_value(value, false, m);
}

} // namespace sysgrok::security
