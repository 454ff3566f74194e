// src/detect/finding.cpp — names of finding kinds and alert levels.
#include "detect/finding.hpp"

namespace sysgrok::detect {

std::string_view alert_level_name(alert_level l) {
    switch (l) {
        case alert_level::low:
            return "low";
        case alert_level::medium:
            return "medium";
        case alert_level::high:
            return "high";
        case alert_level::critical:
            return "critical";
    }
    return "low";
}

std::string_view finding_rule_id(finding_kind k) {
    switch (k) {
        case finding_kind::new_template:
            return "sysgrok.new_template";
        case finding_kind::first_error:
            return "sysgrok.first_error";
        case finding_kind::rare_template:
            return "sysgrok.rare_template";
        case finding_kind::spike:
            return "sysgrok.spike";
        case finding_kind::dip:
            return "sysgrok.dip";
        case finding_kind::disappearance:
            return "sysgrok.disappearance";
        case finding_kind::error_burst:
            return "sysgrok.error_burst";
        case finding_kind::numeric_param:
            return "sysgrok.numeric_param";
        case finding_kind::new_param_value:
            return "sysgrok.new_param_value";
        case finding_kind::external:
            return "external";
    }
    return "sysgrok.unknown";
}

std::string_view finding_rule_name(finding_kind k) {
    switch (k) {
        case finding_kind::new_template:
            return "New message template";
        case finding_kind::first_error:
            return "First occurrence of an error template";
        case finding_kind::rare_template:
            return "Rare message template";
        case finding_kind::spike:
            return "Message rate spike";
        case finding_kind::dip:
            return "Message rate dip";
        case finding_kind::disappearance:
            return "Steady message stopped";
        case finding_kind::error_burst:
            return "Error burst";
        case finding_kind::numeric_param:
            return "Numeric parameter out of range";
        case finding_kind::new_param_value:
            return "New parameter value";
        case finding_kind::external:
            return "External rule";
    }
    return "Unknown";
}

} // namespace sysgrok::detect
