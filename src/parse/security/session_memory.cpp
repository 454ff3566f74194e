#include "parse/security/session_memory.hpp"

#include <algorithm>

namespace sysgrok::parse {

void session_memory::remember(int64_t pid, std::string_view addr) {
    if (pid < 0 || addr.empty() || addr.size() > k_addr_max) {
        return;
    }
    slot* target = nullptr;
    for (auto& s : slots_) {
        if (s.pid == pid) {
            target = &s;
            break;
        }
    }
    if (target == nullptr) {
        target = &slots_[next_];
        next_ = (next_ + 1) % k_slots;
    }
    target->pid = pid;
    target->size = static_cast<uint8_t>(addr.size());
    std::copy(addr.begin(), addr.end(), target->addr.begin());
}

std::string_view session_memory::recall(int64_t pid) const {
    if (pid < 0) {
        return {};
    }
    for (const auto& s : slots_) {
        if (s.pid == pid) {
            return {s.addr.data(), s.size};
        }
    }
    return {};
}

} // namespace sysgrok::parse
