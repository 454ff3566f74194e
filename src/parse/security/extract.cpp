#include "parse/security/extract.hpp"

namespace sysgrok::parse::security {

void field_writer::add(std::string_view key, std::string_view value) {
    if (value.empty() || out_.fields.size() - e_.field_begin >= k_max_fields ||
        (checked_ && has(key))) {
        return;
    }
    out_.fields.push_back(field{key, value});
}

void field_writer::add_copy(std::string_view key, std::string_view value) {
    if (value.empty() || has(key)) {
        return;
    }
    add(key, out_.strings.add(value));
}

bool field_writer::has(std::string_view key) const {
    for (size_t i = e_.field_begin; i < out_.fields.size(); ++i) {
        if (out_.fields[i].key == key) {
            return true;
        }
    }
    return false;
}

void field_writer::add_source(std::string_view addr) {
    addr = clean_addr(addr);
    if (looks_like_ip(addr)) {
        add("source.ip", addr);
        client_ = addr;
    } else if (plausible_host(addr)) {
        add("source.domain", addr);
        client_ = addr;
    }
}

void field_writer::add_source(std::string_view addr, std::string_view port) {
    add_source(addr);
    int64_t n = 0;
    if (parse_uint(port, n) && n > 0 && n < 65536) {
        add("source.port", port);
    }
}

void field_writer::add_event(std::string_view category,
                             std::string_view type,
                             std::string_view action,
                             std::string_view outcome) {
    add("event.category", category);
    add("event.type", type);
    add("event.action", action);
    add("event.outcome", outcome);
}

std::string_view kv_value(std::string_view s, std::string_view key) {
    size_t p = 0;
    while ((p = s.find(key, p)) != std::string_view::npos) {
        if (p == 0 || s[p - 1] == ' ' || s[p - 1] == ',' || s[p - 1] == ';' || s[p - 1] == '(') {
            const size_t b = p + key.size();
            size_t e = b;
            while (e < s.size() && s[e] != ' ' && s[e] != ',' && s[e] != ';' && s[e] != ')') {
                ++e;
            }
            return s.substr(b, e - b);
        }
        p += key.size();
    }
    return {};
}

std::string_view clean_addr(std::string_view a) {
    while (!a.empty() && (a.back() == ':' || a.back() == ',' || a.back() == '.')) {
        if (a.back() == ':' && a.size() >= 2 && a[a.size() - 2] == ':') {
            break; // "::" ends some IPv6 addresses
        }
        a.remove_suffix(1);
    }
    if (a.size() >= 2 && a.front() == '[' && a.back() == ']') {
        a = a.substr(1, a.size() - 2);
    }
    if (a.size() > 7 && (a.substr(0, 7) == "::ffff:" || a.substr(0, 7) == "::FFFF:") &&
        looks_like_ip(a.substr(7))) {
        a.remove_prefix(7);
    }
    return a;
}

bool plausible_host(std::string_view a) {
    if (a.empty() || a.size() > 253) {
        return false;
    }
    bool letter = false;
    for (const char c : a) {
        if (!is_alnum(c) && c != '.' && c != '-' && c != '_' && c != ':') {
            return false;
        }
        letter = letter || is_alpha(c);
    }
    return letter || looks_like_ip(a);
}

} // namespace sysgrok::parse::security
