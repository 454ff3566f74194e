// src/security/window_queue.hpp — a FIFO for sliding windows: a vector with a moving head.
//
// std::deque allocates on construction (libstdc++), which is too heavy for one window per
// correlation group; this queue allocates only when something is pushed.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace sysgrok::security {

template <class T>
class window_queue {
  public:
    void push_back(T v) { items_.push_back(std::move(v)); }
    [[nodiscard]] bool empty() const { return head_ == items_.size(); }
    [[nodiscard]] size_t size() const { return items_.size() - head_; }
    [[nodiscard]] const T& front() const { return items_[head_]; }
    [[nodiscard]] const T& back() const { return items_.back(); }
    void pop_front() {
        ++head_;
        if (head_ == items_.size()) {
            clear();
        } else if (head_ >= 32 && head_ * 2 >= items_.size()) {
            items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
    }
    void clear() {
        items_.clear();
        head_ = 0;
    }
    [[nodiscard]] auto begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
    [[nodiscard]] auto end() const { return items_.end(); }

  private:
    std::vector<T> items_;
    size_t head_ = 0;
};

} // namespace sysgrok::security
