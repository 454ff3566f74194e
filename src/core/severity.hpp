// src/core/severity.hpp — RFC 5424 severities.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sysgrok {

/// RFC 5424 severity levels (numeric values are the RFC's), plus `none`
/// for events whose line carries no level.
enum class severity : uint8_t {
    emergency = 0,
    alert = 1,
    critical = 2,
    error = 3,
    warning = 4,
    notice = 5,
    info = 6,
    debug = 7,
    none = 255,
};

/// RFC 5424 keyword: "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug".
std::string_view severity_name(severity s);

/// Maps a level word as written in logs (INFO, Warn, E, [error], FATAL, SEVERE, TRACE,
/// notice, crit, panic, ...) to a severity. Case-insensitive. Single letters are
/// accepted only when `allow_letter` is set (logcat/klog: V D I W E F A).
std::optional<severity> severity_from_word(std::string_view word, bool allow_letter = false);

/// Severity from an RFC 5424/3164 PRI value (facility*8 + severity).
inline severity severity_from_pri(int pri) {
    return static_cast<severity>(pri & 7);
}

} // namespace sysgrok
