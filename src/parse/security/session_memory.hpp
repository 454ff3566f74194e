// src/parse/security/session_memory.hpp — per-input memory of the client address of
// recent sshd processes, so lines that do not name the client ("Disconnecting: Too many
// authentication failures", "fatal: Read from socket failed") can still carry source.ip.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sysgrok::parse {

class session_memory {
  public:
    /// Remembers `addr` as the client of process `pid` (ignored when pid < 0).
    void remember(int64_t pid, std::string_view addr);
    /// The client remembered for `pid`, empty if none. Valid until the next remember().
    [[nodiscard]] std::string_view recall(int64_t pid) const;

  private:
    static constexpr size_t k_slots = 32;
    static constexpr size_t k_addr_max = 63;
    struct slot {
        int64_t pid = -1;
        uint8_t size = 0;
        std::array<char, k_addr_max> addr{};
    };
    std::array<slot, k_slots> slots_{};
    size_t next_ = 0;
};

} // namespace sysgrok::parse
