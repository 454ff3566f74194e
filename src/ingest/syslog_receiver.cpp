#include "ingest/syslog_receiver.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <map>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "ingest/syslog_framing.hpp"

namespace sysgrok::ingest {

namespace {

constexpr size_t k_flush_bytes = 256U << 10U;
constexpr int k_poll_ms = 20;
constexpr size_t k_max_connections = 1024;

int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

uint16_t bound_port(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
        return 0;
    }
    if (ss.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_port);
    }
    return ntohs(reinterpret_cast<const sockaddr_in*>(&ss)->sin_port);
}

void flush(chunk_builder& b, chunk_queue& q, bool wait, receiver_stats& st) {
    if (b.empty()) {
        return;
    }
    const size_t n = b.records();
    chunk c = b.take();
    const bool ok = wait ? q.push(std::move(c)) : q.try_push(std::move(c));
    if (!ok) {
        st.dropped.fetch_add(n);
    }
}

} // namespace

result<listen_url> parse_listen_url(std::string_view url) {
    listen_url u;
    const size_t sep = url.find("://");
    const error bad{"bad listen address '" + std::string(url) + "'", "", 0,
                    "use udp://HOST:PORT or tcp://HOST:PORT, e.g. udp://0.0.0.0:5514"};
    if (sep == std::string_view::npos) {
        return bad;
    }
    u.scheme = std::string(url.substr(0, sep));
    std::string_view rest = url.substr(sep + 3);
    size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == rest.size()) {
        return bad;
    }
    std::string_view host = rest.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    u.host = host.empty() ? "0.0.0.0" : std::string(host);
    const std::string_view port = rest.substr(colon + 1);
    unsigned p = 0;
    if (std::from_chars(port.data(), port.data() + port.size(), p).ptr !=
            port.data() + port.size() ||
        p > 65535) {
        return bad;
    }
    u.port = static_cast<uint16_t>(p);
    if (u.scheme != "udp" && u.scheme != "tcp" && u.scheme != "http" && u.scheme != "https") {
        return bad;
    }
    return u;
}

std::string format_peer(const void* sockaddr_storage_ptr) {
    const auto* ss = static_cast<const sockaddr_storage*>(sockaddr_storage_ptr);
    std::array<char, INET6_ADDRSTRLEN> ip{};
    if (ss->ss_family == AF_INET6) {
        const auto* a = reinterpret_cast<const sockaddr_in6*>(ss);
        ::inet_ntop(AF_INET6, &a->sin6_addr, ip.data(), ip.size());
        std::string out = "[";
        out += ip.data();
        out += "]:";
        out += std::to_string(ntohs(a->sin6_port));
        return out;
    }
    if (ss->ss_family == AF_INET) {
        const auto* a = reinterpret_cast<const sockaddr_in*>(ss);
        ::inet_ntop(AF_INET, &a->sin_addr, ip.data(), ip.size());
        std::string out = ip.data();
        out += ':';
        out += std::to_string(ntohs(a->sin_port));
        return out;
    }
    return "local";
}

result<std::unique_ptr<syslog_receiver>>
syslog_receiver::open(const listen_url& url, source_table& sources, chunk_queue& queue) {
    const bool tcp = url.scheme == "tcp";
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    const std::string port = std::to_string(url.port);
    const std::string where = url.scheme + "://" + url.host + ":" + port;
    if (const int rc = ::getaddrinfo(url.host.c_str(), port.c_str(), &hints, &res); rc != 0) {
        return error{"cannot resolve " + where + ": " + ::gai_strerror(rc), "", 0,
                     "give a numeric address such as 0.0.0.0 or 127.0.0.1"};
    }
    const std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(res, &::freeaddrinfo);
    unique_fd fd(::socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, 0));
    if (!fd.valid()) {
        return error{"cannot create a socket for " + where + ": " + std::strerror(errno), "", 0,
                     ""};
    }
    const int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (!tcp) {
        const int rcvbuf = 8 << 20; // absorbs bursts; capped by net.core.rmem_max
        ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    }
    if (::bind(fd.get(), res->ai_addr, res->ai_addrlen) != 0) {
        return error{"cannot listen on " + where + ": " + std::strerror(errno), "", 0,
                     errno == EACCES ? "ports below 1024 need root; use a port such as 5514"
                                     : "is another process using the port?"};
    }
    if (tcp && ::listen(fd.get(), 128) != 0) {
        return error{"cannot listen on " + where + ": " + std::strerror(errno), "", 0, ""};
    }
    ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK);
    const uint16_t p = bound_port(fd.get());
    std::string name = url.scheme + "://" + url.host + ":" + std::to_string(p);
    const uint32_t source = sources.intern(name, source_kind::syslog);
    return std::unique_ptr<syslog_receiver>(
        new syslog_receiver(std::move(fd), tcp, std::move(name), source, p, queue));
}

syslog_receiver::~syslog_receiver() = default;

void syslog_receiver::run(const std::atomic<bool>& stop) {
    if (tcp_) {
        run_tcp(stop);
    } else {
        run_udp(stop);
    }
}

void syslog_receiver::run_udp(const std::atomic<bool>& stop) {
    constexpr size_t k_batch = 64;
    constexpr size_t k_dgram = 64U << 10U;
    std::vector<char> buf(k_batch * k_dgram);
    std::array<mmsghdr, k_batch> msgs{};
    std::array<iovec, k_batch> iov{};
    std::array<sockaddr_storage, k_batch> from{};
    chunk_builder builder(source_);
    sockaddr_storage last_peer{};
    std::string last_peer_text;
    while (!stop.load()) {
        pollfd pfd{fd_.get(), POLLIN, 0};
        const int pr = ::poll(&pfd, 1, k_poll_ms);
        if (pr <= 0) {
            flush(builder, queue_, false, stats_);
            continue;
        }
        while (true) {
            for (size_t i = 0; i < k_batch; ++i) {
                iov[i] = {buf.data() + i * k_dgram, k_dgram};
                msgs[i] = {};
                msgs[i].msg_hdr.msg_iov = &iov[i];
                msgs[i].msg_hdr.msg_iovlen = 1;
                msgs[i].msg_hdr.msg_name = &from[i];
                msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
            }
            const int n = ::recvmmsg(fd_.get(), msgs.data(), k_batch, MSG_DONTWAIT, nullptr);
            if (n <= 0) {
                break;
            }
            const int64_t now = wall_ns();
            for (int i = 0; i < n; ++i) {
                const auto idx = static_cast<size_t>(i);
                std::string_view m(buf.data() + idx * k_dgram, msgs[idx].msg_len);
                while (!m.empty() && (m.back() == '\n' || m.back() == '\r' || m.back() == '\0')) {
                    m.remove_suffix(1);
                }
                if (m.empty()) {
                    continue;
                }
                if (std::memcmp(&from[idx], &last_peer, msgs[idx].msg_hdr.msg_namelen) != 0 ||
                    last_peer_text.empty()) {
                    last_peer = from[idx];
                    last_peer_text = format_peer(&from[idx]);
                }
                builder.add(m, last_peer_text, now);
                stats_.messages.fetch_add(1);
                stats_.bytes.fetch_add(m.size());
            }
            if (builder.bytes() >= k_flush_bytes) {
                flush(builder, queue_, false, stats_);
            }
            if (static_cast<size_t>(n) < k_batch) {
                break;
            }
        }
        flush(builder, queue_, false, stats_);
    }
    flush(builder, queue_, false, stats_);
}

void syslog_receiver::run_tcp(const std::atomic<bool>& stop) {
    struct connection {
        unique_fd fd;
        std::string peer;
        syslog_framer framer;
    };
    std::map<int, std::unique_ptr<connection>> conns;
    std::vector<pollfd> pfds;
    std::vector<char> buf(256U << 10U);
    chunk_builder builder(source_);
    while (!stop.load()) {
        pfds.clear();
        pfds.push_back({fd_.get(), POLLIN, 0});
        for (const auto& [fd, c] : conns) {
            pfds.push_back({fd, POLLIN, 0});
        }
        const int pr = ::poll(pfds.data(), pfds.size(), k_poll_ms);
        if (pr <= 0) {
            flush(builder, queue_, true, stats_);
            continue;
        }
        if ((pfds[0].revents & POLLIN) != 0) {
            while (true) {
                sockaddr_storage ss{};
                socklen_t len = sizeof(ss);
                const int cfd = ::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&ss), &len,
                                          SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (cfd < 0) {
                    break;
                }
                if (conns.size() >= k_max_connections) {
                    ::close(cfd);
                    continue;
                }
                auto c = std::make_unique<connection>();
                c->fd = unique_fd(cfd);
                c->peer = format_peer(&ss);
                conns[cfd] = std::move(c);
                stats_.connections.fetch_add(1);
            }
        }
        const int64_t now = wall_ns();
        for (size_t i = 1; i < pfds.size(); ++i) {
            if (pfds[i].revents == 0) {
                continue;
            }
            auto it = conns.find(pfds[i].fd);
            if (it == conns.end()) {
                continue;
            }
            connection& c = *it->second;
            bool closed = false;
            const ssize_t n = ::recv(c.fd.get(), buf.data(), buf.size(), 0);
            auto deliver = [&](std::string_view m) {
                builder.add(m, c.peer, now);
                stats_.messages.fetch_add(1);
                stats_.bytes.fetch_add(m.size());
                if (builder.bytes() >= k_flush_bytes) {
                    flush(builder, queue_, true, stats_);
                }
            };
            if (n > 0) {
                c.framer.feed(std::string_view(buf.data(), static_cast<size_t>(n)), deliver);
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                closed = true;
            }
            if (closed) {
                c.framer.finish(deliver);
                stats_.truncated.fetch_add(c.framer.truncated());
                conns.erase(it);
            }
        }
        flush(builder, queue_, true, stats_);
    }
    flush(builder, queue_, true, stats_);
}

} // namespace sysgrok::ingest
