// src/core/result.hpp — expected failures as values.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace sysgrok {

/// An expected failure with enough context for a one-line user message:
/// what went wrong, where (file and line when known) and how to fix it.
struct error {
    std::string message;
    std::string path;  ///< file the error is about, empty if none
    uint64_t line = 0; ///< 1-based line, 0 if not applicable
    std::string hint;  ///< a fix the user can apply, empty if none

    /// "path:line: message (hint)" with the absent parts left out.
    [[nodiscard]] std::string to_string() const;
};

/// A value or an error; the small subset of std::expected that we need
/// (libstdc++ 12 only ships std::expected in C++23 mode).
template <class T>
class [[nodiscard]] result {
  public:
    // Implicit on purpose: `return value;` and `return error{...};` both build a result.
    // NOLINTNEXTLINE(google-explicit-constructor)
    result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    // NOLINTNEXTLINE(google-explicit-constructor)
    result(sysgrok::error err) : v_(std::in_place_index<1>, std::move(err)) {}

    [[nodiscard]] bool has_value() const { return v_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    [[nodiscard]] const sysgrok::error& error() const { return std::get<1>(v_); }

  private:
    std::variant<T, sysgrok::error> v_;
};

struct ok_t {};

/// result<void> equivalent.
using status = result<ok_t>;

inline status ok() {
    return ok_t{};
}

} // namespace sysgrok
