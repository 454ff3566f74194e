// src/explain/explain.hpp — the model's uses: explain incidents, label templates.
//
// Every call goes through one `session`: it redacts what goes into prompts (and restores
// what comes back), keeps prompts within the model's context, records prompts and
// responses in the audit log when one is open, and counts calls and tokens. Failures
// (timeouts, overflow, unparsable answers) become an explanation with `error` set; they
// never stop the analysis.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "detect/finding.hpp"
#include "explain/answer.hpp"
#include "explain/evidence.hpp"
#include "explain/label_cache.hpp"
#include "explain/redact.hpp"
#include "llm/audit.hpp"
#include "llm/backend.hpp"
#include "mine/template_miner.hpp"

namespace sysgrok::explain {

struct llm_stats {
    uint64_t calls = 0;      ///< model calls made
    uint64_t cache_hits = 0; ///< template labels served from the cache
    uint64_t failures = 0;   ///< calls that failed or gave an unusable answer
    uint64_t prompt_tokens = 0;
    uint64_t reused_prompt_tokens = 0; ///< prompt tokens served from the KV cache
    uint64_t generated_tokens = 0;
    double seconds = 0;
    double prompt_seconds = 0; ///< part of `seconds` spent on prompts (in-process backend)
};

/// Small models loop ("1.1.1.1..."); a mild penalty on tokens already generated helps.
inline constexpr float k_repeat_penalty = 1.15F;

struct session_options {
    int answer_tokens = 128;   ///< generation budget of an explanation
    int label_tokens = 64;     ///< of a template label
    double timeout_s = 60;     ///< per call
    size_t max_incidents = 10; ///< explained per run (the highest ranked)
};

class session {
  public:
    /// `redact` and `audit` may be null (no redaction / no audit).
    session(llm::backend& backend,
            redactor* redact,
            llm::audit_log* audit,
            session_options opts = {})
        : backend_(backend), redact_(redact), audit_(audit), opts_(opts) {}

    /// One model call with audit and stats; `purpose` names it in the audit log.
    result<llm::completion>
    call(const std::string& purpose, const std::vector<llm::message>& msgs, const llm::options& o);

    /// Redacts (when a redactor is set).
    [[nodiscard]] std::string redact(const std::string& s);
    [[nodiscard]] std::string restore(const std::string& s) const;

    /// Tokens left for evidence in a prompt whose fixed part is `fixed` and whose answer
    /// takes `answer_tokens`.
    [[nodiscard]] int evidence_budget(const std::vector<llm::message>& fixed,
                                      int answer_tokens) const;

    [[nodiscard]] llm::backend& backend() { return backend_; }
    [[nodiscard]] redactor* redaction() { return redact_; }
    [[nodiscard]] const session_options& options() const { return opts_; }
    [[nodiscard]] llm_stats& stats() { return stats_; }
    /// Category scores of a template that says nothing ("<*>"), subtracted from each
    /// template's scores (calibration of the model's bias towards some labels); empty
    /// until the first scored label.
    std::vector<double>& label_prior() { return label_prior_; }
    [[nodiscard]] const llm_stats& stats() const { return stats_; }

  private:
    llm::backend& backend_;
    redactor* redact_;
    llm::audit_log* audit_;
    session_options opts_;
    llm_stats stats_;
    std::vector<double> label_prior_;
};

/// Explains the first `max_incidents` incidents (in the given rank order); the result has
/// one entry per explained incident, in order. `paths` are the input paths by index.
std::vector<explanation> explain_incidents(session& s,
                                           std::span<const detect::incident> incidents,
                                           const mine::template_miner& miner,
                                           const std::vector<std::string>& paths);

/// Explains one incident from its evidence (used by explain_incidents and the benchmarks).
explanation explain_evidence(session& s, const evidence& ev);

struct template_ref {
    uint32_t id = 0;
    std::string text;
    std::string example; ///< one line that matched it (may be empty)
};

/// Labels each template, from `store` when it holds the template's text, else with the
/// model (then stored). The category is chosen by the model's likelihood of each category
/// name, calibrated against an empty template, when the backend can score (in-process);
/// else it is generated. The description is generated under a grammar. A failed call gives
/// category "" and the error as description.
std::vector<template_label>
label_templates(session& s, std::span<const template_ref> templates, label_store& store);

/// The explanation as JSON (the `explanation` field of `analyze --json`) and as text.
std::string explanation_json(const explanation& e);
std::string explanation_text(const explanation& e, const std::string& indent);

/// `stats.llm` as JSON.
std::string stats_json(const llm_stats& st);

} // namespace sysgrok::explain
