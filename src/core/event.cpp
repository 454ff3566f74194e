#include "core/event.hpp"

namespace sysgrok {

std::string_view string_arena::add(std::string_view s) {
    if (s.size() > k_chunk / 4) {
        return large_.emplace_back(s);
    }
    if (chunks_.empty() || chunks_.back().size() + s.size() > k_chunk) {
        chunks_.emplace_back().reserve(k_chunk);
    }
    auto& c = chunks_.back();
    const size_t at = c.size();
    c.append(s); // stays within the reserved capacity, so earlier views stay valid
    return {c.data() + at, s.size()};
}

void string_arena::clear() {
    chunks_.clear();
    large_.clear();
}

} // namespace sysgrok
