#include "ingest/file_follower.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <thread>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diagnostics.hpp"
#include "core/hash.hpp"
#include "source/input_set.hpp"

namespace sysgrok::ingest {

namespace {

constexpr size_t k_fingerprint_bytes = 1024;
constexpr std::string_view k_full_fingerprint = ":1024"; ///< suffix once 1024 bytes are hashed
constexpr int k_blocks_per_poll = 8; ///< per file, so that one busy file cannot starve others

int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool compressed_name(std::string_view n) {
    for (const std::string_view ext : {".gz", ".zst", ".bz2", ".xz", ".zip"}) {
        if (n.ends_with(ext)) {
            return true;
        }
    }
    return false;
}

std::string dir_of(const std::string& path) {
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// The path part of a checkpoint key ("name" or "name#dev:inode").
std::string path_of_key(const std::string& key) {
    const size_t hash = key.rfind('#');
    return hash == std::string::npos ? key : key.substr(0, hash);
}

/// Reads exactly n bytes at `off` (short only at end of file).
size_t pread_full(int fd, char* buf, size_t n, uint64_t off) {
    size_t got = 0;
    while (got < n) {
        const ssize_t r = ::pread(fd, buf + got, n - got, static_cast<off_t>(off + got));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        got += static_cast<size_t>(r);
    }
    return got;
}

/// Calls fn(path, fd, stat) for each regular file in `dir` whose name starts with `prefix`.
template <class Fn>
void for_each_sibling(const std::string& dir, const std::string& prefix, Fn&& fn) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
        return;
    }
    const std::unique_ptr<DIR, int (*)(DIR*)> guard(d, &::closedir);
    while (const dirent* de = ::readdir(d)) {
        const std::string_view n(de->d_name);
        if (n == "." || n == ".." || !n.starts_with(prefix)) {
            continue;
        }
        std::string p = dir;
        if (p != "/") {
            p += '/';
        }
        p.append(n);
        unique_fd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
        struct stat st {};
        if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
            continue;
        }
        if (fn(p, std::move(fd), st)) {
            return;
        }
    }
}

} // namespace

std::string fingerprint_of(int fd, uint64_t size) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(size, k_fingerprint_bytes));
    if (n == 0) {
        return {};
    }
    std::array<char, k_fingerprint_bytes> buf{};
    const size_t got = pread_full(fd, buf.data(), n, 0);
    std::array<char, 17> hex{};
    const auto h = hash64(std::string_view(buf.data(), got));
    auto [p, ec] = std::to_chars(hex.data(), hex.data() + 16, h, 16);
    std::string out(hex.data(), p);
    out += ':';
    out += std::to_string(got);
    return out;
}

bool fingerprint_matches(int fd, uint64_t size, const std::string& fp) {
    if (fp.empty()) {
        return true;
    }
    const size_t colon = fp.rfind(':');
    if (colon == std::string::npos) {
        return false;
    }
    size_t n = 0;
    const char* b = fp.data() + colon + 1;
    if (std::from_chars(b, fp.data() + fp.size(), n).ec != std::errc{} || n > k_fingerprint_bytes ||
        size < n) {
        return false;
    }
    std::array<char, k_fingerprint_bytes> buf{};
    if (pread_full(fd, buf.data(), n, 0) != n) {
        return false;
    }
    std::array<char, 17> hex{};
    auto [p, ec] =
        std::to_chars(hex.data(), hex.data() + 16, hash64(std::string_view(buf.data(), n)), 16);
    return fp.compare(0, colon, hex.data(), static_cast<size_t>(p - hex.data())) == 0;
}

file_follower::file_follower(follower_options opts,
                             source_table& sources,
                             chunk_queue& queue,
                             std::vector<file_position> checkpoints)
    : opts_(std::move(opts)), sources_(sources), queue_(queue) {
    for (auto& cp : checkpoints) {
        const file_key k{cp.device, cp.inode};
        checkpoints_[k] = std::move(cp);
    }
}

void file_follower::run(const std::atomic<bool>& stop) {
    // inotify wakes the loop as soon as a followed file or its directory changes, so that
    // lines are read (and a truncation seen) at once; the poll interval is the fallback
    // (network file systems, missed events).
    inotify_ = unique_fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    alignas(inotify_event) std::array<char, 16384> buf{};
    bool dir_changed = false;
    while (!stop.load()) {
        if (poll_once(dir_changed)) {
            dir_changed = false;
            continue;
        }
        dir_changed = false;
        if (!inotify_.valid()) {
            std::this_thread::sleep_for(opts_.poll);
            continue;
        }
        pollfd pfd{inotify_.get(), POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(opts_.poll.count())) <= 0) {
            continue;
        }
        ssize_t n = 0;
        while ((n = ::read(inotify_.get(), buf.data(), buf.size())) > 0) {
            // A file created or moved in a watched directory: expand the patterns again.
            for (ssize_t off = 0; off < n;) {
                inotify_event ev{};
                std::memcpy(&ev, buf.data() + off, sizeof(ev));
                dir_changed = dir_changed || (ev.mask & (IN_CREATE | IN_MOVED_TO)) != 0;
                off += static_cast<ssize_t>(sizeof(inotify_event) + ev.len);
            }
        }
    }
}

void file_follower::watch_inotify(const std::string& path) {
    if (!inotify_.valid()) {
        return;
    }
    ::inotify_add_watch(inotify_.get(), path.c_str(),
                        IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF);
    const std::string dir = dir_of(path);
    if (watched_dirs_.insert(dir).second) {
        ::inotify_add_watch(inotify_.get(), dir.c_str(), IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM);
    }
}

bool file_follower::poll_once(bool force_rescan) {
    const auto now = std::chrono::steady_clock::now();
    if (!started_) {
        rescan(true);
        resume_rotated_checkpoints();
        started_ = true;
        next_rescan_ = now + opts_.rescan;
    } else {
        check_names();
        if (force_rescan || name_missing_ || now >= next_rescan_) {
            rescan(false);
            next_rescan_ = now + opts_.rescan;
        }
    }
    bool more = false;
    uint64_t lag = 0;
    for (auto it = files_.begin(); it != files_.end();) {
        tracked& t = *it->second;
        bool file_more = false;
        const uint64_t got = read_new(t, false, file_more);
        more = more || file_more;
        if (got > 0) {
            t.last_growth = now;
        }
        if (t.done) {
            it = files_.erase(it);
            continue;
        }
        if (t.orphan && got == 0 && now - t.last_growth >= opts_.close_inactive) {
            bool ignored = false;
            read_new(t, true, ignored); // a last line without newline
            it = files_.erase(it);
            continue;
        }
        lag += t.size > t.offset ? t.size - t.offset : 0;
        ++it;
    }
    stats_.files_open.store(files_.size());
    stats_.lag_bytes.store(lag);
    return more;
}

void file_follower::rescan(bool startup) {
    diagnostics quiet(nullptr);
    for (const auto& path : expand_inputs(opts_.patterns, quiet)) {
        if (path == "-" || compressed_name(path)) {
            continue;
        }
        adopt(path, startup);
    }
    // A followed name that was renamed away and not yet re-created: look again at every
    // poll so that the new file is picked up at once.
    name_missing_ = false;
    for (const auto& [key, t] : files_) {
        struct stat st {};
        name_missing_ = name_missing_ || (t->orphan && ::stat(t->name.c_str(), &st) != 0);
    }
}

void file_follower::check_names() {
    bool renamed = false;
    for (auto& [key, t] : files_) {
        if (t->orphan) {
            continue;
        }
        struct stat st {};
        if (::stat(t->name.c_str(), &st) != 0 || st.st_dev != t->device || st.st_ino != t->inode) {
            t->orphan = true; // renamed away or deleted: read the rest, then close
            t->last_growth = std::chrono::steady_clock::now();
            stats_.rotations.fetch_add(1);
            renamed = true;
        }
    }
    if (renamed) {
        rescan(false); // pick up the new file under the old name at once
        next_rescan_ = std::chrono::steady_clock::now() + opts_.rescan;
    }
}

void file_follower::adopt(const std::string& path, bool startup) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return;
    }
    const file_key key{st.st_dev, st.st_ino};
    if (auto it = files_.find(key); it != files_.end()) {
        tracked& t = *it->second;
        if (t.orphan || t.name != path) {
            t.name = path; // a rotated file that the patterns match under its new name
            t.orphan = false;
        }
        return;
    }
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid() || ::fstat(fd.get(), &st) != 0) {
        return;
    }
    bool path_known = false;
    for (const auto& [k, cp] : checkpoints_) {
        path_known = path_known || path_of_key(cp.path) == path;
    }
    tracked* t = track(std::move(fd), path, st.st_dev, st.st_ino);
    const auto size = static_cast<uint64_t>(st.st_size);
    if (auto cp = checkpoints_.find(key); cp != checkpoints_.end()) {
        if (size >= cp->second.offset &&
            fingerprint_matches(t->fd.get(), size, cp->second.fingerprint)) {
            t->offset = cp->second.offset;
            t->line = cp->second.line;
        }
        checkpoints_.erase(cp);
    } else if (startup && opts_.from_end && !path_known) {
        t->offset = size;
    }
    refresh_fingerprint(*t);
}

void file_follower::resume_rotated_checkpoints() {
    // Checkpointed files that the patterns no longer name: rotated while sysgrok was down.
    for (const auto& [key, cp] : checkpoints_) {
        if (files_.contains(key)) {
            continue;
        }
        const std::string path = path_of_key(cp.path);
        for_each_sibling(dir_of(path), base_of(path),
                         [&](const std::string& p, unique_fd fd, const struct stat& st) {
                             if (st.st_dev != key.first || st.st_ino != key.second) {
                                 return false;
                             }
                             const auto size = static_cast<uint64_t>(st.st_size);
                             if (size < cp.offset ||
                                 !fingerprint_matches(fd.get(), size, cp.fingerprint)) {
                                 return true;
                             }
                             tracked* t = track(std::move(fd), p, st.st_dev, st.st_ino);
                             t->offset = cp.offset;
                             t->line = cp.line;
                             t->orphan = true;
                             t->source = sources_.intern(path, source_kind::file);
                             refresh_fingerprint(*t);
                             return true;
                         });
    }
    checkpoints_.clear();
}

file_follower::tracked*
file_follower::track(unique_fd fd, const std::string& name, uint64_t dev, uint64_t ino) {
    auto t = std::make_unique<tracked>();
    t->fd = std::move(fd);
    t->name = name;
    t->device = dev;
    t->inode = ino;
    t->source = sources_.intern(name, source_kind::file);
    t->last_growth = std::chrono::steady_clock::now();
    watch_inotify(name);
    tracked* raw = t.get();
    files_[file_key{dev, ino}] = std::move(t);
    return raw;
}

void file_follower::refresh_fingerprint(tracked& t) {
    struct stat st {};
    if (::fstat(t.fd.get(), &st) != 0) {
        return;
    }
    t.size = static_cast<uint64_t>(st.st_size);
    t.fp = fingerprint_of(t.fd.get(), t.size);
}

std::string file_follower::position_key(const tracked& t) const {
    if (!t.orphan) {
        return t.name;
    }
    std::string key = t.name;
    key += '#';
    key += std::to_string(t.device);
    key += ':';
    key += std::to_string(t.inode);
    return key;
}

void file_follower::handle_truncation(tracked& t) {
    stats_.truncations.fetch_add(1);
    // copytruncate: the copy beside the file holds what was written since the last read.
    if (t.offset > 0) {
        for_each_sibling(dir_of(t.name), base_of(t.name),
                         [&](const std::string& p, unique_fd fd, const struct stat& st) {
                             const auto size = static_cast<uint64_t>(st.st_size);
                             if (p == t.name || files_.contains(file_key{st.st_dev, st.st_ino}) ||
                                 compressed_name(p) || size < t.offset ||
                                 !fingerprint_matches(fd.get(), size, t.fp)) {
                                 return false;
                             }
                             const uint32_t source = t.source;
                             const uint64_t off = t.offset;
                             const uint64_t line = t.line;
                             tracked* c = track(std::move(fd), p, st.st_dev, st.st_ino);
                             c->offset = off;
                             c->line = line;
                             c->orphan = true;
                             c->source = source;
                             c->size = size;
                             c->fp = fingerprint_of(c->fd.get(), size);
                             // The copy is complete: read its rest now, before the new content.
                             bool more = true;
                             while (more) {
                                 read_new(*c, true, more);
                             }
                             c->done = true;
                             return true;
                         });
    }
    t.offset = 0;
    t.line = 0;
    refresh_fingerprint(t);
}

uint64_t file_follower::read_new(tracked& t, bool final, bool& more) {
    more = false;
    struct stat st {};
    if (::fstat(t.fd.get(), &st) != 0) {
        return 0;
    }
    auto size = static_cast<uint64_t>(st.st_size);
    if (size < t.offset || (size != t.size && t.offset > 0 && !t.fp.empty() &&
                            !fingerprint_matches(t.fd.get(), size, t.fp))) {
        if (t.orphan) {
            t.done = true; // a rotated file or copy that is being reused: not ours any more
            return 0;
        }
        handle_truncation(t);
        size = t.size;
    }
    if (size != t.size || t.fp.empty()) {
        t.size = size;
        if (t.fp.empty() || !t.fp.ends_with(k_full_fingerprint)) {
            t.fp = fingerprint_of(t.fd.get(), size);
        }
    }
    uint64_t total = 0;
    for (int b = 0; b < k_blocks_per_poll && t.offset < size; ++b) {
        const size_t want =
            static_cast<size_t>(std::min<uint64_t>(opts_.block_bytes, size - t.offset));
        auto block = std::make_shared<text_block>(want + 1);
        const size_t n = pread_full(t.fd.get(), block->data(), want, t.offset);
        if (n == 0) {
            break;
        }
        const void* nl = ::memrchr(block->data(), '\n', n);
        size_t consumed = 0;
        if (nl != nullptr) {
            consumed = static_cast<size_t>(static_cast<const char*>(nl) - block->data()) + 1;
        } else if (n == opts_.block_bytes || final) {
            consumed = n; // an over-long line is split; a last line without newline is taken
            block->data()[n] = '\n';
        } else {
            break; // a partial line: wait for its newline
        }
        const size_t framed = nl != nullptr ? consumed : consumed + 1;
        block->set_size(framed);
        const auto lines =
            static_cast<uint64_t>(std::count(block->data(), block->data() + framed, '\n'));
        chunk c;
        c.source = t.source;
        c.block = std::move(block);
        c.first_line = t.line + 1;
        c.first_offset = t.offset;
        c.read_ns = wall_ns();
        t.offset += consumed;
        t.line += lines;
        c.after = file_position{position_key(t), t.device, t.inode, t.offset, t.line, t.fp};
        if (!queue_.push(std::move(c))) {
            return total; // shutting down
        }
        total += consumed;
        stats_.bytes.fetch_add(consumed);
        stats_.lines.fetch_add(lines);
        more = b + 1 == k_blocks_per_poll && t.offset < size;
    }
    return total;
}

} // namespace sysgrok::ingest
