// Apache and Nginx error-log lines about authentication and access control:
//   [Wed Jul 17 22:18:52 2013] [error] [client 127.0.0.1] user bob: authentication failure ...
//   2012/04/09 11:53:29 [error] 2865#0: *66647 user "xyz" was not found in "...", client: ...
#include "parse/security/extract.hpp"

namespace sysgrok::parse::security {

namespace {

constexpr size_t k_header_limit = 256;

/// "user NAME not found", "user `NAME' in realm ..." -> NAME.
std::string_view apache_user(std::string_view m) {
    if (!consume(m, "user ")) {
        return {};
    }
    if (consume(m, "`")) {
        return until(m, "'");
    }
    const size_t e = m.find_first_of(": ");
    return m.substr(0, e);
}

/// Splits "ADDR:PORT", "[V6]:PORT" or a bare address.
void split_client(std::string_view c, std::string_view& addr, std::string_view& port) {
    if (c.starts_with("[")) {
        const size_t rb = c.find(']');
        addr = c.substr(1, rb == std::string_view::npos ? c.size() - 1 : rb - 1);
        port = rb != std::string_view::npos && char_at(c, rb + 1, ':') ? c.substr(rb + 2)
                                                                       : std::string_view{};
        return;
    }
    const size_t colon = c.find(':');
    if (colon != std::string_view::npos && c.find(':', colon + 1) == std::string_view::npos) {
        addr = c.substr(0, colon);
        port = c.substr(colon + 1);
        return;
    }
    addr = c;
}

} // namespace

bool extract_apache_error(field_writer& w, std::string_view raw) {
    const std::string_view head = raw.substr(0, k_header_limit);
    size_t c = head.find("[client ");
    size_t skip = 8;
    if (c == std::string_view::npos) {
        c = head.find("[remote ");
    }
    if (c == std::string_view::npos || c < 2 || raw[c - 1] != ' ' || raw[c - 2] != ']') {
        return false;
    }
    size_t close = raw.find(']', c + skip);
    if (char_at(raw, c + skip, '[') && close != std::string_view::npos) {
        close = raw.find(']', close + 1); // "[client [2001:db8::1]:51548]"
    }
    if (close == std::string_view::npos) {
        return false;
    }
    std::string_view addr;
    std::string_view port;
    split_client(raw.substr(c + skip, close - c - skip), addr, port);
    std::string_view m = raw.substr(skip_spaces(raw, close + 1));
    if (m.starts_with("AH") && count_digits(m, 2) == 5 && char_at(m, 7, ':')) {
        m.remove_prefix(skip_spaces(m, 8));
    }
    consume(m, "Digest: ");
    const bool evasive = contains(raw.substr(0, c), "[evasive");
    std::string_view category = "authentication";
    std::string_view type = "start";
    std::string_view action = "web_authentication";
    std::string_view outcome = "failure";
    if (m.starts_with("user ") &&
        (contains(m, " not found") || contains(m, ": authentication failure for ") ||
         contains(m, ": password mismatch") || contains(m, ": authorization failure for "))) {
        w.add("user.name", apache_user(m));
        if (contains(m, "authorization failure")) {
            type = "denied";
            action = "web_authorization";
        }
    } else if (m.starts_with("Authorization of user ") && contains(m, " failed")) {
        type = "denied";
        action = "web_authorization";
        w.add("user.name", until(m.substr(22), " "));
    } else if (m.starts_with("client denied by server configuration")) {
        category = "web";
        type = "denied";
        action = evasive ? "web_rate_limited" : "web_access_denied";
        // mod_evasive blocks request floods; that is not a failed authentication.
        outcome = evasive ? std::string_view{} : outcome;
    } else if (m.starts_with("client used wrong authentication scheme") ||
               m.starts_with("invalid qop ") || m.starts_with("realm mismatch") ||
               m.starts_with("unknown algorithm ") ||
               (m.starts_with("invalid nonce ") && !contains(m, " - hash is not"))) {
        action = "web_authentication";
    } else if (contains(m, "provided via SNI") ||
               m.starts_with("No hostname was provided via SNI")) {
        category = "web";
        type = "denied";
        action = "tls_sni_mismatch";
    } else {
        return false;
    }
    w.add_event(category, type, action, outcome);
    w.add_source(addr, port);
    return true;
}

bool extract_nginx_error(field_writer& w, std::string_view raw) {
    const size_t cl = raw.rfind(", client: ");
    if (cl == std::string_view::npos) {
        return false;
    }
    // The message starts after "[level] PID#TID: " and an optional "*CONN ".
    size_t hash = raw.find('#');
    size_t msg = std::string_view::npos;
    while (hash != std::string_view::npos && hash < cl) {
        size_t b = hash;
        while (b > 0 && is_digit(raw[b - 1])) {
            --b;
        }
        const size_t n = count_digits(raw, hash + 1);
        if (b < hash && b >= 2 && raw[b - 1] == ' ' && raw[b - 2] == ']' && n > 0 &&
            char_at(raw, hash + 1 + n, ':')) {
            msg = skip_spaces(raw, hash + 2 + n);
            break;
        }
        hash = raw.find('#', hash + 1);
    }
    if (msg == std::string_view::npos) {
        return false;
    }
    std::string_view m = raw.substr(msg, cl - msg);
    if (m.starts_with("*")) {
        m.remove_prefix(skip_spaces(m, token_end(m, 0)));
    }
    const std::string_view addr = until(raw.substr(cl + 10), ",");
    if (m.starts_with("user \"") &&
        (contains(m, "\" was not found in \"") || contains(m, "\": password mismatch"))) {
        w.add_event("authentication", "start", "web_authentication", "failure");
        w.add("user.name", until(m.substr(6), "\""));
    } else if (m.starts_with("PAM: user '") && contains(m, "not authenticated")) {
        w.add_event("authentication", "start", "web_authentication", "failure");
        w.add("user.name", until(m.substr(11), "'"));
    } else if (m.starts_with("SSL_") && contains(m, "() failed") && !contains(m, "upstream")) {
        w.add_event("network", "info", "tls_handshake_failed", "failure");
    } else if (m.starts_with("access forbidden by rule")) {
        w.add_event("web", "denied", "web_access_denied", "failure");
    } else {
        return false;
    }
    w.add_source(addr);
    return true;
}

} // namespace sysgrok::parse::security
