// src/source/byte_reader.hpp — a stream of (decompressed) bytes from one input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace sysgrok {

enum class compression : uint8_t { none, gzip, zstd };

std::string_view compression_name(compression c);

/// Reads bytes from a file, stdin or a decompressor. Not thread-safe; one per input.
class byte_reader {
  public:
    virtual ~byte_reader() = default;
    /// Reads up to `n` bytes. Returns 0 at the end. An error (read failure, truncated
    /// or corrupt compressed stream) is returned after all good bytes were delivered.
    virtual result<size_t> read(char* buf, size_t n) = 0;
    /// Bytes consumed from the underlying file (compressed size), for progress.
    [[nodiscard]] virtual uint64_t raw_bytes_read() const = 0;
    /// Whether more data may arrive slowly (pipe, terminal): framing then hands out
    /// complete lines as soon as they arrive instead of filling whole blocks.
    [[nodiscard]] virtual bool interactive() const = 0;
};

/// What open_input learned about an input.
struct input_meta {
    compression comp = compression::none;
    uint64_t file_size = 0; ///< size on disk, 0 for stdin/pipes
    int64_t mtime_ns = 0;   ///< modification time, or now for stdin/pipes
    bool regular = false;   ///< a regular file
};

/// Opens a path ("-" = stdin) and wraps it in a decompressor when its first bytes
/// are a gzip or zstd magic number (whatever the file name says).
result<std::unique_ptr<byte_reader>> open_input(const std::string& path, input_meta& meta);

/// Wraps an in-memory buffer (tests, fuzzing); compression detected the same way.
std::unique_ptr<byte_reader> open_memory(std::string data, input_meta& meta);

} // namespace sysgrok
