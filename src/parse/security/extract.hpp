// src/parse/security/extract.hpp — internals of the security extractors: the field writer
// and small text helpers shared by the per-program files.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/event.hpp"
#include "parse/record_parser.hpp"
#include "parse/scan.hpp"
#include "parse/security/session_memory.hpp"

namespace sysgrok::parse::security {

/// Appends fields to the event being parsed (the last fields of the batch). Empty values are
/// skipped and the per-event cap holds. When the parser gave the event fields of its own (or
/// after check_duplicates()), a key the event already has is not added again; otherwise the
/// extractors add each key once by construction, and the check is skipped for speed.
class field_writer {
  public:
    field_writer(event& e, event_batch& out)
        : e_(e), out_(out), checked_(out.fields.size() > e.field_begin) {}

    void check_duplicates() { checked_ = true; }

    void add(std::string_view key, std::string_view value);
    /// Adds a copy of `value` (for text built on the fly).
    void add_copy(std::string_view key, std::string_view value);
    [[nodiscard]] bool has(std::string_view key) const;
    /// Adds source.ip (an IP address, "::ffff:" and brackets stripped) or source.domain.
    void add_source(std::string_view addr);
    void add_source(std::string_view addr, std::string_view port);
    /// event.category, event.type, event.action and, when not empty, event.outcome.
    void add_event(std::string_view category,
                   std::string_view type,
                   std::string_view action,
                   std::string_view outcome);

    /// The last address given to add_source (the client of sshd lines).
    [[nodiscard]] std::string_view client() const { return client_; }
    [[nodiscard]] event& ev() const { return e_; }
    [[nodiscard]] event_batch& batch() const { return out_; }

  private:
    event& e_;
    event_batch& out_;
    bool checked_;
    std::string_view client_;
};

inline bool contains(std::string_view s, std::string_view p) {
    return s.find(p) != std::string_view::npos;
}

/// Removes `p` from the front of `s` when present; true if it was.
inline bool consume(std::string_view& s, std::string_view p) {
    if (!s.starts_with(p)) {
        return false;
    }
    s.remove_prefix(p.size());
    return true;
}

/// Text between `s`'s start and the first occurrence of `delim` (all of `s` if none).
inline std::string_view until(std::string_view s, std::string_view delim) {
    const size_t p = s.find(delim);
    return p == std::string_view::npos ? s : s.substr(0, p);
}

/// The value of "key=value" in a "k1=v1 k2=v2" or "k1=v1, k2=v2" list: up to the next space,
/// ',' or ';'. Empty if absent. `key` must include the '='.
std::string_view kv_value(std::string_view s, std::string_view key);

/// An address as logs write it, normalised: "[v6]" brackets, "::ffff:" IPv4-mapped prefix
/// and a trailing ':' or ',' removed.
std::string_view clean_addr(std::string_view a);

/// True for something that can be a host name or address (no spaces, quotes or brackets).
bool plausible_host(std::string_view a);

/// The extractors. Each returns false when the line is not one it knows.
bool extract_sshd(field_writer& w, std::string_view msg, session_memory& sessions);
bool extract_pam(field_writer& w, std::string_view program, std::string_view msg);
bool extract_sudo(field_writer& w, std::string_view msg);
bool extract_su(field_writer& w, std::string_view msg);
bool extract_account(field_writer& w, std::string_view program, std::string_view msg);
bool extract_cron(field_writer& w, std::string_view msg);
bool extract_systemd(field_writer& w, std::string_view msg);
bool extract_kernel(field_writer& w, std::string_view msg);
bool extract_auditd(field_writer& w, std::string_view msg);
bool extract_apache_error(field_writer& w, std::string_view raw);
bool extract_nginx_error(field_writer& w, std::string_view raw);

} // namespace sysgrok::parse::security
