// src/llm/model_store.hpp — where models live and which one is the default.
//
// Models are GGUF files in ${XDG_DATA_HOME:-~/.local/share}/sysgrok/models (scripts/setup
// installs them there). The default is the first installed file of `k_preferred_models`
// (ordered by the quality and speed measured in bench/llm_bench.py), else any GGUF there.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sysgrok::llm {

/// Best first; see docs/LLM.md for the measurements behind the order (SmolLM2: p50 2.8 s
/// per explanation, 200 MB, BGL "error" label F1 0.19; Gemma 3 270M: 3.2 s, 420 MB, 0.02).
inline constexpr std::array<std::string_view, 2> k_preferred_models = {
    "SmolLM2-135M-Instruct.Q4_1.gguf",
    "gemma-3-270m-q4_k_m.gguf",
};

/// ${SYSGROK_DATA_DIR} if set, else ${XDG_DATA_HOME:-$HOME/.local/share}/sysgrok.
std::string data_dir();

/// data_dir()/models.
std::string models_dir();

/// GGUF files in models_dir(), sorted by name.
std::vector<std::string> installed_models();

/// The model to use when --model is not given: an error with the install hint when none
/// is installed.
result<std::string> default_model();

} // namespace sysgrok::llm
