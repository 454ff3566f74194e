// src/llm/audit.hpp — `--audit FILE`: every prompt and response, one JSON object a line.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "llm/backend.hpp"

namespace sysgrok::llm {

class audit_log {
  public:
    /// Opens `path` for appending. Errors name the path.
    static result<std::unique_ptr<audit_log>> open(const std::string& path);

    /// One line: time, purpose, model, messages, grammar, then the completion or the error.
    void record(const std::string& purpose,
                const std::string& model,
                const std::vector<message>& messages,
                const options& opts,
                const result<completion>& outcome);

  private:
    struct file_closer {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
    explicit audit_log(std::FILE* f) : f_(f) {}
    std::unique_ptr<std::FILE, file_closer> f_;
};

} // namespace sysgrok::llm
