// src/security/condition.cpp — recursive-descent parser for Sigma conditions.
#include "security/condition.hpp"

#include <fnmatch.h>

#include "security/text_util.hpp"

namespace sysgrok::security {

namespace {

class parser {
  public:
    parser(std::string_view text, const std::vector<std::string>& idents) : idents_(idents) {
        tokenize(text);
    }

    result<cond_node> parse() {
        if (!err_.empty()) {
            return make_error(err_);
        }
        auto n = parse_or();
        if (!err_.empty()) {
            return make_error(err_);
        }
        if (pos_ < toks_.size()) {
            return make_error("condition: unexpected '" + toks_[pos_] + "'");
        }
        return n;
    }

  private:
    void tokenize(std::string_view s) {
        size_t i = 0;
        while (i < s.size()) {
            const char c = s[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++i;
            } else if (c == '(' || c == ')') {
                toks_.emplace_back(1, c);
                ++i;
            } else if (c == '|') {
                err_ = "legacy v1 aggregation ('| ...') inside a condition list is not "
                       "supported; express it as a v2 correlation rule";
                return;
            } else {
                const size_t b = i;
                while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '(' && s[i] != ')' &&
                       s[i] != '\n' && s[i] != '\r') {
                    ++i;
                }
                toks_.emplace_back(s.substr(b, i - b));
            }
        }
        for (const auto& t : toks_) {
            if (to_lower(t) == "near") {
                err_ = "legacy v1 'near' is not supported; use a temporal correlation rule";
            }
        }
    }

    [[nodiscard]] bool peek_kw(std::string_view kw) const {
        return pos_ < toks_.size() && to_lower(toks_[pos_]) == kw;
    }

    cond_node parse_or() {
        cond_node first = parse_and();
        if (!peek_kw("or")) {
            return first;
        }
        cond_node n;
        n.kind = cond_node::op::or_op;
        n.kids.push_back(std::move(first));
        while (err_.empty() && peek_kw("or")) {
            ++pos_;
            n.kids.push_back(parse_and());
        }
        return n;
    }

    cond_node parse_and() {
        cond_node first = parse_not();
        if (!peek_kw("and")) {
            return first;
        }
        cond_node n;
        n.kind = cond_node::op::and_op;
        n.kids.push_back(std::move(first));
        while (err_.empty() && peek_kw("and")) {
            ++pos_;
            n.kids.push_back(parse_not());
        }
        return n;
    }

    cond_node parse_not() {
        cond_node n;
        if (pos_ >= toks_.size()) {
            fail("condition: unexpected end");
            return n;
        }
        const std::string tok = to_lower(toks_[pos_]);
        if (tok == "not") {
            ++pos_;
            n.kind = cond_node::op::not_op;
            n.kids.push_back(parse_not());
            return n;
        }
        if (tok == "(") {
            ++pos_;
            n = parse_or();
            if (pos_ >= toks_.size() || toks_[pos_] != ")") {
                fail("condition: missing ')'");
                return n;
            }
            ++pos_;
            return n;
        }
        if ((tok == "1" || tok == "any" || tok == "all") && pos_ + 1 < toks_.size() &&
            to_lower(toks_[pos_ + 1]) == "of") {
            pos_ += 2;
            if (pos_ >= toks_.size()) {
                fail("condition: '" + tok + " of' needs a pattern or 'them'");
                return n;
            }
            return expand_of(tok == "all", toks_[pos_++]);
        }
        if (tok == "and" || tok == "or" || tok == ")" || tok == "of") {
            fail("condition: unexpected '" + toks_[pos_] + "'");
            return n;
        }
        for (size_t i = 0; i < idents_.size(); ++i) {
            if (idents_[i] == toks_[pos_]) {
                ++pos_;
                n.ident = static_cast<uint32_t>(i);
                return n;
            }
        }
        fail("condition: unknown identifier '" + toks_[pos_] + "'");
        return n;
    }

    cond_node expand_of(bool all, const std::string& pattern) {
        cond_node n;
        n.kind = all ? cond_node::op::and_op : cond_node::op::or_op;
        const bool them = to_lower(pattern) == "them";
        for (size_t i = 0; i < idents_.size(); ++i) {
            const std::string& id = idents_[i];
            if (!id.empty() && id[0] == '_') {
                continue;
            }
            if (them || fnmatch(pattern.c_str(), id.c_str(), 0) == 0) {
                cond_node k;
                k.ident = static_cast<uint32_t>(i);
                n.kids.push_back(k);
            }
        }
        if (n.kids.empty()) {
            fail("condition: '" + pattern + "' matches no detection identifier");
        }
        return n;
    }

    void fail(std::string msg) {
        if (err_.empty()) {
            err_ = std::move(msg);
        }
        pos_ = toks_.size();
    }

    const std::vector<std::string>& idents_;
    std::vector<std::string> toks_;
    size_t pos_ = 0;
    std::string err_;
};

} // namespace

result<cond_node> parse_condition(std::string_view text, const std::vector<std::string>& idents) {
    parser p(text, idents);
    return p.parse();
}

} // namespace sysgrok::security
