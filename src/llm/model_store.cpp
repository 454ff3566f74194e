// src/llm/model_store.cpp — model directory and default model.
#include "llm/model_store.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace sysgrok::llm {

namespace fs = std::filesystem;

std::string data_dir() {
    if (const char* d = std::getenv("SYSGROK_DATA_DIR"); d != nullptr && *d != '\0') {
        return d;
    }
    if (const char* x = std::getenv("XDG_DATA_HOME"); x != nullptr && *x != '\0') {
        return std::string(x) + "/sysgrok";
    }
    const char* home = std::getenv("HOME");
    return std::string(home != nullptr ? home : ".") + "/.local/share/sysgrok";
}

std::string models_dir() {
    return data_dir() + "/models";
}

std::vector<std::string> installed_models() {
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(models_dir(), ec), end; !ec && it != end; it.increment(ec)) {
        const auto& p = it->path();
        if (p.extension() == ".gguf" && it->is_regular_file(ec)) {
            out.push_back(p.string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

result<std::string> default_model() {
    const auto models = installed_models();
    for (std::string_view want : k_preferred_models) {
        for (const auto& m : models) {
            if (fs::path(m).filename() == want) {
                return m;
            }
        }
    }
    if (!models.empty()) {
        return models.front();
    }
    return error{"no language model is installed", models_dir(), 0,
                 "run scripts/setup (it installs small local models there), pass --model "
                 "PATH to a GGUF file, or --llm-url for an OpenAI-compatible server"};
}

} // namespace sysgrok::llm
