// src/explain/answer.cpp — grammars, parsing and citation checks for model answers.
#include "explain/answer.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

namespace sysgrok::explain {

namespace {

using json = nlohmann::json;

/// A non-empty JSON string without control characters. (Bounded repetitions such as
/// ch{1,200} make llama.cpp's grammar stacks, and so every sampled token, much slower; the
/// length is bounded by the token budget instead.)
std::string string_rule(const std::string& name, int /*max*/) {
    return name + " ::= \"\\\"\" ch+ \"\\\"\"\n";
}

constexpr std::string_view k_char_rule = "ch ::= [^\"\\\\\\x00-\\x1f] | \"\\\\\" [\"\\\\/nt]\n";

std::string id_rule(const std::vector<std::string>& ids) {
    std::string r = "cid ::= ";
    for (size_t i = 0; i < ids.size(); ++i) {
        r += (i > 0 ? " | " : "") + std::string("\"\\\"") + ids[i] + "\\\"\"";
    }
    return r + "\n";
}

std::string citations_part(const std::vector<std::string>& ids, int max) {
    if (ids.empty()) {
        return "\"[]\"";
    }
    return "\"[\" cid (\", \" cid){0," + std::to_string(max - 1) + "} \"]\"";
}

result<json> first_object(std::string_view text) {
    const size_t b = text.find('{');
    if (b == std::string_view::npos) {
        return error{"the model's answer holds no JSON object", "", 0, ""};
    }
    const size_t e = text.rfind('}');
    if (e != std::string_view::npos && e > b) {
        json j = json::parse(text.substr(b, e - b + 1), nullptr, false);
        if (!j.is_discarded() && j.is_object()) {
            return j;
        }
    }
    // An answer cut by the token budget: keep what is complete.
    json j = json::parse(close_truncated_json(text.substr(b)), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return error{"the model's answer is not valid JSON", "", 0, ""};
    }
    return j;
}

std::string str(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) {
        return {};
    }
    if (it->is_string()) {
        return it->get<std::string>();
    }
    return it->dump();
}

std::vector<std::string> str_list(const json& j, const char* key) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it == j.end()) {
        return out;
    }
    if (it->is_string()) {
        out.push_back(it->get<std::string>());
        return out;
    }
    if (it->is_array()) {
        for (const auto& v : *it) {
            out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
        }
    }
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

void split_citations(std::vector<std::string>& cited,
                     std::vector<std::string>& invalid,
                     const std::vector<std::string>& valid_ids) {
    std::vector<std::string> keep;
    for (auto& c : cited) {
        std::string id;
        for (char ch : c) { // accept "[T12]", " t12 "
            if (std::isalnum(static_cast<unsigned char>(ch)) != 0) {
                id.push_back(id.empty()
                                 ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch)))
                                 : ch);
            }
        }
        if (contains(valid_ids, id)) {
            if (!contains(keep, id)) {
                keep.push_back(id);
            }
        } else if (!contains(invalid, c)) {
            invalid.push_back(c);
        }
    }
    cited = std::move(keep);
}

} // namespace

std::string close_truncated_json(std::string_view text) {
    std::vector<char> stack;
    bool in_string = false;
    bool escape = false;
    bool string_is_value = false;
    char last = 0; ///< last significant character outside strings
    size_t safe_len = 0;
    std::vector<char> safe_stack;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escape) {
                escape = false;
            } else if (c == '\\') {
                escape = true;
            } else if (c == '"') {
                in_string = false;
                last = '"';
                if (string_is_value) {
                    safe_len = i + 1;
                    safe_stack = stack;
                }
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
            string_is_value = last == ':' || (!stack.empty() && stack.back() == ']' &&
                                              (last == '[' || last == ','));
        } else if (c == '{' || c == '[') {
            stack.push_back(c == '{' ? '}' : ']');
        } else if (c == '}' || c == ']') {
            if (!stack.empty()) {
                stack.pop_back();
            }
            safe_len = i + 1;
            safe_stack = stack;
            if (stack.empty()) {
                return std::string(text.substr(0, i + 1));
            }
        }
        if (std::isspace(static_cast<unsigned char>(c)) == 0) {
            last = c;
        }
    }
    std::string out;
    if (in_string && string_is_value) {
        out = std::string(text.substr(0, text.size() - (escape ? 1 : 0)));
        out += '"';
    } else {
        out = std::string(text.substr(0, safe_len));
        stack = safe_stack;
    }
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
        out += *it;
    }
    return out;
}

std::string explanation_grammar(const std::vector<std::string>& ids) {
    std::string g =
        "root ::= \"{\\\"summary\\\": \" s200 \", \\\"cause\\\": \" s200 "
        "\", \\\"impact\\\": \" s160 \", \\\"next_steps\\\": [\" s120 (\", \" s120){0,2} "
        "\"], \\\"confidence\\\": \" conf \", \\\"citations\\\": \" " +
        citations_part(ids, 5) + " \"}\"\n";
    g += "conf ::= \"\\\"low\\\"\" | \"\\\"medium\\\"\" | \"\\\"high\\\"\"\n";
    g += string_rule("s200", 200) + string_rule("s160", 160) + string_rule("s120", 120);
    g += k_char_rule;
    if (!ids.empty()) {
        g += id_rule(ids);
    }
    return g;
}

std::string label_grammar(std::string_view category) {
    std::string g = "root ::= \"{\\\"category\\\": \\\"\" cat \"\\\", \\\"description\\\": \" "
                    "s100 \"}\"\n";
    g += "cat ::= ";
    bool first = true;
    for (std::string_view c : k_categories) {
        if (!category.empty() && c != category) {
            continue;
        }
        g += (first ? "" : " | ") + std::string("\"") + std::string(c) + "\"";
        first = false;
    }
    g += "\n" + string_rule("s100", 100) + std::string(k_char_rule);
    return g;
}

std::string answer_grammar(const std::vector<std::string>& ids) {
    std::string g = "root ::= \"{\\\"answer\\\": \" s400 \", \\\"citations\\\": \" " +
                    citations_part(ids, 6) + " \"}\"\n";
    g += string_rule("s400", 400) + std::string(k_char_rule);
    if (!ids.empty()) {
        g += id_rule(ids);
    }
    return g;
}

result<explanation> parse_explanation(std::string_view text) {
    auto j = first_object(text);
    if (!j) {
        return j.error();
    }
    explanation e;
    e.summary = str(*j, "summary");
    e.cause = str(*j, "cause");
    e.impact = str(*j, "impact");
    e.next_steps = str_list(*j, "next_steps");
    e.confidence = str(*j, "confidence");
    e.citations = str_list(*j, "citations");
    if (e.summary.empty()) {
        return error{"the model's answer has no summary", "", 0, ""};
    }
    std::transform(e.confidence.begin(), e.confidence.end(), e.confidence.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (e.confidence != "low" && e.confidence != "medium" && e.confidence != "high") {
        e.confidence = "low";
    }
    return e;
}

result<template_label> parse_label(std::string_view text) {
    auto j = first_object(text);
    if (!j) {
        return j.error();
    }
    template_label l;
    l.category = str(*j, "category");
    l.description = str(*j, "description");
    std::transform(l.category.begin(), l.category.end(), l.category.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(std::begin(k_categories), std::end(k_categories), l.category) ==
        std::end(k_categories)) {
        return error{"the model's label has an unknown category '" + l.category + "'", "", 0, ""};
    }
    return l;
}

result<question_answer> parse_answer(std::string_view text) {
    auto j = first_object(text);
    if (!j) {
        return j.error();
    }
    question_answer a;
    a.answer = str(*j, "answer");
    a.citations = str_list(*j, "citations");
    if (a.answer.empty()) {
        return error{"the model's answer is empty", "", 0, ""};
    }
    return a;
}

std::string mark_invalid_ids(std::string_view text, const std::vector<std::string>& valid_ids) {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        const bool start = (c == 'T' || c == 'L') &&
                           (i == 0 || std::isalnum(static_cast<unsigned char>(text[i - 1])) == 0) &&
                           i + 1 < text.size() &&
                           std::isdigit(static_cast<unsigned char>(text[i + 1])) != 0;
        if (!start) {
            out.push_back(c);
            ++i;
            continue;
        }
        size_t j = i + 1;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) != 0) {
            ++j;
        }
        if (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j])) != 0) {
            out.append(text.substr(i, j - i)); // "T1000x": not an id
        } else {
            const std::string id(text.substr(i, j - i));
            out += id;
            if (!contains(valid_ids, id)) {
                out += " [not in evidence]";
            }
        }
        i = j;
    }
    return out;
}

void check_citations(explanation& e, const std::vector<std::string>& valid_ids) {
    split_citations(e.citations, e.invalid_citations, valid_ids);
    e.summary = mark_invalid_ids(e.summary, valid_ids);
    e.cause = mark_invalid_ids(e.cause, valid_ids);
    e.impact = mark_invalid_ids(e.impact, valid_ids);
    for (auto& s : e.next_steps) {
        s = mark_invalid_ids(s, valid_ids);
    }
}

void check_citations(question_answer& a, const std::vector<std::string>& valid_ids) {
    split_citations(a.citations, a.invalid_citations, valid_ids);
    a.answer = mark_invalid_ids(a.answer, valid_ids);
}

} // namespace sysgrok::explain
