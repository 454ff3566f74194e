// src/security/engine.cpp — routing, prefilter, rule evaluation and correlation windows.
#include "security/engine.hpp"

#include <algorithm>

#include "security/condition.hpp"

namespace sysgrok::security {

namespace {

constexpr size_t k_max_window_entries = 100000;
constexpr int k_max_chain_depth = 16;

std::string_view type_name(correlation_type t) {
    switch (t) {
        case correlation_type::event_count:
            return "event_count";
        case correlation_type::value_count:
            return "value_count";
        case correlation_type::temporal:
            return "temporal";
        case correlation_type::temporal_ordered:
            return "temporal_ordered";
    }
    return "correlation";
}

void fill_meta(finding& f, const rule_meta& m) {
    f.rule_id = m.id;
    f.rule_name = m.name;
    f.title = m.title;
    f.level = m.level;
    f.tags = m.tags;
}

} // namespace

engine_state::engine_state(const rule_set& rules, engine_options opts)
    : rules_(rules), opts_(opts), literal_stamp_(rules.prefilter().size(), 0),
      rule_stamp_(rules.detections().size(), 0), groups_(rules.correlations().size()),
      next_sweep_(rules.correlations().size(), k_no_time) {}

const std::vector<uint32_t>& engine_state::candidates(uint32_t traits) {
    auto it = routes_.find(traits);
    if (it != routes_.end()) {
        return it->second;
    }
    std::vector<uint32_t> list;
    const auto& dets = rules_.detections();
    for (uint32_t i = 0; i < dets.size(); ++i) {
        const uint32_t need = dets[i].traits;
        if (opts_.ignore_logsource || ((need & trait_never) == 0 && (need & ~traits) == 0)) {
            list.push_back(i);
        }
    }
    return routes_.emplace(traits, std::move(list)).first->second;
}

bool engine_state::match_test(const field_test& t) {
    std::optional<std::string_view> v;
    std::string_view lower;
    bool lowered = false;
    if (t.keyword) {
        v = view_.raw();
        lower = view_.raw_lower();
        lowered = true;
    } else {
        v = view_.get(rules_.accessors()[t.accessor]);
    }
    auto pattern_matches = [&](const value_pattern& p) {
        switch (p.kind) {
            case match_kind::exists:
                return v.has_value() == p.exists;
            case match_kind::is_null:
                return !v || v->empty();
            case match_kind::fieldref: {
                if (!v) {
                    return false;
                }
                const std::string_view a = *v;
                const auto other = view_.get(rules_.accessors()[p.ref_accessor]);
                if (!other) {
                    return false;
                }
                const std::string_view b = *other;
                return p.cased ? a == b : view_.lower(a) == view_.lower(b);
            }
            default:
                if (!v) {
                    return false;
                }
                if (!lowered) {
                    lower = view_.lower(*v);
                    lowered = true;
                }
                return p.matches(*v, lower);
        }
    };
    auto group_matches = [&](const value_group& g) {
        return std::any_of(g.begin(), g.end(), pattern_matches);
    };
    const bool res = t.all ? std::all_of(t.values.begin(), t.values.end(), group_matches)
                           : std::any_of(t.values.begin(), t.values.end(), group_matches);
    return t.neq ? !res : res;
}

bool engine_state::match_rule(const detection_rule& r) {
    sel_cache_.assign(r.selections.size(), -1);
    auto sel = [&](uint32_t i) {
        if (sel_cache_[i] < 0) {
            bool any = false;
            for (const auto& alt : r.selections[i].alternatives) {
                bool all = true;
                for (const auto& t : alt) {
                    if (!match_test(t)) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    any = true;
                    break;
                }
            }
            sel_cache_[i] = any ? 1 : 0;
        }
        return sel_cache_[i] == 1;
    };
    return eval_condition(r.condition, sel);
}

evidence_line engine_state::make_evidence(int64_t ts) const {
    const event& e = view_.ev();
    evidence_line ev;
    ev.input = e.input;
    ev.line = e.line;
    ev.event_id = e.id;
    ev.ts_ns = ts;
    ev.raw = std::string(e.raw.substr(0, opts_.max_evidence_bytes));
    return ev;
}

void engine_state::add_entities(std::vector<std::pair<std::string, std::string>>& ent) {
    for (const auto& [name, acc] : rules_.entity_accessors()) {
        const bool have = std::any_of(ent.begin(), ent.end(),
                                      [&n = name](const auto& p) { return p.first == n; });
        if (have) {
            continue;
        }
        if (auto v = view_.get(rules_.accessors()[acc]); v && !v->empty()) {
            ent.emplace_back(name, std::string(*v));
        }
    }
}

void engine_state::emit_detection(const detection_rule& r, int64_t ts, std::vector<finding>& out) {
    finding f;
    fill_meta(f, r.meta);
    f.kind = "rule";
    add_entities(f.entities);
    f.evidence.push_back(make_evidence(ts));
    f.event_count = 1;
    f.first_ns = ts;
    f.last_ns = ts;
    out.push_back(std::move(f));
}

bool engine_state::check(const correlation_rule& c, double n) const {
    for (const auto& [op, v] : c.condition) {
        bool ok = false;
        switch (op) {
            case compare_op::gt:
                ok = n > v;
                break;
            case compare_op::gte:
                ok = n >= v;
                break;
            case compare_op::lt:
                ok = n < v;
                break;
            case compare_op::lte:
                ok = n <= v;
                break;
            case compare_op::eq:
                ok = n == v;
                break;
            case compare_op::neq:
                ok = n != v;
                break;
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

void engine_state::feed_correlation(const feed& f,
                                    int64_t ts,
                                    std::vector<finding>& out,
                                    int depth,
                                    const std::vector<evidence_line>* inherited) {
    if (depth > k_max_chain_depth) {
        return;
    }
    const correlation_rule& c = rules_.correlations()[f.correlation];
    const auto& accs = c.group_accessors[f.position];
    std::string key;
    std::vector<std::pair<std::string, std::string>> keys;
    for (size_t g = 0; g < accs.size(); ++g) {
        const auto v = view_.get(rules_.accessors()[accs[g]]);
        if (!v) {
            return; // events without every group-by field are not correlated
        }
        key.append(*v);
        key.push_back('\x1f');
        keys.emplace_back(c.group_by[g], std::string(*v));
    }
    auto& gm = groups_[f.correlation];
    auto it = gm.find(key);
    if (it == gm.end()) {
        if (gm.size() >= opts_.max_groups && ts >= next_sweep_[f.correlation]) {
            // Sweep expired groups, at most every 1/8 timespan (a sweep is O(groups)).
            std::erase_if(gm,
                          [&](const auto& kv) { return kv.second.last_ns < ts - c.timespan_ns; });
            next_sweep_[f.correlation] = ts + std::max<int64_t>(c.timespan_ns / 8, 1'000'000'000);
        }
        if (gm.size() >= opts_.max_groups) {
            ++stats_.groups_dropped;
            return;
        }
        it = gm.emplace(key, group_state{}).first;
        it->second.keys = std::move(keys);
        it->second.seen.assign(c.refs.size(), k_no_time);
    }
    group_state& g = it->second;
    if (g.events == 0) {
        g.first_ns = ts;
    }
    ++g.events;
    g.last_ns = ts;
    if (inherited != nullptr) {
        for (const auto& e : *inherited) {
            g.ev.push_back(e);
        }
    } else {
        g.ev.push_back(make_evidence(ts));
    }
    while (g.ev.size() > opts_.max_evidence) {
        g.ev.pop_front();
    }
    const int64_t horizon = ts - c.timespan_ns;
    bool fire = false;
    int64_t first = ts;
    uint64_t count = 0;
    switch (c.type) {
        case correlation_type::event_count:
            g.times.push_back(ts);
            while (!g.times.empty() &&
                   (g.times.front() < horizon || g.times.size() > k_max_window_entries)) {
                g.times.pop_front();
            }
            count = g.times.size();
            first = g.times.front();
            fire = check(c, static_cast<double>(count));
            break;
        case correlation_type::value_count: {
            if (auto v = view_.get(rules_.accessors()[c.value_accessor])) {
                g.values.push_back({ts, std::string(*v)});
                ++g.distinct[g.values.back().second];
            }
            while (!g.values.empty() &&
                   (g.values.front().first < horizon || g.values.size() > k_max_window_entries)) {
                auto d = g.distinct.find(g.values.front().second);
                if (d != g.distinct.end() && --d->second == 0) {
                    g.distinct.erase(d);
                }
                g.values.pop_front();
            }
            count = g.values.size();
            first = g.values.empty() ? ts : g.values.front().first;
            fire = !g.distinct.empty() && check(c, static_cast<double>(g.distinct.size()));
            break;
        }
        case correlation_type::temporal: {
            g.seen[f.position] = ts;
            size_t n = 0;
            for (int64_t s : g.seen) {
                if (s != k_no_time && s >= horizon) {
                    ++n;
                    first = std::min(first, s);
                }
            }
            count = g.events;
            fire = c.condition.empty() ? n == g.seen.size() : check(c, static_cast<double>(n));
            break;
        }
        case correlation_type::temporal_ordered: {
            const size_t p = f.position;
            if (p == 0) {
                g.seen[0] = ts;
            } else if (g.seen[p - 1] != k_no_time && g.seen[p - 1] >= horizon) {
                g.seen[p] = g.seen[p - 1];
            }
            count = g.events;
            first = g.seen[p] != k_no_time ? g.seen[p] : ts;
            fire = p + 1 == g.seen.size() && g.seen[p] != k_no_time;
            break;
        }
    }
    if (!fire || (g.quiet_until != k_no_time && ts < g.quiet_until)) {
        return;
    }
    g.quiet_until = ts + c.timespan_ns;
    finding fd;
    fill_meta(fd, c.meta);
    fd.kind = std::string(type_name(c.type));
    fd.entities = g.keys;
    add_entities(fd.entities);
    fd.evidence.assign(g.ev.begin(), g.ev.end());
    fd.event_count = count;
    fd.first_ns = first;
    fd.last_ns = ts;
    g.times.clear();
    g.values.clear();
    g.distinct.clear();
    g.seen.assign(c.refs.size(), k_no_time);
    g.ev.clear();
    g.events = 0;
    for (const auto& consumer : rules_.correlation_consumers()[f.correlation]) {
        // The chained correlation inherits the inner finding's evidence.
        feed_correlation({consumer.correlation, consumer.position}, ts, out, depth + 1,
                         &fd.evidence);
    }
    if (rules_.correlation_standalone(f.correlation)) {
        out.push_back(std::move(fd));
    }
}

void engine_state::process(const event_batch& batch, std::vector<finding>& out) {
    const auto& dets = rules_.detections();
    const auto& by_literal = rules_.rules_of_literal();
    std::vector<feed> feeds;
    for (const event& e : batch.events) {
        ++stats_.events;
        const int64_t ts = e.ts_ns != k_no_time ? e.ts_ns : last_ts_;
        last_ts_ = ts;
        const uint32_t traits = event_traits(batch, e);
        const auto& cand = candidates(traits);
        if (cand.empty()) {
            continue;
        }
        view_.reset(batch, e, traits);
        if (++gen_ == 0) {
            std::fill(literal_stamp_.begin(), literal_stamp_.end(), 0);
            std::fill(rule_stamp_.begin(), rule_stamp_.end(), 0);
            gen_ = 1;
        }
        view_.scan(rules_.prefilter(), [&](uint32_t id) {
            if (literal_stamp_[id] != gen_) {
                literal_stamp_[id] = gen_;
                for (uint32_t r : by_literal[id]) {
                    rule_stamp_[r] = gen_;
                }
            }
        });
        feeds.clear();
        for (uint32_t r : cand) {
            const detection_rule& d = dets[r];
            if (!d.no_prefilter && rule_stamp_[r] != gen_) {
                continue;
            }
            ++stats_.rule_evaluations;
            if (!match_rule(d)) {
                continue;
            }
            ++stats_.rule_matches;
            if (d.standalone) {
                emit_detection(d, ts, out);
            }
            for (const auto& c : rules_.detection_consumers()[r]) {
                feeds.push_back({c.correlation, c.position});
            }
        }
        // One event that matches several steps of an ordered correlation advances it
        // by one step only: later steps first.
        std::sort(feeds.begin(), feeds.end(), [](const feed& a, const feed& b) {
            return a.correlation != b.correlation ? a.correlation < b.correlation
                                                  : a.position > b.position;
        });
        for (const auto& f : feeds) {
            feed_correlation(f, ts, out, 0, nullptr);
        }
    }
}

} // namespace sysgrok::security
