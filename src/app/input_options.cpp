#include "app/input_options.hpp"

#include <chrono>
#include <cstdio>

#include <unistd.h>

#include "parse/parser.hpp"

namespace sysgrok::app {

namespace {
int64_t mono_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

void add_input_options(CLI::App* cmd, input_options& o) {
    cmd->add_option("inputs", o.pipe.inputs,
                    "Log files, directories (read recursively), globs ('logs/**/*.log') or - for "
                    "stdin. .gz and .zst are decompressed (recognised by content).")
        ->required()
        ->type_name("FILE...");
    std::string formats;
    for (const auto& f : parse::builtin_formats()) {
        formats += "\n    " + std::string(f.name) + ": " + std::string(f.description);
    }
    cmd->add_option("--format", o.pipe.format,
                    "Input format, detected per input when not given (auto):" + formats)
        ->type_name("NAME");
    cmd->add_option("--log-format", o.pipe.log_format,
                    "Header template in Loghub syntax, e.g. '<Date> <Time> <Level> <Component>: "
                    "<Content>' (<Content> is the message)")
        ->type_name("TEMPLATE");
    cmd->add_option("--regex", o.pipe.regex,
                    "Regular expression (RE2) with named groups: timestamp, level, host, program, "
                    "pid, message, or any field name")
        ->type_name("REGEX");
    cmd->add_option("--tz", o.tz,
                    "UTC offset of timestamps that carry no zone, e.g. +01:00 (default: UTC)")
        ->type_name("OFFSET");
    cmd->add_option("--year", o.year,
                    "Year of timestamps that have none (syslog); default: inferred from the "
                    "file's modification time")
        ->type_name("YYYY");
    cmd->add_option("--max-line-bytes", o.pipe.max_line_bytes,
                    "Lines longer than this are cut, marked and counted")
        ->capture_default_str();
    cmd->add_flag("--no-merge", o.no_merge,
                  "Read inputs one after another instead of merging them by timestamp");
}

std::vector<std::string> input_paths(const std::vector<pipeline::input_info>& infos) {
    std::vector<std::string> paths;
    paths.reserve(infos.size());
    for (const auto& i : infos) {
        paths.push_back(i.path);
    }
    return paths;
}

result<int32_t> parse_utc_offset(std::string_view s) {
    if (s == "Z" || s == "UTC" || s == "z" || s == "utc") {
        return 0;
    }
    if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) {
        return error{"bad UTC offset '" + std::string(s) + "'", "", 0,
                     "write it as +HH:MM or -HHMM"};
    }
    std::string digits;
    for (char c : s.substr(1)) {
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c != ':') {
            return error{"bad UTC offset '" + std::string(s) + "'", "", 0,
                         "write it as +HH:MM or -HHMM"};
        }
    }
    if (digits.size() != 2 && digits.size() != 4) {
        return error{"bad UTC offset '" + std::string(s) + "'", "", 0,
                     "write it as +HH:MM or -HHMM"};
    }
    const int h = std::stoi(digits.substr(0, 2));
    const int m = digits.size() == 4 ? std::stoi(digits.substr(2, 2)) : 0;
    if (h > 14 || m > 59) {
        return error{"UTC offset out of range '" + std::string(s) + "'", "", 0, ""};
    }
    const int sec = h * 3600 + m * 60;
    return s[0] == '-' ? -sec : sec;
}

status finish_input_options(input_options& o) {
    if (!o.tz.empty()) {
        auto off = parse_utc_offset(o.tz);
        if (!off) {
            auto e = off.error();
            e.message = "--tz: " + e.message;
            return e;
        }
        o.pipe.parse.default_utc_offset_s = *off;
    }
    if (o.year != 0) {
        if (o.year < 1970 || o.year > 9999) {
            return error{"--year must be between 1970 and 9999", "", 0, ""};
        }
        o.pipe.parse.year = o.year;
    }
    if (o.pipe.max_line_bytes < 16) {
        return error{"--max-line-bytes must be at least 16", "", 0, ""};
    }
    o.pipe.merge = !o.no_merge;
    return ok();
}

progress::progress(const pipeline::event_stream& stream)
    : stream_(stream), enabled_(::isatty(STDERR_FILENO) == 1), start_ns_(mono_ns()) {}

progress::~progress() {
    if (shown_) {
        std::fputs("\r\033[K", stderr);
    }
}

void progress::update(uint64_t events) {
    if (!enabled_) {
        return;
    }
    const int64_t now = mono_ns();
    if (now - last_ns_ < 200000000 || now - start_ns_ < 500000000) {
        return; // at most 5 updates a second, and only for runs longer than half a second
    }
    last_ns_ = now;
    shown_ = true;
    const double secs = static_cast<double>(now - start_ns_) / 1e9;
    const double mb = static_cast<double>(stream_.bytes_read()) / 1e6;
    const uint64_t total = stream_.bytes_total();
    if (total > 0) {
        const double frac =
            std::min(1.0, static_cast<double>(stream_.bytes_read()) / static_cast<double>(total));
        const int w = 30;
        const int fill = static_cast<int>(frac * w);
        std::string barstr(static_cast<size_t>(fill), '#');
        barstr.append(static_cast<size_t>(w - fill), '.');
        std::fprintf(stderr, "\r\033[K[%s] %3.0f%%  %.0f MB  %llu events  %.0f MB/s",
                     barstr.c_str(), frac * 100, mb, static_cast<unsigned long long>(events),
                     mb / secs);
    } else {
        std::fprintf(stderr, "\r\033[K%.0f MB  %llu events  %.0f MB/s", mb,
                     static_cast<unsigned long long>(events), mb / secs);
    }
    std::fflush(stderr);
}

} // namespace sysgrok::app
