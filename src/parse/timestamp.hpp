// src/parse/timestamp.hpp — the timestamp recogniser: finds and parses a timestamp in
// any common log form near the start of a line (hand-written scanning, no regex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/event.hpp"
#include "parse/parser.hpp"

namespace sysgrok::parse {

/// The calendar fields of a recognised timestamp, before zone and year resolution.
struct timestamp_parts {
    int64_t year = 0; ///< 0 = the text carries no year (syslog, logcat, Proxifier)
    unsigned month = 1;
    unsigned day = 1;
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
    uint32_t nanos = 0;
    int32_t offset_s = k_no_offset; ///< zone offset stated in the text (Z = 0)
    int64_t epoch_ns = k_no_time;   ///< set instead of the fields for epoch forms
};

/// Which written form was recognised (for tests and for format-specific checks).
enum class timestamp_form : uint8_t {
    iso8601,       ///< 2024-01-05T10:00:00.123+01:00, 2015-10-18 18:01:47,978
    slash_ymd,     ///< 2009/11/10 23:00:00 (Go)
    dot_ymd,       ///< 2005.06.03 15:42:50
    bgl,           ///< 2005-06-03-15.42.50.675872
    syslog,        ///< Jan  5 10:00:00 (optionally followed by a year)
    asctime,       ///< Sun Dec 04 04:47:44 2005
    clf,           ///< 10/Oct/2000:13:55:36 -0700 (Apache/Nginx access logs)
    compact_ymd,   ///< 081109 203615 (HDFS)
    short_ymd,     ///< 17/06/09 20:10:40 (Spark)
    us_mdy,        ///< 10/05/2024 10:00:00
    eu_dmy,        ///< 05.10.2024 10:00:00
    month_day,     ///< 03-17 16:13:38.811 (Android logcat)
    dot_month_day, ///< 10.30 16:49:06 (Proxifier)
    klog,          ///< I0312 10:00:00.123456 (the letter is the level)
    epoch_s,       ///< 1117838570 (10 digits, optional fraction)
    epoch_ms,      ///< 1117838570123 (13 digits)
};

/// A recognised timestamp: its parts and the byte span [begin, end) in the text
/// (brackets included when the timestamp was bracketed).
struct timestamp_match {
    timestamp_parts parts;
    size_t begin = 0;
    size_t end = 0;
    timestamp_form form = timestamp_form::iso8601;
    char level_letter = 0; ///< klog's leading I/W/E/F, 0 otherwise
};

/// Parses a timestamp that starts exactly at `pos` (an optional '[' included).
std::optional<timestamp_match> parse_timestamp_at(std::string_view text, size_t pos);

/// Finds the first timestamp that starts at a token boundary within the first
/// `max_bytes` bytes and the first `max_tokens` tokens of `text`.
std::optional<timestamp_match>
find_timestamp(std::string_view text, size_t max_bytes = 160, size_t max_tokens = 10);

/// Parses a complete string as a timestamp (JSON values, header fields): a written
/// form at the start, or a plain epoch number in s/ms/us/ns (by magnitude).
std::optional<timestamp_parts> parse_timestamp_value(std::string_view text);

/// Epoch seconds (possibly fractional) or ms/us/ns by magnitude, as UTC nanoseconds.
std::optional<int64_t> epoch_number_to_ns(std::string_view number);

/// Nanoseconds since the epoch (UTC) for the parts: applies the stated offset (or
/// `options.default_utc_offset_s`), and infers the year of yearless timestamps from
/// `state` (reference time, Dec -> Jan roll-over, `options.year`). `offset_out`
/// receives the stated offset or k_no_offset. Returns k_no_time for invalid dates.
int64_t resolve_timestamp(const timestamp_parts& parts, parse_state& state, int32_t& offset_out);

/// Three-letter English month name at the start of `s` (case-insensitive) -> 1..12, else 0.
unsigned month_from_name(std::string_view s);

} // namespace sysgrok::parse
