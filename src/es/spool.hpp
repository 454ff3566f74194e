// src/es/spool.hpp — a bounded on-disk queue of bulk bodies the cluster could not take.
//
// Each body is one file `<seq>.bulk` in the spool directory, written to a temporary
// name and renamed, so a crash leaves either the whole body or nothing. Files are
// replayed oldest first and deleted once the cluster acknowledged every document
// (documents carry their own ids: a replay never duplicates). The directory survives
// the process: the next run replays what is left.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sysgrok::es {

class spool {
  public:
    /// Creates the directory if needed and counts what is already there.
    static result<spool> open(std::string dir, uint64_t max_bytes);

    /// False (and nothing written) when the body would pass max_bytes, unless `force`.
    result<bool> push(std::string_view body, bool force = false);
    /// Path of the oldest file, if any.
    std::optional<std::string> oldest();
    /// Reads a spooled file.
    static result<std::string> read(const std::string& path);
    /// Deletes a replayed file.
    void remove(const std::string& path);

    [[nodiscard]] uint64_t bytes() const;
    [[nodiscard]] uint64_t files() const;
    [[nodiscard]] const std::string& dir() const { return dir_; }

    spool(spool&& o) noexcept;
    spool& operator=(spool&&) = delete;
    spool(const spool&) = delete;
    spool& operator=(const spool&) = delete;
    ~spool() = default;

  private:
    spool(std::string dir, uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {}

    std::string dir_;
    uint64_t max_bytes_;
    mutable std::mutex mu_;
    uint64_t bytes_ = 0;
    uint64_t files_ = 0;
    uint64_t next_seq_ = 0;
};

} // namespace sysgrok::es
