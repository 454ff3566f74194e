// src/security/condition.hpp — the Sigma detection condition grammar.
//
//   cond  := and_e ("or" and_e)*        and_e := not_e ("and" not_e)*
//   not_e := "not" not_e | "(" cond ")" | ("1"|"any"|"all") "of" (glob|"them") | identifier
//
// `them` and globs skip identifiers that start with `_`. `x of` expands at compile time
// into an or/and over the matching identifiers, so evaluation sees only and/or/not.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sysgrok::security {

struct cond_node {
    enum class op : uint8_t { ident, and_op, or_op, not_op };
    op kind = op::ident;
    uint32_t ident = 0; ///< index into the identifier list (for op::ident)
    std::vector<cond_node> kids;
};

/// Parses `text` against the rule's detection identifiers. Errors: unknown identifier,
/// a `x of` glob that matches nothing, syntax errors, and the legacy v1 aggregation
/// (`| count() ...`) and `near`, which are reported as unsupported.
result<cond_node> parse_condition(std::string_view text, const std::vector<std::string>& idents);

/// Evaluates `n`; `sel(i)` gives identifier i's result (called lazily).
template <class F>
bool eval_condition(const cond_node& n, F& sel) {
    switch (n.kind) {
        case cond_node::op::ident:
            return sel(n.ident);
        case cond_node::op::not_op:
            return !eval_condition(n.kids[0], sel);
        case cond_node::op::and_op:
            for (const auto& k : n.kids) {
                if (!eval_condition(k, sel)) {
                    return false;
                }
            }
            return true;
        case cond_node::op::or_op:
            for (const auto& k : n.kids) {
                if (eval_condition(k, sel)) {
                    return true;
                }
            }
            return false;
    }
    return false;
}

} // namespace sysgrok::security
