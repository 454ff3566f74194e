#include "ingest/chunk_queue.hpp"

namespace sysgrok::ingest {

bool chunk_queue::push(chunk c) {
    std::unique_lock lk(mu_);
    const size_t n = size_of(c);
    // An empty queue always takes a chunk, so one over-sized chunk cannot block forever.
    not_full_.wait(lk, [&] { return closed_ || q_.empty() || bytes_ + n <= max_bytes_; });
    if (closed_) {
        return false;
    }
    bytes_ += n;
    q_.push_back(std::move(c));
    lk.unlock();
    not_empty_.notify_one();
    return true;
}

bool chunk_queue::try_push(chunk c) {
    std::unique_lock lk(mu_);
    const size_t n = size_of(c);
    if (closed_ || (!q_.empty() && bytes_ + n > max_bytes_)) {
        return false;
    }
    bytes_ += n;
    q_.push_back(std::move(c));
    lk.unlock();
    not_empty_.notify_one();
    return true;
}

std::optional<chunk> chunk_queue::pop(std::chrono::milliseconds wait) {
    std::unique_lock lk(mu_);
    if (!not_empty_.wait_for(lk, wait, [&] { return closed_ || !q_.empty(); }) || q_.empty()) {
        return std::nullopt;
    }
    chunk c = std::move(q_.front());
    q_.pop_front();
    bytes_ -= size_of(c);
    lk.unlock();
    not_full_.notify_all();
    return c;
}

void chunk_queue::close() {
    {
        const std::lock_guard lk(mu_);
        closed_ = true;
    }
    not_full_.notify_all();
    not_empty_.notify_all();
}

size_t chunk_queue::depth() const {
    const std::lock_guard lk(mu_);
    return q_.size();
}

size_t chunk_queue::bytes() const {
    const std::lock_guard lk(mu_);
    return bytes_;
}

} // namespace sysgrok::ingest
