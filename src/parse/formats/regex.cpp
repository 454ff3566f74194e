// User-defined formats: a Loghub header template (--log-format) or a regular expression
// with named groups (--regex), both run by RE2 (compiled once per parser).
#include <algorithm>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "parse/record_parser.hpp"
#include "parse/scan.hpp"
#include "parse/timestamp.hpp"

namespace sysgrok::parse {

namespace {

enum class group_role : uint8_t { field, time, level, program, pid, host, message };

struct group {
    int index = 0;
    group_role role = group_role::field;
    std::string_view key; ///< interned: stays valid for the life of the process
};

/// Field keys outlive any parser (events may be consumed after it is gone), so user
/// group names are interned for the process lifetime; there are only a handful.
std::string_view intern_key(const std::string& key) {
    static std::mutex mu;
    static std::deque<std::string> keys;
    const std::lock_guard<std::mutex> lock(mu);
    for (const auto& k : keys) {
        if (k == key) {
            return k;
        }
    }
    return keys.emplace_back(key);
}

bool name_is(std::string_view name, std::initializer_list<std::string_view> options) {
    for (const auto o : options) {
        if (iequals(name, o)) {
            return true;
        }
    }
    return false;
}

group_role role_of(std::string_view name) {
    if (name_is(name, {"date", "time", "month", "day", "year", "timestamp", "datetime", "ts"})) {
        return group_role::time;
    }
    if (name_is(name, {"level", "severity", "lvl", "loglevel"})) {
        return group_role::level;
    }
    if (name_is(name, {"component", "program", "app", "application", "appname", "service", "logger",
                       "tag"})) {
        return group_role::program;
    }
    if (name_is(name, {"pid", "procid", "processid"})) {
        return group_role::pid;
    }
    if (name_is(name, {"node", "host", "hostname"})) {
        return group_role::host;
    }
    if (name_is(name, {"content", "message", "msg"})) {
        return group_role::message;
    }
    return group_role::field;
}

class re2_parser final : public record_parser {
  public:
    re2_parser(std::unique_ptr<RE2> re, std::vector<group> groups, format_id fid, bool header)
        : re_(std::move(re)), groups_(std::move(groups)), id_(fid), header_(header) {
        for (const auto& g : groups_) {
            has_message_ = has_message_ || g.role == group_role::message;
        }
    }

    [[nodiscard]] std::string_view name() const override {
        return id_ == format_id::header ? "header" : "regex";
    }

    [[nodiscard]] int probe(std::string_view text) const override {
        const std::string_view t = header_ ? trim(text) : text;
        return re_->Match(t, 0, t.size(), header_ ? RE2::ANCHOR_BOTH : RE2::UNANCHORED, nullptr, 0)
                   ? 10
                   : 0;
    }

  protected:
    bool parse_record(const record_context& ctx) const override {
        const std::string_view text = header_ ? trim(ctx.rec.text) : ctx.rec.text;
        thread_local std::vector<re2::StringPiece> subs;
        thread_local std::string joined;
        const int n = re_->NumberOfCapturingGroups() + 1;
        subs.assign(static_cast<size_t>(n), re2::StringPiece());
        if (!re_->Match(text, 0, text.size(), header_ ? RE2::ANCHOR_BOTH : RE2::UNANCHORED,
                        subs.data(), n)) {
            return false;
        }
        event& e = ctx.ev;
        joined.clear();
        int time_parts = 0;
        std::string_view single_time;
        for (const auto& g : groups_) {
            const re2::StringPiece& sp = subs[static_cast<size_t>(g.index)];
            if (sp.data() == nullptr) {
                continue; // optional group that did not take part
            }
            const std::string_view v(sp.data(), sp.size());
            switch (g.role) {
                case group_role::time:
                    if (!v.empty()) {
                        if (time_parts++ > 0) {
                            joined += ' ';
                        }
                        joined.append(v);
                        single_time = v;
                    }
                    break;
                case group_role::level:
                    if (auto sev = severity_from_word(trim(v), true)) {
                        e.sev = *sev;
                    } else if (!v.empty()) {
                        ctx.add_field(g.key, v);
                    }
                    break;
                case group_role::program:
                    e.program = v;
                    break;
                case group_role::pid: {
                    int64_t pid = 0;
                    std::string_view digits = v;
                    if (const size_t dot = digits.find('.'); dot != std::string_view::npos) {
                        digits = digits.substr(0, dot);
                    }
                    if (parse_uint(digits, pid)) {
                        e.pid = pid;
                    } else if (!v.empty()) {
                        ctx.add_field(g.key, v);
                    }
                    break;
                }
                case group_role::host:
                    e.host = v;
                    break;
                case group_role::message:
                    e.message = header_ ? v : trim(v);
                    break;
                case group_role::field:
                    if (!v.empty()) {
                        ctx.add_field(g.key, v);
                    }
                    break;
            }
        }
        if (time_parts > 0) {
            auto tp = parse_timestamp_value(time_parts == 1 ? single_time : joined);
            if (!tp) {
                if (auto m = find_timestamp(joined)) {
                    tp = m->parts;
                }
            }
            if (tp) {
                ctx.set_time(*tp);
            }
        }
        if (!has_message_) {
            e.message = trim(ctx.rec.text);
        }
        return true;
    }
    [[nodiscard]] format_id id() const override { return id_; }

  private:
    std::unique_ptr<RE2> re_;
    std::vector<group> groups_;
    format_id id_;
    bool header_;
    bool has_message_ = false;
};

result<std::unique_ptr<parser>>
compile(const std::string& pattern, format_id fid, bool header, std::string_view what) {
    RE2::Options opts;
    opts.set_encoding(RE2::Options::EncodingLatin1); // any byte matches '.'
    opts.set_dot_nl(true);
    opts.set_log_errors(false);
    auto re = std::make_unique<RE2>(pattern, opts);
    if (!re->ok()) {
        return error{"invalid " + std::string(what) + ": " + re->error(), "", 0,
                     "use RE2 syntax; named groups are written (?P<name>...)"};
    }
    std::vector<group> groups;
    for (const auto& [name, index] : re->NamedCapturingGroups()) {
        groups.push_back(group{index, role_of(name), intern_key(name)});
    }
    if (groups.empty()) {
        return error{std::string(what) + " has no named fields", "", 0,
                     header ? "write fields as <Name>, e.g. \"<Date> <Time> <Level>: <Content>\""
                            : "name the groups, e.g. (?P<message>.*)"};
    }
    std::sort(groups.begin(), groups.end(),
              [](const group& a, const group& b) { return a.index < b.index; });
    return std::unique_ptr<parser>(
        std::make_unique<re2_parser>(std::move(re), std::move(groups), fid, header));
}

} // namespace

result<std::unique_ptr<parser>> make_header_parser(std::string_view log_format) {
    // Same translation as logparser's generate_logformat_regex: <Name> becomes a lazy
    // named group, runs of spaces become \s+, other text is regex as written.
    std::string pattern;
    pattern.reserve(log_format.size() * 2);
    size_t i = 0;
    while (i < log_format.size()) {
        if (log_format[i] == '<') {
            const size_t close = log_format.find_first_of("<>", i + 1);
            if (close != std::string_view::npos && log_format[close] == '>' && close > i + 1) {
                pattern += "(?P<";
                pattern.append(log_format.substr(i + 1, close - i - 1));
                pattern += ">.*?)";
                i = close + 1;
                continue;
            }
        }
        if (log_format[i] == ' ') {
            while (i < log_format.size() && log_format[i] == ' ') {
                ++i;
            }
            pattern += "\\s+";
            continue;
        }
        pattern += log_format[i];
        ++i;
    }
    return compile(pattern, format_id::header, true, "log format");
}

result<std::unique_ptr<parser>> make_regex_parser(std::string_view regex) {
    return compile(std::string(regex), format_id::regex, false, "regex");
}

} // namespace sysgrok::parse
