// tests/unit/llm_test_util.hpp — a scripted backend for the LLM unit tests.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "llm/backend.hpp"

namespace sysgrok::llm_test {

/// Returns the queued answers in order (an error when none is left) and records the
/// prompts it got. Tokens are counted as bytes / 4.
class scripted_backend final : public llm::backend {
  public:
    explicit scripted_backend(std::deque<std::string> answers, int context = 2048)
        : answers_(std::move(answers)) {
        info_.name = "scripted";
        info_.context_size = context;
    }
    result<llm::completion> complete(const std::vector<llm::message>& messages,
                                     const llm::options& opts) override {
        prompts.push_back(messages);
        grammars.push_back(opts.grammar);
        if (answers_.empty()) {
            return error{"no scripted answer left", "", 0, ""};
        }
        llm::completion c;
        c.text = answers_.front();
        answers_.pop_front();
        c.prompt_tokens = 100;
        c.generated_tokens = 10;
        c.seconds = 0.01;
        return c;
    }
    /// Scores for `score` calls, in order; without any left, scoring is "not supported".
    std::deque<std::vector<double>> scores;
    result<std::vector<double>> score(const std::vector<llm::message>& messages,
                                      const std::string& /*reply_prefix*/,
                                      const std::vector<std::string>& /*continuations*/) override {
        if (scores.empty()) {
            return error{"scoring is not supported by this backend", "", 0, ""};
        }
        scored.push_back(messages.back().content);
        auto s = scores.front();
        scores.pop_front();
        return s;
    }
    std::vector<std::string> scored; ///< last user message of each score call

    [[nodiscard]] int count_tokens(const std::string& text) const override {
        return llm::estimate_tokens(text);
    }
    [[nodiscard]] const llm::model_info& info() const override { return info_; }

    std::vector<std::vector<llm::message>> prompts;
    std::vector<std::string> grammars;

  private:
    std::deque<std::string> answers_;
    llm::model_info info_;
};

} // namespace sysgrok::llm_test
