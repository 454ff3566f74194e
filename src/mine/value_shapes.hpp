// src/mine/value_shapes.hpp — recognisers for the shapes of variable values.
//
// Small, allocation-free predicates used by the token scanner: host names, UUIDs, IPv6
// and MAC addresses, ISO dates, e-mail addresses, clock times, month and weekday names,
// size units and booleans. Each looks at one token (or part of one) only.
#pragma once

#include <string_view>

namespace sysgrok::mine::shapes {

[[nodiscard]] bool is_hex(char c);
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);
/// true, false, null (any case).
[[nodiscard]] bool is_boolean_word(std::string_view s);
/// B, KB, MB, GB, TB, PB, kB, KiB .. TiB, K, M, G (a unit after a number: "5.2 KB").
[[nodiscard]] bool is_size_unit(std::string_view s);
/// [+-]digits[.digits]
[[nodiscard]] bool is_plain_number(std::string_view s);
/// A dotted name of at least three labels ending in a top-level domain.
[[nodiscard]] bool is_hostname(std::string_view s);
/// 8-4-4-4-12 hex digits.
[[nodiscard]] bool is_uuid(std::string_view s);
/// IPv6 addresses ("fe80::1", "2001:db8:0:0:1:0:0:1") and MAC-like hex groups.
[[nodiscard]] bool is_colon_hex(std::string_view s);
/// "2016-09-28", "2016-09-28T04:30:31.123Z", "2016-09-28T04:30+02:00".
[[nodiscard]] bool is_iso_datetime(std::string_view s);
/// local@domain.tld
[[nodiscard]] bool is_email(std::string_view s);
/// Cheap pre-check: could `s` be a weekday or month name?
[[nodiscard]] bool maybe_date_word(std::string_view s);
/// Mon..Sun, Monday..Sunday (an optional trailing comma).
[[nodiscard]] bool is_weekday(std::string_view s);
/// Jan..Dec, January..December.
[[nodiscard]] bool is_month(std::string_view s);
[[nodiscard]] bool all_digits(std::string_view s);
/// H:MM, HH:MM:SS, HH:MM:SS.fff
[[nodiscard]] bool is_clock(std::string_view s);
/// `s` without trailing , . ) ] ;
[[nodiscard]] std::string_view strip_close(std::string_view s);

} // namespace sysgrok::mine::shapes
