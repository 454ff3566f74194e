// src/core/time.hpp — calendar arithmetic and ISO 8601 formatting (UTC).
#pragma once

#include <cstdint>
#include <string>

namespace sysgrok {

/// Days since 1970-01-01 for a proleptic Gregorian date (month 1-12, day 1-31).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

/// Inverse of days_from_civil.
void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day);

/// True when the fields form a real date and time of day (leap seconds allowed as :60).
bool valid_civil(
    int64_t year, unsigned month, unsigned day, unsigned hour, unsigned minute, unsigned second);

/// Nanoseconds since the epoch, for a date and time in UTC.
int64_t to_epoch_ns(int64_t year,
                    unsigned month,
                    unsigned day,
                    unsigned hour,
                    unsigned minute,
                    unsigned second,
                    uint32_t nanos);

/// "2024-01-31T12:00:00.123Z": milliseconds shown only when non-zero,
/// microseconds only when they are non-zero.
std::string format_iso8601_utc(int64_t ts_ns);

/// Appends format_iso8601_utc(ts_ns) to `out` without allocating a temporary.
void append_iso8601_utc(std::string& out, int64_t ts_ns);

} // namespace sysgrok
