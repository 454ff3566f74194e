#include "parse/timestamp.hpp"

#include <array>
#include <chrono>

#include "core/time.hpp"
#include "parse/scan.hpp"

namespace sysgrok::parse {

namespace {

constexpr int64_t k_ns_per_s = 1000000000;

constexpr std::array<std::string_view, 12> k_months{"jan", "feb", "mar", "apr", "may", "jun",
                                                    "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> k_weekdays{"mon", "tue", "wed", "thu",
                                                     "fri", "sat", "sun"};

bool is_weekday_name(std::string_view s, size_t pos) {
    if (pos + 3 > s.size()) {
        return false;
    }
    for (const auto w : k_weekdays) {
        if (to_lower(s[pos]) == w[0] && to_lower(s[pos + 1]) == w[1] &&
            to_lower(s[pos + 2]) == w[2]) {
            return true;
        }
    }
    return false;
}

/// The byte after a timestamp must not continue a word or number.
bool boundary_at(std::string_view s, size_t pos) {
    return pos >= s.size() || !is_alnum(s[pos]);
}

/// '.' or ',' followed by digits: up to 9 digits make the nanoseconds; more are consumed.
size_t parse_fraction(std::string_view s, size_t pos, uint32_t& nanos) {
    if (pos + 1 >= s.size() || (s[pos] != '.' && s[pos] != ',') || !is_digit(s[pos + 1])) {
        return pos;
    }
    ++pos;
    uint32_t v = 0;
    int n = 0;
    while (pos < s.size() && is_digit(s[pos])) {
        if (n < 9) {
            v = v * 10 + static_cast<uint32_t>(s[pos] - '0');
            ++n;
        }
        ++pos;
    }
    for (; n < 9; ++n) {
        v *= 10;
    }
    nanos = v;
    return pos;
}

/// HH<sep>MM<sep>SS[.frac] at `pos`; returns the end or npos.
size_t parse_clock(std::string_view s, size_t pos, char sep, timestamp_parts& p) {
    unsigned h = 0;
    unsigned m = 0;
    unsigned sec = 0;
    if (sep == ':' && count_digits(s, pos) == 1 && digits_at(s, pos, 1, h)) {
        --pos; // "8:34:08": shift so that the offsets below line up
    } else if (!digits_at(s, pos, 2, h)) {
        return std::string_view::npos;
    }
    if (!char_at(s, pos + 2, sep) || !digits_at(s, pos + 3, 2, m) || !char_at(s, pos + 5, sep) ||
        !digits_at(s, pos + 6, 2, sec)) {
        return std::string_view::npos;
    }
    if (h > 23 || m > 59 || sec > 60) {
        return std::string_view::npos;
    }
    p.hour = h;
    p.minute = m;
    p.second = sec;
    return parse_fraction(s, pos + 8, p.nanos);
}

/// Zone after a time: Z, +hh:mm, +hhmm, +hh directly; " +hhmm", " UTC", " GMT" after a
/// space when `allow_space`. Returns the new end (unchanged when there is no zone).
size_t parse_zone(std::string_view s, size_t pos, bool allow_space, timestamp_parts& p) {
    if (pos >= s.size()) {
        return pos;
    }
    if (s[pos] == 'Z') {
        if (boundary_at(s, pos + 1)) {
            p.offset_s = 0;
            return pos + 1;
        }
        return pos;
    }
    size_t at = pos;
    bool spaced = false;
    if (allow_space && s[at] == ' ') {
        ++at;
        spaced = true;
    }
    if (at >= s.size()) {
        return pos;
    }
    if (spaced && at + 3 <= s.size() && (s.substr(at, 3) == "UTC" || s.substr(at, 3) == "GMT") &&
        boundary_at(s, at + 3)) {
        p.offset_s = 0;
        return at + 3;
    }
    if (s[at] != '+' && s[at] != '-') {
        return pos;
    }
    const int sign = s[at] == '-' ? -1 : 1;
    unsigned hh = 0;
    unsigned mm = 0;
    if (!digits_at(s, at + 1, 2, hh)) {
        return pos;
    }
    size_t end = at + 3;
    if (char_at(s, end, ':') && digits_at(s, end + 1, 2, mm)) {
        end += 3;
    } else if (digits_at(s, end, 2, mm)) {
        end += 2;
    } else if (spaced) {
        return pos; // " -07" is too ambiguous after a space
    }
    if (!boundary_at(s, end) || hh > 23 || mm > 59) {
        return pos;
    }
    p.offset_s = sign * static_cast<int32_t>(hh * 3600 + mm * 60);
    return end;
}

/// " AM" / " PM" after a 12-hour clock.
size_t parse_ampm(std::string_view s, size_t pos, timestamp_parts& p) {
    if (pos + 3 > s.size() || s[pos] != ' ' || !boundary_at(s, pos + 3) || p.hour > 12) {
        return pos;
    }
    const char a = s[pos + 1];
    const char m = s[pos + 2];
    if ((m != 'M' && m != 'm') || (a != 'A' && a != 'a' && a != 'P' && a != 'p')) {
        return pos;
    }
    if (a == 'P' || a == 'p') {
        p.hour = p.hour == 12 ? 12 : p.hour + 12;
    } else if (p.hour == 12) {
        p.hour = 0;
    }
    return pos + 3;
}

bool valid_date(int64_t year, unsigned month, unsigned day) {
    return valid_civil(year == 0 ? 2000 : year, month, day, 0, 0, 0);
}

int64_t two_digit_year(unsigned yy) {
    return yy < 70 ? 2000 + yy : 1900 + yy;
}

using match = std::optional<timestamp_match>;

match finish(
    timestamp_parts& p, size_t begin, size_t end, timestamp_form form, std::string_view s) {
    if (end == std::string_view::npos || !boundary_at(s, end) ||
        !valid_date(p.year, p.month, p.day)) {
        return std::nullopt;
    }
    timestamp_match m;
    m.parts = p;
    m.begin = begin;
    m.end = end;
    m.form = form;
    return m;
}

/// Epoch seconds (10 digits, optional fraction) or milliseconds (13 digits).
match parse_epoch(std::string_view s, size_t pos, size_t n) {
    int64_t v = 0;
    if (!parse_uint(s.substr(pos, n), v)) {
        return std::nullopt;
    }
    timestamp_parts p;
    size_t end = pos + n;
    timestamp_form form = timestamp_form::epoch_s;
    if (n == 10) {
        if (v < 631152000 || v > 4102444800) {
            return std::nullopt;
        }
        uint32_t nanos = 0;
        end = parse_fraction(s, end, nanos);
        if (end > pos + n && s[pos + n] == ',') {
            return std::nullopt; // "1117838570,5" is a list, not a fraction
        }
        p.epoch_ns = v * k_ns_per_s + nanos;
    } else {
        if (v < 631152000000 || v > 4102444800000) {
            return std::nullopt;
        }
        p.epoch_ns = v * 1000000;
        form = timestamp_form::epoch_ms;
    }
    if (!boundary_at(s, end) || char_at(s, end, '.') || char_at(s, end, '-') ||
        char_at(s, end, ':')) {
        return std::nullopt;
    }
    p.offset_s = 0;
    timestamp_match m;
    m.parts = p;
    m.begin = pos;
    m.end = end;
    m.form = form;
    return m;
}

/// Forms that start with a four-digit year.
match parse_year_first(std::string_view s, size_t pos) {
    timestamp_parts p;
    unsigned y = 0;
    unsigned mo = 0;
    unsigned d = 0;
    digits_at(s, pos, 4, y);
    p.year = y;
    const char sep = pos + 4 < s.size() ? s[pos + 4] : '\0';
    if (sep != '-' && sep != '/' && sep != '.' && sep != ':') {
        return std::nullopt;
    }
    if (!digits_at(s, pos + 5, 2, mo) || !char_at(s, pos + 7, sep) ||
        !digits_at(s, pos + 8, 2, d)) {
        return std::nullopt;
    }
    p.month = mo;
    p.day = d;
    const size_t t = pos + 10;
    if (t + 1 >= s.size()) {
        return std::nullopt;
    }
    if (sep == ':') {
        if (s[t] != '-') {
            return std::nullopt;
        }
        const size_t end = parse_clock(s, t + 1, ':', p);
        return finish(p, pos, end, timestamp_form::iso8601, s);
    }
    if (sep == '-') {
        if (s[t] == 'T' || s[t] == ' ') {
            size_t end = parse_clock(s, t + 1, ':', p);
            if (end == std::string_view::npos) {
                return std::nullopt;
            }
            end = parse_zone(s, end, true, p);
            return finish(p, pos, end, timestamp_form::iso8601, s);
        }
        if (s[t] == '-') {
            const size_t end = parse_clock(s, t + 1, '.', p);
            return finish(p, pos, end, timestamp_form::bgl, s);
        }
        return std::nullopt;
    }
    if (s[t] != ' ' && !(sep == '/' && s[t] == 'T')) {
        return std::nullopt;
    }
    size_t end = parse_clock(s, t + 1, ':', p);
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    end = parse_zone(s, end, true, p);
    return finish(p, pos, end, sep == '/' ? timestamp_form::slash_ymd : timestamp_form::dot_ymd, s);
}

/// "10/Oct/2000:13:55:36 -0700" starting at the day.
match parse_clf(std::string_view s, size_t pos) {
    timestamp_parts p;
    unsigned d = 0;
    unsigned y = 0;
    const char sep = pos + 2 < s.size() ? s[pos + 2] : '\0';
    if (!digits_at(s, pos, 2, d) || (sep != '/' && sep != '-')) {
        return std::nullopt;
    }
    const unsigned mo = month_from_name(s.substr(pos + 3));
    if (mo == 0 || !char_at(s, pos + 6, sep) || !digits_at(s, pos + 7, 4, y) ||
        !(char_at(s, pos + 11, ':') || char_at(s, pos + 11, ' '))) {
        return std::nullopt;
    }
    p.year = y;
    p.month = mo;
    p.day = d;
    size_t end = parse_clock(s, pos + 12, ':', p);
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    end = parse_zone(s, end, true, p);
    return finish(p, pos, end, timestamp_form::clf, s);
}

/// Forms that start with two digits: yy/MM/dd, MM/dd/yyyy, dd/Mon/yyyy, MM-dd, MM.dd,
/// dd.MM.yyyy, dd Mon yyyy.
match parse_two_digit_first(std::string_view s, size_t pos) {
    timestamp_parts p;
    unsigned a = 0;
    unsigned b = 0;
    unsigned c = 0;
    digits_at(s, pos, 2, a);
    const char sep = pos + 2 < s.size() ? s[pos + 2] : '\0';
    if ((sep == '/' || sep == '-') && pos + 3 < s.size() && is_alpha(s[pos + 3])) {
        return parse_clf(s, pos);
    }
    if (sep == ' ' && pos + 3 < s.size() && is_alpha(s[pos + 3])) {
        // dd Mon yyyy HH:MM:SS
        const unsigned mo = month_from_name(s.substr(pos + 3));
        unsigned y = 0;
        if (mo == 0 || !char_at(s, pos + 6, ' ') || !digits_at(s, pos + 7, 4, y) ||
            !char_at(s, pos + 11, ' ')) {
            return std::nullopt;
        }
        p.year = y;
        p.month = mo;
        p.day = a;
        size_t end = parse_clock(s, pos + 12, ':', p);
        if (end == std::string_view::npos) {
            return std::nullopt;
        }
        end = parse_zone(s, end, true, p);
        return finish(p, pos, end, timestamp_form::iso8601, s);
    }
    if (sep != '/' && sep != '-' && sep != '.') {
        return std::nullopt;
    }
    if (!digits_at(s, pos + 3, 2, b)) {
        return std::nullopt;
    }
    timestamp_form form = timestamp_form::month_day;
    size_t t = pos + 5;
    if (char_at(s, t, sep) && (sep != '-' || count_digits(s, t + 1) == 4)) {
        const size_t n = count_digits(s, t + 1);
        if (n == 2 && sep == '/') {
            digits_at(s, t + 1, 2, c);
            p.year = two_digit_year(a);
            p.month = b;
            p.day = c;
            form = timestamp_form::short_ymd;
        } else if (n == 4) {
            digits_at(s, t + 1, 4, c);
            p.year = c;
            if (sep == '/') {
                p.month = a;
                p.day = b;
                form = timestamp_form::us_mdy;
            } else if (sep == '-' && a > 12) {
                p.month = b;
                p.day = a;
                form = timestamp_form::eu_dmy;
            } else if (sep == '-') {
                p.month = b; // 11-06-2013: day first, as in most non-US logs
                p.day = a;
                form = timestamp_form::eu_dmy;
            } else {
                p.month = b;
                p.day = a;
                form = timestamp_form::eu_dmy;
            }
        } else {
            return std::nullopt;
        }
        t += 1 + n;
    } else if (sep == '/') {
        return std::nullopt;
    } else {
        p.month = a;
        p.day = b;
        form = sep == '-' ? timestamp_form::month_day : timestamp_form::dot_month_day;
    }
    if (!char_at(s, t, ' ') && !(form == timestamp_form::us_mdy && char_at(s, t, ':'))) {
        return std::nullopt;
    }
    size_t end = parse_clock(s, t + 1, ':', p);
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    if (p.year != 0) {
        end = parse_zone(s, end, true, p);
    }
    return finish(p, pos, end, form, s);
}

/// "Jan  5 10:00:00[.frac][ 2024]" or "Jan 5 2024 10:00:00" starting at the month name.
match parse_syslog(std::string_view s, size_t pos, timestamp_parts p, size_t begin) {
    const unsigned mo = month_from_name(s.substr(pos));
    if (mo != 0 && char_at(s, pos + 3, '-')) {
        // "Apr-07-13 07:08:36"
        unsigned day = 0;
        unsigned yy = 0;
        if (!digits_at(s, pos + 4, 2, day) || !char_at(s, pos + 6, '-') ||
            !digits_at(s, pos + 7, 2, yy) || !char_at(s, pos + 9, ' ')) {
            return std::nullopt;
        }
        p.year = two_digit_year(yy);
        p.month = mo;
        p.day = day;
        const size_t end = parse_clock(s, pos + 10, ':', p);
        return finish(p, begin, end, timestamp_form::syslog, s);
    }
    if (mo == 0 || !char_at(s, pos + 3, ' ')) {
        return std::nullopt;
    }
    size_t d = pos + 4;
    if (char_at(s, d, ' ')) {
        ++d;
    }
    const size_t nd = count_digits(s, d);
    unsigned day = 0;
    if ((nd != 1 && nd != 2) || !digits_at(s, d, nd, day) ||
        !(char_at(s, d + nd, ' ') || char_at(s, d + nd, ','))) {
        return std::nullopt;
    }
    p.month = mo;
    p.day = day;
    size_t t = d + nd + 1;
    unsigned y = 0;
    if (char_at(s, d + nd, ',') && char_at(s, d + nd + 1, ' ') &&
        count_digits(s, d + nd + 2) == 4 && char_at(s, d + nd + 6, ' ')) {
        // "Apr 15, 2013 8:34:08 PM" (Java)
        digits_at(s, d + nd + 2, 4, y);
        p.month = mo;
        p.day = day;
        p.year = y;
        size_t end = parse_clock(s, d + nd + 7, ':', p);
        if (end == std::string_view::npos) {
            return std::nullopt;
        }
        end = parse_ampm(s, end, p);
        return finish(p, begin, end, timestamp_form::syslog, s);
    }
    if (count_digits(s, t) == 4 && char_at(s, t + 4, ' ') && digits_at(s, t, 4, y)) {
        p.year = y;
        t += 5;
    }
    size_t end = parse_clock(s, t, ':', p);
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    if (p.year == 0 && char_at(s, end, ' ') && count_digits(s, end + 1) == 4 &&
        boundary_at(s, end + 5)) {
        digits_at(s, end + 1, 4, y);
        p.year = y;
        end += 5;
    }
    if (p.year != 0) {
        end = parse_zone(s, end, true, p);
    }
    return finish(p, begin, end,
                  p.year != 0 && begin != pos ? timestamp_form::asctime : timestamp_form::syslog,
                  s);
}

/// Forms that start with a letter: syslog month, asctime / RFC 2822 weekday, klog.
match parse_letter_first(std::string_view s, size_t pos) {
    timestamp_parts p;
    if (is_weekday_name(s, pos)) {
        if (char_at(s, pos + 3, ' ')) {
            return parse_syslog(s, pos + 4, p, pos);
        }
        if (char_at(s, pos + 3, ',') && char_at(s, pos + 4, ' ')) {
            // "Sun, 04 Dec 2005 04:47:44 +0000"
            size_t d = pos + 5;
            const size_t nd = count_digits(s, d);
            unsigned day = 0;
            unsigned y = 0;
            if ((nd != 1 && nd != 2) || !digits_at(s, d, nd, day) || !char_at(s, d + nd, ' ')) {
                return std::nullopt;
            }
            d += nd + 1;
            const unsigned mo = month_from_name(s.substr(d));
            if (mo == 0 || !char_at(s, d + 3, ' ') || !digits_at(s, d + 4, 4, y) ||
                !char_at(s, d + 8, ' ')) {
                return std::nullopt;
            }
            p.year = y;
            p.month = mo;
            p.day = day;
            size_t end = parse_clock(s, d + 9, ':', p);
            if (end == std::string_view::npos) {
                return std::nullopt;
            }
            end = parse_zone(s, end, true, p);
            return finish(p, pos, end, timestamp_form::asctime, s);
        }
        return std::nullopt;
    }
    if (month_from_name(s.substr(pos)) != 0) {
        return parse_syslog(s, pos, p, pos);
    }
    const char c = s[pos];
    if ((c == 'I' || c == 'W' || c == 'E' || c == 'F') && count_digits(s, pos + 1) == 4 &&
        char_at(s, pos + 5, ' ')) {
        unsigned mo = 0;
        unsigned d = 0;
        digits_at(s, pos + 1, 2, mo);
        digits_at(s, pos + 3, 2, d);
        p.month = mo;
        p.day = d;
        const size_t end = parse_clock(s, pos + 6, ':', p);
        auto m = finish(p, pos, end, timestamp_form::klog, s);
        if (m) {
            m->level_letter = c;
        }
        return m;
    }
    return std::nullopt;
}

match parse_unbracketed(std::string_view s, size_t pos, bool allow_epoch) {
    if (pos >= s.size()) {
        return std::nullopt;
    }
    const char c = s[pos];
    if (is_digit(c)) {
        const size_t n = count_digits(s, pos);
        switch (n) {
            case 4:
                return parse_year_first(s, pos);
            case 2:
                return parse_two_digit_first(s, pos);
            case 6: {
                // yyMMdd HHmmss (HDFS)
                timestamp_parts p;
                unsigned yy = 0;
                unsigned mo = 0;
                unsigned d = 0;
                unsigned h = 0;
                unsigned mi = 0;
                unsigned sec = 0;
                digits_at(s, pos, 2, yy);
                digits_at(s, pos + 2, 2, mo);
                digits_at(s, pos + 4, 2, d);
                if (!char_at(s, pos + 6, ' ')) {
                    return std::nullopt;
                }
                if (count_digits(s, pos + 7) != 6) {
                    // "130324  0:04:00" / "130324 17:56:13" (MySQL)
                    p.year = two_digit_year(yy);
                    p.month = mo;
                    p.day = d;
                    const size_t end = parse_clock(s, skip_spaces(s, pos + 6), ':', p);
                    return finish(p, pos, end, timestamp_form::compact_ymd, s);
                }
                digits_at(s, pos + 7, 2, h);
                digits_at(s, pos + 9, 2, mi);
                digits_at(s, pos + 11, 2, sec);
                if (h > 23 || mi > 59 || sec > 60) {
                    return std::nullopt;
                }
                p.year = two_digit_year(yy);
                p.month = mo;
                p.day = d;
                p.hour = h;
                p.minute = mi;
                p.second = sec;
                return finish(p, pos, pos + 13, timestamp_form::compact_ymd, s);
            }
            case 8: {
                // yyyyMMdd[-T ]HH:mm:ss
                timestamp_parts p;
                unsigned y = 0;
                unsigned mo = 0;
                unsigned d = 0;
                digits_at(s, pos, 4, y);
                digits_at(s, pos + 4, 2, mo);
                digits_at(s, pos + 6, 2, d);
                if (!(char_at(s, pos + 8, '-') || char_at(s, pos + 8, 'T') ||
                      char_at(s, pos + 8, ' '))) {
                    return std::nullopt;
                }
                p.year = y;
                p.month = mo;
                p.day = d;
                size_t end = parse_clock(s, pos + 9, ':', p);
                if (end == std::string_view::npos) {
                    return std::nullopt;
                }
                end = parse_zone(s, end, false, p);
                return finish(p, pos, end, timestamp_form::iso8601, s);
            }
            case 10:
            case 13:
                if (allow_epoch) {
                    return parse_epoch(s, pos, n);
                }
                return std::nullopt;
            default:
                return std::nullopt;
        }
    }
    if (is_alpha(c)) {
        return parse_letter_first(s, pos);
    }
    return std::nullopt;
}

match parse_at(std::string_view s, size_t pos, bool allow_epoch) {
    if (pos >= s.size()) {
        return std::nullopt;
    }
    if (s[pos] == '[') {
        size_t inner = pos + 1;
        if (char_at(s, inner, ' ')) {
            ++inner; // "[ 2024-...]"
        }
        auto m = parse_unbracketed(s, inner, allow_epoch);
        if (!m) {
            return std::nullopt;
        }
        size_t close = m->end;
        if (char_at(s, close, ' ')) {
            ++close;
        }
        if (!char_at(s, close, ']')) {
            return std::nullopt;
        }
        m->begin = pos;
        m->end = close + 1;
        return m;
    }
    return parse_unbracketed(s, pos, allow_epoch);
}

int64_t year_of(int64_t ns) {
    int64_t days = ns / (86400 * k_ns_per_s);
    if (ns < 0 && ns % (86400 * k_ns_per_s) != 0) {
        --days;
    }
    int64_t y = 0;
    unsigned m = 0;
    unsigned d = 0;
    civil_from_days(days, y, m, d);
    return y;
}

int64_t infer_year(const timestamp_parts& p, parse_state& state) {
    const int month = static_cast<int>(p.month);
    if (state.inferred_year == 0 && state.options.year) {
        // --year is the year of the input's first yearless timestamp; New Year still counts.
        state.inferred_year = *state.options.year;
    } else if (state.inferred_year == 0) {
        int64_t ref = state.reference_ns;
        if (ref == 0 || ref == k_no_time) {
            ref = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
        }
        int64_t year = year_of(ref);
        const int64_t limit = ref + int64_t{31} * 86400 * k_ns_per_s;
        const unsigned day = valid_civil(year, p.month, p.day, 0, 0, 0) ? p.day : 28;
        if (to_epoch_ns(year, p.month, day, p.hour, p.minute, p.second, p.nanos) > limit) {
            --year;
        }
        state.inferred_year = year;
    } else if (state.last_month != 0 && month + 6 < state.last_month) {
        ++state.inferred_year; // Dec -> Jan inside the stream
    }
    state.last_month = month;
    return state.inferred_year;
}

} // namespace

unsigned month_from_name(std::string_view s) {
    if (s.size() < 3) {
        return 0;
    }
    const char a = to_lower(s[0]);
    const char b = to_lower(s[1]);
    const char c = to_lower(s[2]);
    for (size_t i = 0; i < k_months.size(); ++i) {
        if (k_months[i][0] == a && k_months[i][1] == b && k_months[i][2] == c) {
            return static_cast<unsigned>(i + 1);
        }
    }
    return 0;
}

std::optional<timestamp_match> parse_timestamp_at(std::string_view text, size_t pos) {
    return parse_at(text, pos, true);
}

std::optional<timestamp_match>
find_timestamp(std::string_view text, size_t max_bytes, size_t max_tokens) {
    const size_t limit = text.size() < max_bytes ? text.size() : max_bytes;
    size_t tokens = 0;
    for (size_t i = 0; i < limit; ++i) {
        const char c = text[i];
        if (is_space(c)) {
            if (i > 0 && !is_space(text[i - 1]) && ++tokens >= max_tokens) {
                break;
            }
            continue;
        }
        const char prev = i == 0 ? ' ' : text[i - 1];
        if (is_alnum(prev) || !(is_alnum(c) || c == '[')) {
            continue;
        }
        // Epoch numbers only as whole tokens: "id=1117838570" is not a time.
        const bool allow_epoch = prev == ' ' || prev == '\t' || prev == '[' || i == 0;
        if (prev == '(' && i >= 6 && text.substr(i - 6, 6) == "audit(") {
            // auditd: msg=audit(1373330716.415:4063)
            if (count_digits(text, i) == 10) {
                const size_t colon = text.find(':', i);
                if (colon != std::string_view::npos && colon < i + 24) {
                    if (auto ns = epoch_number_to_ns(text.substr(i, colon - i))) {
                        timestamp_match m;
                        m.parts.epoch_ns = *ns;
                        m.parts.offset_s = 0;
                        m.begin = i;
                        m.end = colon;
                        m.form = timestamp_form::epoch_s;
                        return m;
                    }
                }
            }
        }
        if (auto m = parse_at(text, i, allow_epoch)) {
            return m;
        }
    }
    return std::nullopt;
}

std::optional<int64_t> epoch_number_to_ns(std::string_view number) {
    const size_t n_int = count_digits(number, 0);
    if (n_int == 0 || n_int > 19) {
        return std::nullopt;
    }
    size_t end = n_int;
    uint32_t frac_nanos = 0;
    if (end < number.size()) {
        end = parse_fraction(number, end, frac_nanos);
        if (end != number.size() || number[n_int] != '.') {
            return std::nullopt;
        }
    }
    int64_t v = 0;
    if (n_int > 18) {
        // 19-digit nanoseconds: parse the first 18 digits, then scale.
        int64_t head = 0;
        if (!parse_uint(number.substr(0, 18), head) || head > INT64_MAX / 10) {
            return std::nullopt;
        }
        return head * 10 + (number[18] - '0');
    }
    if (!parse_uint(number.substr(0, n_int), v)) {
        return std::nullopt;
    }
    // Seconds, milliseconds, microseconds or nanoseconds by digit count; values that do not
    // fit in int64 nanoseconds are not timestamps.
    int64_t scale = 1;
    int64_t frac = 0;
    if (n_int <= 11) {
        scale = k_ns_per_s;
        frac = frac_nanos;
    } else if (n_int <= 14) {
        scale = 1000000;
        frac = frac_nanos / 1000;
    } else if (n_int <= 17) {
        scale = 1000;
        frac = frac_nanos / 1000000;
    }
    int64_t ns = 0;
    if (__builtin_mul_overflow(v, scale, &ns) || __builtin_add_overflow(ns, frac, &ns)) {
        return std::nullopt;
    }
    return ns;
}

std::optional<timestamp_parts> parse_timestamp_value(std::string_view text) {
    text = trim(text);
    if (text.empty()) {
        return std::nullopt;
    }
    if (is_digit(text[0])) {
        if (auto ns = epoch_number_to_ns(text)) {
            timestamp_parts p;
            p.epoch_ns = *ns;
            p.offset_s = 0;
            return p;
        }
    }
    if (auto m = parse_at(text, 0, true)) {
        return m->parts;
    }
    return std::nullopt;
}

int64_t resolve_timestamp(const timestamp_parts& parts, parse_state& state, int32_t& offset_out) {
    offset_out = k_no_offset;
    if (parts.epoch_ns != k_no_time) {
        return parts.epoch_ns;
    }
    int64_t year = parts.year;
    if (year == 0) {
        year = infer_year(parts, state);
    }
    if (!valid_civil(year, parts.month, parts.day, parts.hour, parts.minute, parts.second)) {
        // Feb 29 in an inferred non-leap year: keep the event, drop the time.
        return k_no_time;
    }
    if (year < 1678 || year > 2261) {
        return k_no_time; // outside int64 nanoseconds ("Feb 15 11:57:42 1234.host.cz")
    }
    const int64_t local = to_epoch_ns(year, parts.month, parts.day, parts.hour, parts.minute,
                                      parts.second, parts.nanos);
    int32_t offset = state.options.default_utc_offset_s;
    if (parts.offset_s != k_no_offset) {
        offset = parts.offset_s;
        offset_out = parts.offset_s;
    }
    return local - static_cast<int64_t>(offset) * k_ns_per_s;
}

} // namespace sysgrok::parse
