// src/source/unique_fd.hpp — RAII owner of a POSIX file descriptor.
#pragma once

#include <utility>

#include <unistd.h>

namespace sysgrok {

class unique_fd {
  public:
    unique_fd() = default;
    explicit unique_fd(int fd) : fd_(fd) {}
    ~unique_fd() { reset(); }
    unique_fd(unique_fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    unique_fd& operator=(unique_fd&& o) noexcept {
        if (this != &o) {
            reset();
            fd_ = std::exchange(o.fd_, -1);
        }
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;

    [[nodiscard]] int get() const { return fd_; }
    [[nodiscard]] bool valid() const { return fd_ >= 0; }
    void reset() {
        if (fd_ > 2) { // never close stdin/stdout/stderr
            ::close(fd_);
        }
        fd_ = -1;
    }

  private:
    int fd_ = -1;
};

} // namespace sysgrok
