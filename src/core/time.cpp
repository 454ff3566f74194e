#include "core/time.hpp"

#include <array>

namespace sysgrok {

// Howard Hinnant's public-domain algorithms for the proleptic Gregorian calendar.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yoe = static_cast<unsigned>(year - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day) {
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

namespace {
bool is_leap(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
} // namespace

bool valid_civil(
    int64_t year, unsigned month, unsigned day, unsigned hour, unsigned minute, unsigned second) {
    static constexpr std::array<unsigned, 12> k_days{31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) {
        return false;
    }
    const unsigned dim = k_days[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
    return day <= dim;
}

int64_t to_epoch_ns(int64_t year,
                    unsigned month,
                    unsigned day,
                    unsigned hour,
                    unsigned minute,
                    unsigned second,
                    uint32_t nanos) {
    const int64_t days = days_from_civil(year, month, day);
    const int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second;
    return secs * 1000000000 + nanos;
}

namespace {

void put2(std::string& out, unsigned v) {
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
}

} // namespace

void append_iso8601_utc(std::string& out, int64_t ts_ns) {
    int64_t secs = ts_ns / 1000000000;
    int64_t nanos = ts_ns % 1000000000;
    if (nanos < 0) {
        nanos += 1000000000;
        secs -= 1;
    }
    int64_t days = secs / 86400;
    int64_t sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days -= 1;
    }
    int64_t year = 0;
    unsigned month = 0;
    unsigned day = 0;
    civil_from_days(days, year, month, day);
    if (year >= 0 && year <= 9999) {
        const auto y = static_cast<unsigned>(year);
        put2(out, y / 100);
        put2(out, y % 100);
    } else {
        out += std::to_string(year);
    }
    out += '-';
    put2(out, month);
    out += '-';
    put2(out, day);
    out += 'T';
    put2(out, static_cast<unsigned>(sod / 3600));
    out += ':';
    put2(out, static_cast<unsigned>((sod / 60) % 60));
    out += ':';
    put2(out, static_cast<unsigned>(sod % 60));
    if (nanos != 0) {
        out += '.';
        const auto n = static_cast<unsigned>(nanos);
        const int digits = (n % 1000000 == 0) ? 3 : (n % 1000 == 0 ? 6 : 9);
        unsigned div = 100000000;
        for (int i = 0; i < digits; ++i) {
            out += static_cast<char>('0' + (n / div) % 10);
            div /= 10;
        }
    }
    out += 'Z';
}

std::string format_iso8601_utc(int64_t ts_ns) {
    std::string s;
    s.reserve(32);
    append_iso8601_utc(s, ts_ns);
    return s;
}

} // namespace sysgrok
