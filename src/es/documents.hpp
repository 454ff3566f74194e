// src/es/documents.hpp — events and findings as `_bulk` action/source line pairs.
//
// Every document carries its own `_id` so that a retried or replayed request never
// duplicates: events use the parser's stable event id (hash of input path, line and
// text), findings a hash of what identifies them (rule, window, host, service,
// templates, detail). The action is `create` (the only one data streams accept); a 409
// answer means "already there".
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "detect/finding.hpp"
#include "sink/ecs_json.hpp"

namespace sysgrok::es {

/// 16 lowercase hex digits.
std::string hex_id(uint64_t id);

class event_documents {
  public:
    /// `original`: also write the whole record as event.original (stored, not indexed)
    /// when it differs from the message, so that --from-es sees the same lines.
    event_documents(std::string index, std::vector<std::string> paths, bool original = true)
        : index_(std::move(index)), formatter_(std::move(paths), {}), original_(original) {}

    /// Input paths and formats may grow during a run (formats are known after the first
    /// block of an input; --from-es finds paths as it reads).
    void set_inputs(std::vector<std::string> paths, std::vector<std::string> formats) {
        formatter_ = sink::ecs_json_formatter(std::move(paths), std::move(formats));
    }

    /// Appends two lines per event. `template_ids[i]` belongs to batch.events[i] (may be
    /// empty); `template_text(id)` gives its text (may be null).
    void append(std::string& out,
                const event_batch& batch,
                std::span<const uint32_t> template_ids,
                std::string_view (*template_text)(const void*, uint32_t),
                const void* ctx);

  private:
    std::string index_;
    sink::ecs_json_formatter formatter_;
    bool original_ = true;
    int64_t last_ts_ = k_no_time; ///< stands in for events without a timestamp
};

/// Stable id of a finding (same finding, same id, in every run).
uint64_t finding_id(const detect::finding& f);

/// Appends one finding as an ECS alert (event.kind "alert", event.severity 21/47/73/99,
/// rule.*, observer.*, sysgrok.*). `incident` is the incident's 1-based number in the
/// run (0: none); `paths` names the inputs of evidence lines; `now_ns` fills event.ingested.
void append_finding(std::string& out,
                    std::string_view index,
                    const detect::finding& f,
                    uint64_t incident_id,
                    std::span<const std::string> paths,
                    int64_t now_ns);

} // namespace sysgrok::es
