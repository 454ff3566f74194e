// src/explain/ask.hpp — `sysgrok ask`: questions over logs, answered from retrieved
// templates and lines with checked citations.
//
// The logs are condensed to one digest per template (count, problem count, time range, a
// few example lines). Retrieval ranks templates by the question's words (weighted by how
// rare each word is among the templates), favouring problem templates when the question
// is about failures; the time range is applied when the digests are built. The top
// templates and their examples become the evidence the model answers from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/event.hpp"
#include "explain/answer.hpp"
#include "explain/evidence.hpp"
#include "explain/explain.hpp"

namespace sysgrok::explain {

struct example_line {
    std::string where; ///< path:line
    std::string text;
    int64_t ts_ns = k_no_time;
};

struct template_digest {
    uint32_t id = 0;
    std::string text;
    uint64_t count = 0;
    uint64_t problems = 0; ///< events at warning or worse
    int64_t first_ns = k_no_time;
    int64_t last_ns = k_no_time;
    std::vector<example_line> examples; ///< the first few, problems preferred
};

class log_digest {
  public:
    static constexpr size_t k_examples = 3;

    /// Adds one event that the miner gave `template_id`.
    void add(const event& e, uint32_t template_id, const std::string& path);
    /// Sets each digest's template text (call once the miner is final).
    void finish(const mine::template_miner& miner);

    [[nodiscard]] const std::vector<template_digest>& templates() const { return list_; }
    [[nodiscard]] uint64_t events() const { return events_; }

  private:
    std::unordered_map<uint32_t, size_t> index_;
    std::vector<template_digest> list_;
    uint64_t events_ = 0;
    int64_t first_ns_ = k_no_time;
    int64_t last_ns_ = k_no_time;
    friend evidence question_evidence(const log_digest&, const std::vector<size_t>&);
};

/// Indexes into digest.templates(), best first, at most `k`.
std::vector<size_t> retrieve(std::string_view question, const log_digest& digest, size_t k);

/// Evidence from the chosen templates.
evidence question_evidence(const log_digest& digest, const std::vector<size_t>& chosen);

/// Asks the model; citations are checked against the evidence that fit the prompt.
question_answer answer_question(session& s, std::string_view question, const evidence& ev);

} // namespace sysgrok::explain
