// src/es/spool.cpp — spool files.
#include "es/spool.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace sysgrok::es {

namespace fs = std::filesystem;

namespace {

/// Spool file names are zero-padded sequence numbers so that names sort by age.
std::string seq_name(uint64_t seq) {
    std::string n = std::to_string(seq);
    return std::string(20 - std::min<size_t>(20, n.size()), '0') + n + ".bulk";
}

/// Only our own files: 20 digits and ".bulk" (the directory may hold other files,
/// e.g. the dead-letter file).
bool is_spool_name(std::string_view name) {
    if (name.size() != 25 || !name.ends_with(".bulk")) {
        return false;
    }
    for (size_t i = 0; i < 20; ++i) {
        if (name[i] < '0' || name[i] > '9') {
            return false;
        }
    }
    return true;
}

struct fd_closer {
    int fd;
    explicit fd_closer(int f) : fd(f) {}
    fd_closer(const fd_closer&) = delete;
    fd_closer& operator=(const fd_closer&) = delete;
    fd_closer(fd_closer&&) = delete;
    fd_closer& operator=(fd_closer&&) = delete;
    ~fd_closer() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

} // namespace

spool::spool(spool&& o) noexcept
    : dir_(std::move(o.dir_)), max_bytes_(o.max_bytes_), bytes_(o.bytes_), files_(o.files_),
      next_seq_(o.next_seq_) {}

result<spool> spool::open(std::string dir, uint64_t max_bytes) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return error{"cannot create the spool directory: " + ec.message(), dir, 0,
                     "choose another with --es-spool DIR"};
    }
    spool s(std::move(dir), max_bytes);
    for (const auto& de : fs::directory_iterator(s.dir_, ec)) {
        const std::string name = de.path().filename().string();
        if (name.ends_with(".tmp")) {
            fs::remove(de.path(), ec); // a write that a crash interrupted
            continue;
        }
        if (!is_spool_name(name)) {
            continue;
        }
        s.bytes_ += de.file_size(ec);
        ++s.files_;
        uint64_t seq = 0;
        for (char c : name) {
            if (c < '0' || c > '9') {
                break;
            }
            seq = seq * 10 + static_cast<uint64_t>(c - '0');
        }
        s.next_seq_ = std::max(s.next_seq_, seq + 1);
    }
    return s;
}

result<bool> spool::push(std::string_view body, bool force) {
    std::lock_guard lock(mu_);
    if (!force && bytes_ + body.size() > max_bytes_ && files_ > 0) {
        return false;
    }
    const std::string final_path = dir_ + "/" + seq_name(next_seq_);
    const std::string tmp = final_path + ".tmp";
    {
        fd_closer f(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        if (f.fd < 0) {
            return error{std::string("cannot write the spool: ") + std::strerror(errno), tmp, 0,
                         ""};
        }
        size_t done = 0;
        while (done < body.size()) {
            const ssize_t n = ::write(f.fd, body.data() + done, body.size() - done);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                const std::string msg = std::strerror(errno);
                ::unlink(tmp.c_str());
                return error{"cannot write the spool: " + msg, tmp, 0, "free disk space"};
            }
            done += static_cast<size_t>(n);
        }
        ::fsync(f.fd);
    }
    if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
        return error{std::string("cannot rename a spool file: ") + std::strerror(errno), tmp, 0,
                     ""};
    }
    ++next_seq_;
    bytes_ += body.size();
    ++files_;
    return true;
}

std::optional<std::string> spool::oldest() {
    std::lock_guard lock(mu_);
    if (files_ == 0) {
        return std::nullopt;
    }
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& de : fs::directory_iterator(dir_, ec)) {
        const std::string name = de.path().filename().string();
        if (is_spool_name(name)) {
            names.push_back(name);
        }
    }
    if (names.empty()) {
        files_ = 0;
        bytes_ = 0;
        return std::nullopt;
    }
    return dir_ + "/" + *std::min_element(names.begin(), names.end());
}

result<std::string> spool::read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return error{"cannot read a spool file", path, 0, ""};
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void spool::remove(const std::string& path) {
    std::lock_guard lock(mu_);
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (fs::remove(path, ec)) {
        bytes_ -= std::min<uint64_t>(bytes_, size);
        files_ -= files_ > 0 ? 1 : 0;
    }
}

uint64_t spool::bytes() const {
    std::lock_guard lock(mu_);
    return bytes_;
}

uint64_t spool::files() const {
    std::lock_guard lock(mu_);
    return files_;
}

} // namespace sysgrok::es
