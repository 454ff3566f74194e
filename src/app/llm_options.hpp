// src/app/llm_options.hpp — the language-model options shared by `ask`, `models` and
// (when wired) `analyze`, and opening the backend they describe.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "core/result.hpp"
#include "explain/explain.hpp"
#include "explain/redact.hpp"
#include "llm/audit.hpp"
#include "llm/backend.hpp"

namespace sysgrok::app {

struct llm_cli_options {
    std::string model;        ///< --model PATH (GGUF)
    std::string url;          ///< --llm-url
    std::string api_key;      ///< --llm-api-key, else $SYSGROK_LLM_API_KEY
    std::string server_model; ///< --llm-model: model id sent to the server
    double timeout_s = 60;
    int context = 2048;
    int threads = 0;
    std::string audit;          ///< --audit FILE
    std::string redact = "all"; ///< --redact
};

/// Adds --model, --llm-url, --llm-api-key, --llm-model, --llm-timeout, --llm-context,
/// --llm-threads, --audit and --redact.
void add_llm_options(CLI::App* cmd, llm_cli_options& o);

/// Everything a run needs to call a model; members are declared in destruction order.
struct llm_runtime {
    std::unique_ptr<llm::backend> backend;
    std::unique_ptr<explain::redactor> redactor;
    std::unique_ptr<llm::audit_log> audit;
    std::unique_ptr<explain::session> session;
};

/// Opens the HTTP backend when --llm-url is given, else the local model (--model or the
/// default installed one). Errors say how to install a model or fix the option.
result<llm_runtime> open_llm(const llm_cli_options& o);

} // namespace sysgrok::app
