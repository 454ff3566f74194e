// src/security/finding_format.hpp — findings as JSON lines and as text.
#pragma once

#include <string>
#include <vector>

#include "security/finding.hpp"

namespace sysgrok::security {

/// One JSON object (no trailing newline): rule.id, rule.name, rule.title, rule.level,
/// kind, tags, entities {source.ip, user.name, host.name, group-by fields}, event_count,
/// first/last timestamps and evidence [{file, line, id, ts, raw}]. `paths[input]` names
/// each evidence line's file.
void append_finding_json(std::string& out, const finding& f, const std::vector<std::string>& paths);

/// Human-readable block: a header line and indented "file:line: raw" evidence lines.
void append_finding_text(std::string& out, const finding& f, const std::vector<std::string>& paths);

} // namespace sysgrok::security
