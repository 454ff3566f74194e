// src/llm/backend.hpp — one interface for language-model backends.
//
// A backend turns chat messages into a completion. Two implementations: llama.cpp linked
// into the process (llama_backend.hpp) and any OpenAI-compatible HTTP server
// (http_backend.hpp). Expected failures (no model, overflow, timeout, cancellation) are
// values; nothing throws across this interface.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace sysgrok::llm {

struct message {
    std::string role; ///< "system", "user" or "assistant"
    std::string content;
};

struct options {
    int max_tokens = 256;
    float temperature = 0.0F;    ///< 0 = greedy
    float repeat_penalty = 1.0F; ///< > 1 discourages tokens generated in this answer
    uint32_t seed = 42;          ///< used when temperature > 0
    std::string grammar;         ///< GBNF; empty = unconstrained
    std::string json_schema;     ///< HTTP backends only (response_format); empty = none
    std::vector<std::string> stop;
    double timeout_s = 0; ///< wall-clock limit for the whole call; 0 = none
};

struct completion {
    std::string text;
    int prompt_tokens = 0;
    int generated_tokens = 0;
    int reused_tokens = 0; ///< prompt tokens served from the KV cache of the previous call
    double seconds = 0;
    double prompt_seconds = 0; ///< time to process the prompt (in-process backend)
    bool truncated = false;    ///< stopped at max_tokens
};

/// What is known about the model behind a backend.
struct model_info {
    std::string name;         ///< file name or the server's model id
    std::string path;         ///< GGUF path, empty for HTTP
    std::string architecture; ///< e.g. "llama", "gemma3"
    std::string description;  ///< llama.cpp's one-line description ("llama 135M Q4_1")
    std::string quantization; ///< from the description / file type
    std::string size_label;   ///< general.size_label when present
    uint64_t parameters = 0;
    uint64_t file_bytes = 0;
    int context_length = 0; ///< trained context length
    int context_size = 0;   ///< context the backend runs with (n_ctx)
};

class backend {
  public:
    backend() = default;
    virtual ~backend() = default;
    backend(const backend&) = delete;
    backend& operator=(const backend&) = delete;
    backend(backend&&) = delete;
    backend& operator=(backend&&) = delete;

    /// Runs one chat completion. Errors: prompt larger than the context, timeout,
    /// cancellation, transport or decoding failures.
    virtual result<completion> complete(const std::vector<message>& messages,
                                        const options& opts) = 0;

    /// Log-probability of each continuation right after the assistant's reply begins with
    /// `reply_prefix` (for choosing among fixed answers). Backends without access to the
    /// logits return an error, and callers fall back to generation.
    virtual result<std::vector<double>> score(const std::vector<message>& /*messages*/,
                                              const std::string& /*reply_prefix*/,
                                              const std::vector<std::string>& /*continuations*/) {
        return error{"scoring is not supported by this backend", "", 0, ""};
    }

    /// Tokens `text` takes (exact for in-process models, an estimate for HTTP).
    [[nodiscard]] virtual int count_tokens(const std::string& text) const = 0;

    [[nodiscard]] virtual const model_info& info() const = 0;

    /// When set and true, a running completion stops soon with an error; the flag must
    /// outlive the backend's use of it.
    void set_cancel_flag(const std::atomic<bool>* flag) { cancel_ = flag; }

  protected:
    [[nodiscard]] bool cancelled() const {
        return cancel_ != nullptr && cancel_->load(std::memory_order_relaxed);
    }

  private:
    const std::atomic<bool>* cancel_ = nullptr;
};

/// An estimate of tokens for backends without a tokenizer: ~4 bytes per token.
int estimate_tokens(const std::string& text);

} // namespace sysgrok::llm
