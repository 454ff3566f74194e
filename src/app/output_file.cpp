#include "app/output_file.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

namespace sysgrok::app {

result<output_file> output_file::open(const std::string& path) {
    if (path.empty() || path == "-") {
        return output_file(stdout, "<stdout>", false);
    }
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
        return error{std::string("cannot write: ") + std::strerror(errno), path, 0,
                     "check the directory exists and is writable"};
    }
    return output_file(f, path, true);
}

output_file::output_file(output_file&& o) noexcept
    : f_(std::exchange(o.f_, nullptr)), path_(std::move(o.path_)), owned_(o.owned_),
      failed_(o.failed_) {}

output_file::~output_file() {
    if (f_ != nullptr && owned_) {
        std::fclose(f_);
    }
}

void output_file::write(std::string_view s) {
    if (failed_ || f_ == nullptr) {
        return;
    }
    if (std::fwrite(s.data(), 1, s.size(), f_) != s.size()) {
        failed_ = true;
    }
}

status output_file::close() {
    if (f_ == nullptr) {
        return ok();
    }
    const bool flush_failed = std::fflush(f_) != 0;
    const int err = errno;
    if (owned_) {
        std::fclose(f_);
    }
    f_ = nullptr;
    if (failed_ || flush_failed) {
        return error{std::string("write failed: ") + std::strerror(err), path_, 0, ""};
    }
    return ok();
}

} // namespace sysgrok::app
