// src/ingest/syslog_framing.hpp — splitting a syslog TCP byte stream into messages.
//
// RFC 6587: a frame that starts with a digit is octet-counted ("LEN SP MSG", LEN bytes
// follow the space); otherwise the message runs to the next LF (non-transparent framing;
// a CR before the LF and NULs around it are dropped). Each frame decides for itself, so a
// sender may mix both. Octet-counted frames longer than `max_message` are cut (the rest is
// skipped); LF-framed messages are cut at `max_message` too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace sysgrok::ingest {

class syslog_framer {
  public:
    explicit syslog_framer(size_t max_message = 64U << 10U) : max_(max_message) {}

    /// Feeds received bytes; calls `on_message` for every complete message.
    void feed(std::string_view data, const std::function<void(std::string_view)>& on_message);
    /// The connection closed: a last LF-framed message without LF is delivered.
    void finish(const std::function<void(std::string_view)>& on_message);

    [[nodiscard]] uint64_t truncated() const { return truncated_; }

  private:
    size_t max_;
    std::string pending_;
    size_t skip_ = 0;         ///< bytes of an over-long octet-counted frame still to drop
    bool discarding_ = false; ///< dropping the rest of an over-long LF-framed message
    uint64_t truncated_ = 0;
};

} // namespace sysgrok::ingest
