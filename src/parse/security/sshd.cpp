// sshd (OpenSSH) messages: logins accepted and failed, invalid and disallowed users,
// disconnects before authentication, key exchange and protocol failures.
#include "parse/security/extract.hpp"

namespace sysgrok::parse::security {

namespace {

constexpr std::string_view k_preauth = " [preauth]";

struct from_addr {
    std::string_view addr;
    std::string_view port;
    size_t at = std::string_view::npos; ///< position of "from"
};

/// Finds " from ADDR[ port N][ sshN]" that ends the line or is followed by ':' (auth info),
/// " [preauth]" or " via ": user names and auth info can themselves contain "from ...".
from_addr find_from(std::string_view s, size_t pos = 0) {
    size_t p = pos;
    while ((p = s.find("from ", p)) != std::string_view::npos) {
        if (p > 0 && s[p - 1] != ' ') {
            p += 5;
            continue;
        }
        const size_t q = p + 5;
        const size_t te = token_end(s, q);
        std::string_view addr = s.substr(q, te - q);
        std::string_view port;
        size_t r = te;
        bool ok = false;
        if (!addr.empty() && addr.back() == ':' && !addr.ends_with("::")) {
            ok = true; // "from 1.2.3.4: 11: Bye Bye"
        } else {
            if (s.substr(r).starts_with(" port ")) {
                const size_t n = count_digits(s, r + 6);
                if (n > 0) {
                    port = s.substr(r + 6, n);
                    r += 6 + n;
                }
            }
            if (s.substr(r).starts_with(" ssh") && r + 5 <= s.size() && is_digit(s[r + 4])) {
                r += 5;
            }
            const std::string_view rest = s.substr(r);
            ok = rest.empty() || rest[0] == ':' || rest == k_preauth || rest.starts_with(" via ");
        }
        if (ok && !addr.empty()) {
            return {addr, port, p};
        }
        p += 5;
    }
    return {};
}

/// "ADDR port N" at the end of `s` (after removing " [preauth]"), e.g. the tail of
/// "Connection closed by authenticating user root 192.0.2.10 port 46038 [preauth]".
from_addr tail_addr(std::string_view s) {
    if (s.ends_with(k_preauth)) {
        s.remove_suffix(k_preauth.size());
    }
    from_addr f;
    const size_t sp = s.rfind(' ');
    std::string_view last = s.substr(sp == std::string_view::npos ? 0 : sp + 1);
    if (sp != std::string_view::npos && count_digits(last, 0) == last.size() &&
        s.substr(0, sp).ends_with(" port")) {
        f.port = last;
        s = s.substr(0, sp - 5);
        const size_t sp2 = s.rfind(' ');
        last = s.substr(sp2 == std::string_view::npos ? 0 : sp2 + 1);
    }
    f.addr = last;
    f.at = s.size() - last.size();
    return f;
}

std::string_view user_before(std::string_view s, size_t from_at) {
    if (from_at == std::string_view::npos || from_at == 0) {
        return {};
    }
    std::string_view u = s.substr(0, from_at - 1);
    if (!consume(u, "invalid user ")) {
        consume(u, "illegal user ");
    }
    return (u.starts_with("<") && u.ends_with(">")) ? std::string_view{} : u;
}

/// "Accepted|Failed|Postponed METHOD for [invalid user ]USER from ADDR port N sshN[: info]".
bool login_line(field_writer& w, std::string_view m, std::string_view verb) {
    const size_t me = m.find(' ');
    if (me == std::string_view::npos || !m.substr(me).starts_with(" for ")) {
        return false;
    }
    const std::string_view method = m.substr(0, me);
    const std::string_view rest = m.substr(me + 5);
    const from_addr f = find_from(rest);
    if (f.addr.empty()) {
        return false;
    }
    const bool invalid = rest.starts_with("invalid user ") || rest.starts_with("illegal user ");
    if (verb == "Accepted") {
        w.add_event("authentication", "start", "ssh_login", "success");
    } else if (verb == "Postponed") {
        w.add_event("authentication", "info", "ssh_login_postponed", {});
    } else if (method == "publickey" && !invalid) {
        // Clients offer their keys one after the other; a key the account does not accept
        // is not a failed login (fail2ban gh-1263).
        w.add_event("authentication", "info", "ssh_publickey_rejected", {});
    } else {
        w.add_event("authentication", "start", invalid ? "ssh_invalid_user" : "ssh_login",
                    "failure");
    }
    w.add("user.name", user_before(rest, f.at));
    w.add_source(f.addr, f.port);
    w.add("ssh.method", method);
    return true;
}

/// Lines that name no client: the address comes from the process's earlier lines.
void from_memory(field_writer& w, session_memory& sessions) {
    if (w.has("source.ip") || w.has("source.domain")) {
        return;
    }
    const std::string_view a = sessions.recall(w.ev().pid);
    if (!a.empty()) {
        w.add_source(w.batch().strings.add(a));
    }
}

bool net_failure(field_writer& w, std::string_view action, std::string_view addr) {
    w.add_event("network", "end", action, "failure");
    w.add_source(addr);
    return true;
}

} // namespace

bool extract_sshd(field_writer& w, std::string_view msg, session_memory& sessions) {
    std::string_view m = msg;
    if (consume(m, "kernel:")) { // journald relaying "kernel:[  970.699396]: text"
        m = m.substr(skip_spaces(m, 0));
        if (m.starts_with("[")) {
            m = m.substr(m.find(']') == std::string_view::npos ? 0 : m.find(']') + 1);
        }
        consume(m, ":");
        m = m.substr(skip_spaces(m, 0));
    }
    if (m.starts_with("[ID ") && m.find("] ") != std::string_view::npos) {
        m.remove_prefix(m.find("] ") + 2); // Solaris "[ID 800047 auth.info] "
    }
    if (!consume(m, "error: ")) {
        consume(m, "fatal: ");
    }
    const bool preauth = m.ends_with(k_preauth);
    const size_t at_before = w.batch().fields.size();
    bool known = true;
    bool use_memory = false;
    if (consume(m, "Accepted ")) {
        known = login_line(w, m, "Accepted");
    } else if (consume(m, "Failed ")) {
        known = login_line(w, m, "Failed");
    } else if (consume(m, "Postponed ")) {
        known = login_line(w, m, "Postponed");
    } else if (consume(m, "Invalid user ") || consume(m, "Illegal user ")) {
        const from_addr f = find_from(m);
        w.add_event("authentication", "start", "ssh_invalid_user", "failure");
        w.add("user.name", f.at == std::string_view::npos || f.at == 0 ? std::string_view{}
                                                                       : m.substr(0, f.at - 1));
        w.add_source(f.addr, f.port);
    } else if (consume(m, "User ")) {
        const size_t na = m.find(" not allowed because ");
        if (na == std::string_view::npos) {
            return false;
        }
        const std::string_view who = m.substr(0, na);
        const size_t fr = who.find(" from ");
        w.add_event("authentication", "denied", "ssh_user_not_allowed", "failure");
        w.add("user.name", who.substr(0, fr));
        if (fr != std::string_view::npos) {
            w.add_source(who.substr(fr + 6));
        }
    } else if (consume(m, "ROOT LOGIN REFUSED FROM ")) {
        w.add_event("authentication", "denied", "ssh_root_login_refused", "failure");
        w.add("user.name", "root");
        w.add_source(m.substr(0, token_end(m, 0)));
    } else if (consume(m, "refused connect from ")) {
        // tcp wrappers: "refused connect from NAME (ADDR)"
        const size_t lp = m.rfind('(');
        const std::string_view a =
            lp == std::string_view::npos
                ? m.substr(m.rfind('@') == std::string_view::npos ? 0 : m.rfind('@') + 1)
                : until(m.substr(lp + 1), ")");
        w.add_event("network", "denied", "ssh_connection_refused", "failure");
        w.add_source(a);
    } else if (consume(m, "PAM: ")) {
        // "Authentication failure for USER from HOST", "authentication error for USER from
        // HOST via ADDR", "User not known to the underlying authentication module for
        // illegal user USER from HOST"
        const size_t fo = m.find(" for ");
        const from_addr f = find_from(m, fo == std::string_view::npos ? 0 : fo);
        if (fo == std::string_view::npos) {
            return false;
        }
        w.add_event("authentication", "start", "ssh_login", "failure");
        if (f.at != std::string_view::npos && f.at > fo + 5) {
            w.add("user.name", user_before(m.substr(fo + 5), f.at - fo - 5));
        }
        w.add_source(f.addr);
    } else if (m.starts_with("pam_unix(sshd:")) {
        return extract_pam(w, "sshd", m);
    } else if (consume(m, "Received disconnect from ")) {
        // "ADDR[ port N]:[ ]CODE: REASON[ [preauth]]"
        size_t e = token_end(m, 0);
        std::string_view addr = m.substr(0, e);
        std::string_view port;
        if (m.substr(e).starts_with(" port ")) {
            const size_t n = count_digits(m, e + 6);
            port = m.substr(e + 6, n);
            e += 6 + n;
        }
        std::string_view reason = m.substr(e);
        consume(reason, ":");
        reason = reason.substr(skip_spaces(reason, 0));
        const bool auth_fail =
            contains(reason, "Auth fail") || reason.starts_with("14:") || reason.starts_with("3:");
        w.add_event(auth_fail ? "authentication" : "network", "end", "ssh_disconnect",
                    preauth || auth_fail ? "failure" : std::string_view{});
        w.add_source(addr, port);
    } else if (consume(m, "Disconnected from ") || consume(m, "Connection closed by ") ||
               consume(m, "Connection reset by ")) {
        const from_addr f = tail_addr(m);
        std::string_view who = m.substr(0, f.at == std::string_view::npos ? 0 : f.at);
        if (!consume(who, "authenticating user ") && !consume(who, "invalid user ")) {
            consume(who, "user ");
        }
        if (!who.empty() && who.back() == ' ') {
            who.remove_suffix(1);
        }
        w.add_event("network", "end", "ssh_disconnect", preauth ? "failure" : std::string_view{});
        w.add("user.name", who);
        w.add_source(f.addr, f.port);
    } else if (consume(m, "Disconnecting: ")) {
        if (m.starts_with("Too many authentication failures")) {
            // OpenSSH < 6.8 logs nothing else for this; the client comes from memory.
            w.add_event("authentication", "end", "ssh_too_many_failures", "failure");
            const size_t fo = m.find(" for ");
            if (fo != std::string_view::npos) {
                std::string_view u = m.substr(fo + 5);
                if (u.ends_with(k_preauth)) {
                    u.remove_suffix(k_preauth.size());
                }
                w.add("user.name", u);
            }
            use_memory = true;
        } else {
            w.add_event("network", "end", "ssh_disconnect", {});
        }
    } else if (consume(m, "Disconnecting ")) {
        // "Disconnecting [invalid |authenticating ]user USER ADDR port N: REASON"
        const size_t colon = m.find(": ");
        if (colon == std::string_view::npos) {
            return false;
        }
        const std::string_view reason = m.substr(colon + 2);
        const from_addr f = tail_addr(m.substr(0, colon));
        // OpenSSH >= 6.8 has already logged "maximum authentication attempts exceeded".
        const bool repeat = reason.starts_with("Too many authentication failures");
        w.add_event("authentication", "end", "ssh_disconnect",
                    repeat ? std::string_view{} : "failure");
        std::string_view who = m.substr(0, f.at == std::string_view::npos ? 0 : f.at);
        if (!consume(who, "invalid user ") && !consume(who, "authenticating user ")) {
            consume(who, "user ");
        }
        w.add("user.name", trim(who));
        w.add_source(f.addr, f.port);
    } else if (consume(m, "maximum authentication attempts exceeded for ")) {
        const from_addr f = find_from(m);
        w.add_event("authentication", "start", "ssh_too_many_failures", "failure");
        w.add("user.name", user_before(m, f.at));
        w.add_source(f.addr, f.port);
    } else if (consume(m, "Did not receive identification string from ")) {
        const size_t te = token_end(m, 0);
        net_failure(w, "ssh_no_identification", m.substr(0, te));
        if (m.substr(te).starts_with(" port ")) {
            w.add_source({}, m.substr(te + 6, count_digits(m, te + 6)));
        }
    } else if (m.starts_with("Bad protocol version identification ")) {
        const size_t fr = m.rfind(" from ");
        const from_addr f = fr == std::string_view::npos ? from_addr{} : find_from(m, fr + 1);
        w.add_event("network", "info", "ssh_bad_protocol", "failure");
        w.add_source(f.addr, f.port);
    } else if (consume(m, "Connection from ")) {
        // "Connection from ADDR port N[ on ADDR port N[ rdomain ""]]"
        const size_t te = token_end(m, 0);
        w.add_event("network", "start", "ssh_connection", {});
        std::string_view port;
        if (m.substr(te).starts_with(" port ")) {
            port = m.substr(te + 6, count_digits(m, te + 6));
        }
        w.add_source(m.substr(0, te), port);
    } else if (consume(m, "banner exchange: Connection from ") ||
               consume(m, "ssh_dispatch_run_fatal: Connection from ") ||
               consume(m, "Unable to negotiate with ") ||
               consume(m, "Timeout before authentication for connection from ") ||
               consume(m, "Timeout before authentication for ")) {
        const size_t te = token_end(m, 0);
        w.add_event("network", "info", "ssh_negotiation_failed", "failure");
        std::string_view port;
        if (m.substr(te).starts_with(" port ")) {
            port = m.substr(te + 6, count_digits(m, te + 6));
        }
        w.add_source(m.substr(0, te), port);
    } else if (m.starts_with("kex_exchange_identification: ") ||
               m.starts_with("Read from socket failed: ") ||
               m.starts_with("Unable to negotiate a key exchange method") ||
               m.starts_with("no matching ")) {
        if (m.starts_with("kex_exchange_identification: banner line too long")) {
            return false;
        }
        w.add_event("network", "info", "ssh_negotiation_failed", "failure");
        use_memory = true;
    } else if (m.starts_with("SSH: Server;Ltype: ")) {
        // "SSH: Server;Ltype: Version;Remote: 127.0.0.1-1780;Protocol: 2.0;..."
        const size_t r = m.find(";Remote: ");
        if (r == std::string_view::npos) {
            return false;
        }
        const std::string_view remote = until(m.substr(r + 9), ";");
        const size_t dash = remote.rfind('-');
        w.add_event("network", "info", "ssh_connection", {});
        if (dash == std::string_view::npos) {
            w.add_source(remote);
        } else {
            w.add_source(remote.substr(0, dash), remote.substr(dash + 1));
        }
    } else if (m.starts_with("input_userauth_request: invalid user ")) {
        // Repeats the "Invalid user" line of older OpenSSH versions.
        w.add_event("authentication", "info", "ssh_invalid_user", {});
        std::string_view u = m.substr(37);
        if (u.ends_with(k_preauth)) {
            u.remove_suffix(k_preauth.size());
        }
        w.add("user.name", u);
    } else if (consume(m, "reverse mapping checking getaddrinfo for ")) {
        // "... for HOST [ADDR] failed - POSSIBLE BREAK-IN ATTEMPT!"
        const size_t lb = m.find(" [");
        if (lb == std::string_view::npos) {
            return false;
        }
        w.add_event("network", "info", "ssh_reverse_mapping_failed", {});
        w.add_source(until(m.substr(lb + 2), "]"));
    } else if (m.starts_with("PAM ") && contains(m, " more authentication failure")) {
        // "PAM 4 more authentication failures; ... rhost=ADDR user=root": a summary of
        // failures sshd has already reported one by one.
        w.add_event("authentication", "info", "ssh_failures_summary", {});
        w.add("user.name", kv_value(m, "user="));
        w.add_source(kv_value(m, "rhost="));
    } else if (m.starts_with("Address ") && contains(m, "POSSIBLE BREAK-IN ATTEMPT")) {
        w.add_event("network", "info", "ssh_reverse_mapping_mismatch", {});
        w.add_source(m.substr(8, token_end(m, 8) - 8));
    } else {
        known = false;
    }
    if (!known) {
        w.batch().fields.resize(at_before);
        return false;
    }
    if (use_memory) {
        from_memory(w, sessions);
    } else if (!w.client().empty()) {
        sessions.remember(w.ev().pid, w.client());
    }
    return true;
}

} // namespace sysgrok::parse::security
