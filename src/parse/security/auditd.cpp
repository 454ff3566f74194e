// Linux audit records: "type=T msg=audit(SECS.MS:SERIAL): k=v ... msg='k=v ...'". Raw keys
// become "auditd.KEY" fields (hex-encoded values decoded); the common ones are also mapped
// onto ECS fields (event.*, user.name, source.ip, process.executable, process.command_line).
#include <array>
#include <string>

#include "parse/security/extract.hpp"

namespace sysgrok::parse::security {

namespace {

struct kv {
    std::string_view key;
    std::string_view value;
    bool quoted = false;
};

constexpr size_t k_max_kv = 48;

struct record_kvs {
    std::array<kv, k_max_kv> items{};
    size_t size = 0;
    std::string_view stamp; ///< "SECS.MS:SERIAL"

    [[nodiscard]] const kv* find(std::string_view key) const {
        for (size_t i = 0; i < size; ++i) {
            if (items[i].key == key) {
                return &items[i];
            }
        }
        return nullptr;
    }
};

void scan(std::string_view s, record_kvs& r, int depth) {
    size_t p = 0;
    while (p < s.size() && r.size < k_max_kv) {
        p = skip_spaces(s, p);
        const size_t ks = p;
        while (p < s.size() && s[p] != '=' && s[p] != ' ') {
            ++p;
        }
        if (p >= s.size() || s[p] != '=') {
            const std::string_view tok = s.substr(ks, p - ks);
            if (tok.starts_with("audit(")) {
                r.stamp = until(tok.substr(6), ")");
            }
            p = token_end(s, p);
            continue;
        }
        kv item;
        item.key = s.substr(ks, p - ks);
        ++p;
        if (p < s.size() && (s[p] == '"' || s[p] == '\'')) {
            const char q = s[p];
            size_t e = s.find(q, p + 1);
            if (e == std::string_view::npos) {
                e = s.size();
            }
            item.value = s.substr(p + 1, e - p - 1);
            p = e + 1;
            if (q == '\'' && depth == 0) {
                scan(item.value, r, 1); // msg='op=... acct="root" res=failed'
                continue;
            }
            item.quoted = true;
        } else {
            const size_t e = token_end(s, p);
            item.value = s.substr(p, e - p);
            p = e;
        }
        if (item.key == "msg" && item.value.starts_with("audit(")) {
            r.stamp = until(item.value.substr(6), ")");
            continue;
        }
        r.items[r.size++] = item;
    }
}

bool is_hex_upper(char c) {
    return is_digit(c) || (c >= 'A' && c <= 'F');
}

int hex_val(char c) {
    return is_digit(c) ? c - '0' : c - 'A' + 10;
}

/// auditd writes values with spaces or special bytes as upper-case hex; NULs separate
/// arguments (proctitle) and become spaces.
bool decode_hex(std::string_view v, std::string& out) {
    if (v.size() < 2 || v.size() % 2 != 0) {
        return false;
    }
    for (const char c : v) {
        if (!is_hex_upper(c)) {
            return false;
        }
    }
    out.clear();
    for (size_t i = 0; i < v.size(); i += 2) {
        const char c = static_cast<char>(hex_val(v[i]) * 16 + hex_val(v[i + 1]));
        out.push_back(c == '\0' ? ' ' : c);
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return true;
}

bool may_be_encoded(std::string_view key, bool execve) {
    return key == "acct" || key == "exe" || key == "comm" || key == "name" || key == "cwd" ||
           key == "cmd" || key == "proctitle" || key == "data" || key == "new-user" ||
           (execve && key.size() >= 2 && key[0] == 'a' && is_digit(key[1]));
}

struct type_map {
    std::string_view type, category, event_type, action;
};

constexpr std::array k_types{
    type_map{"ADD_USER", "iam", "creation", "user_added"},
    type_map{"DEL_USER", "iam", "deletion", "user_deleted"},
    type_map{"ADD_GROUP", "iam", "creation", "group_added"},
    type_map{"DEL_GROUP", "iam", "deletion", "group_deleted"},
    type_map{"USER_MGMT", "iam", "change", "user_modified"},
    type_map{"GRP_MGMT", "iam", "change", "group_modified"},
    type_map{"USER_CHAUTHTOK", "iam", "change", "password_changed"},
    type_map{"USER_AUTH", "authentication", "start", "user_authentication"},
    type_map{"USER_ACCT", "authentication", "info", "user_authorization"},
    type_map{"USER_LOGIN", "authentication", "start", "user_login"},
    type_map{"USER_LOGOUT", "session", "end", "user_logout"},
    type_map{"USER_START", "session", "start", "session_started"},
    type_map{"USER_END", "session", "end", "session_ended"},
    type_map{"USER_ERR", "authentication", "info", "user_error"},
    type_map{"CRED_ACQ", "authentication", "info", "credentials_acquired"},
    type_map{"CRED_DISP", "authentication", "info", "credentials_disposed"},
    type_map{"CRED_REFR", "authentication", "info", "credentials_refreshed"},
    type_map{"USER_CMD", "process", "start", "user_command"},
    type_map{"EXECVE", "process", "start", "executed"},
    type_map{"SYSCALL", "process", "info", "syscall"},
    type_map{"PROCTITLE", "process", "info", "proctitle"},
    type_map{"SERVICE_START", "process", "start", "service_started"},
    type_map{"SERVICE_STOP", "process", "end", "service_stopped"},
    type_map{"ANOM_ABEND", "process", "end", "abnormal_end"},
    type_map{"CONFIG_CHANGE", "configuration", "change", "audit_config_changed"},
};

void set_time(event& e, std::string_view stamp) {
    if (e.ts_ns != k_no_time) {
        return;
    }
    const size_t dot = stamp.find('.');
    const size_t colon = stamp.find(':');
    int64_t secs = 0;
    int64_t ms = 0;
    if (dot == std::string_view::npos || colon == std::string_view::npos || colon < dot ||
        !parse_uint(stamp.substr(0, dot), secs) ||
        !parse_uint(stamp.substr(dot + 1, colon - dot - 1), ms) || colon - dot - 1 != 3 ||
        secs > 9000000000) { // beyond year 2255: not an audit timestamp
        return;
    }
    e.ts_ns = secs * 1000000000 + ms * 1000000;
}

} // namespace

bool extract_auditd(field_writer& w, std::string_view msg) {
    record_kvs r;
    scan(msg, r, 0);
    const kv* type = r.find("type");
    if (type == nullptr || r.stamp.empty()) {
        return false;
    }
    set_time(w.ev(), r.stamp);
    w.check_duplicates(); // a record may repeat a key
    const bool execve = type->value == "EXECVE";
    std::string buf;
    // ECS first (the per-event field cap keeps the first fields).
    std::string_view outcome;
    if (const kv* res = r.find("res")) {
        outcome = res->value == "success" ? "success" : (res->value == "failed" ? "failure" : "");
    } else if (const kv* ok = r.find("success")) {
        outcome = ok->value == "yes" ? "success" : (ok->value == "no" ? "failure" : "");
    }
    const type_map* mapped = nullptr;
    for (const auto& t : k_types) {
        if (t.type == type->value) {
            w.add_event(t.category, t.event_type, t.action, outcome);
            mapped = &t;
            break;
        }
    }
    if (mapped == nullptr) {
        w.add("event.category", "host");
        w.add("event.type", "info");
        w.add("event.outcome", outcome);
    }
    const auto decoded = [&](const kv& item) -> std::string_view {
        if (!item.quoted && may_be_encoded(item.key, execve) && decode_hex(item.value, buf)) {
            return w.batch().strings.add(buf);
        }
        return item.value;
    };
    const auto value_of = [&](std::string_view key) -> std::string_view {
        const kv* item = r.find(key);
        if (item == nullptr || item->value == "?" || item->value == "(null)") {
            return {};
        }
        return decoded(*item);
    };
    if (w.ev().host.empty()) {
        w.ev().host = value_of("node");
    }
    w.add("user.name", value_of("acct"));
    if (mapped != nullptr && mapped->category == "iam") {
        w.add("user.target.id", value_of("id")); // the account added, changed or removed
        w.add("user.id", value_of("uid"));
    } else {
        w.add("user.id", value_of("id").empty() ? value_of("uid") : value_of("id"));
    }
    w.add("user.audit.id", value_of("auid"));
    w.add("process.executable", value_of("exe"));
    // "hostname" names the local machine for terminal sessions; only addr is the peer.
    w.add_source(value_of("addr"));
    if (execve) {
        std::string cmd;
        for (size_t i = 0; i < r.size; ++i) {
            const kv& item = r.items[i];
            if (item.key.size() >= 2 && item.key[0] == 'a' && is_digit(item.key[1]) &&
                count_digits(item.key, 1) == item.key.size() - 1) {
                if (!cmd.empty()) {
                    cmd += ' ';
                }
                cmd += decoded(item);
            }
        }
        w.add_copy("process.command_line", cmd);
    } else if (type->value == "PROCTITLE") {
        w.add("process.command_line", value_of("proctitle"));
    } else if (type->value == "USER_CMD") {
        w.add("process.command_line", value_of("cmd"));
    }
    w.add("auditd.sequence", r.stamp.substr(r.stamp.find(':') + 1));
    std::string key;
    for (size_t i = 0; i < r.size; ++i) {
        key.assign("auditd.");
        key += r.items[i].key;
        w.add(w.batch().strings.add(key), decoded(r.items[i]));
    }
    return true;
}

} // namespace sysgrok::parse::security
