// src/explain/answer.hpp — the JSON answers the model must give: their GBNF grammars,
// parsing, and the check of every cited id against the evidence.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sysgrok::explain {

/// An incident explanation as shown to the user.
struct explanation {
    std::string summary;
    std::string cause;
    std::string impact;
    std::vector<std::string> next_steps;
    std::string confidence;                     ///< low, medium or high
    std::vector<std::string> citations;         ///< valid ids only
    std::vector<std::string> invalid_citations; ///< cited but not in the evidence (dropped)
    std::string model;
    std::string error; ///< why there is no explanation (then the fields above are empty)

    [[nodiscard]] bool ok() const { return error.empty(); }
};

/// Template categories, in the order of the grammar.
inline constexpr std::string_view k_categories[] = {"error", "security", "performance",
                                                    "state change", "routine"};

struct template_label {
    std::string category; ///< one of k_categories
    std::string description;
};

struct question_answer {
    std::string answer;
    std::vector<std::string> citations;
    std::vector<std::string> invalid_citations;
    std::string model;
    std::string error;
    [[nodiscard]] bool ok() const { return error.empty(); }
};

/// GBNF for an explanation; the citations may only be `ids` (at least one is required
/// when `ids` is not empty).
std::string explanation_grammar(const std::vector<std::string>& ids);
/// With `category` set the category is fixed and only the description is generated.
std::string label_grammar(std::string_view category = {});
std::string answer_grammar(const std::vector<std::string>& ids);

/// A JSON text cut short (by the token budget) closed after its last complete value,
/// or inside a string value that was being written: `{"a": "x", "b": "yy` gives
/// `{"a": "x", "b": "yy"}`.
std::string close_truncated_json(std::string_view text);

/// Parses the model's text (the first {...} object in it). Errors say what is missing.
result<explanation> parse_explanation(std::string_view text);
result<template_label> parse_label(std::string_view text);
result<question_answer> parse_answer(std::string_view text);

/// Keeps the citations that are in `valid_ids`, moves the others to invalid_citations,
/// and marks ids mentioned in the text fields that are not valid ("T99 [not in evidence]").
void check_citations(explanation& e, const std::vector<std::string>& valid_ids);
void check_citations(question_answer& a, const std::vector<std::string>& valid_ids);

/// Marks invalid ids ("T<n>", "L<n>") in free text.
std::string mark_invalid_ids(std::string_view text, const std::vector<std::string>& valid_ids);

} // namespace sysgrok::explain
