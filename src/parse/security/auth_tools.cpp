// PAM module lines, sudo, su and the account tools (useradd, groupadd, usermod, userdel,
// groupdel, passwd, chpasswd, gpasswd).
#include "parse/security/extract.hpp"

namespace sysgrok::parse::security {

namespace {

/// The text between `open` (searched from the start) and the next `close`; empty if absent.
std::string_view between(std::string_view s, std::string_view open, char close) {
    const size_t b = s.find(open);
    if (b == std::string_view::npos) {
        return {};
    }
    const size_t vb = b + open.size();
    const size_t e = s.find(close, vb);
    return e == std::string_view::npos ? std::string_view{} : s.substr(vb, e - vb);
}

/// "name(uid=0)" -> "name"; "root(uid=0)" -> "root".
std::string_view strip_uid(std::string_view s) {
    return until(until(s, "("), " ");
}

/// Services where the PAM user is the target account and ruser/logname the one acting.
bool switches_user(std::string_view service) {
    return service == "su" || service == "su-l" || service == "sudo" || service == "sudo-i";
}

} // namespace

bool extract_pam(field_writer& w, std::string_view program, std::string_view msg) {
    std::string_view service = until(program, "(");
    std::string_view body = msg;
    bool module_prefix = false;
    if (msg.starts_with("pam_")) {
        const size_t lp = msg.find('(');
        const size_t rp = msg.find("): ");
        if (lp == std::string_view::npos || rp == std::string_view::npos || rp < lp) {
            return false;
        }
        service = until(msg.substr(lp + 1, rp - lp - 1), ":");
        body = msg.substr(rp + 3);
        module_prefix = true;
    }
    const bool switching = switches_user(service);
    if (body.starts_with("authentication failure;")) {
        // A modern sshd reports the same attempt itself ("Failed password ..."); its PAM
        // line carries no outcome so that one attempt counts once.
        const bool repeat = module_prefix && (service == "sshd" || service == "sshd-session");
        w.add_event("authentication", "start", "pam_authentication_failure",
                    repeat ? std::string_view{} : "failure");
        const std::string_view user = kv_value(body, "user=");
        std::string_view ruser = kv_value(body, "ruser=");
        if (ruser.empty()) {
            ruser = kv_value(body, "logname=");
        }
        if (switching) {
            w.add("user.name", ruser);
            w.add("user.target.name", user);
        } else {
            w.add("user.name", user.empty() ? ruser : user);
        }
        w.add_source(kv_value(body, "rhost="));
        return true;
    }
    if (body.starts_with("check pass; user unknown")) {
        w.add_event("authentication", "start", "pam_user_unknown",
                    module_prefix && service == "sshd" ? std::string_view{} : "failure");
        return true;
    }
    std::string_view rest = body;
    if (consume(rest, "session opened for user ")) {
        const std::string_view user = strip_uid(rest);
        const size_t byp = rest.find(" by ");
        const std::string_view by =
            byp == std::string_view::npos ? std::string_view{} : strip_uid(rest.substr(byp + 4));
        w.add_event("session", "start", "session_opened", "success");
        if (switching && !by.empty()) {
            w.add("user.name", by);
            w.add("user.target.name", user);
        } else {
            w.add("user.name", user);
        }
        return true;
    }
    if (consume(rest, "session closed for user ")) {
        w.add_event("session", "end", "session_closed", "success");
        w.add("user.name", strip_uid(rest));
        return true;
    }
    if (consume(rest, "password changed for ")) {
        w.add_event("iam", "change", "password_changed", "success");
        w.add("user.target.name", strip_uid(rest));
        return true;
    }
    return false;
}

bool extract_sudo(field_writer& w, std::string_view msg) {
    if (msg.starts_with("pam_")) {
        return extract_pam(w, "sudo", msg);
    }
    // "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls -la"
    const size_t sep = msg.find(" : ");
    if (sep == std::string_view::npos) {
        return false;
    }
    const std::string_view user = trim(msg.substr(0, sep));
    const std::string_view rest = msg.substr(sep + 3);
    const std::string_view first = until(rest, " ; ");
    const size_t cmd = rest.find("COMMAND=");
    if (cmd == std::string_view::npos && !contains(first, "=")) {
        return false;
    }
    if (contains(first, "=")) {
        w.add_event("process", "start", "sudo_command", "success");
    } else if (contains(first, "NOT in sudoers")) {
        w.add_event("authentication", "denied", "sudo_not_in_sudoers", "failure");
    } else if (contains(first, "incorrect password attempt")) {
        w.add_event("authentication", "start", "sudo_auth_failure", "failure");
    } else {
        w.add_event("authentication", "denied", "sudo_command_denied", "failure");
    }
    w.add("user.name", user);
    const size_t u = rest.find("USER=");
    if (u != std::string_view::npos) {
        w.add("user.target.name", until(rest.substr(u + 5), " ;"));
    }
    const size_t pwd = rest.find("PWD=");
    if (pwd != std::string_view::npos) {
        w.add("process.working_directory", until(rest.substr(pwd + 4), " ;"));
    }
    if (cmd != std::string_view::npos) {
        w.add("process.command_line", trim(rest.substr(cmd + 8)));
    }
    return true;
}

bool extract_su(field_writer& w, std::string_view msg) {
    if (msg.starts_with("pam_")) {
        return extract_pam(w, "su", msg);
    }
    std::string_view m = msg;
    if (consume(m, "(to ")) { // "(to root) alice on pts/0"
        w.add_event("session", "start", "su", "success");
        w.add("user.target.name", until(m, ")"));
        const size_t rp = m.find(") ");
        if (rp != std::string_view::npos) {
            w.add("user.name", until(m.substr(rp + 2), " "));
        }
        return true;
    }
    if (consume(m, "FAILED SU (to ")) { // "FAILED SU (to root) alice on pts/0"
        w.add_event("authentication", "start", "su", "failure");
        w.add("user.target.name", until(m, ")"));
        const size_t rp = m.find(") ");
        if (rp != std::string_view::npos) {
            w.add("user.name", until(m.substr(rp + 2), " "));
        }
        return true;
    }
    if (consume(m, "'su ")) { // "'su root' failed for lonvick on /dev/pts/8"
        const size_t q = m.find("' failed for ");
        if (q == std::string_view::npos) {
            return false;
        }
        w.add_event("authentication", "start", "su", "failure");
        w.add("user.target.name", m.substr(0, q));
        w.add("user.name", until(m.substr(q + 13), " "));
        return true;
    }
    const bool failed = consume(m, "FAILED su for ");
    if (failed || consume(m, "Successful su for ")) { // "FAILED su for root by alice"
        w.add_event("authentication", "start", "su", failed ? "failure" : "success");
        w.add("user.target.name", until(m, " "));
        const size_t by = m.find(" by ");
        if (by != std::string_view::npos) {
            w.add("user.name", m.substr(by + 4));
        }
        return true;
    }
    return false;
}

bool extract_account(field_writer& w, std::string_view program, std::string_view msg) {
    if (msg.starts_with("pam_")) {
        return extract_pam(w, program, msg);
    }
    std::string_view m = msg;
    if (consume(m, "new user: ")) {
        w.add_event("iam", "creation", "user_added", "success");
        w.add("user.name", kv_value(m, "name="));
        w.add("user.id", kv_value(m, "UID="));
        w.add("group.id", kv_value(m, "GID="));
        return true;
    }
    if (consume(m, "new group: ") || consume(m, "group added to ")) {
        w.add_event("iam", "creation", "group_added", "success");
        w.add("group.name", kv_value(m, "name="));
        w.add("group.id", kv_value(m, "GID="));
        return true;
    }
    if (m.starts_with("add '") || m.starts_with("delete '")) {
        // "add 'bob' to group 'sudo'", "delete 'bob' from shadow group 'x'"
        w.add_event("iam", "change",
                    m.starts_with("add") ? "user_added_to_group" : "user_removed_from_group",
                    "success");
        w.add("user.name", between(m, "'", '\''));
        w.add("group.name", between(m, "group '", '\''));
        return true;
    }
    if (m.starts_with("change user ") || m.starts_with("lock user ") ||
        m.starts_with("unlock user ")) {
        w.add_event("iam", "change", "user_modified", "success");
        w.add("user.name", between(m, "'", '\''));
        return true;
    }
    if (m.starts_with("delete user '")) {
        w.add_event("iam", "deletion", "user_deleted", "success");
        w.add("user.name", between(m, "'", '\''));
        return true;
    }
    if (m.starts_with("removed group '") ||
        (m.starts_with("group '") && contains(m, "' removed"))) {
        w.add_event("iam", "deletion", "group_deleted", "success");
        w.add("group.name", between(m, "'", '\''));
        return true;
    }
    if (m.starts_with("password for '") && contains(m, "' changed by '")) {
        w.add_event("iam", "change", "password_changed", "success");
        w.add("user.target.name", between(m, "'", '\''));
        w.add("user.name", between(m, "changed by '", '\''));
        return true;
    }
    if (m.starts_with("failed adding user '")) {
        w.add_event("iam", "creation", "user_added", "failure");
        w.add("user.name", between(m, "'", '\''));
        return true;
    }
    return false;
}

bool extract_cron(field_writer& w, std::string_view msg) {
    if (msg.starts_with("pam_")) {
        return extract_pam(w, "cron", msg);
    }
    // "(root) CMD (/usr/local/bin/backup.sh)", "(root) REPLACE (root)"
    if (!msg.starts_with("(")) {
        return false;
    }
    const size_t rp = msg.find(") ");
    if (rp == std::string_view::npos) {
        return false;
    }
    const std::string_view user = msg.substr(1, rp - 1);
    std::string_view rest = msg.substr(rp + 2);
    if (consume(rest, "CMD (")) {
        if (rest.ends_with(")")) {
            rest.remove_suffix(1);
        }
        w.add_event("process", "start", "cron_command", "success");
        w.add("user.name", user);
        w.add("process.command_line", trim(rest));
        return true;
    }
    if (rest.starts_with("REPLACE ") || rest.starts_with("BEGIN EDIT ") ||
        rest.starts_with("END EDIT ") || rest.starts_with("DELETE ")) {
        w.add_event("configuration", "change", "crontab_changed", "success");
        w.add("user.name", user);
        return true;
    }
    return false;
}

} // namespace sysgrok::parse::security
