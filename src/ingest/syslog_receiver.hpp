// src/ingest/syslog_receiver.hpp — syslog over UDP (one message per datagram) and TCP
// (octet counting or LF framing, see syslog_framing.hpp). The sender's address is kept
// with every message. TCP waits when the queue is full (the sender is slowed down);
// UDP cannot wait, so it drops and counts what does not fit.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "ingest/chunk_queue.hpp"
#include "ingest/source_table.hpp"
#include "source/unique_fd.hpp"

namespace sysgrok::ingest {

/// "udp://HOST:PORT" or "tcp://HOST:PORT" ("[::1]:514" for IPv6; port 0 = any free port).
struct listen_url {
    std::string scheme; ///< "udp" or "tcp"
    std::string host;
    uint16_t port = 0;
};
result<listen_url> parse_listen_url(std::string_view url);

/// "192.0.2.1:514", "[2001:db8::1]:514".
std::string format_peer(const void* sockaddr_storage);

struct receiver_stats {
    std::atomic<uint64_t> messages{0};
    std::atomic<uint64_t> bytes{0};
    std::atomic<uint64_t> dropped{0}; ///< UDP messages not queued (queue full)
    std::atomic<uint64_t> connections{0};
    std::atomic<uint64_t> truncated{0};
};

class syslog_receiver {
  public:
    /// Binds the socket now (errors are reported before any thread starts).
    static result<std::unique_ptr<syslog_receiver>>
    open(const listen_url& url, source_table& sources, chunk_queue& queue);
    syslog_receiver(const syslog_receiver&) = delete;
    syslog_receiver& operator=(const syslog_receiver&) = delete;
    ~syslog_receiver();

    /// Receives until `stop` is set.
    void run(const std::atomic<bool>& stop);
    /// The bound port (useful with port 0).
    [[nodiscard]] uint16_t port() const { return port_; }
    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] const receiver_stats& stats() const { return stats_; }

  private:
    syslog_receiver(unique_fd fd,
                    bool tcp,
                    std::string name,
                    uint32_t source,
                    uint16_t port,
                    chunk_queue& queue)
        : fd_(std::move(fd)), tcp_(tcp), name_(std::move(name)), source_(source), port_(port),
          queue_(queue) {}
    void run_udp(const std::atomic<bool>& stop);
    void run_tcp(const std::atomic<bool>& stop);

    unique_fd fd_;
    bool tcp_;
    std::string name_;
    uint32_t source_;
    uint16_t port_;
    chunk_queue& queue_;
    receiver_stats stats_;
};

} // namespace sysgrok::ingest
