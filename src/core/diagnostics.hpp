// src/core/diagnostics.hpp — what a run skipped, repaired or could not read.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sysgrok {

/// Kinds of bad input. Each is counted; the first occurrence per input is
/// printed as one line on stderr (unless quiet) and kept as an example.
enum class issue_kind : uint8_t {
    unreadable,     ///< path could not be opened or read (data lost)
    binary_file,    ///< looks binary; skipped (data lost)
    corrupt_stream, ///< truncated or corrupt .gz/.zst; the readable part was kept (data lost)
    truncated_line, ///< a line longer than the cap; its tail was dropped (data lost)
    invalid_utf8,   ///< invalid UTF-8 bytes; shown as U+FFFD (repaired, nothing lost)
    nul_bytes,      ///< NUL bytes inside a line; escaped in output (repaired)
    no_input,       ///< a glob or directory that matched no file
    empty_input,    ///< an empty file
    count_,
};

constexpr size_t k_issue_kinds = static_cast<size_t>(issue_kind::count_);

std::string_view issue_kind_name(issue_kind k);

/// Whether this kind of issue means that some input was not processed.
bool issue_loses_data(issue_kind k);

struct diagnostic {
    issue_kind kind;
    std::string path;
    uint64_t line = 0;
    std::string message; ///< one line, names the problem and a fix
};

/// Thread-safe collector of diagnostics for one run.
class diagnostics {
  public:
    explicit diagnostics(FILE* echo = stderr) : echo_(echo) {}

    void report(issue_kind kind, std::string_view path, uint64_t line, std::string message);
    /// Counts an occurrence without a new example or message (for repeats).
    void count(issue_kind kind, uint64_t n = 1);

    [[nodiscard]] uint64_t count_of(issue_kind k) const;
    [[nodiscard]] bool any_data_lost() const;
    /// First diagnostic of each kind per input (bounded).
    [[nodiscard]] std::vector<diagnostic> examples() const;
    void set_echo(FILE* f) { echo_ = f; }

  private:
    mutable std::mutex mu_;
    FILE* echo_;
    std::array<uint64_t, k_issue_kinds> counts_{};
    std::vector<diagnostic> examples_;
};

} // namespace sysgrok
