// src/security/value_matcher.hpp — one Sigma value with its modifiers, compiled.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace re2 {
class RE2;
}

namespace sysgrok::security {

enum class match_kind : uint8_t {
    exact,
    prefix,
    suffix,
    contains,
    glob,     ///< general wildcard pattern (`*`, `?`)
    regex,    ///< |re (RE2, unanchored search)
    cidr,     ///< |cidr (IPv4 and IPv6)
    num_lt,   ///< |lt
    num_lte,  ///< |lte
    num_gt,   ///< |gt
    num_gte,  ///< |gte
    exists,   ///< |exists: true/false
    is_null,  ///< value `null`: field absent or empty
    fieldref, ///< |fieldref: equal to another field's value
};

/// An IPv4 (as v4-mapped IPv6) or IPv6 network.
struct ip_network {
    std::array<uint8_t, 16> addr{};
    int prefix_bits = 0;
};

/// Parses an IPv4 or IPv6 address into 16 bytes (IPv4 as ::ffff:a.b.c.d).
std::optional<std::array<uint8_t, 16>> parse_ip(std::string_view s);

/// One compiled value. Patterns are stored lower-cased unless `cased`.
struct value_pattern {
    match_kind kind = match_kind::exact;
    bool cased = false;
    std::string text;                   ///< literal, or glob pattern (see glob_kinds)
    std::vector<uint8_t> glob;          ///< per char of `text` for globs: 0 literal, 1 `*`, 2 `?`
    std::shared_ptr<const re2::RE2> re; ///< shared: value_patterns are copied between variants
    ip_network net;
    double number = 0;
    bool exists = true;
    uint32_t ref_accessor = 0; ///< |fieldref: accessor of the other field (set by the rule set)
    std::string prefilter;     ///< lower-cased literal the value implies in the line; empty if none

    /// Matches a present field value; `lower` is `value` lower-cased (ASCII).
    [[nodiscard]] bool matches(std::string_view value, std::string_view lower) const;
};

/// The values of one value (after windash/base64offset expansion, OR-ed).
using value_group = std::vector<value_pattern>;

/// Parsed `field|mod1|mod2` modifier chain.
struct modifier_chain {
    bool contains = false;
    bool startswith = false;
    bool endswith = false;
    bool all = false;
    bool cased = false;
    bool neq = false;
    bool re = false;
    std::string re_flags; ///< i, m, s
    bool cidr = false;
    bool exists = false;
    bool fieldref = false;
    match_kind numeric = match_kind::exact; ///< num_* when a numeric modifier is present
    /// Value transformations in order: "base64", "base64offset", "windash",
    /// "utf16le", "utf16be", "utf16".
    std::vector<std::string> transforms;
};

/// Parses the modifiers after the field name; an error names an unknown or unsupported one.
result<modifier_chain> parse_modifiers(const std::vector<std::string>& mods);

/// Compiles one YAML scalar under `mods`. `is_null` marks a YAML null.
result<value_group> compile_value(std::string_view value, bool is_null, const modifier_chain& mods);

/// Keyword value (a plain string in a keyword list): a case-insensitive substring
/// search with wildcards on the raw line.
result<value_group> compile_keyword(std::string_view value, const modifier_chain& mods);

/// Standard base64 of `s`.
std::string base64_encode(std::string_view s);

} // namespace sysgrok::security
