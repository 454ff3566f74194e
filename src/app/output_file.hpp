// src/app/output_file.hpp — buffered writing to stdout or a file, with error checks.
#pragma once

#include <cstdio>
#include <string>

#include "core/result.hpp"

namespace sysgrok::app {

/// Owns a FILE* (or borrows stdout for "-"); write errors (disk full, closed pipe)
/// are reported once by close().
class output_file {
  public:
    static result<output_file> open(const std::string& path);
    output_file(output_file&& o) noexcept;
    output_file& operator=(output_file&&) = delete;
    output_file(const output_file&) = delete;
    output_file& operator=(const output_file&) = delete;
    ~output_file();

    void write(std::string_view s);
    /// Flushes and closes; an error names the path.
    status close();

  private:
    output_file(FILE* f, std::string path, bool owned)
        : f_(f), path_(std::move(path)), owned_(owned) {}
    FILE* f_;
    std::string path_;
    bool owned_;
    bool failed_ = false;
};

} // namespace sysgrok::app
