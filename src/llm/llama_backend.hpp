// src/llm/llama_backend.hpp — llama.cpp linked into the process.
//
// The model is loaded once per backend. Each call formats the messages with the chat
// template stored in the GGUF, reuses the KV cache for the prompt prefix it shares with
// the previous call (the system prompt and instructions stay cached), and samples greedily
// (or with a fixed seed) under an optional GBNF grammar. When sysgrok is built without
// llama.cpp every function returns an error that says how to get it.
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "llm/backend.hpp"

namespace sysgrok::llm {

struct llama_config {
    std::string model_path;
    int context_size = 2048; ///< n_ctx; 0 = the model's trained length
    int batch_size = 512;    ///< n_batch (prompt tokens per decode)
    int threads = 0;         ///< 0 = all cores
    int gpu_layers = -1;     ///< layers offloaded when built with a GPU backend; -1 = all
};

/// True when this binary was built with llama.cpp.
bool llama_available();

/// Loads the model. Errors: not built with llama.cpp, missing file, not a GGUF the
/// linked llama.cpp can load, context creation failure.
result<std::unique_ptr<backend>> open_llama(const llama_config& config);

/// Metadata of a GGUF file (architecture, parameters, quantisation, context length)
/// read through llama.cpp without loading the weights.
result<model_info> read_model_info(const std::string& path);

} // namespace sysgrok::llm
