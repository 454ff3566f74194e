// src/frame/multiline.hpp — deciding which lines continue the event before them.
#pragma once

#include <cstdint>
#include <string_view>

namespace sysgrok {

/// Per-input state of the multiline joiner. It recognises:
///  - indented continuation lines (Java "\tat ...", "  File ...", wrapped messages);
///  - Java: "Caused by: ...", "Suppressed: ...", "... 12 more", a bare exception class
///    line such as "java.lang.IllegalStateException: boom";
///  - Python: "Traceback (most recent call last):", the traceback's frames and the
///    final "ValueError: ..." line, chained-exception separators;
///  - Go: "goroutine 1 [running]:" dumps with their function and file lines, "[signal ...]".
/// Blank lines inside a trace are kept when the trace goes on after them.
class multiline_joiner {
  public:
    enum class verdict : uint8_t { start, join, blank };

    /// Classifies the next physical line (without its newline). `has_open` tells
    /// whether an event is open that the line could join.
    verdict classify(std::string_view line, bool has_open);

    /// Called when a blank line turned out to be followed by a new event, so the
    /// blank lines were not part of the previous one.
    void reset() { mode_ = mode::normal; }

    /// Indentation does not mark continuations in inputs whose first line is indented.
    void disable_indent_rule() { indent_rule_ = false; }

  private:
    enum class mode : uint8_t { normal, python_traceback, python_between, go_dump };
    mode mode_ = mode::normal;
    bool indent_rule_ = true;
};

} // namespace sysgrok
