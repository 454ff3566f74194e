// src/detect/problem_classifier.cpp — default judgement combined with feedback labels.
#include "detect/problem_classifier.hpp"

namespace sysgrok::detect {

void problem_classifier::learn(std::string_view path,
                               uint64_t line,
                               uint32_t template_id,
                               severity sev,
                               std::string_view text) {
    if (labels_.empty()) {
        return;
    }
    if (const auto l = labels_.label_of(path, line)) {
        labels_.learn(template_id, text, sev, *l);
    }
}

problem_verdict problem_classifier::classify(severity sev,
                                             std::string_view message,
                                             uint32_t template_id,
                                             std::string_view template_text,
                                             std::string_view path,
                                             uint64_t line) {
    if (!labels_.empty()) {
        if (const auto l = labels_.label_of(path, line)) {
            return {*l, problem_reason::label};
        }
        if (const auto p = labels_.predict(template_id, template_text, sev)) {
            return {*p, problem_reason::label};
        }
    }
    return judge_problem(sev, message);
}

} // namespace sysgrok::detect
