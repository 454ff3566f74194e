// src/detect/problem_judge.hpp — is one event a problem (an error or an alert)?
//
// The default judgement uses only what any log carries:
//   - the level: critical and above, and error, are problems; an explicit info, notice
//     or debug level is trusted (not a problem) whatever the wording;
//   - the wording, for warnings and for lines without a level: failure words ("failed",
//     "error", "exception", "denied", "refused", "timeout", "panic", ...), unless negated
//     ("0 errors", "no error", "without error");
//   - the shape: a value dump ("instruction address: 0x0012", "store gathering......0",
//     "r00=0x1 r01=0x2") is the context of a problem, not a problem of its own.
// Feedback labels (label_book) override this per template and for similar messages.
#pragma once

#include <string_view>

#include "core/severity.hpp"

namespace sysgrok::detect {

/// Why an event was judged as it was (for tests and explanations).
enum class problem_reason : uint8_t {
    none,          ///< no sign of a problem
    level,         ///< error level or worse
    wording,       ///< failure words on a line without a level, or a warning
    value_dump,    ///< error level, but the line is a value dump
    trusted_level, ///< explicit info/notice/debug level
    label,         ///< feedback label for the template or a similar message
};

struct problem_verdict {
    bool problem = false;
    problem_reason reason = problem_reason::none;
};

/// The default judgement of one message.
problem_verdict judge_problem(severity sev, std::string_view message);

/// Whether the message holds a failure word that is not negated.
bool has_failure_wording(std::string_view message);

/// Whether the message is only labels and values ("name: 0x12", "a=1 b=2", "x.....0").
bool is_value_dump(std::string_view message);

/// Severity weight of one event for error-rate detectors: 0 for non-problems.
double problem_weight(severity sev, bool problem);

} // namespace sysgrok::detect
