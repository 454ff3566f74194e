// src/detect/label_book.hpp — feedback labels (`--labels FILE`) and how they generalise.
//
// The file is CSV: `line,problem` with problem 1 (a problem) or 0 (noise); a header row
// and blank lines are skipped. `line` is a 1-based line number; with several inputs it
// applies to that line of each input, or write `PATH:LINE` to name one (PATH matches
// the end of the input path).
//
// Labels generalise in three steps: to the template of the labelled line (majority of its
// labels); from there to messages of other templates that share most of their words
// (Jaccard similarity of the letter words, at least `min_similarity`); and, for noise
// only, to the level: when every labelled line of a level (e.g. all labelled "error"
// lines) is noise, unlabelled templates of that level are noise too. Labels never
// promote a whole level. Messages that none of this reaches keep the default judgement.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "core/severity.hpp"

namespace sysgrok::detect {

class label_book {
  public:
    /// Parses a labels file; an error names the file and line.
    static result<label_book> load(const std::string& path);
    /// Builds from (line, problem) pairs (tests).
    static label_book from_lines(const std::vector<std::pair<uint64_t, bool>>& lines);

    [[nodiscard]] bool empty() const {
        return by_line_.empty() && by_path_.empty() && templates_.empty();
    }
    [[nodiscard]] size_t size() const { return by_line_.size() + by_path_.size(); }

    /// The label of `line` of the input at `path`, if the file has one.
    [[nodiscard]] std::optional<bool> label_of(std::string_view path, uint64_t line) const;

    /// Records a labelled message of template `template_id` (`text`: the template's text,
    /// or the message) at level `sev`.
    void learn(uint32_t template_id, std::string_view text, severity sev, bool problem);

    /// What the labels say about a message of `template_id`, if anything: its template's
    /// labels, else those of the most similar labelled template, else "noise" when the
    /// labelled lines of its level are noise (see predict's body for the exact rule).
    [[nodiscard]] std::optional<bool>
    predict(uint32_t template_id, std::string_view text, severity sev);

    /// What the labels of one template said, kept for later runs.
    struct template_labels {
        std::string text; ///< the template's text
        severity sev = severity::none;
        uint32_t positive = 0; ///< lines labelled a problem
        uint32_t negative = 0; ///< lines labelled noise
        bool operator<(const template_labels& o) const { return text < o.text; }
    };

    /// Labels learned by an earlier run (kept in the store): messages of a template with
    /// this exact text take its majority; similar templates and the level rule follow them
    /// as they follow this run's labels.
    void remember(const template_labels& t);

    /// What this book knows per template (with labels of either kind), to keep.
    [[nodiscard]] std::vector<template_labels> learned() const;

    double min_similarity = 0.5;
    size_t max_templates = 20000; ///< labelled templates kept (bounded memory)
    uint32_t min_level_labels = 1;
    double level_agreement = 0.9;

  private:
    struct tmpl_labels {
        uint32_t pos = 0;
        uint32_t neg = 0;
        std::vector<uint64_t> words; ///< sorted hashes of the example's letter words
        std::string text;            ///< the template's text (first labelled example)
        severity sev = severity::none;
    };
    static std::optional<bool> majority(const tmpl_labels& t);

    std::unordered_map<uint64_t, bool> by_line_;
    std::vector<std::pair<std::string, std::pair<uint64_t, bool>>> by_path_;
    std::unordered_map<uint32_t, tmpl_labels> templates_;
    std::unordered_map<uint64_t, std::optional<bool>> cache_; ///< (template, level) -> guess
    std::unordered_map<uint64_t, bool> by_text_; ///< remembered: hash of template text -> label
    uint32_t next_remembered_ = 0;               ///< pseudo template ids of remembered labels
    std::array<std::pair<uint32_t, uint32_t>, 9> by_level_{}; ///< (problem, noise) per level
};

/// Sorted, unique hashes of the words of `s` that contain a letter and no digit.
std::vector<uint64_t> letter_word_hashes(std::string_view s);

/// Jaccard similarity of two sorted hash sets.
double jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

} // namespace sysgrok::detect
