#include "ingest/syslog_framing.hpp"

#include <cstring>

namespace sysgrok::ingest {

namespace {

std::string_view trim_frame(std::string_view m) {
    while (!m.empty() && (m.back() == '\r' || m.back() == '\0')) {
        m.remove_suffix(1);
    }
    while (!m.empty() && m.front() == '\0') {
        m.remove_prefix(1);
    }
    return m;
}

} // namespace

void syslog_framer::feed(std::string_view data,
                         const std::function<void(std::string_view)>& on_message) {
    if (skip_ > 0) {
        const size_t n = std::min(skip_, data.size());
        skip_ -= n;
        data.remove_prefix(n);
    }
    pending_.append(data);
    std::string_view buf(pending_);
    size_t pos = 0;
    while (pos < buf.size()) {
        if (discarding_) {
            const void* nl = std::memchr(buf.data() + pos, '\n', buf.size() - pos);
            if (nl == nullptr) {
                pos = buf.size();
                break;
            }
            pos = static_cast<size_t>(static_cast<const char*>(nl) - buf.data()) + 1;
            discarding_ = false;
            continue;
        }
        const char c = buf[pos];
        if (c == '\n' || c == '\r' || c == '\0' || c == ' ') {
            ++pos; // stray delimiters between frames
            continue;
        }
        if (c >= '0' && c <= '9') {
            size_t i = pos;
            uint64_t len = 0;
            while (i < buf.size() && buf[i] >= '0' && buf[i] <= '9' && i - pos < 10) {
                len = len * 10 + static_cast<uint64_t>(buf[i] - '0');
                ++i;
            }
            if (i == buf.size()) {
                break; // the length is not complete yet
            }
            if (buf[i] == ' ') {
                const size_t body = i + 1;
                if (len <= max_) {
                    if (buf.size() - body < len) {
                        break; // wait for the rest of the frame
                    }
                    on_message(trim_frame(buf.substr(body, len)));
                    pos = body + len;
                    continue;
                }
                // Too long: deliver the first max_ bytes, skip the rest.
                if (buf.size() - body < max_) {
                    break;
                }
                on_message(trim_frame(buf.substr(body, max_)));
                ++truncated_;
                const size_t have = buf.size() - body - max_;
                const size_t rest = static_cast<size_t>(len) - max_;
                if (have >= rest) {
                    pos = body + static_cast<size_t>(len);
                    continue;
                }
                skip_ = rest - have;
                pos = buf.size();
                break;
            }
            // Digits not followed by a space: an LF-framed message that starts with a digit.
        }
        const void* nl = std::memchr(buf.data() + pos, '\n', buf.size() - pos);
        if (nl == nullptr) {
            if (buf.size() - pos > max_) {
                on_message(trim_frame(buf.substr(pos, max_)));
                ++truncated_;
                discarding_ = true;
                pos = buf.size();
            }
            break;
        }
        const auto end = static_cast<size_t>(static_cast<const char*>(nl) - buf.data());
        const std::string_view msg = trim_frame(buf.substr(pos, end - pos));
        if (msg.size() > max_) {
            ++truncated_;
            on_message(msg.substr(0, max_));
        } else if (!msg.empty()) {
            on_message(msg);
        }
        pos = end + 1;
    }
    pending_.erase(0, pos);
}

void syslog_framer::finish(const std::function<void(std::string_view)>& on_message) {
    if (!discarding_) {
        const std::string_view msg = trim_frame(pending_);
        if (!msg.empty()) {
            on_message(msg.size() > max_ ? msg.substr(0, max_) : msg);
        }
    }
    pending_.clear();
    discarding_ = false;
    skip_ = 0;
}

} // namespace sysgrok::ingest
