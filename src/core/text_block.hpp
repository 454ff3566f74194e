// src/core/text_block.hpp — an immutable block of input bytes that events point into.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace sysgrok {

/// Bytes of input with `k_padding` readable bytes after the end, so that SIMD
/// parsers (simdjson) may read past the last record. Records and events hold
/// string_views into a block; the block is kept alive by shared ownership
/// (shared_ptr is deliberate: a merged batch references blocks of several inputs).
class text_block {
  public:
    static constexpr size_t k_padding = 64;

    explicit text_block(size_t capacity)
        : data_(std::make_unique<char[]>(capacity + k_padding)), capacity_(capacity) {}

    char* data() { return data_.get(); }
    [[nodiscard]] const char* data() const { return data_.get(); }
    [[nodiscard]] size_t capacity() const { return capacity_; }
    [[nodiscard]] size_t size() const { return size_; }
    void set_size(size_t n) { size_ = n; }
    [[nodiscard]] std::string_view view() const { return {data_.get(), size_}; }

  private:
    std::unique_ptr<char[]> data_;
    size_t capacity_;
    size_t size_ = 0;
};

using block_ref = std::shared_ptr<const text_block>;

} // namespace sysgrok
