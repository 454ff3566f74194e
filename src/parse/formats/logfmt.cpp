// logfmt: `ts=... level=info msg="quoted \" value" key=value`.
#include <memory>
#include <string>

#include "parse/formats/formats.hpp"
#include "parse/record_parser.hpp"
#include "parse/scan.hpp"
#include "parse/timestamp.hpp"

namespace sysgrok::parse {

namespace {

struct kv {
    std::string_view key;
    std::string_view value;
    bool escaped = false;
};

bool key_char(char c) {
    return is_alnum(c) || c == '_' || c == '.' || c == '-' || c == '@' || c == '/';
}

/// Parses the pair at `pos`; false when the text there is not `key=value`.
bool next_pair(std::string_view s, size_t& pos, kv& out) {
    pos = skip_spaces(s, pos);
    const size_t kb = pos;
    while (pos < s.size() && key_char(s[pos])) {
        ++pos;
    }
    if (pos == kb || !char_at(s, pos, '=')) {
        return false;
    }
    out.key = s.substr(kb, pos - kb);
    ++pos;
    out.escaped = false;
    if (char_at(s, pos, '"')) {
        ++pos;
        const size_t vb = pos;
        while (pos < s.size() && s[pos] != '"') {
            if (s[pos] == '\\' && pos + 1 < s.size()) {
                out.escaped = true;
                ++pos;
            }
            ++pos;
        }
        if (pos >= s.size()) {
            return false;
        }
        out.value = s.substr(vb, pos - vb);
        ++pos;
    } else {
        const size_t vb = pos;
        pos = token_end(s, pos);
        out.value = s.substr(vb, pos - vb);
    }
    return pos >= s.size() || is_space(s[pos]);
}

std::string_view unescape(const record_context& ctx, std::string_view v) {
    std::string buf;
    buf.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) {
            ++i;
            switch (v[i]) {
                case 'n':
                    buf += '\n';
                    break;
                case 't':
                    buf += '\t';
                    break;
                case 'r':
                    buf += '\r';
                    break;
                default:
                    buf += v[i];
                    break;
            }
        } else {
            buf += v[i];
        }
    }
    return ctx.out.strings.add(buf);
}

bool is_any(std::string_view k, std::initializer_list<std::string_view> names) {
    for (const auto n : names) {
        if (k == n) {
            return true;
        }
    }
    return false;
}

class logfmt_parser final : public record_parser {
  public:
    [[nodiscard]] std::string_view name() const override { return "logfmt"; }

    [[nodiscard]] int probe(std::string_view text) const override {
        size_t pos = 0;
        kv p;
        int pairs = 0;
        bool known = false;
        while (pos < text.size() && pairs < 16) {
            if (!next_pair(text, pos, p)) {
                return 0;
            }
            known = known || is_any(p.key, {"ts", "time", "level", "lvl", "msg", "message"});
            ++pairs;
            pos = skip_spaces(text, pos);
        }
        if (pairs >= 3 || (pairs >= 2 && known)) {
            return 4;
        }
        return 0;
    }

  protected:
    bool parse_record(const record_context& ctx) const override {
        const std::string_view s = ctx.rec.text;
        event& e = ctx.ev;
        size_t pos = 0;
        kv p;
        int pairs = 0;
        bool have_msg = false;
        while (skip_spaces(s, pos) < s.size()) {
            if (!next_pair(s, pos, p)) {
                return false;
            }
            ++pairs;
            std::string_view v = p.escaped ? unescape(ctx, p.value) : p.value;
            const std::string_view k = p.key;
            if (is_any(k, {"ts", "time", "timestamp", "t", "@timestamp"}) && e.ts_ns == k_no_time) {
                if (auto tp = parse_timestamp_value(v)) {
                    ctx.set_time(*tp);
                    continue;
                }
            } else if (is_any(k, {"level", "lvl", "severity", "loglevel"}) &&
                       e.sev == severity::none) {
                if (auto sev = severity_from_word(v, true)) {
                    e.sev = *sev;
                    continue;
                }
            } else if (is_any(k, {"msg", "message"}) && !have_msg) {
                e.message = trim(v);
                have_msg = true;
                continue;
            } else if (is_any(k, {"host", "hostname"}) && e.host.empty()) {
                e.host = v;
                continue;
            } else if (is_any(k, {"logger", "component", "service", "app", "module", "prog"}) &&
                       e.program.empty()) {
                e.program = v;
                continue;
            } else if (k == "pid" && e.pid < 0) {
                int64_t pid = 0;
                if (parse_uint(v, pid)) {
                    e.pid = pid;
                    continue;
                }
            }
            ctx.add_field(k, v);
        }
        if (pairs < 2) {
            return false;
        }
        if (!have_msg) {
            e.message = trim(s);
        }
        return true;
    }
    [[nodiscard]] format_id id() const override { return format_id::logfmt; }
};

} // namespace

std::unique_ptr<parser> make_logfmt_parser() {
    return std::make_unique<logfmt_parser>();
}

} // namespace sysgrok::parse
