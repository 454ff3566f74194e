#include "source/byte_reader.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "source/unique_fd.hpp"

namespace sysgrok {

std::string_view compression_name(compression c) {
    switch (c) {
        case compression::gzip:
            return "gzip";
        case compression::zstd:
            return "zstd";
        case compression::none:
            break;
    }
    return "";
}

namespace {

/// Source of raw bytes: an fd or a memory buffer, with a small pushback for the sniffed prefix.
class raw_source {
  public:
    explicit raw_source(unique_fd fd) : fd_(std::move(fd)) {}
    explicit raw_source(std::string mem) : mem_(std::move(mem)), is_mem_(true) {}

    result<size_t> read(char* buf, size_t n) {
        if (pos_ < head_.size()) {
            const size_t k = std::min(n, head_.size() - pos_);
            std::memcpy(buf, head_.data() + pos_, k);
            pos_ += k;
            return k;
        }
        if (is_mem_) {
            const size_t k = std::min(n, mem_.size() - mem_pos_);
            std::memcpy(buf, mem_.data() + mem_pos_, k);
            mem_pos_ += k;
            total_ += k;
            return k;
        }
        for (;;) {
            const ssize_t r = ::read(fd_.get(), buf, n);
            if (r < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return error{std::string("read failed: ") + std::strerror(errno), "", 0,
                             "check the file and the device it is on"};
            }
            total_ += static_cast<uint64_t>(r);
            return static_cast<size_t>(r);
        }
    }

    /// Reads up to `n` bytes into the pushback buffer to look at them.
    result<std::string_view> peek(size_t n) {
        head_.resize(n);
        size_t got = 0;
        pos_ = n; // bypass the pushback while filling it
        while (got < n) {
            auto r = read(head_.data() + got, n - got);
            if (!r) {
                return r.error();
            }
            if (*r == 0) {
                break;
            }
            got += *r;
        }
        head_.resize(got);
        pos_ = 0;
        return std::string_view(head_);
    }

    [[nodiscard]] uint64_t total() const { return total_; }

  private:
    unique_fd fd_;
    std::string mem_;
    size_t mem_pos_ = 0;
    bool is_mem_ = false;
    std::string head_;
    size_t pos_ = 0;
    uint64_t total_ = 0;
};

class plain_reader final : public byte_reader {
  public:
    plain_reader(raw_source src, bool interactive)
        : src_(std::move(src)), interactive_(interactive) {}
    result<size_t> read(char* buf, size_t n) override { return src_.read(buf, n); }
    [[nodiscard]] uint64_t raw_bytes_read() const override { return src_.total(); }
    [[nodiscard]] bool interactive() const override { return interactive_; }

  private:
    raw_source src_;
    bool interactive_;
};

constexpr size_t k_in_chunk = 256 * 1024;

class gzip_reader final : public byte_reader {
  public:
    explicit gzip_reader(raw_source src) : src_(std::move(src)), in_(k_in_chunk) {
        std::memset(&zs_, 0, sizeof zs_);
        ok_ = inflateInit2(&zs_, 15 + 32) == Z_OK; // 32: accept gzip and zlib headers
    }
    ~gzip_reader() override { inflateEnd(&zs_); }
    gzip_reader(const gzip_reader&) = delete;
    gzip_reader& operator=(const gzip_reader&) = delete;

    result<size_t> read(char* buf, size_t n) override {
        if (!ok_) {
            return error{"cannot initialise the gzip decoder", "", 0, ""};
        }
        zs_.next_out = reinterpret_cast<Bytef*>(buf);
        zs_.avail_out = static_cast<uInt>(n);
        while (zs_.avail_out > 0) {
            if (zs_.avail_in == 0 && !eof_) {
                auto r = src_.read(in_.data(), in_.size());
                if (!r) {
                    return r.error();
                }
                if (*r == 0) {
                    eof_ = true;
                } else {
                    zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
                    zs_.avail_in = static_cast<uInt>(*r);
                }
            }
            if (zs_.avail_in == 0 && eof_) {
                break;
            }
            const int rc = inflate(&zs_, Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                in_member_ = false;
                // Concatenated gzip members: continue with the next one.
                if (inflateReset(&zs_) != Z_OK) {
                    failed_ = true;
                    break;
                }
                continue;
            }
            in_member_ = true;
            if (rc == Z_BUF_ERROR) {
                continue; // needs more input
            }
            if (rc != Z_OK) {
                failed_ = true;
                msg_ = zs_.msg != nullptr ? zs_.msg : "corrupt data";
                break;
            }
        }
        const size_t produced = n - zs_.avail_out;
        if (produced > 0) {
            return produced;
        }
        if (failed_) {
            return error{"corrupt gzip stream (" + msg_ + "); the data before it was kept", "", 0,
                         "re-copy or re-compress the file"};
        }
        if (eof_ && in_member_) {
            in_member_ = false;
            return error{"truncated gzip stream; the data before the cut was kept", "", 0,
                         "the file may still be being written, or was cut short"};
        }
        return size_t{0};
    }
    [[nodiscard]] uint64_t raw_bytes_read() const override { return src_.total(); }
    [[nodiscard]] bool interactive() const override { return false; }

  private:
    raw_source src_;
    std::vector<char> in_;
    z_stream zs_{};
    bool ok_ = false;
    bool eof_ = false;
    bool in_member_ = false;
    bool failed_ = false;
    std::string msg_;
};

struct zstd_dctx_deleter {
    void operator()(ZSTD_DCtx* p) const { ZSTD_freeDCtx(p); }
};

class zstd_reader final : public byte_reader {
  public:
    explicit zstd_reader(raw_source src)
        : src_(std::move(src)), ctx_(ZSTD_createDCtx()), in_(k_in_chunk) {}

    result<size_t> read(char* buf, size_t n) override {
        ZSTD_outBuffer out{buf, n, 0};
        while (out.pos < out.size) {
            if (in_pos_ == in_size_ && !eof_) {
                auto r = src_.read(in_.data(), in_.size());
                if (!r) {
                    return r.error();
                }
                in_pos_ = 0;
                in_size_ = *r;
                eof_ = *r == 0;
            }
            if (in_pos_ == in_size_ && eof_) {
                break;
            }
            ZSTD_inBuffer in{in_.data(), in_size_, in_pos_};
            const size_t rc = ZSTD_decompressStream(ctx_.get(), &out, &in);
            in_pos_ = in.pos;
            if (ZSTD_isError(rc) != 0U) {
                failed_ = true;
                msg_ = ZSTD_getErrorName(rc);
                break;
            }
            pending_ = rc != 0;
            if (out.pos == 0 && in.pos == in.size && eof_) {
                break;
            }
        }
        if (out.pos > 0) {
            return out.pos;
        }
        if (failed_) {
            failed_ = false;
            eof_ = true;
            in_pos_ = in_size_;
            return error{"corrupt zstd stream (" + msg_ + "); the data before it was kept", "", 0,
                         "re-copy or re-compress the file"};
        }
        if (eof_ && pending_) {
            pending_ = false;
            return error{"truncated zstd stream; the data before the cut was kept", "", 0,
                         "the file may still be being written, or was cut short"};
        }
        return size_t{0};
    }
    [[nodiscard]] uint64_t raw_bytes_read() const override { return src_.total(); }
    [[nodiscard]] bool interactive() const override { return false; }

  private:
    raw_source src_;
    std::unique_ptr<ZSTD_DCtx, zstd_dctx_deleter> ctx_;
    std::vector<char> in_;
    size_t in_pos_ = 0;
    size_t in_size_ = 0;
    bool eof_ = false;
    bool pending_ = false;
    bool failed_ = false;
    std::string msg_;
};

compression sniff(std::string_view head) {
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
        static_cast<unsigned char>(head[1]) == 0x8b) {
        return compression::gzip;
    }
    if (head.size() >= 4 && head.substr(0, 4) == std::string_view("\x28\xb5\x2f\xfd", 4)) {
        return compression::zstd;
    }
    return compression::none;
}

result<std::unique_ptr<byte_reader>> wrap(raw_source src, input_meta& meta, bool interactive) {
    auto head = src.peek(4);
    if (!head) {
        return head.error();
    }
    meta.comp = sniff(*head);
    switch (meta.comp) {
        case compression::gzip:
            return std::unique_ptr<byte_reader>(std::make_unique<gzip_reader>(std::move(src)));
        case compression::zstd:
            return std::unique_ptr<byte_reader>(std::make_unique<zstd_reader>(std::move(src)));
        case compression::none:
            break;
    }
    return std::unique_ptr<byte_reader>(
        std::make_unique<plain_reader>(std::move(src), interactive));
}

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

result<std::unique_ptr<byte_reader>> open_input(const std::string& path, input_meta& meta) {
    unique_fd fd;
    if (path == "-") {
        fd = unique_fd(STDIN_FILENO);
    } else {
        fd = unique_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd.valid()) {
            const int e = errno;
            return error{std::string("cannot open: ") + std::strerror(e), path, 0,
                         e == EACCES ? "check the file's permissions" : "check the path"};
        }
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
        return error{std::string("cannot stat: ") + std::strerror(errno), path, 0, ""};
    }
    if (S_ISDIR(st.st_mode)) {
        return error{"is a directory", path, 0,
                     "directories are read recursively when given as inputs"};
    }
    meta.regular = S_ISREG(st.st_mode);
    meta.file_size = meta.regular ? static_cast<uint64_t>(st.st_size) : 0;
    meta.mtime_ns = meta.regular
                        ? static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec
                        : now_ns();
    if (meta.regular) {
        ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    auto r = wrap(raw_source(std::move(fd)), meta, !meta.regular);
    if (!r) {
        auto e = r.error();
        e.path = path;
        return e;
    }
    return r;
}

std::unique_ptr<byte_reader> open_memory(std::string data, input_meta& meta) {
    meta.regular = true;
    meta.file_size = data.size();
    meta.mtime_ns = now_ns();
    auto r = wrap(raw_source(std::move(data)), meta, false);
    return std::move(r.value()); // a memory source cannot fail
}

} // namespace sysgrok
