// src/detect/label_book.cpp — loading feedback labels and generalising them.
#include "detect/label_book.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>

#include "core/hash.hpp"

namespace sysgrok::detect {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) {
        s.remove_prefix(1);
    }
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"')) {
        s.remove_suffix(1);
    }
    return s;
}

bool parse_u64(std::string_view s, uint64_t& v) {
    const auto* end = s.data() + s.size();
    const auto r = std::from_chars(s.data(), end, v);
    return r.ec == std::errc() && r.ptr == end && !s.empty();
}

bool parse_label(std::string_view s, bool& v) {
    if (s == "1" || s == "true" || s == "yes" || s == "problem") {
        v = true;
        return true;
    }
    if (s == "0" || s == "false" || s == "no" || s == "noise") {
        v = false;
        return true;
    }
    return false;
}

bool ends_with_path(std::string_view path, std::string_view suffix) {
    if (suffix.size() > path.size() || path.substr(path.size() - suffix.size()) != suffix) {
        return false;
    }
    return suffix.size() == path.size() || path[path.size() - suffix.size() - 1] == '/' ||
           suffix.front() == '/';
}

} // namespace

std::vector<uint64_t> letter_word_hashes(std::string_view s) {
    std::vector<uint64_t> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && !std::isalnum(static_cast<unsigned char>(s[i]))) {
            ++i;
        }
        const size_t b = i;
        bool letter = false;
        bool digit = false;
        while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) != 0)) {
            if (std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
                digit = true;
            } else {
                letter = true;
            }
            ++i;
        }
        if (i > b && letter && !digit) {
            std::string w(s.substr(b, i - b));
            for (auto& c : w) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            out.push_back(hash64(w));
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

double jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
    if (a.empty() && b.empty()) {
        return 1.0;
    }
    size_t i = 0;
    size_t j = 0;
    size_t both = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i] == b[j]) {
            ++both;
            ++i;
            ++j;
        } else if (a[i] < b[j]) {
            ++i;
        } else {
            ++j;
        }
    }
    const size_t uni = a.size() + b.size() - both;
    return uni == 0 ? 0.0 : static_cast<double>(both) / static_cast<double>(uni);
}

result<label_book> label_book::load(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        return error{"cannot open the labels file", path, 0, "give a CSV file: line,problem"};
    }
    label_book book;
    std::string row;
    uint64_t n = 0;
    while (std::getline(in, row)) {
        ++n;
        const std::string_view r = trim(row);
        if (r.empty() || r.front() == '#') {
            continue;
        }
        const size_t comma = r.rfind(',');
        bool label = false;
        if (comma == std::string_view::npos || !parse_label(trim(r.substr(comma + 1)), label)) {
            if (n == 1) {
                continue; // header
            }
            return error{"expected LINE,PROBLEM with PROBLEM 1 or 0", path, n, ""};
        }
        std::string_view where = trim(r.substr(0, comma));
        const size_t colon = where.rfind(':');
        uint64_t line = 0;
        if (colon != std::string_view::npos) {
            if (!parse_u64(where.substr(colon + 1), line)) {
                return error{"bad line number", path, n, "write LINE or PATH:LINE"};
            }
            book.by_path_.emplace_back(std::string(where.substr(0, colon)),
                                       std::make_pair(line, label));
            continue;
        }
        if (!parse_u64(where, line)) {
            if (n == 1) {
                continue; // header
            }
            return error{"bad line number", path, n, "write LINE or PATH:LINE"};
        }
        book.by_line_[line] = label;
    }
    return book;
}

label_book label_book::from_lines(const std::vector<std::pair<uint64_t, bool>>& lines) {
    label_book book;
    for (const auto& [line, label] : lines) {
        book.by_line_[line] = label;
    }
    return book;
}

std::optional<bool> label_book::label_of(std::string_view path, uint64_t line) const {
    for (const auto& [p, v] : by_path_) {
        if (v.first == line && ends_with_path(path, p)) {
            return v.second;
        }
    }
    const auto it = by_line_.find(line);
    if (it == by_line_.end()) {
        return std::nullopt;
    }
    return it->second;
}

namespace {

size_t level_index(severity sev) {
    return sev == severity::none ? 8 : static_cast<size_t>(sev);
}

} // namespace

void label_book::learn(uint32_t template_id, std::string_view text, severity sev, bool problem) {
    auto& lv = by_level_[level_index(sev)];
    (problem ? lv.first : lv.second) += 1;
    auto it = templates_.find(template_id);
    if (it == templates_.end()) {
        if (templates_.size() >= max_templates) {
            return;
        }
        it = templates_.emplace(template_id, tmpl_labels{}).first;
        it->second.words = letter_word_hashes(text);
        it->second.text = std::string(text);
        it->second.sev = sev;
    }
    (problem ? it->second.pos : it->second.neg) += 1;
    cache_.clear();
}

void label_book::remember(const template_labels& r) {
    tmpl_labels t;
    t.pos = r.positive;
    t.neg = r.negative;
    if (const auto m = majority(t)) {
        by_text_[hash64(r.text)] = *m;
    }
    auto& lv = by_level_[level_index(r.sev)];
    lv.first += r.positive;
    lv.second += r.negative;
    cache_.clear();
    if (templates_.size() >= max_templates) {
        return;
    }
    // Pseudo ids from the top of the id space, which the miner never reaches.
    const uint32_t id = UINT32_MAX - next_remembered_++;
    t.words = letter_word_hashes(r.text);
    t.text = r.text;
    t.sev = r.sev;
    templates_[id] = std::move(t);
}

std::vector<label_book::template_labels> label_book::learned() const {
    // One row per template text: a text remembered and labelled again adds up.
    std::unordered_map<std::string_view, template_labels> by_text;
    for (const auto& [id, t] : templates_) {
        if (t.text.empty()) {
            continue;
        }
        auto& r = by_text[t.text];
        r.text = t.text;
        r.sev = t.sev;
        r.positive += t.pos;
        r.negative += t.neg;
    }
    std::vector<template_labels> out;
    out.reserve(by_text.size());
    for (auto& [k, r] : by_text) {
        out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<bool> label_book::majority(const tmpl_labels& t) {
    if (t.pos == t.neg) {
        return std::nullopt;
    }
    return t.pos > t.neg;
}

std::optional<bool> label_book::predict(uint32_t template_id, std::string_view text, severity sev) {
    if (templates_.empty()) {
        return std::nullopt;
    }
    if (const auto it = templates_.find(template_id); it != templates_.end()) {
        return majority(it->second);
    }
    if (!by_text_.empty()) {
        if (const auto it = by_text_.find(hash64(text)); it != by_text_.end()) {
            return it->second;
        }
    }
    if (const auto it = cache_.find(template_id * 16ULL + level_index(sev)); it != cache_.end()) {
        return it->second;
    }
    const auto words = letter_word_hashes(text);
    double best = 0;
    std::optional<bool> guess;
    for (const auto& [id, t] : templates_) {
        const double s = jaccard(words, t.words);
        const auto m = majority(t);
        if (m && (s > best || (s == best && *m))) {
            best = s;
            guess = m;
        }
    }
    if (best < min_similarity) {
        guess = std::nullopt;
        const auto& lv = by_level_[level_index(sev)];
        const uint32_t n = lv.first + lv.second;
        // Demotion only: when the labelled lines of a level are noise (all of them below
        // 10 labels, else `level_agreement`), unlabelled templates of that level are noise
        // too. Labels never promote a whole level: one problem among thousands of info
        // lines says nothing about the others.
        if (n >= min_level_labels && lv.second > lv.first) {
            const double share = static_cast<double>(lv.second) / n;
            if (share >= (n < 10 ? 1.0 : level_agreement)) {
                guess = false;
            }
        }
    }
    if (cache_.size() < 4 * max_templates) {
        cache_.emplace(template_id * 16ULL + level_index(sev), guess);
    }
    return guess;
}

} // namespace sysgrok::detect
