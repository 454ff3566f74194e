// Dispatch of the security extractors: on the program name first (a few byte compares),
// then, for programs that name no known tool, on the shape of the line.
#include "parse/security/enrich.hpp"

#include "parse/format_id.hpp"
#include "parse/security/extract.hpp"

namespace sysgrok::parse {

namespace {

using security::field_writer;

bool is_account_tool(std::string_view p) {
    return p == "useradd" || p == "groupadd" || p == "usermod" || p == "userdel" ||
           p == "groupdel" || p == "groupmod" || p == "passwd" || p == "chpasswd" ||
           p == "gpasswd" || p == "chage" || p == "newusers";
}

bool by_program(field_writer& w, std::string_view p, std::string_view m, session_memory& s) {
    if (p.empty()) {
        return false;
    }
    // Old PAM style: "sshd(pam_unix)[123]: authentication failure; ..."
    if (p.back() == ')' && p.find("(pam_") != std::string_view::npos) {
        return security::extract_pam(w, p, m);
    }
    switch (p[0]) {
        case 's':
            if (p == "sshd" || p == "sshd-session" || p == "sshd-auth") {
                return security::extract_sshd(w, m, s);
            }
            if (p == "sudo") {
                return security::extract_sudo(w, m);
            }
            if (p == "su") {
                return security::extract_su(w, m);
            }
            if (p == "systemd" || p == "systemd-logind") {
                return security::extract_systemd(w, m);
            }
            break;
        case 'C':
        case 'c':
        case 'a':
            if (p == "CRON" || p == "cron" || p == "crond" || p == "CROND" || p == "crontab" ||
                p == "anacron") {
                return security::extract_cron(w, m);
            }
            if (p == "audit" || p == "auditd" || p == "audispd" || p == "audisp-syslog") {
                return security::extract_auditd(w, m);
            }
            if (p == "chpasswd" || p == "chage") {
                return security::extract_account(w, p, m);
            }
            break;
        case 'k':
            if (p == "kernel") {
                return security::extract_kernel(w, m);
            }
            break;
        default:
            break;
    }
    if (is_account_tool(p)) {
        return security::extract_account(w, p, m);
    }
    if (m.starts_with("pam_")) {
        return security::extract_pam(w, p, m);
    }
    return false;
}

/// Whether the line may be an auditd record or a web server's error line although its
/// program named no known tool: free-form lines and web servers' syslog lines.
bool shape_candidate(const event& e) {
    const std::string_view p = e.program;
    if (e.format == static_cast<uint16_t>(format_id::access)) {
        return false; // access lines have their fields already
    }
    return e.format == static_cast<uint16_t>(format_id::generic) ||
           e.format == static_cast<uint16_t>(format_id::logfmt) ||
           e.format == static_cast<uint16_t>(format_id::header) ||
           e.format == static_cast<uint16_t>(format_id::regex) || p.empty() ||
           p.starts_with("httpd") || p.starts_with("apache") || p.starts_with("nginx");
}

/// Lines whose program is unknown or absent: auditd files, Apache and Nginx error logs.
bool by_shape(field_writer& w, event& e) {
    if (!shape_candidate(e)) {
        return false;
    }
    const std::string_view raw = e.raw;
    if ((raw.starts_with("type=") || raw.starts_with("node=")) &&
        raw.find(" msg=audit(") != std::string_view::npos) {
        // The logfmt parser splits audit records wrongly (msg='k=v ...'); the auditd.*
        // fields replace its fields, and the message becomes the record's key=value text.
        if (e.format == static_cast<uint16_t>(format_id::logfmt)) {
            w.batch().fields.resize(e.field_begin);
            e.host = {}; // logfmt took it from hostname=, the peer of a user session
        }
        const size_t body = raw.find("): ");
        if (body != std::string_view::npos) {
            e.message = raw.substr(body + 3);
        }
        return security::extract_auditd(w, raw);
    }
    if (raw.find("[client ") != std::string_view::npos ||
        raw.find("[remote ") != std::string_view::npos) {
        // The generic parser takes "[client ADDR]" for a component; it names no program.
        if (e.program.starts_with("client ") || e.program.starts_with("remote ")) {
            e.program = {};
        }
        return security::extract_apache_error(w, raw);
    }
    if (raw.find(", client: ") != std::string_view::npos) {
        return security::extract_nginx_error(w, raw);
    }
    return false;
}

} // namespace

void enrich_security(event& e, event_batch& out, session_memory& sessions) {
    field_writer w(e, out);
    if (by_program(w, e.program, e.message, sessions)) {
        return;
    }
    by_shape(w, e);
}

} // namespace sysgrok::parse
