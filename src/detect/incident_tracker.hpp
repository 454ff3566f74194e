// src/detect/incident_tracker.hpp — incidents in real time: the grouping of
// build_incidents (incident_builder.hpp), one finding at a time, for `sysgrok watch`.
//
// A finding joins the first open incident it belongs with, or opens one. An incident
// stays open while findings keep coming within `gap_ns` of its end; expire() closes those
// idle longer (by the clock the caller passes: detector time or wall time) and hands them
// over finished. Each update says whether the incident is new or reached a higher level,
// which is when a monitor should speak up. Memory: the open incidents only, each with at
// most `max_findings_per_incident` findings kept (the others are counted).
#pragma once

#include <cstdint>
#include <vector>

#include "detect/finding.hpp"
#include "detect/incident_builder.hpp"

namespace sysgrok::detect {

class incident_tracker {
  public:
    explicit incident_tracker(incident_config c = {}) : config_(c) {}

    struct update {
        uint64_t id = 0;       ///< incident number, from 1, in order of opening
        bool opened = false;   ///< this finding opened the incident
        bool raised = false;   ///< the incident's level went up (or it is new)
        const incident* inc{}; ///< valid until the next add/expire/close_all
        uint64_t findings = 0; ///< findings in the incident, kept or not
    };

    /// Adds a finding; its start time also moves the clock.
    update add(finding f);

    struct closed {
        uint64_t id = 0;
        uint64_t findings = 0;
        incident inc; ///< finalised (findings ordered, score, level)
    };
    /// Closes the incidents whose last finding ended more than `gap_ns` before `now_ns`.
    std::vector<closed> expire(int64_t now_ns);
    /// Closes every open incident (end of the stream).
    std::vector<closed> close_all();

    [[nodiscard]] size_t open_count() const { return open_.size(); }

  private:
    struct entry {
        uint64_t id = 0;
        uint64_t findings = 0;
        incident inc;
    };
    incident_config config_;
    std::vector<entry> open_;
    uint64_t next_id_ = 1;
};

} // namespace sysgrok::detect
