// src/detect/problem_judge.cpp — default per-line problem judgement.
#include "detect/problem_judge.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace sysgrok::detect {

namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// Lower-case alphanumeric words of the message (at most `cap`).
std::vector<std::string> words_of(std::string_view s, size_t cap = 64) {
    std::vector<std::string> out;
    std::string cur;
    for (const char c : s) {
        if (is_alnum(c)) {
            cur.push_back(lower(c));
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
            if (out.size() >= cap) {
                return out;
            }
        }
    }
    if (!cur.empty()) {
        out.push_back(std::move(cur));
    }
    return out;
}

bool is_failure_word(std::string_view w) {
    static constexpr std::array<std::string_view, 38> k_words = {
        "fail",        "failed",    "failure",     "failures",  "fails",    "error",
        "errors",      "err",       "exception",   "fatal",     "panic",    "denied",
        "refused",     "timeout",   "unreachable", "abort",     "aborted",  "aborting",
        "crash",       "crashed",   "segfault",    "oom",       "killed",   "unable",
        "cannot",      "corrupt",   "corrupted",   "severed",   "deadlock", "rejected",
        "unavailable", "violation", "overflow",    "traceback", "invalid",  "unhandled",
        "terminated",  "stopping",
    };
    for (const auto k : k_words) {
        if (w == k) {
            return true;
        }
    }
    return false;
}

bool is_negation(std::string_view w) {
    return w == "no" || w == "0" || w == "without" || w == "zero" || w == "non" || w == "not";
}

bool is_recovery(std::string_view w) {
    return w == "corrected" || w == "recovered" || w == "cleared" || w == "resolved";
}

/// A number or hex value, possibly with a sign, a 0x prefix or separators.
bool is_value_token(std::string_view t) {
    while (!t.empty() && (t.back() == ',' || t.back() == ';' || t.back() == ')')) {
        t.remove_suffix(1);
    }
    if (t.empty()) {
        return false;
    }
    bool digit = false;
    for (const char c : t) {
        const char l = lower(c);
        if (l >= '0' && l <= '9') {
            digit = true;
        } else if (!((l >= 'a' && l <= 'f') || l == 'x' || l == '.' || l == '-' || l == '+' ||
                     l == ':')) {
            return false;
        }
    }
    return digit;
}

/// "key=value" or "key:value" with a numeric value.
bool is_kv_value(std::string_view t) {
    const size_t p = t.find_first_of("=:");
    if (p == std::string_view::npos || p == 0 || p + 1 >= t.size()) {
        return false;
    }
    return is_value_token(t.substr(p + 1));
}

std::vector<std::string_view> split_ws(std::string_view s) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) {
            ++i;
        }
        const size_t b = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') {
            ++i;
        }
        if (i > b) {
            out.push_back(s.substr(b, i - b));
        }
    }
    return out;
}

} // namespace

bool has_failure_wording(std::string_view message) {
    const auto w = words_of(message);
    for (size_t i = 0; i < w.size(); ++i) {
        bool hit = is_failure_word(w[i]);
        if (!hit && i + 1 < w.size()) {
            hit = (w[i] == "could" && w[i + 1] == "not") ||
                  (w[i] == "timed" && w[i + 1] == "out") || (w[i] == "out" && w[i + 1] == "of");
        }
        if (!hit) {
            continue;
        }
        const bool negated = i > 0 && is_negation(w[i - 1]);
        const bool recovered = i + 1 < w.size() && is_recovery(w[i + 1]);
        if (!negated && !recovered) {
            return true;
        }
    }
    return false;
}

bool is_value_dump(std::string_view message) {
    const auto toks = split_ws(message);
    if (toks.empty() || toks.size() > 16) {
        return false;
    }
    // Form A: only key=value / key:value pairs and bare values.
    bool any_kv = false;
    bool all_values = true;
    for (const auto t : toks) {
        if (is_kv_value(t)) {
            any_kv = true;
        } else if (!is_value_token(t)) {
            all_values = false;
            break;
        }
    }
    if (all_values && any_kv) {
        return true;
    }
    if (toks.size() > 9) {
        return false;
    }
    // Form B: a dotted leader before the value ("store gathering.........0").
    const std::string_view last = toks.back();
    const size_t dots = last.rfind("...");
    if (dots != std::string_view::npos) {
        size_t v = dots;
        while (v < last.size() && last[v] == '.') {
            ++v;
        }
        if (v < last.size() && is_value_token(last.substr(v))) {
            return true;
        }
    }
    // Form C: "label: value" where the label has no failure wording.
    if (toks.size() >= 2 && is_value_token(last)) {
        const std::string_view sep = toks[toks.size() - 2];
        if (sep.back() == ':' || sep.back() == '=') {
            return !has_failure_wording(message.substr(0, message.size() - last.size()));
        }
    }
    return false;
}

problem_verdict judge_problem(severity sev, std::string_view message) {
    const bool bad_level = sev <= severity::error;
    if (bad_level) {
        if (is_value_dump(message)) {
            return {false, problem_reason::value_dump};
        }
        return {true, problem_reason::level};
    }
    if (sev == severity::info || sev == severity::notice || sev == severity::debug) {
        return {false, problem_reason::trusted_level};
    }
    // warning or no level: the wording decides
    if (has_failure_wording(message) && !is_value_dump(message)) {
        return {true, problem_reason::wording};
    }
    return {false, problem_reason::none};
}

double problem_weight(severity sev, bool problem) {
    if (!problem) {
        return 0;
    }
    if (sev <= severity::critical) {
        return 3;
    }
    if (sev == severity::error) {
        return 2;
    }
    return 1;
}

} // namespace sysgrok::detect
