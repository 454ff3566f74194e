// src/ingest/file_follower.hpp — follows files and globs like `tail -F`, exactly once.
//
// Files are identified by (device, inode), not by name. A followed file stays open when it
// is renamed (rotation) or deleted: the rest of it is read, and it is closed after
// `close_inactive` without growth. The name is then re-resolved, so the new file under the
// old name is read from its start. A file that shrinks below the read offset, or whose
// first bytes change, was truncated (copytruncate): the lines written between the last
// read and the copy are read from the copy when it lies beside the file (same first
// bytes, named `<name>.1`, `<name>-20260101`, ...), then the file is read from offset 0.
//
// Positions (device, inode, offset, lines, fingerprint of the first bytes) travel with
// each chunk; the analysis thread saves them once the chunk's events are written, and a
// restart passes them back here, so reading continues exactly after the last saved line,
// including the rest of a file that was rotated while sysgrok was down.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ingest/chunk_queue.hpp"
#include "ingest/source_table.hpp"
#include "source/unique_fd.hpp"

namespace sysgrok::ingest {

struct follower_options {
    std::vector<std::string> patterns; ///< files, directories, globs (`*`, `**`)
    std::chrono::milliseconds poll{50};
    std::chrono::milliseconds rescan{500}; ///< how often globs are expanded again
    std::chrono::milliseconds close_inactive{5000};
    size_t block_bytes = 1U << 20U; ///< read size (a longer line is split at this size)
    bool from_end = false; ///< files present at start without a checkpoint: skip their content
};

/// Fingerprint of a file's first bytes: "<hex xxh3>:<length>" over up to 1024 bytes.
std::string fingerprint_of(int fd, uint64_t size);
/// Whether the file's first bytes still match `fp` (computed by fingerprint_of).
bool fingerprint_matches(int fd, uint64_t size, const std::string& fp);

struct follower_stats {
    std::atomic<uint64_t> bytes{0};
    std::atomic<uint64_t> lines{0};
    std::atomic<uint64_t> files_open{0};
    std::atomic<uint64_t> lag_bytes{0}; ///< bytes written to followed files but not yet read
    std::atomic<uint64_t> rotations{0};
    std::atomic<uint64_t> truncations{0};
};

class file_follower {
  public:
    file_follower(follower_options opts,
                  source_table& sources,
                  chunk_queue& queue,
                  std::vector<file_position> checkpoints);

    /// Follows until `stop` is set; then returns (the queued chunks are the caller's).
    void run(const std::atomic<bool>& stop);
    /// One poll: rescans names when due, reads what is new. For tests; run() loops it.
    /// True when a file may have more to read right away (a read hit its budget).
    bool poll_once(bool force_rescan);

    [[nodiscard]] const follower_stats& stats() const { return stats_; }

  private:
    struct tracked {
        unique_fd fd;
        std::string name;
        uint64_t device = 0;
        uint64_t inode = 0;
        uint64_t offset = 0;
        uint64_t line = 0;
        uint64_t size = 0;
        std::string fp;
        uint32_t source = 0;
        bool orphan = false; ///< its name no longer leads to it (rotated or deleted)
        bool done = false;   ///< to be closed (an orphan that was truncated)
        std::chrono::steady_clock::time_point last_growth;
    };
    using file_key = std::pair<uint64_t, uint64_t>;

    void rescan(bool startup);
    void check_names();
    void adopt(const std::string& path, bool startup);
    void resume_rotated_checkpoints();
    tracked* track(unique_fd fd, const std::string& name, uint64_t dev, uint64_t ino);
    /// Reads up to a budget of new complete lines; returns the bytes read. `final` also
    /// takes a last line without newline (the file is being closed).
    uint64_t read_new(tracked& t, bool final, bool& more);
    void handle_truncation(tracked& t);
    void refresh_fingerprint(tracked& t);
    [[nodiscard]] std::string position_key(const tracked& t) const;
    void watch_inotify(const std::string& path);

    follower_options opts_;
    source_table& sources_;
    chunk_queue& queue_;
    std::map<file_key, file_position> checkpoints_; ///< not yet applied
    std::map<file_key, std::unique_ptr<tracked>> files_;
    std::chrono::steady_clock::time_point next_rescan_{};
    bool started_ = false;
    bool name_missing_ = false; ///< an orphan's name does not exist (yet)
    unique_fd inotify_;
    std::set<std::string> watched_dirs_;
    follower_stats stats_;
};

} // namespace sysgrok::ingest
