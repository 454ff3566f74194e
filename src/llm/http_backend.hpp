// src/llm/http_backend.hpp — any OpenAI-compatible chat-completions server
// (llama-server, vLLM, Ollama's /v1, hosted APIs) over libcurl.
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "llm/backend.hpp"

namespace sysgrok::llm {

struct http_config {
    std::string url;               ///< base URL, e.g. http://gpu1:8080 or http://gpu1:8080/v1
    std::string api_key;           ///< sent as "Authorization: Bearer"; empty = none
    std::string model;             ///< model id sent with each request; empty = the server's first
    double timeout_s = 120;        ///< per request
    double connect_timeout_s = 10; ///< per connection attempt
    int retries = 2;               ///< extra attempts on connection errors, 429 and 5xx
};

/// Connects (GET /v1/models) and returns the backend. Errors name the URL and say
/// whether the server could not be reached or answered with an error.
result<std::unique_ptr<backend>> open_http(const http_config& config);

/// "http://h:1/v1" for "http://h:1", "http://h:1/", "http://h:1/v1/".
std::string normalize_base_url(std::string url);

} // namespace sysgrok::llm
