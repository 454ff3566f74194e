// src/llm/audit.cpp — the audit log of prompts and responses.
#include "llm/audit.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

namespace sysgrok::llm {

result<std::unique_ptr<audit_log>> audit_log::open(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "ae");
    if (f == nullptr) {
        return error{"cannot open the audit file for writing", path, 0,
                     "check that the directory exists and is writable"};
    }
    return std::unique_ptr<audit_log>(new audit_log(f));
}

void audit_log::record(const std::string& purpose,
                       const std::string& model,
                       const std::vector<message>& messages,
                       const options& opts,
                       const result<completion>& outcome) {
    using nlohmann::json;
    json j;
    j["time"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    j["purpose"] = purpose;
    j["model"] = model;
    j["messages"] = json::array();
    for (const auto& m : messages) {
        j["messages"].push_back({{"role", m.role}, {"content", m.content}});
    }
    j["max_tokens"] = opts.max_tokens;
    j["temperature"] = opts.temperature;
    if (!opts.grammar.empty()) {
        j["grammar"] = opts.grammar;
    }
    if (outcome) {
        j["response"] = outcome->text;
        j["prompt_tokens"] = outcome->prompt_tokens;
        j["generated_tokens"] = outcome->generated_tokens;
        j["seconds"] = outcome->seconds;
    } else {
        j["error"] = outcome.error().to_string();
    }
    const std::string line = j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    std::fwrite(line.data(), 1, line.size(), f_.get());
    std::fflush(f_.get());
}

} // namespace sysgrok::llm
