// src/parse/security/enrich.hpp — security field extraction: ECS fields (event.category,
// event.action, event.outcome, source.ip, user.name, ...) for sshd, PAM, sudo, su, account
// tools, cron, systemd, auditd, kernel firewall and segfault lines and Apache/Nginx error
// log authentication lines. Runs once per event in the shared record loop.
#pragma once

#include "core/event.hpp"
#include "parse/security/session_memory.hpp"

namespace sysgrok::parse {

/// Appends the security fields of `e` to `out.fields`. `e`'s fields must be the last ones
/// in `out.fields` (its field_count is computed by the caller afterwards). Values are views
/// into the event's text or strings added to `out.strings`.
void enrich_security(event& e, event_batch& out, session_memory& sessions);

} // namespace sysgrok::parse
