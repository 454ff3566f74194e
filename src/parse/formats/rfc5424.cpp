// RFC 5424 syslog: "<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG". Structured-data
// parameters become fields named "SD-ID.PARAM"; MSGID becomes "log.syslog.msgid".
#include <memory>
#include <string>

#include "parse/formats/formats.hpp"
#include "parse/record_parser.hpp"
#include "parse/scan.hpp"
#include "parse/timestamp.hpp"

namespace sysgrok::parse {

namespace {

/// The next space-delimited header field; "-" (NILVALUE) yields an empty view.
bool next_field(std::string_view s, size_t& pos, std::string_view& out) {
    if (pos >= s.size() || is_space(s[pos])) {
        return false;
    }
    const size_t e = token_end(s, pos);
    out = s.substr(pos, e - pos);
    if (out == "-") {
        out = {};
    }
    pos = e;
    if (pos < s.size()) {
        if (s[pos] != ' ') {
            return false;
        }
        ++pos;
    }
    return true;
}

/// Parses "[id k="v" ...]..." at `pos`; adds fields when `ctx` is set. False if malformed.
bool parse_sd(std::string_view s, size_t& pos, const record_context* ctx) {
    if (char_at(s, pos, '-')) {
        ++pos;
        return true;
    }
    if (!char_at(s, pos, '[')) {
        return false;
    }
    std::string buf;
    while (char_at(s, pos, '[')) {
        ++pos;
        const size_t id_begin = pos;
        while (pos < s.size() && s[pos] != ' ' && s[pos] != ']' && s[pos] != '=' && s[pos] != '"') {
            ++pos;
        }
        const std::string_view sd_id = s.substr(id_begin, pos - id_begin);
        if (sd_id.empty()) {
            return false;
        }
        while (char_at(s, pos, ' ')) {
            ++pos;
            const size_t name_begin = pos;
            while (pos < s.size() && s[pos] != '=' && s[pos] != ' ' && s[pos] != ']' &&
                   s[pos] != '"') {
                ++pos;
            }
            const std::string_view pname = s.substr(name_begin, pos - name_begin);
            if (pname.empty() || !char_at(s, pos, '=') || !char_at(s, pos + 1, '"')) {
                return false;
            }
            pos += 2;
            const size_t v_begin = pos;
            bool escaped = false;
            while (pos < s.size() && s[pos] != '"') {
                if (s[pos] == '\\' && pos + 1 < s.size()) {
                    escaped = true;
                    ++pos;
                }
                ++pos;
            }
            if (pos >= s.size()) {
                return false;
            }
            std::string_view value = s.substr(v_begin, pos - v_begin);
            ++pos; // closing quote
            if (ctx != nullptr) {
                if (escaped) {
                    buf.clear();
                    for (size_t i = 0; i < value.size(); ++i) {
                        if (value[i] == '\\' && i + 1 < value.size() &&
                            (value[i + 1] == '"' || value[i + 1] == '\\' || value[i + 1] == ']')) {
                            ++i;
                        }
                        buf += value[i];
                    }
                    value = ctx->out.strings.add(buf);
                }
                buf.assign(sd_id);
                buf += '.';
                buf += pname;
                ctx->add_field(ctx->out.strings.add(buf), value);
            }
        }
        if (!char_at(s, pos, ']')) {
            return false;
        }
        ++pos;
    }
    return true;
}

struct header5424 {
    int pri = 0;
    std::optional<timestamp_match> ts;
    std::string_view host, app, procid, msgid;
    size_t sd_pos = 0;
};

std::optional<header5424> parse_header(std::string_view s) {
    header5424 h;
    if (!char_at(s, 0, '<')) {
        return std::nullopt;
    }
    const size_t n = count_digits(s, 1);
    if (n == 0 || n > 3 || !char_at(s, 1 + n, '>')) {
        return std::nullopt;
    }
    int64_t pri = 0;
    parse_uint(s.substr(1, n), pri);
    if (pri > 191) {
        return std::nullopt;
    }
    h.pri = static_cast<int>(pri);
    size_t pos = n + 2;
    const size_t nv = count_digits(s, pos);
    if (nv == 0 || nv > 2 || !char_at(s, pos + nv, ' ')) {
        return std::nullopt;
    }
    pos += nv + 1;
    if (char_at(s, pos, '-')) {
        ++pos;
    } else {
        h.ts = parse_timestamp_at(s, pos);
        if (!h.ts || h.ts->form != timestamp_form::iso8601) {
            return std::nullopt;
        }
        pos = h.ts->end;
    }
    if (!char_at(s, pos, ' ')) {
        return std::nullopt;
    }
    ++pos;
    if (!next_field(s, pos, h.host) || !next_field(s, pos, h.app) ||
        !next_field(s, pos, h.procid) || !next_field(s, pos, h.msgid)) {
        return std::nullopt;
    }
    h.sd_pos = pos;
    return h;
}

class rfc5424_parser final : public record_parser {
  public:
    [[nodiscard]] std::string_view name() const override { return "rfc5424"; }

    [[nodiscard]] int probe(std::string_view text) const override {
        auto h = parse_header(text);
        if (!h) {
            return 0;
        }
        size_t pos = h->sd_pos;
        return parse_sd(text, pos, nullptr) ? 5 : 0;
    }

  protected:
    bool parse_record(const record_context& ctx) const override {
        return parse_rfc5424_record(ctx);
    }
    [[nodiscard]] format_id id() const override { return format_id::rfc5424; }
};

} // namespace

bool parse_rfc5424_record(const record_context& ctx) {
    const std::string_view s = ctx.rec.text;
    auto h = parse_header(s);
    if (!h) {
        return false;
    }
    size_t pos = h->sd_pos;
    if (!parse_sd(s, pos, &ctx)) {
        return false;
    }
    event& e = ctx.ev;
    e.sev = severity_from_pri(h->pri);
    if (h->ts) {
        ctx.set_time(h->ts->parts);
    }
    e.host = h->host;
    e.program = h->app;
    int64_t pid = 0;
    if (parse_uint(h->procid, pid)) {
        e.pid = pid;
    } else if (!h->procid.empty()) {
        ctx.add_field("process.id", h->procid);
    }
    if (!h->msgid.empty()) {
        ctx.add_field("log.syslog.msgid", h->msgid);
    }
    if (char_at(s, pos, ' ')) {
        ++pos;
    }
    std::string_view msg = s.substr(pos < s.size() ? pos : s.size());
    if (msg.size() >= 3 && msg.substr(0, 3) == "\xEF\xBB\xBF") {
        msg.remove_prefix(3);
    }
    e.message = trim_right(msg);
    return true;
}

std::unique_ptr<parser> make_rfc5424_parser() {
    return std::make_unique<rfc5424_parser>();
}

} // namespace sysgrok::parse
