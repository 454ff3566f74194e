// src/security/finding_format.hpp — findings as JSON lines and as text.
#pragma once

#include <string>
#include <vector>

#include "detect/finding.hpp"
#include "security/finding.hpp"

namespace sysgrok::security {

/// One JSON object (no trailing newline): rule.id, rule.name, rule.title, rule.level,
/// kind, tags, entities {source.ip, user.name, host.name, group-by fields}, event_count,
/// first/last timestamps and evidence [{file, line, id, ts, raw}]. `paths[input]` names
/// each evidence line's file.
void append_finding_json(std::string& out, const finding& f, const std::vector<std::string>& paths);

/// Human-readable block: a header line and indented "file:line: raw" evidence lines.
void append_finding_text(std::string& out, const finding& f, const std::vector<std::string>& paths);

/// The finding as a detector finding (kind external, rule.id "sigma:<rule id>", the title as
/// rule name, the Sigma level, entities and ATT&CK technique tags as detail, up to five
/// evidence lines), so that it joins incidents with the detectors' findings.
detect::finding to_detect_finding(const finding& f);

} // namespace sysgrok::security
