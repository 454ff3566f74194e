// src/detect/incident_tracker.cpp — streaming incident grouping.
#include "detect/incident_tracker.hpp"

#include <algorithm>

namespace sysgrok::detect {

incident_tracker::update incident_tracker::add(finding f) {
    if (f.end_ns == k_no_time || f.end_ns < f.start_ns) {
        f.end_ns = f.start_ns;
    }
    entry* pick = nullptr;
    for (auto& e : open_) {
        if (e.inc.end_ns + config_.gap_ns >= f.start_ns && joins(e.inc, f, config_)) {
            pick = &e;
            break;
        }
    }
    update u;
    if (pick == nullptr) {
        open_.push_back(entry{next_id_++, 0, incident{}});
        pick = &open_.back();
        u.opened = true;
    }
    const alert_level before = pick->inc.level;
    ++pick->findings;
    if (pick->inc.findings.size() < config_.max_findings_per_incident) {
        absorb(pick->inc, std::move(f));
    } else {
        // keep the evidence bounded: only the time range and level still grow
        pick->inc.start_ns = std::min(pick->inc.start_ns, f.start_ns);
        pick->inc.end_ns = std::max(pick->inc.end_ns, f.end_ns);
        pick->inc.level = std::max(pick->inc.level, f.level);
    }
    finalize(pick->inc, config_);
    u.id = pick->id;
    u.raised = u.opened || pick->inc.level > before;
    u.inc = &pick->inc;
    u.findings = pick->findings;
    return u;
}

std::vector<incident_tracker::closed> incident_tracker::expire(int64_t now_ns) {
    std::vector<closed> out;
    std::erase_if(open_, [&](entry& e) {
        if (e.inc.end_ns + config_.gap_ns >= now_ns) {
            return false;
        }
        out.push_back(closed{e.id, e.findings, std::move(e.inc)});
        return true;
    });
    return out;
}

std::vector<incident_tracker::closed> incident_tracker::close_all() {
    std::vector<closed> out;
    out.reserve(open_.size());
    for (auto& e : open_) {
        out.push_back(closed{e.id, e.findings, std::move(e.inc)});
    }
    open_.clear();
    return out;
}

} // namespace sysgrok::detect
