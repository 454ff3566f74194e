// src/security/field_map.hpp — Sigma field names and logsources mapped onto sysgrok events.
//
// Routing: each event gets a set of logsource traits (event_traits) from its format,
// program and fields; a rule runs on an event only when every trait its `logsource`
// asks for is present (logsource_traits):
//   product linux      every event that is not a web access-log line
//   service syslog     rfc3164 / rfc5424 events
//   service sshd|sudo|cron|vsftpd|clamav|guacamole   the event's program
//   service auth       sshd, sudo, su, login, passwd, user/group tools, polkit, logind,
//                      or a message with "pam_"
//   service auditd     a `type=... msg=audit(...)` record (raw line or program auditd)
//   category webserver access-log format, or an event with http.request.method
//   service/product apache, nginx   program apache2/httpd or nginx (error logs)
//   category process_creation  auditd EXECVE records, events with process.command_line
//   category file_event        auditd PATH records, events with file.path
//   other values (windows, network_connection, ...) route to nothing: the rule
//   loads but never runs; `rules list` shows it.
//
// Fields: see resolve_field(). Lookup is tolerant: a plain name is tried as an event
// field key, then "auditd.<name>", "auditd.data.<name>", and on auditd and sudo events
// as a `name=value` pair in the raw line (auditd hex values decoded).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "security/prefilter.hpp"

namespace sysgrok::security {

enum trait : uint32_t {
    trait_linux = 1U << 0,
    trait_syslog = 1U << 1,
    trait_sshd = 1U << 2,
    trait_auth = 1U << 3,
    trait_sudo = 1U << 4,
    trait_cron = 1U << 5,
    trait_auditd = 1U << 6,
    trait_webserver = 1U << 7,
    trait_apache = 1U << 8,
    trait_nginx = 1U << 9,
    trait_process_creation = 1U << 10,
    trait_file_event = 1U << 11,
    trait_vsftpd = 1U << 12,
    trait_clamav = 1U << 13,
    trait_guacamole = 1U << 14,
    trait_never = 1U << 31, ///< a logsource sysgrok has no events for
};

struct logsource {
    std::string product;
    std::string category;
    std::string service;
};

/// Traits a rule's logsource requires (trait_never when sysgrok cannot route to it).
uint32_t logsource_traits(const logsource& ls);

/// Traits of one event.
uint32_t event_traits(const event_batch& b, const event& e);

/// Human-readable trait list ("linux,sshd").
std::string traits_to_string(uint32_t traits);

enum class accessor_kind : uint8_t {
    raw,
    message,
    host,
    program,
    pid,
    keys,     ///< the first of `keys` present in the event's fields (then fallbacks)
    uri_stem, ///< url.original up to '?'
};

/// How to find one Sigma field in an event.
struct field_accessor {
    accessor_kind kind = accessor_kind::keys;
    std::vector<std::string> keys;
    std::string kv_name; ///< name=value in raw auditd/sudo lines; empty = none
    bool derive_source_ip = false;
    bool derive_user = false;
    bool derive_command_line = false; ///< auditd EXECVE argv, sudo COMMAND=
    bool derive_target_user = false;  ///< sudo USER=
};

/// Maps a Sigma field name (W3C webserver names, Sysmon-style names, auditd keys,
/// ECS names) to an accessor.
field_accessor resolve_field(std::string_view sigma_name);

/// One event prepared for matching: lower-cased text, derived values and the
/// prefilter haystack. Views returned stay valid until the next reset(). The lower-cased
/// copy is only made when a rule needs it: most lines wake no rule.
class event_view {
  public:
    void reset(const event_batch& b, const event& e, uint32_t traits);

    /// Runs the prefilter over everything the haystack holds, without building it.
    template <class F>
    void scan(const literal_prefilter& p, F&& hit) {
        if ((traits_ & trait_auditd) != 0) {
            p.scan(haystack(), hit); // decoded audit values are only in the haystack
            return;
        }
        p.scan(e_->raw, hit);
        for_each_outside([&](std::string_view v) { p.scan(v, hit); });
    }

    [[nodiscard]] const event& ev() const { return *e_; }
    [[nodiscard]] const event_batch& batch() const { return *b_; }
    [[nodiscard]] uint32_t traits() const { return traits_; }
    [[nodiscard]] std::string_view raw() const { return e_->raw; }
    [[nodiscard]] std::string_view raw_lower() {
        return std::string_view(haystack()).substr(0, e_->raw.size());
    }
    /// Lower-cased raw line plus every value not contained in it, '\n'-separated.
    [[nodiscard]] std::string_view haystack() {
        if (!hay_built_) {
            build_haystack();
        }
        return hay_;
    }

    /// The field's value; nullopt when absent.
    std::optional<std::string_view> get(const field_accessor& a);
    /// `v` lower-cased (a view into the haystack when possible).
    std::string_view lower(std::string_view v);

  private:
    void build_haystack();
    /// Calls f(value) for the event's values that are not views into its raw line.
    template <class F>
    void for_each_outside(F&& f) const {
        const char* rb = e_->raw.data();
        const char* re = rb + e_->raw.size();
        auto outside = [&](std::string_view v) {
            if (!v.empty() && (v.data() < rb || v.data() + v.size() > re)) {
                f(v);
            }
        };
        for (const auto& fv : b_->fields_of(*e_)) {
            outside(fv.value);
        }
        outside(e_->message);
        outside(e_->host);
        outside(e_->program);
    }
    std::string_view keep(std::string s);
    std::optional<std::string_view> kv(std::string_view name);
    std::optional<std::string_view> field(std::string_view key) const;
    std::optional<std::string_view> derived_source_ip();
    std::optional<std::string_view> derived_user();
    std::optional<std::string_view> derived_command_line();

    const event_batch* b_ = nullptr;
    const event* e_ = nullptr;
    uint32_t traits_ = 0;
    std::string hay_;
    bool hay_built_ = false;
    std::deque<std::string> scratch_;
    size_t scratch_used_ = 0;
    std::optional<std::string_view> cmdline_;
    bool cmdline_done_ = false;
};

} // namespace sysgrok::security
