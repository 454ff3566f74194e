// src/detect/problem_classifier.hpp — the per-line problem flag: default judgement plus
// what feedback labels taught (see problem_judge.hpp and label_book.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/severity.hpp"
#include "detect/label_book.hpp"
#include "detect/problem_judge.hpp"

namespace sysgrok::detect {

class problem_classifier {
  public:
    problem_classifier() = default;
    explicit problem_classifier(label_book labels) : labels_(std::move(labels)) {}

    [[nodiscard]] bool has_labels() const { return !labels_.empty(); }
    [[nodiscard]] const label_book& labels() const { return labels_; }
    label_book& labels() { return labels_; }

    /// Learns from the label of this line, if the labels file has one (first pass).
    /// `text` is the template's text (or the message when there is no miner).
    void learn(std::string_view path,
               uint64_t line,
               uint32_t template_id,
               severity sev,
               std::string_view text);

    /// The verdict for one event. A line with its own label gets that label (and, in a
    /// single pass, teaches its template); otherwise the labels' generalisation; otherwise
    /// the default judgement.
    problem_verdict classify(severity sev,
                             std::string_view message,
                             uint32_t template_id,
                             std::string_view template_text,
                             std::string_view path,
                             uint64_t line);

  private:
    label_book labels_;
};

} // namespace sysgrok::detect
