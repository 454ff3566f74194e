// src/explain/ask.cpp — retrieval and answers for `sysgrok ask`.
#include "explain/ask.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <unordered_set>

#include "core/time.hpp"

namespace sysgrok::explain {

namespace {

constexpr const char* k_ask_system =
    "You answer questions about logs. You get the log message templates that matter for the "
    "question (ids T<n>, with counts; <*> marks a variable part) and example lines (ids "
    "L<n>). Answer briefly using only this evidence; say so when it does not hold the "
    "answer. Reply with one JSON object: answer, and citations (ids of the templates and "
    "lines the answer rests on). Never cite an id that is not in the evidence.";

bool problem(severity s) {
    return s != severity::none &&
           static_cast<uint8_t>(s) <= static_cast<uint8_t>(severity::warning);
}

std::vector<std::string> words(std::string_view s) {
    static constexpr std::array<std::string_view, 40> k_stop = {
        "the",  "and",  "for",   "are",   "was",    "were", "what", "which", "who",  "why",
        "how",  "did",  "does",  "this",  "that",   "with", "from", "there", "any",  "all",
        "log",  "logs", "when",  "where", "have",   "has",  "had",  "been",  "into", "about",
        "show", "tell", "could", "would", "should", "many", "much", "they",  "them", "their"};
    std::vector<std::string> out;
    std::string w;
    auto flush = [&] {
        if (std::find(k_stop.begin(), k_stop.end(), w) != k_stop.end()) {
            w.clear();
            return;
        }
        // Light stemming, matched as a substring: "logins" finds "login", "failed" "fail".
        for (std::string_view suffix : {"ing", "ed", "s"}) {
            if (w.size() > suffix.size() + 3 && w.ends_with(suffix) && !w.ends_with("ss")) {
                w.resize(w.size() - suffix.size());
                break;
            }
        }
        if (w.size() >= 3 && std::find(out.begin(), out.end(), w) == out.end()) {
            out.push_back(w);
        }
        w.clear();
    };
    for (char c : s) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-') {
            w.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        } else {
            flush();
        }
    }
    flush();
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool about_problems(const std::vector<std::string>& q) {
    static constexpr std::array<std::string_view, 14> k_problem_words = {
        "error",   "errors",   "fail",  "failed", "failure", "failures", "wrong",
        "problem", "problems", "issue", "issues", "crash",   "broken",   "down"};
    return std::any_of(q.begin(), q.end(), [](const std::string& w) {
        return std::find(k_problem_words.begin(), k_problem_words.end(), w) !=
               k_problem_words.end();
    });
}

} // namespace

void log_digest::add(const event& e, uint32_t template_id, const std::string& path) {
    ++events_;
    auto [it, fresh] = index_.try_emplace(template_id, list_.size());
    if (fresh) {
        list_.push_back({});
        list_.back().id = template_id;
    }
    template_digest& d = list_[it->second];
    ++d.count;
    const bool bad = problem(e.sev);
    d.problems += bad ? 1 : 0;
    if (e.ts_ns != k_no_time) {
        d.first_ns = d.first_ns == k_no_time ? e.ts_ns : std::min(d.first_ns, e.ts_ns);
        d.last_ns = std::max(d.last_ns, e.ts_ns);
        first_ns_ = first_ns_ == k_no_time ? e.ts_ns : std::min(first_ns_, e.ts_ns);
        last_ns_ = std::max(last_ns_, e.ts_ns);
    }
    const bool room = d.examples.size() < k_examples;
    const bool replace_routine = !room && bad && d.problems <= k_examples;
    if (room || replace_routine) {
        example_line ex{path + ":" + std::to_string(e.line), std::string(e.raw.substr(0, 400)),
                        e.ts_ns};
        if (room) {
            d.examples.push_back(std::move(ex));
        } else {
            d.examples[d.problems - 1] = std::move(ex);
        }
    }
}

void log_digest::finish(const mine::template_miner& miner) {
    for (auto& d : list_) {
        d.text = std::string(miner.template_text(d.id));
        if (d.text.empty() && !d.examples.empty()) {
            d.text = d.examples.front().text; // evicted template: its example stands in
        }
    }
}

std::vector<size_t> retrieve(std::string_view question, const log_digest& digest, size_t k) {
    const auto& list = digest.templates();
    const auto q = words(question);
    std::vector<std::string> docs;
    docs.reserve(list.size());
    for (const auto& d : list) {
        std::string doc = lower(d.text);
        for (const auto& ex : d.examples) {
            doc += ' ' + lower(ex.text);
        }
        docs.push_back(std::move(doc));
    }
    // Inverse document frequency of each question word.
    std::vector<double> idf(q.size(), 0.0);
    for (size_t w = 0; w < q.size(); ++w) {
        size_t df = 0;
        for (const auto& doc : docs) {
            df += doc.find(q[w]) != std::string::npos ? 1 : 0;
        }
        idf[w] = df == 0
                     ? 0.0
                     : std::log(1.0 + static_cast<double>(list.size()) / static_cast<double>(df));
    }
    const bool problems_wanted = about_problems(q);
    std::vector<std::pair<double, size_t>> scored;
    for (size_t i = 0; i < list.size(); ++i) {
        double s = 0;
        for (size_t w = 0; w < q.size(); ++w) {
            s += docs[i].find(q[w]) != std::string::npos ? idf[w] : 0.0;
        }
        const auto& d = list[i];
        const double problem_share =
            d.count == 0 ? 0.0 : static_cast<double>(d.problems) / static_cast<double>(d.count);
        s += (problems_wanted ? 1.0 : 0.2) * problem_share;
        // Rare templates are a little more interesting than the bulk.
        s += 0.1 / std::log2(2.0 + static_cast<double>(d.count));
        scored.emplace_back(s, i);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<size_t> out;
    for (size_t i = 0; i < scored.size() && i < k; ++i) {
        out.push_back(scored[i].second);
    }
    return out;
}

evidence question_evidence(const log_digest& digest, const std::vector<size_t>& chosen) {
    evidence ev;
    ev.title = "Logs: " + std::to_string(digest.events()) + " events, " +
               std::to_string(digest.templates().size()) + " templates";
    if (digest.first_ns_ != k_no_time) {
        ev.title += ", from " + format_iso8601_utc(digest.first_ns_) + " to " +
                    format_iso8601_utc(digest.last_ns_);
    }
    // Templates first, then one example of each in rank order, then the others.
    for (size_t idx : chosen) {
        const auto& d = digest.templates()[idx];
        evidence_template t;
        t.id = template_cite_id(d.id);
        t.template_id = d.id;
        t.text = d.text;
        t.count = d.count;
        ev.templates.push_back(std::move(t));
        if (d.problems > 0) {
            ev.facts.push_back(template_cite_id(d.id) + ": " + std::to_string(d.problems) + " of " +
                               std::to_string(d.count) + " events at warning level or worse");
        }
    }
    for (size_t round = 0; round < log_digest::k_examples; ++round) {
        for (size_t idx : chosen) {
            const auto& d = digest.templates()[idx];
            if (round < d.examples.size()) {
                std::string id = std::to_string(ev.lines.size() + 1);
                id.insert(0, 1, 'L');
                ev.lines.push_back(
                    {std::move(id), d.examples[round].where, d.examples[round].text});
            }
        }
    }
    return ev;
}

question_answer answer_question(session& s, std::string_view question, const evidence& ev_in) {
    question_answer out;
    out.model = s.backend().info().name;
    evidence ev = ev_in;
    transform_text(ev, [&s](const std::string& t) { return s.redact(t); });
    const std::string q = s.redact(std::string(question.substr(0, 1000)));
    std::vector<llm::message> msgs = {{"system", k_ask_system},
                                      {"user", "Evidence:\n\nQuestion: " + q}};
    const int budget = s.evidence_budget(msgs, s.options().answer_tokens);
    if (budget < 32) {
        out.error = "the model's context is too small for this question (raise --llm-context)";
        return out;
    }
    const auto rendered = render_evidence(
        ev, budget, [&s](const std::string& t) { return s.backend().count_tokens(t); });
    msgs[1].content = "Evidence:\n" + rendered.text + "\nQuestion: " + q;
    llm::options o;
    o.max_tokens = s.options().answer_tokens;
    o.repeat_penalty = k_repeat_penalty;
    o.grammar = answer_grammar(rendered.ids);
    o.timeout_s = s.options().timeout_s;
    auto r = s.call("ask", msgs, o);
    if (!r) {
        out.error = r.error().to_string();
        return out;
    }
    auto a = parse_answer(r->text);
    if (!a) {
        ++s.stats().failures;
        out.error = a.error().message;
        return out;
    }
    question_answer res = std::move(*a);
    res.model = out.model;
    check_citations(res, rendered.ids);
    res.answer = s.restore(res.answer);
    return res;
}

} // namespace sysgrok::explain
