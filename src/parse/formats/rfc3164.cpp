// RFC 3164 (BSD) syslog: "[<PRI>]Mmm dd hh:mm:ss [host] prog[pid]: msg", also with the
// rsyslog high-precision RFC 3339 timestamp instead of the BSD one.
#include <memory>

#include "parse/formats/formats.hpp"
#include "parse/program_tag.hpp"
#include "parse/record_parser.hpp"
#include "parse/scan.hpp"
#include "parse/timestamp.hpp"

namespace sysgrok::parse {

namespace {

struct syslog_header {
    int pri = -1;
    timestamp_match ts;
    std::string_view host;
    std::optional<program_tag> tag;
    size_t message_pos = 0;
};

/// "<PRI>" at the start: 1-3 digits, value <= 191.
size_t parse_pri(std::string_view s, int& pri) {
    if (s.empty() || s[0] != '<') {
        return 0;
    }
    const size_t n = count_digits(s, 1);
    if (n == 0 || n > 3 || !char_at(s, 1 + n, '>')) {
        return 0;
    }
    int64_t v = 0;
    parse_uint(s.substr(1, n), v);
    if (v > 191) {
        return 0;
    }
    pri = static_cast<int>(v);
    return n + 2;
}

/// "[prog]: " or "[prog] " (some BSD daemons), the name being a plain word.
std::optional<program_tag> bracket_tag(std::string_view s, size_t pos) {
    if (!char_at(s, pos, '[')) {
        return std::nullopt;
    }
    size_t i = pos + 1;
    bool letter = false;
    while (i < s.size() && i < pos + 33 &&
           (is_alnum(s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.' || s[i] == '/')) {
        letter = letter || is_alpha(s[i]);
        ++i;
    }
    if (!letter || !char_at(s, i, ']')) {
        return std::nullopt;
    }
    program_tag tag;
    tag.program = s.substr(pos + 1, i - pos - 1);
    if (severity_from_word(tag.program)) {
        return std::nullopt; // "[INFO] msg" is a level, not a program
    }
    ++i;
    if (char_at(s, i, ':')) {
        ++i;
    }
    if (!char_at(s, i, ' ')) {
        return std::nullopt;
    }
    tag.message_pos = skip_spaces(s, i);
    return tag;
}

/// "<PRI>1 " opens an RFC 5424 record.
bool is_rfc5424(std::string_view s) {
    if (!char_at(s, 0, '<')) {
        return false;
    }
    const size_t n = count_digits(s, 1);
    return n > 0 && n <= 3 && char_at(s, n + 1, '>') && char_at(s, n + 2, '1') &&
           char_at(s, n + 3, ' ');
}

std::optional<syslog_header> parse_header(std::string_view s) {
    syslog_header h;
    size_t pos = parse_pri(s, h.pri);
    auto ts = parse_timestamp_at(s, pos);
    if (!ts) {
        return std::nullopt;
    }
    const bool iso = ts->form == timestamp_form::iso8601 && char_at(s, pos + 10, 'T');
    if (ts->form != timestamp_form::syslog && !iso) {
        return std::nullopt;
    }
    h.ts = *ts;
    pos = ts->end;
    if (!char_at(s, pos, ' ')) {
        return (pos == s.size() && h.pri >= 0) ? std::optional(h) : std::nullopt;
    }
    pos = skip_spaces(s, pos);
    h.message_pos = pos;
    if (auto tag = bracket_tag(s, pos)) { // "[sshd]: msg", "[sshd] msg"
        h.tag = tag;
        h.message_pos = tag->message_pos;
        return h;
    }
    // Either "host tag: msg", "tag: msg" (no host) or "host msg" (no tag).
    if (auto tag = parse_program_tag(s, pos)) {
        h.tag = tag;
        h.message_pos = tag->message_pos;
        return h;
    }
    const size_t te = token_end(s, pos);
    const std::string_view host = s.substr(pos, te - pos);
    if (host.empty() || host.find_first_of("[]:=\"") != std::string_view::npos) {
        return iso ? std::nullopt : std::optional(h); // BSD timestamp, then free text
    }
    h.host = host;
    pos = skip_spaces(s, te);
    h.message_pos = pos;
    if (auto tag = parse_program_tag(s, pos)) {
        h.tag = tag;
        h.message_pos = tag->message_pos;
    } else if (iso && h.pri < 0) {
        return std::nullopt; // an ISO time and a word are not enough to call it syslog
    }
    return h;
}

class rfc3164_parser final : public record_parser {
  public:
    [[nodiscard]] std::string_view name() const override { return "rfc3164"; }

    [[nodiscard]] int probe(std::string_view text) const override {
        const auto h = parse_header(text);
        if (!h) {
            return 0;
        }
        return 1 + (h->pri >= 0 ? 1 : 0) + (h->tag ? 1 : 0) + (h->host.empty() ? 0 : 1);
    }

  protected:
    bool parse_record(const record_context& ctx) const override {
        const std::string_view s = ctx.rec.text;
        if (is_rfc5424(s) && parse_rfc5424_record(ctx)) {
            return true;
        }
        const auto h = parse_header(s);
        if (!h) {
            return false;
        }
        event& e = ctx.ev;
        ctx.set_time(h->ts.parts);
        if (h->pri >= 0) {
            e.sev = severity_from_pri(h->pri);
        }
        e.host = h->host;
        if (h->tag) {
            e.program = h->tag->program;
            e.pid = h->tag->pid;
        }
        e.message = trim(s.substr(h->message_pos < s.size() ? h->message_pos : s.size()));
        if (h->pri < 0) {
            // "logrotate: ALERT exited abnormally": an upper-case level word opening the
            // message is the only level such a line carries.
            const size_t te = token_end(e.message, 0);
            std::string_view w = e.message.substr(0, te);
            if (!w.empty() && w.back() == ':') {
                w.remove_suffix(1);
            }
            bool upper = w.size() >= 3;
            for (const char c : w) {
                upper = upper && is_upper(c);
            }
            if (upper) {
                if (auto sev = severity_from_word(w)) {
                    e.sev = *sev;
                }
            }
        }
        return true;
    }
    [[nodiscard]] format_id id() const override { return format_id::rfc3164; }
};

} // namespace

std::unique_ptr<parser> make_rfc3164_parser() {
    return std::make_unique<rfc3164_parser>();
}

} // namespace sysgrok::parse
