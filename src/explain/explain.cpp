// src/explain/explain.cpp — incident explanations and template labels.
#include "explain/explain.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

#include <nlohmann/json.hpp>

namespace sysgrok::explain {

namespace {

using json = nlohmann::json;

constexpr int k_default_http_context = 4096;
constexpr int k_margin_tokens = 48; ///< chat-template tokens and rounding

constexpr const char* k_explain_system =
    "You are a senior site reliability engineer. You get compact evidence about one incident "
    "found in logs: findings of anomaly detectors, message templates (ids T<n>; <*> marks a "
    "variable part) and example log lines (ids L<n>). Explain the incident using only this "
    "evidence. Answer with one JSON object: summary (one sentence), cause (the most likely "
    "cause, naming the template), impact (what is affected), next_steps (one to three short "
    "actions), confidence "
    "(low, medium or high) and citations (the ids of the templates and lines that support "
    "the answer). Keep every field under 25 words. Never cite an id that is not in the "
    "evidence.";

constexpr const char* k_label_system =
    "You classify log message templates (<*> marks a variable part). Categories: error "
    "(something failed or is broken), security (authentication, authorization, attacks), "
    "performance (slowness, load, resource limits, timeouts), state change (start, stop, "
    "connect, disconnect, configuration change), routine (normal operation, informational). "
    "Answer with one JSON object: category and description (one short line saying what the "
    "message means).";

} // namespace

result<llm::completion> session::call(const std::string& purpose,
                                      const std::vector<llm::message>& msgs,
                                      const llm::options& o) {
    ++stats_.calls;
    auto r = backend_.complete(msgs, o);
    if (audit_ != nullptr) {
        audit_->record(purpose, backend_.info().name, msgs, o, r);
    }
    if (!r) {
        ++stats_.failures;
        return r;
    }
    stats_.prompt_tokens += static_cast<uint64_t>(r->prompt_tokens);
    stats_.reused_prompt_tokens += static_cast<uint64_t>(r->reused_tokens);
    stats_.generated_tokens += static_cast<uint64_t>(r->generated_tokens);
    stats_.seconds += r->seconds;
    stats_.prompt_seconds += r->prompt_seconds;
    return r;
}

std::string session::redact(const std::string& s) {
    return redact_ != nullptr ? redact_->redact(s) : s;
}

std::string session::restore(const std::string& s) const {
    return redact_ != nullptr ? redact_->restore(s) : s;
}

int session::evidence_budget(const std::vector<llm::message>& fixed, int answer_tokens) const {
    const int ctx =
        backend_.info().context_size > 0 ? backend_.info().context_size : k_default_http_context;
    int used = 0;
    for (const auto& m : fixed) {
        used += backend_.count_tokens(m.content) + 4;
    }
    return ctx - used - answer_tokens - k_margin_tokens;
}

explanation explain_evidence(session& s, const evidence& ev_in) {
    explanation out;
    out.model = s.backend().info().name;
    evidence ev = ev_in;
    transform_text(ev, [&s](const std::string& t) { return s.redact(t); });
    std::vector<llm::message> msgs = {{"system", k_explain_system},
                                      {"user", "Evidence:\n\nExplain this incident as JSON."}};
    const int budget = s.evidence_budget(msgs, s.options().answer_tokens);
    if (budget < 32) {
        out.error = "the model's context is too small for an explanation (raise --llm-context)";
        return out;
    }
    const auto rendered = render_evidence(
        ev, budget, [&s](const std::string& t) { return s.backend().count_tokens(t); });
    msgs[1].content = "Evidence:\n" + rendered.text + "\nExplain this incident as JSON.";
    llm::options o;
    o.max_tokens = s.options().answer_tokens;
    o.repeat_penalty = k_repeat_penalty;
    o.grammar = explanation_grammar(rendered.ids);
    o.timeout_s = s.options().timeout_s;
    auto r = s.call("explain", msgs, o);
    if (!r) {
        out.error = r.error().to_string();
        return out;
    }
    auto parsed = parse_explanation(r->text);
    if (!parsed) {
        ++s.stats().failures;
        out.error = parsed.error().message;
        return out;
    }
    explanation e = std::move(*parsed);
    e.model = out.model;
    check_citations(e, rendered.ids);
    e.summary = s.restore(e.summary);
    e.cause = s.restore(e.cause);
    e.impact = s.restore(e.impact);
    for (auto& step : e.next_steps) {
        step = s.restore(step);
    }
    return e;
}

std::vector<explanation> explain_incidents(session& s,
                                           std::span<const detect::incident> incidents,
                                           const mine::template_miner& miner,
                                           const std::vector<std::string>& paths) {
    std::vector<explanation> out;
    const size_t n = std::min(incidents.size(), s.options().max_incidents);
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const auto ev = incident_evidence(
            incidents[i], [&miner](uint32_t id) { return std::string(miner.template_text(id)); },
            paths);
        out.push_back(explain_evidence(s, ev));
    }
    return out;
}

namespace {

std::vector<llm::message> label_messages(const std::string& user) {
    // (Worked examples were tried: the small models then copy the examples' categories.)
    return {{"system", k_label_system}, {"user", user}};
}

/// The category with the highest likelihood relative to the same model's likelihood for an
/// empty template ("contextual calibration"; without it the small models answer "error"
/// for nearly everything), or "" (the grammar then lets the model generate it) when the
/// backend cannot score.
std::string choose_category(session& s, const std::vector<llm::message>& msgs) {
    const std::vector<std::string> cats(std::begin(k_categories), std::end(k_categories));
    const std::string prefix = "{\"category\": \"";
    if (s.label_prior().empty()) {
        auto prior = s.backend().score(label_messages("Template: <*>"), prefix, cats);
        if (!prior) {
            return {};
        }
        s.label_prior() = *prior;
    }
    auto sc = s.backend().score(msgs, prefix, cats);
    if (!sc || sc->size() != cats.size()) {
        return {};
    }
    size_t best = 0;
    for (size_t i = 1; i < cats.size(); ++i) {
        if ((*sc)[i] - s.label_prior()[i] > (*sc)[best] - s.label_prior()[best]) {
            best = i;
        }
    }
    return cats[best];
}

} // namespace

std::vector<template_label>
label_templates(session& s, std::span<const template_ref> templates, label_store& store) {
    std::vector<template_label> out;
    out.reserve(templates.size());
    for (const auto& t : templates) {
        const uint64_t key = label_key(t.text);
        if (auto hit = store.find(key)) {
            ++s.stats().cache_hits;
            out.push_back(*hit);
            continue;
        }
        std::string user = "Template: " + s.redact(t.text.substr(0, 600));
        if (!t.example.empty()) {
            user += "\nExample: " + s.redact(t.example.substr(0, 400));
        }
        std::vector<llm::message> msgs = label_messages(user);
        llm::options o;
        o.max_tokens = s.options().label_tokens;
        o.repeat_penalty = k_repeat_penalty;
        const auto t0 = std::chrono::steady_clock::now();
        o.grammar = label_grammar(choose_category(s, msgs));
        s.stats().seconds +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        o.timeout_s = s.options().timeout_s;
        auto r = s.call("label", msgs, o);
        if (!r) {
            out.push_back({"", r.error().to_string()});
            continue;
        }
        auto l = parse_label(r->text);
        if (!l) {
            ++s.stats().failures;
            out.push_back({"", l.error().message});
            continue;
        }
        l->description = s.restore(l->description);
        store.put(key, *l);
        out.push_back(std::move(*l));
    }
    return out;
}

std::string explanation_json(const explanation& e) {
    json j;
    if (!e.ok()) {
        j["error"] = e.error;
        j["model"] = e.model;
        return j.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    j["summary"] = e.summary;
    j["cause"] = e.cause;
    j["impact"] = e.impact;
    j["next_steps"] = e.next_steps;
    j["confidence"] = e.confidence;
    j["citations"] = e.citations;
    if (!e.invalid_citations.empty()) {
        j["invalid_citations"] = e.invalid_citations;
    }
    j["model"] = e.model;
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string explanation_text(const explanation& e, const std::string& indent) {
    std::string s;
    auto line = [&s, &indent](std::string_view label, std::string_view text) {
        s.append(indent).append(label).append(text).append("\n");
    };
    if (!e.ok()) {
        line("explanation unavailable: ", e.error);
        return s;
    }
    line("summary: ", e.summary);
    line("likely cause: ", e.cause);
    if (!e.impact.empty()) {
        line("impact: ", e.impact);
    }
    for (const auto& step : e.next_steps) {
        line("next: ", step);
    }
    std::string cited;
    for (const auto& c : e.citations) {
        cited.append(" ").append(c);
    }
    if (e.citations.empty()) {
        cited = " none cited";
    }
    if (!e.invalid_citations.empty()) {
        cited.append(" (")
            .append(std::to_string(e.invalid_citations.size()))
            .append(" invalid citations dropped)");
    }
    line("confidence: ", e.confidence + "; evidence:" + cited);
    line("model: ", e.model);
    return s;
}

std::string stats_json(const llm_stats& st) {
    json j;
    j["calls"] = st.calls;
    j["cache_hits"] = st.cache_hits;
    j["failures"] = st.failures;
    j["prompt_tokens"] = st.prompt_tokens;
    j["reused_prompt_tokens"] = st.reused_prompt_tokens;
    j["generated_tokens"] = st.generated_tokens;
    j["seconds"] = st.seconds;
    j["prompt_seconds"] = st.prompt_seconds;
    return j.dump();
}

} // namespace sysgrok::explain
