#include "frame/multiline.hpp"

#include <cctype>

namespace sysgrok {

namespace {

bool is_ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

/// "java.lang.IllegalStateException" or "com.x.FooError: message" (a dotted, lower-case
/// package path ending in a class named ...Exception / ...Error / ...Throwable).
bool is_java_exception_line(std::string_view s) {
    if (s.empty() || std::islower(static_cast<unsigned char>(s[0])) == 0) {
        return false;
    }
    size_t i = 0;
    bool dotted = false;
    while (i < s.size() && (is_ident_char(s[i]) || s[i] == '.')) {
        dotted = dotted || s[i] == '.';
        ++i;
    }
    if (!dotted || (i < s.size() && s[i] != ':')) {
        return false;
    }
    const std::string_view name = s.substr(0, i);
    for (std::string_view suffix : {"Exception", "Error", "Throwable"}) {
        if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
            return true;
        }
    }
    return false;
}

/// Python's last traceback line: "ValueError: bad" or "KeyboardInterrupt".
bool is_python_exception_line(std::string_view s) {
    if (s.empty() || (std::isalpha(static_cast<unsigned char>(s[0])) == 0 && s[0] != '_')) {
        return false;
    }
    size_t i = 0;
    while (i < s.size() && (is_ident_char(s[i]) || s[i] == '.')) {
        ++i;
    }
    return i == s.size() || s[i] == ':';
}

/// Go dump lines: "main.main()", "net/http.(*conn).serve(0xc000)", "created by main.run".
bool is_go_frame_line(std::string_view s) {
    if (s.starts_with("created by ") || s.starts_with("[signal ") || s.starts_with("goroutine ")) {
        return true;
    }
    if (s.empty() || s.back() != ')') {
        return false;
    }
    const size_t paren = s.find('(');
    if (paren == std::string_view::npos || paren == 0) {
        return false;
    }
    for (size_t i = 0; i < paren; ++i) {
        const char c = s[i];
        if (!(is_ident_char(c) || c == '.' || c == '/' || c == '-' || c == '*' || c == '[' ||
              c == ']' || c == ',' || c == '(')) {
            return false;
        }
    }
    return s.substr(0, paren).find('.') != std::string_view::npos;
}

bool is_blank(std::string_view s) {
    for (char c : s) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\0') {
            return false;
        }
    }
    return true;
}

} // namespace

multiline_joiner::verdict multiline_joiner::classify(std::string_view line, bool has_open) {
    if (is_blank(line)) {
        return verdict::blank;
    }
    if (!has_open) {
        mode_ = mode::normal;
        if (line.starts_with("Traceback (most recent call last):")) {
            mode_ = mode::python_traceback;
        }
        return verdict::start;
    }
    const char c0 = line[0];
    const bool indented = c0 == ' ' || c0 == '\t';

    switch (mode_) {
        case mode::python_traceback:
            if (indented) {
                return verdict::join;
            }
            if (is_python_exception_line(line)) {
                mode_ = mode::python_between;
                return verdict::join;
            }
            break;
        case mode::python_between:
            if (line.starts_with("During handling of the above exception") ||
                line.starts_with("The above exception was the direct cause")) {
                return verdict::join;
            }
            if (line.starts_with("Traceback (most recent call last):")) {
                mode_ = mode::python_traceback;
                return verdict::join;
            }
            break;
        case mode::go_dump:
            if (indented || is_go_frame_line(line) || line.starts_with("exit status ")) {
                return verdict::join;
            }
            break;
        case mode::normal:
            break;
    }
    mode_ = mode::normal;

    if (indented && indent_rule_) {
        return verdict::join;
    }
    if (line.starts_with("Traceback (most recent call last):")) {
        mode_ = mode::python_traceback;
        return verdict::join;
    }
    if (line.starts_with("goroutine ") && line.back() == ':' &&
        line.find(" [") != std::string_view::npos) {
        mode_ = mode::go_dump;
        return verdict::join;
    }
    if (line.starts_with("[signal ")) {
        mode_ = mode::go_dump;
        return verdict::join;
    }
    if (line.starts_with("Caused by: ") || line.starts_with("Suppressed: ") ||
        is_java_exception_line(line)) {
        return verdict::join;
    }
    return verdict::start;
}

} // namespace sysgrok
