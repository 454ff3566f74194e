// src/security/field_map.cpp — logsource routing and field lookup.
#include "security/field_map.hpp"

#include <array>
#include <utility>

#include "parse/format_id.hpp"
#include "security/text_util.hpp"
#include "security/value_matcher.hpp"

namespace sysgrok::security {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (lower_ascii(a[i]) != lower_ascii(b[i])) {
            return false;
        }
    }
    return true;
}

bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
    return c <= '9' ? c - '0' : c - 'A' + 10;
}

/// Fields auditd hex-encodes (unquoted) when they hold spaces or odd bytes; numeric
/// fields such as syscall=59 are never decoded.
bool audit_hex_field(std::string_view key, bool execve) {
    if (execve && key.size() >= 2 && key[0] == 'a' && key[1] >= '0' && key[1] <= '9') {
        return true;
    }
    for (std::string_view k : {"proctitle", "comm", "exe", "name", "cwd", "cmd", "acct", "path",
                               "data", "key", "old", "new"}) {
        if (key == k) {
            return true;
        }
    }
    return false;
}

/// auditd writes a value as upper-case hex when it holds spaces or odd bytes.
std::optional<std::string> audit_hex_decode(std::string_view v) {
    if (v.size() < 2 || v.size() % 2 != 0) {
        return std::nullopt;
    }
    for (char c : v) {
        if (!is_hex_digit(c)) {
            return std::nullopt;
        }
    }
    std::string out;
    out.reserve(v.size() / 2);
    for (size_t i = 0; i < v.size(); i += 2) {
        const char c = static_cast<char>(hex_value(v[i]) * 16 + hex_value(v[i + 1]));
        out.push_back(c == '\0' ? ' ' : c);
    }
    return out;
}

/// Iterates `name=value` pairs of a raw key=value line (auditd, sudo). `value` has its
/// quotes removed; `quoted` says whether it had them.
template <class F>
void for_each_kv(std::string_view s, F&& f) {
    size_t i = 0;
    while (i < s.size()) {
        const size_t eq = s.find('=', i);
        if (eq == std::string_view::npos) {
            return;
        }
        size_t kb = eq;
        while (kb > i && s[kb - 1] != ' ' && s[kb - 1] != ';' && s[kb - 1] != ':') {
            --kb;
        }
        const std::string_view key = s.substr(kb, eq - kb);
        size_t vb = eq + 1;
        size_t ve = vb;
        bool quoted = false;
        if (vb < s.size() && (s[vb] == '"' || s[vb] == '\'')) {
            const char q = s[vb];
            quoted = true;
            ++vb;
            ve = s.find(q, vb);
            if (ve == std::string_view::npos) {
                ve = s.size();
            }
            i = ve + 1;
        } else {
            while (ve < s.size() && s[ve] != ' ' && s[ve] != ';') {
                ++ve;
            }
            i = ve;
        }
        if (!key.empty() && !f(key, s.substr(vb, ve - vb), quoted)) {
            return;
        }
    }
}

bool program_is(std::string_view p, std::initializer_list<std::string_view> names) {
    for (auto n : names) {
        if (iequals(p, n)) {
            return true;
        }
    }
    return false;
}

/// The token after `marker` in `s` (up to a space), empty if none.
std::string_view token_after(std::string_view s, std::string_view marker) {
    const size_t p = s.find(marker);
    if (p == std::string_view::npos) {
        return {};
    }
    const size_t b = p + marker.size();
    size_t e = b;
    while (e < s.size() && s[e] != ' ' && s[e] != ';' && s[e] != ',' && s[e] != ']') {
        ++e;
    }
    return s.substr(b, e - b);
}

} // namespace

uint32_t logsource_traits(const logsource& ls) {
    uint32_t t = 0;
    const std::string product = to_lower(ls.product);
    const std::string category = to_lower(ls.category);
    const std::string service = to_lower(ls.service);
    if (product == "linux") {
        t |= trait_linux;
    } else if (product == "apache") {
        t |= category == "webserver" ? 0U : static_cast<uint32_t>(trait_apache);
    } else if (product == "nginx") {
        t |= category == "webserver" ? 0U : static_cast<uint32_t>(trait_nginx);
    } else if (!product.empty()) {
        t |= trait_never;
    }
    if (category == "webserver") {
        t |= trait_webserver;
    } else if (category == "process_creation") {
        t |= trait_process_creation;
    } else if (category == "file_event") {
        t |= trait_file_event;
    } else if (!category.empty()) {
        t |= trait_never;
    }
    static const std::array<std::pair<std::string_view, uint32_t>, 11> k_services = {{
        {"syslog", trait_syslog},
        {"sshd", trait_sshd},
        {"auth", trait_auth},
        {"sudo", trait_sudo},
        {"cron", trait_cron},
        {"auditd", trait_auditd},
        {"apache", trait_apache},
        {"nginx", trait_nginx},
        {"vsftpd", trait_vsftpd},
        {"clamav", trait_clamav},
        {"guacamole", trait_guacamole},
    }};
    if (!service.empty()) {
        uint32_t s = trait_never;
        for (const auto& [name, bit] : k_services) {
            if (service == name) {
                s = bit;
            }
        }
        t |= s;
    }
    return t;
}

uint32_t event_traits(const event_batch& b, const event& e) {
    uint32_t t = 0;
    const auto fmt = static_cast<parse::format_id>(e.format);
    const bool web =
        fmt == parse::format_id::access || !b.field_value(e, "http.request.method").empty();
    if (web) {
        return trait_webserver;
    }
    t |= trait_linux;
    if (fmt == parse::format_id::rfc3164 || fmt == parse::format_id::rfc5424) {
        t |= trait_syslog;
    }
    const std::string_view p = e.program;
    if (p.starts_with("sshd")) {
        t |= trait_sshd | trait_auth;
    } else if (program_is(p, {"sudo"})) {
        t |= trait_sudo | trait_auth;
    } else if (program_is(p,
                          {"su", "login", "passwd", "useradd", "groupadd", "usermod", "userdel",
                           "groupmod", "groupdel", "chpasswd", "chage", "gpasswd", "systemd-logind",
                           "polkitd", "pkexec", "unix_chkpwd", "gdm-password", "chsh", "chfn"})) {
        t |= trait_auth;
    } else if (program_is(p, {"cron", "crond", "anacron", "crontab"})) {
        t |= trait_cron;
    } else if (program_is(p, {"vsftpd"})) {
        t |= trait_vsftpd;
    } else if (program_is(p, {"clamd", "freshclam", "clamav", "clamscan"})) {
        t |= trait_clamav;
    } else if (program_is(p, {"guacd", "guacamole"})) {
        t |= trait_guacamole;
    } else if (program_is(p, {"apache", "apache2", "httpd"})) {
        t |= trait_apache;
    } else if (program_is(p, {"nginx"})) {
        t |= trait_nginx;
    }
    if (e.message.find("pam_") != std::string_view::npos) {
        t |= trait_auth;
    }
    const std::string_view raw = e.raw;
    const bool audit = (raw.find("type=") != std::string_view::npos &&
                        raw.find("msg=audit(") != std::string_view::npos) ||
                       program_is(p, {"auditd", "audit"}) ||
                       !b.field_value(e, "auditd.log.record_type").empty();
    if (audit) {
        t |= trait_auditd;
        if (raw.find("type=EXECVE") != std::string_view::npos) {
            t |= trait_process_creation;
        }
        if (raw.find("type=PATH") != std::string_view::npos) {
            t |= trait_file_event;
        }
    }
    if (!b.field_value(e, "process.command_line").empty()) {
        t |= trait_process_creation;
    }
    if (!b.field_value(e, "file.path").empty()) {
        t |= trait_file_event;
    }
    return t;
}

std::string traits_to_string(uint32_t traits) {
    static const std::array<std::pair<uint32_t, std::string_view>, 16> k_names = {{
        {trait_linux, "linux"},
        {trait_syslog, "syslog"},
        {trait_sshd, "sshd"},
        {trait_auth, "auth"},
        {trait_sudo, "sudo"},
        {trait_cron, "cron"},
        {trait_auditd, "auditd"},
        {trait_webserver, "webserver"},
        {trait_apache, "apache"},
        {trait_nginx, "nginx"},
        {trait_process_creation, "process_creation"},
        {trait_file_event, "file_event"},
        {trait_vsftpd, "vsftpd"},
        {trait_clamav, "clamav"},
        {trait_guacamole, "guacamole"},
        {trait_never, "unrouted"},
    }};
    std::string out;
    for (const auto& [bit, name] : k_names) {
        if ((traits & bit) != 0) {
            if (!out.empty()) {
                out += ',';
            }
            out += name;
        }
    }
    return out.empty() ? "any" : out;
}

field_accessor resolve_field(std::string_view n) {
    field_accessor a;
    auto keys = [&a](std::initializer_list<std::string_view> ks) {
        for (auto k : ks) {
            a.keys.emplace_back(k);
        }
    };
    if (n == "c-ip" || n == "ClientIP" || n == "SourceIp" || n == "source.ip" || n == "pam_rhost" ||
        n == "rhost") {
        keys({"source.ip", "client.ip"});
        a.derive_source_ip = true;
    } else if (n == "cs-method") {
        keys({"http.request.method"});
    } else if (n == "cs-uri-query" || n == "cs-uri" || n == "url.original") {
        keys({"url.original"});
    } else if (n == "cs-uri-stem") {
        a.kind = accessor_kind::uri_stem;
        keys({"url.original", "url.path"});
    } else if (n == "sc-status") {
        keys({"http.response.status_code"});
    } else if (n == "cs-user-agent") {
        keys({"user_agent.original"});
    } else if (n == "cs-referer" || n == "cs-referrer") {
        keys({"http.request.referrer"});
    } else if (n == "cs-host") {
        keys({"url.domain", "http.request.host", "destination.domain"});
    } else if (n == "CommandLine" || n == "process.command_line") {
        keys({"process.command_line"});
        a.derive_command_line = true;
    } else if (n == "Image" || n == "process.executable") {
        keys({"process.executable", "exe", "auditd.exe", "auditd.data.exe"});
        a.kv_name = "exe";
    } else if (n == "ParentImage") {
        keys({"process.parent.executable"});
    } else if (n == "ParentCommandLine") {
        keys({"process.parent.command_line"});
    } else if (n == "User" || n == "user.name" || n == "pam_user" || n == "cs-username") {
        keys({"user.name"});
        a.derive_user = true;
    } else if (n == "USER" || n == "user.target.name") {
        keys({"user.target.name", "sudo.user", "USER"});
        a.kv_name = "USER";
    } else if (n == "TargetFilename" || n == "file.path") {
        keys({"file.path"});
        a.kv_name = "name";
    } else if (n == "DestinationIp" || n == "destination.ip") {
        keys({"destination.ip"});
    } else if (n == "DestinationPort" || n == "destination.port") {
        keys({"destination.port"});
    } else if (n == "DestinationHostname") {
        keys({"destination.domain"});
    } else if (n == "host.name" || n == "ComputerName" || n == "Computer" || n == "hostname" ||
               n == "host") {
        a.kind = accessor_kind::host;
    } else if (n == "process.name" || n == "ProcessName") {
        a.kind = accessor_kind::program;
    } else if (n == "process.pid" || n == "ProcessId") {
        a.kind = accessor_kind::pid;
    } else if (n == "message" || n == "Message") {
        a.kind = accessor_kind::message;
    } else if (n == "event.original" || n == "raw") {
        a.kind = accessor_kind::raw;
    } else {
        const std::string s(n);
        a.keys = {s, "auditd." + s, "auditd.data." + s, "auditd.log." + s};
        a.kv_name = s;
        return a;
    }
    // The name as written is also tried as a plain field key (JSON events that use
    // Sigma/Sysmon names directly, e.g. "User", "ComputerName").
    a.keys.emplace_back(n);
    return a;
}

std::string_view event_view::keep(std::string s) {
    if (scratch_used_ == scratch_.size()) {
        scratch_.emplace_back();
    }
    std::string& slot = scratch_[scratch_used_++];
    slot = std::move(s);
    return slot;
}

void event_view::reset(const event_batch& b, const event& e, uint32_t traits) {
    b_ = &b;
    e_ = &e;
    traits_ = traits;
    scratch_used_ = 0;
    cmdline_.reset();
    cmdline_done_ = false;
    hay_built_ = false;
}

void event_view::build_haystack() {
    hay_built_ = true;
    const event& e = *e_;
    hay_.clear();
    append_lower(hay_, e.raw);
    for_each_outside([&](std::string_view v) {
        hay_.push_back('\n');
        append_lower(hay_, v);
    });
    if ((traits_ & trait_auditd) != 0) {
        const bool execve = e.raw.find("type=EXECVE") != std::string_view::npos;
        for_each_kv(e.raw, [&](std::string_view k, std::string_view v, bool quoted) {
            if (!quoted && audit_hex_field(k, execve)) {
                if (auto d = audit_hex_decode(v)) {
                    hay_.push_back('\n');
                    append_lower(hay_, *d);
                }
            }
            return true;
        });
        if (auto c = derived_command_line()) {
            hay_.push_back('\n');
            append_lower(hay_, *c);
        }
    }
}

std::string_view event_view::lower(std::string_view v) {
    const char* rb = e_->raw.data();
    if (v.data() >= rb && v.data() + v.size() <= rb + e_->raw.size()) {
        return haystack().substr(static_cast<size_t>(v.data() - rb), v.size());
    }
    bool has_upper = false;
    for (char c : v) {
        has_upper = has_upper || (c >= 'A' && c <= 'Z');
    }
    return has_upper ? keep(to_lower(v)) : v;
}

std::optional<std::string_view> event_view::field(std::string_view key) const {
    for (const auto& f : b_->fields_of(*e_)) {
        if (f.key == key) {
            return f.value;
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> event_view::kv(std::string_view name) {
    if ((traits_ & (trait_auditd | trait_sudo)) == 0) {
        return std::nullopt;
    }
    std::optional<std::string_view> out;
    bool hex = false;
    for_each_kv(e_->raw, [&](std::string_view k, std::string_view v, bool quoted) {
        if (k == name) {
            out = v;
            hex = !quoted;
            return false;
        }
        return true;
    });
    if (out && hex && (traits_ & trait_auditd) != 0 &&
        audit_hex_field(name, e_->raw.find("type=EXECVE") != std::string_view::npos)) {
        if (auto d = audit_hex_decode(*out)) {
            return keep(std::move(*d));
        }
    }
    if (out && (traits_ & trait_sudo) != 0 && name == "COMMAND") {
        // sudo's COMMAND= runs to the end of the line.
        const char* end = e_->raw.data() + e_->raw.size();
        return std::string_view(out->data(), static_cast<size_t>(end - out->data()));
    }
    return out;
}

std::optional<std::string_view> event_view::derived_source_ip() {
    const std::string_view m = e_->message;
    for (std::string_view marker : {" from ", "rhost=", "Connection closed by ", "[", " by "}) {
        const std::string_view tok = token_after(m, marker);
        if (!tok.empty() && parse_ip(tok)) {
            return tok;
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> event_view::derived_user() {
    const std::string_view m = e_->message;
    static constexpr std::array<std::string_view, 9> k_markers = {"for invalid user ",
                                                                  "Invalid user ",
                                                                  "invalid user ",
                                                                  "Failed password for ",
                                                                  "Accepted password for ",
                                                                  "Accepted publickey for ",
                                                                  "for user ",
                                                                  " user=",
                                                                  "ruser="};
    for (auto marker : k_markers) {
        const std::string_view tok = token_after(m, marker);
        if (!tok.empty() && tok != "from") {
            return tok;
        }
    }
    if ((traits_ & trait_sudo) != 0) {
        // "alice : TTY=pts/0 ; PWD=... ; USER=root ; COMMAND=..."
        const size_t c = m.find(" : ");
        if (c != std::string_view::npos) {
            std::string_view u = m.substr(0, c);
            while (!u.empty() && u.front() == ' ') {
                u.remove_prefix(1);
            }
            if (!u.empty() && u.find(' ') == std::string_view::npos) {
                return u;
            }
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> event_view::derived_command_line() {
    if (cmdline_done_) {
        return cmdline_;
    }
    cmdline_done_ = true;
    if ((traits_ & trait_auditd) != 0 && e_->raw.find("type=EXECVE") != std::string_view::npos) {
        std::string cmd;
        for_each_kv(e_->raw, [&](std::string_view k, std::string_view v, bool quoted) {
            if (k.size() >= 2 && k[0] == 'a' && k[1] >= '0' && k[1] <= '9' &&
                k.find('[') == std::string_view::npos) {
                if (!cmd.empty()) {
                    cmd.push_back(' ');
                }
                auto d = quoted ? std::nullopt : audit_hex_decode(v);
                cmd += d ? std::string_view(*d) : v;
            }
            return true;
        });
        if (!cmd.empty()) {
            cmdline_ = keep(std::move(cmd));
        }
    } else if ((traits_ & trait_sudo) != 0) {
        cmdline_ = kv("COMMAND");
    }
    return cmdline_;
}

std::optional<std::string_view> event_view::get(const field_accessor& a) {
    if (a.kind != accessor_kind::keys && a.kind != accessor_kind::uri_stem) {
        // host/program/message/pid/raw: a field with the Sigma name itself wins.
        if (auto v = field(a.keys.back())) {
            return v;
        }
    }
    switch (a.kind) {
        case accessor_kind::raw:
            return e_->raw;
        case accessor_kind::message:
            return e_->message;
        case accessor_kind::host:
            if (e_->host.empty()) {
                return std::nullopt;
            }
            return e_->host;
        case accessor_kind::program:
            if (e_->program.empty()) {
                return std::nullopt;
            }
            return e_->program;
        case accessor_kind::pid:
            if (e_->pid < 0) {
                return std::nullopt;
            }
            return keep(std::to_string(e_->pid));
        case accessor_kind::uri_stem:
            for (const auto& k : a.keys) {
                if (auto v = field(k)) {
                    return v->substr(0, v->find('?'));
                }
            }
            return std::nullopt;
        case accessor_kind::keys:
            break;
    }
    for (const auto& k : a.keys) {
        if (auto v = field(k)) {
            return v;
        }
    }
    if (a.derive_command_line) {
        if (auto v = derived_command_line()) {
            return v;
        }
    }
    if (a.derive_source_ip && (traits_ & (trait_auth | trait_sshd | trait_linux)) != 0) {
        if (auto v = derived_source_ip()) {
            return v;
        }
    }
    if (a.derive_user && (traits_ & (trait_auth | trait_sshd | trait_sudo)) != 0) {
        if (auto v = derived_user()) {
            return v;
        }
    }
    if (!a.kv_name.empty()) {
        return kv(a.kv_name);
    }
    return std::nullopt;
}

} // namespace sysgrok::security
