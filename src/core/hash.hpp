// src/core/hash.hpp — the one hash function of the project (xxHash XXH3).
#pragma once

#include <cstdint>
#include <string_view>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace sysgrok {

inline uint64_t hash64(std::string_view s, uint64_t seed = 0) {
    return XXH3_64bits_withSeed(s.data(), s.size(), seed);
}

inline uint64_t hash_combine(uint64_t a, uint64_t b) {
    return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
}

} // namespace sysgrok
