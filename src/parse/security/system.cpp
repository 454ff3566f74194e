// systemd unit and session changes, and kernel lines: netfilter LOG records (firewall
// drops), segfaults and OOM kills.
#include "parse/security/extract.hpp"

namespace sysgrok::parse::security {

namespace {

/// "ssh.service - OpenBSD Secure Shell server" -> "ssh.service"; "ssh.service: ..." too.
std::string_view unit_name(std::string_view s) {
    const size_t e = s.find_first_of(" :");
    const std::string_view u = s.substr(0, e);
    const size_t dot = u.rfind('.');
    if (dot == std::string_view::npos || dot == 0) {
        return {};
    }
    const std::string_view suffix = u.substr(dot + 1);
    return (suffix == "service" || suffix == "socket" || suffix == "timer" || suffix == "mount" ||
            suffix == "target" || suffix == "path" || suffix == "scope" || suffix == "slice")
               ? u
               : std::string_view{};
}

bool ieq_any(std::string_view s, std::string_view word) {
    if (word.size() > s.size()) {
        return false;
    }
    for (size_t i = 0; i + word.size() <= s.size(); ++i) {
        if (iequals(s.substr(i, word.size()), word)) {
            return true;
        }
    }
    return false;
}

std::string_view transport(std::string_view proto) {
    if (iequals(proto, "tcp")) {
        return "tcp";
    }
    if (iequals(proto, "udp")) {
        return "udp";
    }
    if (iequals(proto, "icmp")) {
        return "icmp";
    }
    if (iequals(proto, "icmpv6")) {
        return "ipv6-icmp";
    }
    return proto;
}

} // namespace

bool extract_systemd(field_writer& w, std::string_view msg) {
    std::string_view m = msg;
    if (consume(m, "New session ")) { // systemd-logind: "New session 3 of user root."
        const size_t of = m.find(" of user ");
        if (of == std::string_view::npos) {
            return false;
        }
        std::string_view u = m.substr(of + 9);
        if (u.ends_with(".")) {
            u.remove_suffix(1);
        }
        w.add_event("session", "start", "session_opened", "success");
        w.add("user.name", u);
        return true;
    }
    if (consume(m, "Removed session ")) {
        w.add_event("session", "end", "session_closed", "success");
        return true;
    }
    std::string_view action;
    std::string_view type;
    std::string_view outcome = "success";
    std::string_view category = "process";
    if (consume(m, "Started ")) {
        if (m.starts_with("Session ") && contains(m, " of user ")) {
            std::string_view u = m.substr(m.find(" of user ") + 9);
            if (u.ends_with(".")) {
                u.remove_suffix(1);
            }
            w.add_event("session", "start", "session_opened", "success");
            w.add("user.name", u);
            return true;
        }
        action = "service_started";
        type = "start";
    } else if (consume(m, "Stopped ")) {
        action = "service_stopped";
        type = "end";
    } else if (consume(m, "Failed to start ")) {
        action = "service_failed";
        type = "start";
        outcome = "failure";
    } else if (consume(m, "Reloaded ")) {
        action = "service_reloaded";
        type = "change";
        category = "configuration";
    } else {
        const std::string_view unit = unit_name(m);
        if (unit.empty() || !m.substr(unit.size()).starts_with(": ")) {
            return false;
        }
        const std::string_view rest = m.substr(unit.size() + 2);
        if (rest.starts_with("Failed with result ")) {
            w.add_event("process", "end", "service_failed", "failure");
        } else if (rest.starts_with("Deactivated successfully")) {
            w.add_event("process", "end", "service_stopped", "success");
        } else {
            return false;
        }
        w.add("systemd.unit", unit);
        return true;
    }
    w.add_event(category, type, action, outcome);
    w.add("systemd.unit", unit_name(m));
    return true;
}

bool extract_kernel(field_writer& w, std::string_view msg) {
    std::string_view m = msg;
    if (m.starts_with("[") && m.find("] ") != std::string_view::npos && m.find("] ") < 20) {
        m.remove_prefix(m.find("] ") + 2); // "[12345.678901] "
        m = m.substr(skip_spaces(m, 0));
    }
    if (consume(m, "audit: ")) {
        return extract_auditd(w, m);
    }
    // netfilter LOG target: "[UFW BLOCK] IN=eth0 OUT= MAC=... SRC=a DST=b ... PROTO=TCP ..."
    size_t in = m.find("IN=");
    while (in != std::string_view::npos && in > 0 && m[in - 1] != ' ') {
        in = m.find("IN=", in + 3);
    }
    if (in != std::string_view::npos && contains(m, " SRC=") && contains(m, " DST=")) {
        const std::string_view prefix = m.substr(0, in);
        const bool denied = ieq_any(prefix, "block") || ieq_any(prefix, "drop") ||
                            ieq_any(prefix, "reject") || ieq_any(prefix, "deny");
        const bool allowed = ieq_any(prefix, "allow") || ieq_any(prefix, "accept");
        const std::string_view fields = m.substr(in);
        w.add_event("network", denied ? "denied" : (allowed ? "allowed" : "info"),
                    denied ? "firewall_drop" : (allowed ? "firewall_allow" : "firewall_log"), {});
        w.add("source.ip", kv_value(fields, "SRC="));
        w.add("destination.ip", kv_value(fields, "DST="));
        w.add("source.port", kv_value(fields, "SPT="));
        w.add("destination.port", kv_value(fields, "DPT="));
        w.add("network.transport", transport(kv_value(fields, "PROTO=")));
        w.add("observer.ingress.interface.name", kv_value(fields, "IN="));
        return true;
    }
    // "nginx[2412]: segfault at 0 ip 00007f... sp 00007ffd... error 4 in libc.so.6[...]"
    const size_t sf = m.find(": segfault at ");
    if (sf != std::string_view::npos) {
        const std::string_view who = m.substr(0, sf);
        const size_t lb = who.rfind('[');
        w.add_event("process", "end", "segfault", "failure");
        if (lb != std::string_view::npos && who.ends_with("]")) {
            w.add("kernel.process.name", who.substr(0, lb));
            w.add("kernel.process.pid", who.substr(lb + 1, who.size() - lb - 2));
        } else {
            w.add("kernel.process.name", who);
        }
        return true;
    }
    // "Out of memory: Killed process 1234 (java) total-vm:..."
    const size_t oom = m.find("Killed process ");
    if (m.starts_with("Out of memory") && oom != std::string_view::npos) {
        const std::string_view rest = m.substr(oom + 15);
        w.add_event("process", "end", "oom_kill", "failure");
        w.add("kernel.process.pid", until(rest, " "));
        const size_t lp = rest.find('(');
        if (lp != std::string_view::npos) {
            w.add("kernel.process.name", until(rest.substr(lp + 1), ")"));
        }
        return true;
    }
    return false;
}

} // namespace sysgrok::parse::security
