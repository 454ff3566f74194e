// Apache/Nginx access logs, common and combined:
//   1.2.3.4 - user [10/Oct/2000:13:55:36 -0700] "GET /a?b HTTP/1.1" 200 2326 "ref" "ua"
// An optional leading virtual host ("example.com:443 1.2.3.4 - - [...]") is accepted.
// Fields use ECS keys; the event message is the request line; severity follows the
// status (5xx error, 4xx warning, else info).
#include <memory>

#include "parse/formats/formats.hpp"
#include "parse/record_parser.hpp"
#include "parse/scan.hpp"
#include "parse/timestamp.hpp"

namespace sysgrok::parse {

namespace {

struct access_line {
    std::string_view vhost, client, ident, user, request, status, bytes, referrer, agent;
    timestamp_match ts;
    int status_code = 0;
};

/// A quoted string at `pos` (backslash escapes kept as written); false if unterminated.
bool quoted(std::string_view s, size_t& pos, std::string_view& out) {
    if (!char_at(s, pos, '"')) {
        return false;
    }
    const size_t b = ++pos;
    while (pos < s.size() && s[pos] != '"') {
        if (s[pos] == '\\' && pos + 1 < s.size()) {
            ++pos;
        }
        ++pos;
    }
    if (pos >= s.size()) {
        return false;
    }
    out = s.substr(b, pos - b);
    ++pos;
    return true;
}

bool token(std::string_view s, size_t& pos, std::string_view& out) {
    if (pos >= s.size() || is_space(s[pos])) {
        return false;
    }
    const size_t e = token_end(s, pos);
    out = s.substr(pos, e - pos);
    pos = e;
    return true;
}

bool space(std::string_view s, size_t& pos) {
    if (!char_at(s, pos, ' ')) {
        return false;
    }
    pos = skip_spaces(s, pos);
    return true;
}

bool parse_from(std::string_view s, size_t pos, access_line& a) {
    if (!token(s, pos, a.client) || !space(s, pos) || !token(s, pos, a.ident) || !space(s, pos)) {
        return false;
    }
    // The user name may contain spaces in broken logs; take everything up to " [".
    const size_t ub = pos;
    const size_t lb = s.find(" [", pos);
    if (lb == std::string_view::npos || lb - ub > 256 || lb == ub) {
        return false;
    }
    a.user = s.substr(ub, lb - ub);
    pos = lb + 1;
    auto ts = parse_timestamp_at(s, pos);
    if (!ts || ts->form != timestamp_form::clf) {
        return false;
    }
    a.ts = *ts;
    pos = ts->end;
    if (!space(s, pos) || !quoted(s, pos, a.request) || !space(s, pos)) {
        return false;
    }
    if (!token(s, pos, a.status)) {
        return false;
    }
    int64_t code = 0;
    if (a.status.size() != 3 || !parse_uint(a.status, code)) {
        if (a.status != "-") {
            return false;
        }
    }
    a.status_code = static_cast<int>(code);
    if (!space(s, pos) || !token(s, pos, a.bytes)) {
        return pos >= s.size();
    }
    int64_t n = 0;
    if (a.bytes != "-" && !parse_uint(a.bytes, n)) {
        return false;
    }
    size_t p = pos;
    if (space(s, p) && quoted(s, p, a.referrer)) {
        pos = p;
        if (space(s, p) && quoted(s, p, a.agent)) {
            pos = p;
        }
    }
    return true;
}

bool parse_access(std::string_view s, access_line& a) {
    if (parse_from(s, 0, a)) {
        return true;
    }
    // "vhost:port client ident user [...]"
    const size_t e = token_end(s, 0);
    if (e == 0 || e >= s.size()) {
        return false;
    }
    a = access_line{};
    a.vhost = s.substr(0, e);
    return parse_from(s, skip_spaces(s, e), a);
}

class access_parser final : public record_parser {
  public:
    [[nodiscard]] std::string_view name() const override { return "access"; }

    [[nodiscard]] int probe(std::string_view text) const override {
        access_line a;
        if (!parse_access(text, a)) {
            return 0;
        }
        return a.agent.empty() ? 4 : 5;
    }

  protected:
    bool parse_record(const record_context& ctx) const override {
        access_line a;
        if (!parse_access(ctx.rec.text, a)) {
            return false;
        }
        event& e = ctx.ev;
        ctx.set_time(a.ts.parts);
        e.message = a.request;
        if (!a.vhost.empty()) {
            e.host = a.vhost;
        }
        ctx.add_field(looks_like_ip(a.client) ? "source.ip" : "source.domain", a.client);
        if (a.user != "-" && !a.user.empty()) {
            ctx.add_field("user.name", a.user);
        }
        // "METHOD target HTTP/x.y"
        const std::string_view r = a.request;
        const size_t sp1 = r.find(' ');
        const size_t sp2 = r.rfind(' ');
        if (sp1 != std::string_view::npos && sp2 > sp1) {
            const std::string_view method = r.substr(0, sp1);
            const std::string_view proto = r.substr(sp2 + 1);
            bool upper = !method.empty();
            for (const char c : method) {
                upper = upper && (is_upper(c) || c == '-' || c == '_');
            }
            if (upper && proto.size() > 5 && proto.substr(0, 5) == "HTTP/") {
                ctx.add_field("http.request.method", method);
                ctx.add_field("url.original", r.substr(sp1 + 1, sp2 - sp1 - 1));
                ctx.add_field("http.version", proto.substr(5));
            }
        } else if (sp1 != std::string_view::npos) {
            ctx.add_field("http.request.method", r.substr(0, sp1));
            ctx.add_field("url.original", r.substr(sp1 + 1));
        }
        if (a.status_code != 0) {
            ctx.add_field("http.response.status_code", a.status);
        }
        if (a.bytes != "-" && !a.bytes.empty()) {
            ctx.add_field("http.response.body.bytes", a.bytes);
        }
        if (!a.referrer.empty() && a.referrer != "-") {
            ctx.add_field("http.request.referrer", a.referrer);
        }
        if (!a.agent.empty() && a.agent != "-") {
            ctx.add_field("user_agent.original", a.agent);
        }
        ctx.add_field("event.category", "web");
        if (a.status_code != 0) {
            ctx.add_field("event.outcome", a.status_code >= 400 ? "failure" : "success");
        }
        e.sev = a.status_code >= 500   ? severity::error
                : a.status_code >= 400 ? severity::warning
                                       : severity::info;
        return true;
    }
    [[nodiscard]] format_id id() const override { return format_id::access; }
};

} // namespace

std::unique_ptr<parser> make_access_parser() {
    return std::make_unique<access_parser>();
}

} // namespace sysgrok::parse
