// src/security/rule_set.cpp — linking, field accessors and the literal prefilter.
#include "security/rule_set.hpp"

#include <algorithm>
#include <functional>
#include <optional>

namespace sysgrok::security {

namespace {

using need = std::optional<std::vector<std::string>>;

/// Ranks alternative requirements: longer shortest literal first, then fewer literals.
bool better(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    auto shortest = [](const std::vector<std::string>& v) {
        size_t m = SIZE_MAX;
        for (const auto& s : v) {
            m = std::min(m, s.size());
        }
        return m;
    };
    const size_t sa = std::min<size_t>(shortest(a), 8);
    const size_t sb = std::min<size_t>(shortest(b), 8);
    return sa != sb ? sa > sb : a.size() < b.size();
}

bool string_kind(match_kind k) {
    return k == match_kind::exact || k == match_kind::prefix || k == match_kind::suffix ||
           k == match_kind::contains || k == match_kind::glob;
}

need pattern_need(const value_pattern& p) {
    if (!string_kind(p.kind) || p.prefilter.empty()) {
        return std::nullopt;
    }
    return std::vector<std::string>{p.prefilter};
}

need union_of(const std::vector<need>& parts) {
    std::vector<std::string> out;
    for (const auto& p : parts) {
        if (!p) {
            return std::nullopt;
        }
        out.insert(out.end(), p->begin(), p->end());
    }
    return out;
}

need best_of(const std::vector<need>& parts) {
    need best;
    for (const auto& p : parts) {
        if (p && (!best || better(*p, *best))) {
            best = p;
        }
    }
    return best;
}

need test_need(const field_test& t, const std::vector<field_accessor>& acc) {
    if (t.neq || (!t.keyword && acc[t.accessor].kind == accessor_kind::pid)) {
        return std::nullopt;
    }
    std::vector<need> groups;
    for (const auto& g : t.values) {
        std::vector<need> pats;
        pats.reserve(g.size());
        for (const auto& p : g) {
            pats.push_back(pattern_need(p));
        }
        groups.push_back(union_of(pats));
    }
    return t.all ? best_of(groups) : union_of(groups);
}

need selection_need(const selection& s, const std::vector<field_accessor>& acc) {
    std::vector<need> alts;
    for (const auto& alt : s.alternatives) {
        std::vector<need> tests;
        tests.reserve(alt.size());
        for (const auto& t : alt) {
            tests.push_back(test_need(t, acc));
        }
        alts.push_back(best_of(tests));
    }
    return union_of(alts);
}

need condition_need(const cond_node& n, const std::vector<need>& sel) {
    switch (n.kind) {
        case cond_node::op::ident:
            return sel[n.ident];
        case cond_node::op::not_op:
            return std::nullopt;
        case cond_node::op::and_op: {
            std::vector<need> kids;
            kids.reserve(n.kids.size());
            for (const auto& k : n.kids) {
                kids.push_back(condition_need(k, sel));
            }
            return best_of(kids);
        }
        case cond_node::op::or_op: {
            std::vector<need> kids;
            kids.reserve(n.kids.size());
            for (const auto& k : n.kids) {
                kids.push_back(condition_need(k, sel));
            }
            return union_of(kids);
        }
    }
    return std::nullopt;
}

} // namespace

uint32_t rule_set::intern_accessor(const std::string& sigma_field) {
    auto it = accessor_index_.find(sigma_field);
    if (it != accessor_index_.end()) {
        return it->second;
    }
    const auto id = static_cast<uint32_t>(accessors_.size());
    accessors_.push_back(resolve_field(sigma_field));
    accessor_index_.emplace(sigma_field, id);
    return id;
}

void rule_set::link_correlations() {
    // Name/id -> rule. Detections first; a correlation may shadow nothing.
    std::unordered_map<std::string, rule_ref> by_name;
    for (uint32_t i = 0; i < detections_.size(); ++i) {
        for (const auto* k : {&detections_[i].meta.id, &detections_[i].meta.name}) {
            if (!k->empty()) {
                by_name.emplace(*k, rule_ref{false, i});
            }
        }
    }
    for (uint32_t i = 0; i < correlations_.size(); ++i) {
        for (const auto* k : {&correlations_[i].meta.id, &correlations_[i].meta.name}) {
            if (!k->empty()) {
                by_name.emplace(*k, rule_ref{true, i});
            }
        }
    }
    std::vector<std::string> why(correlations_.size());
    for (size_t i = 0; i < correlations_.size(); ++i) {
        auto& c = correlations_[i];
        c.refs.clear();
        for (const auto& n : c.rule_names) {
            auto it = by_name.find(n);
            if (it == by_name.end()) {
                why[i] = "references unknown rule '" + n + "'";
                break;
            }
            c.refs.push_back(it->second);
        }
    }
    // Invalid if it references an invalid correlation or lies on a cycle.
    std::vector<int> state(correlations_.size(), 0); // 0 new, 1 visiting, 2 done
    std::function<bool(size_t)> valid = [&](size_t i) -> bool {
        if (state[i] == 1) {
            why[i] = "correlation chain forms a cycle";
            return false;
        }
        if (state[i] == 2) {
            return why[i].empty();
        }
        state[i] = 1;
        for (const auto& r : correlations_[i].refs) {
            if (r.correlation && !valid(r.index) && why[i].empty()) {
                why[i] =
                    "references rejected correlation '" + correlations_[r.index].meta.title + "'";
            }
        }
        state[i] = 2;
        return why[i].empty();
    };
    bool any_bad = false;
    for (size_t i = 0; i < correlations_.size(); ++i) {
        any_bad = !valid(i) || any_bad;
    }
    if (any_bad) {
        std::vector<correlation_rule> kept;
        for (size_t i = 0; i < correlations_.size(); ++i) {
            if (why[i].empty()) {
                kept.push_back(std::move(correlations_[i]));
            } else {
                const auto& m = correlations_[i].meta;
                rejected_.push_back({m.path, m.line, m.id, m.title, why[i]});
            }
        }
        correlations_ = std::move(kept);
        link_correlations(); // re-resolve indices over the kept set
        return;
    }
    detection_consumers_.assign(detections_.size(), {});
    correlation_consumers_.assign(correlations_.size(), {});
    std::vector<bool> det_generate(detections_.size(), false);
    std::vector<bool> det_used(detections_.size(), false);
    std::vector<bool> corr_generate(correlations_.size(), false);
    std::vector<bool> corr_used(correlations_.size(), false);
    for (uint32_t i = 0; i < correlations_.size(); ++i) {
        const auto& c = correlations_[i];
        for (uint32_t p = 0; p < c.refs.size(); ++p) {
            const auto& r = c.refs[p];
            if (r.correlation) {
                correlation_consumers_[r.index].push_back({i, p});
                corr_used[r.index] = true;
                corr_generate[r.index] = corr_generate[r.index] || c.generate;
            } else {
                detection_consumers_[r.index].push_back({i, p});
                det_used[r.index] = true;
                det_generate[r.index] = det_generate[r.index] || c.generate;
            }
        }
    }
    for (size_t i = 0; i < detections_.size(); ++i) {
        detections_[i].standalone = !det_used[i] || det_generate[i];
    }
    corr_standalone_.assign(correlations_.size(), true);
    for (size_t i = 0; i < correlations_.size(); ++i) {
        corr_standalone_[i] = !corr_used[i] || corr_generate[i];
    }
}

void rule_set::compile_accessors() {
    intern_accessor("event.original"); // id 0: the raw line (keywords)
    for (auto& d : detections_) {
        max_identifiers_ = std::max(max_identifiers_, d.names.size());
        for (auto& s : d.selections) {
            for (auto& alt : s.alternatives) {
                for (auto& t : alt) {
                    t.accessor = t.keyword ? 0 : intern_accessor(t.field);
                    for (auto& g : t.values) {
                        for (auto& p : g) {
                            if (p.kind == match_kind::fieldref) {
                                p.ref_accessor = intern_accessor(p.text);
                            }
                        }
                    }
                }
            }
        }
    }
    auto ref_names = [this](const rule_ref& r) -> std::pair<std::string, std::string> {
        const rule_meta& m =
            r.correlation ? correlations_[r.index].meta : detections_[r.index].meta;
        return {m.name, m.id};
    };
    for (auto& c : correlations_) {
        c.group_accessors.clear();
        for (size_t p = 0; p < c.refs.size(); ++p) {
            const auto [name, id] = ref_names(c.refs[p]);
            std::vector<uint32_t> acc;
            for (const auto& g : c.group_by) {
                std::string field = g;
                auto al = c.aliases.find(g);
                if (al != c.aliases.end()) {
                    for (const std::string* k :
                         std::initializer_list<const std::string*>{&c.rule_names[p], &name, &id}) {
                        auto f = al->second.find(*k);
                        if (f != al->second.end()) {
                            field = f->second;
                            break;
                        }
                    }
                }
                acc.push_back(intern_accessor(field));
            }
            c.group_accessors.push_back(std::move(acc));
        }
        if (!c.value_field.empty()) {
            c.value_accessor = intern_accessor(c.value_field);
        }
    }
    for (const char* e : {"source.ip", "user.name", "host.name"}) {
        entity_accessors_.emplace_back(e, intern_accessor(e));
    }
}

void rule_set::build_prefilter() {
    // The automaton is a dense table (states x byte classes); bound its size. Rules past
    // the budget are evaluated on every routed event instead.
    constexpr size_t k_max_literal_bytes = 256 * 1024;
    size_t literal_bytes = 0;
    std::vector<std::vector<uint32_t>> lits_of_rule(detections_.size());
    for (size_t i = 0; i < detections_.size(); ++i) {
        auto& d = detections_[i];
        std::vector<need> sel;
        sel.reserve(d.selections.size());
        for (const auto& s : d.selections) {
            sel.push_back(selection_need(s, accessors_));
        }
        const need n = condition_need(d.condition, sel);
        d.no_prefilter = !n || n->empty();
        if (!d.no_prefilter) {
            size_t bytes = 0;
            for (const auto& l : *n) {
                bytes += l.size();
            }
            d.no_prefilter = literal_bytes + bytes > k_max_literal_bytes;
            literal_bytes += d.no_prefilter ? 0 : bytes;
        }
        if (!d.no_prefilter) {
            d.prefilter = *n;
            std::sort(d.prefilter.begin(), d.prefilter.end());
            d.prefilter.erase(std::unique(d.prefilter.begin(), d.prefilter.end()),
                              d.prefilter.end());
            for (const auto& l : d.prefilter) {
                lits_of_rule[i].push_back(prefilter_.add(l));
            }
        }
    }
    prefilter_.build();
    rules_of_literal_.assign(prefilter_.size(), {});
    for (uint32_t i = 0; i < lits_of_rule.size(); ++i) {
        for (uint32_t l : lits_of_rule[i]) {
            rules_of_literal_[l].push_back(i);
        }
    }
}

size_t rule_set::loaded() const {
    size_t converted = 0;
    for (const auto& c : correlations_) {
        converted += c.from_v1 ? 1 : 0;
    }
    return detections_.size() + correlations_.size() - converted;
}

std::unique_ptr<rule_set> rule_set::build(loaded_rules in) {
    auto rs = std::unique_ptr<rule_set>(new rule_set());
    rs->detections_ = std::move(in.detections);
    rs->correlations_ = std::move(in.correlations);
    rs->rejected_ = std::move(in.rejected);
    rs->files_ = in.files;
    rs->link_correlations();
    rs->compile_accessors();
    rs->build_prefilter();
    return rs;
}

result<std::unique_ptr<rule_set>> rule_set::load(const std::vector<std::string>& paths) {
    loaded_rules in;
    for (const auto& p : paths) {
        if (auto st = load_rules_path(p, in); !st) {
            return st.error();
        }
    }
    return build(std::move(in));
}

} // namespace sysgrok::security
