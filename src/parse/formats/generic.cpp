// Generic lines: a timestamp in any common form near the start, then a level word,
// a pid, a component and the message (see parse_generic_tail).
#include <memory>

#include "parse/formats/formats.hpp"
#include "parse/program_tag.hpp"
#include "parse/record_parser.hpp"
#include "parse/scan.hpp"
#include "parse/timestamp.hpp"

namespace sysgrok::parse {

namespace {

constexpr int k_level_search_tokens = 12;
constexpr size_t k_bracket_limit = 256;

bool all_digits(std::string_view s) {
    if (s.empty()) {
        return false;
    }
    for (const char c : s) {
        if (!is_digit(c)) {
            return false;
        }
    }
    return true;
}

bool all_upper(std::string_view s) {
    for (const char c : s) {
        if (!is_upper(c)) {
            return false;
        }
    }
    return !s.empty();
}

/// Strips "[...]", "<...>", "(...)" and a trailing ':' or ','; `decorated` tells whether
/// anything was stripped.
std::string_view strip_decoration(std::string_view tok, bool& decorated) {
    decorated = false;
    while (!tok.empty() && (tok.back() == ':' || tok.back() == ',')) {
        tok.remove_suffix(1);
        decorated = true;
    }
    if (tok.size() >= 2) {
        const char open = tok.front();
        const char close = tok.back();
        if ((open == '[' && close == ']') || (open == '<' && close == '>') ||
            (open == '(' && close == ')')) {
            tok = tok.substr(1, tok.size() - 2);
            decorated = true;
        }
    }
    return tok;
}

/// Skips spaces and lone separators ("-", "|", ":", ",") between header parts.
size_t skip_separators(std::string_view s, size_t pos) {
    for (;;) {
        pos = skip_spaces(s, pos);
        if (pos < s.size() && (s[pos] == '-' || s[pos] == '|' || s[pos] == ':' || s[pos] == ',') &&
            (pos + 1 == s.size() || is_space(s[pos + 1]))) {
            ++pos;
            continue;
        }
        return pos;
    }
}

/// Index of the ']' matching the '[' at `pos` (nesting allowed), npos if none nearby.
size_t matching_bracket(std::string_view s, size_t pos) {
    int depth = 0;
    const size_t limit = pos + k_bracket_limit < s.size() ? pos + k_bracket_limit : s.size();
    for (size_t i = pos; i < limit; ++i) {
        if (s[i] == '[') {
            ++depth;
        } else if (s[i] == ']') {
            if (--depth == 0) {
                return i;
            }
        }
    }
    return std::string_view::npos;
}

/// Component after the level: "[component]", "[thread] component:", "component:".
size_t parse_component(const record_context& ctx, std::string_view text, size_t p) {
    event& e = ctx.ev;
    if (p < text.size() && text[p] == '[') {
        const size_t close = matching_bracket(text, p);
        if (close == std::string_view::npos) {
            return p;
        }
        const std::string_view inner = text.substr(p + 1, close - p - 1);
        const size_t q = skip_spaces(text, close + 1);
        if (auto tag = parse_program_tag(text, q)) {
            ctx.add_field("process.thread.name", inner);
            e.program = tag->program;
            if (tag->pid >= 0) {
                e.pid = tag->pid;
            }
            return tag->message_pos;
        }
        e.program = inner;
        return skip_separators(text, close + 1);
    }
    if (auto tag = parse_program_tag(text, p)) {
        e.program = tag->program;
        if (tag->pid >= 0) {
            e.pid = tag->pid;
        }
        return tag->message_pos;
    }
    const size_t te = token_end(text, p);
    const std::string_view tok = text.substr(p, te - p);
    if (tok.size() > 1 && tok.back() == ']' && tok.find('[') == std::string_view::npos &&
        tok.find(':') != std::string_view::npos) {
        // klog "file.go:12]"
        ctx.add_field("log.origin.file.line", tok.substr(0, tok.size() - 1));
        return skip_spaces(text, te);
    }
    return p;
}

class generic_parser final : public record_parser {
  public:
    [[nodiscard]] std::string_view name() const override { return "generic"; }
    [[nodiscard]] int probe(std::string_view text) const override {
        return find_timestamp(text) ? 2 : 1;
    }

  protected:
    bool parse_record(const record_context& ctx) const override {
        parse_generic_record(ctx);
        return true;
    }
    [[nodiscard]] format_id id() const override { return format_id::generic; }
};

} // namespace

/// "prog[pid]: msg" or "host prog[pid]: msg" at `body` (journalctl short output without
/// the time, syslog relays): the tag wins over a level word in the message.
bool leading_tag(const record_context& ctx, std::string_view text, size_t body) {
    event& e = ctx.ev;
    std::string_view host;
    auto tag = parse_program_tag(text, body);
    if (!tag || tag->pid < 0) {
        const size_t te = token_end(text, body);
        const size_t q = skip_spaces(text, te);
        if (q == te) {
            return false;
        }
        tag = parse_program_tag(text, q);
        if (!tag || tag->pid < 0) {
            return false;
        }
        host = text.substr(body, te - body);
        if (host.find_first_of("[]:=\"") != std::string_view::npos) {
            return false;
        }
    }
    const std::string_view msg =
        trim(text.substr(tag->message_pos < text.size() ? tag->message_pos : text.size()));
    if (msg.empty()) {
        return false;
    }
    e.host = host;
    e.program = tag->program;
    e.pid = tag->pid;
    e.message = msg;
    return true;
}

void parse_generic_tail(const record_context& ctx,
                        std::string_view text,
                        size_t pos,
                        bool have_level) {
    event& e = ctx.ev;
    const size_t body = skip_separators(text, pos);
    if (!have_level && leading_tag(ctx, text, body)) {
        return;
    }
    size_t msg = body;
    bool level = have_level;
    int64_t pid = -1;
    std::string_view tid;
    if (!level) {
        size_t q = body;
        int numerics = 0;
        int words = 0;
        for (int k = 0; k < k_level_search_tokens && q < text.size(); ++k) {
            const size_t te = token_end(text, q);
            const std::string_view tok = text.substr(q, te - q);
            if (words == 0 && all_digits(tok)) {
                if (numerics == 0) {
                    parse_uint(tok, pid);
                } else if (numerics == 1) {
                    tid = tok;
                }
                ++numerics;
                q = skip_separators(text, te);
                continue;
            }
            bool decorated = false;
            const std::string_view w = strip_decoration(tok, decorated);
            std::optional<severity> sev;
            if (w.size() == 1) {
                if (numerics > 0 && words == 0 && is_upper(w[0])) {
                    sev = severity_from_word(w, true);
                }
            } else if (words == 0 || decorated || all_upper(w)) {
                sev = severity_from_word(w);
            }
            if (sev) {
                e.sev = *sev;
                level = true;
                msg = skip_separators(text, te);
                if (pid >= 0) {
                    e.pid = pid;
                }
                if (!tid.empty()) {
                    ctx.add_field("process.thread.id", tid);
                }
                break;
            }
            ++words;
            q = skip_separators(text, te);
        }
    }
    if (level) {
        if (have_level) {
            const size_t te = token_end(text, msg);
            if (all_digits(text.substr(msg, te - msg)) &&
                parse_uint(text.substr(msg, te - msg), pid)) {
                e.pid = pid;
                msg = skip_spaces(text, te);
            }
        }
        msg = parse_component(ctx, text, msg);
    } else if (auto tag = parse_program_tag(text, body)) {
        e.program = tag->program;
        e.pid = tag->pid;
        msg = tag->message_pos;
    } else {
        const size_t te = token_end(text, body);
        const size_t q = skip_spaces(text, te);
        if (q > te) {
            if (auto tag2 = parse_program_tag(text, q)) {
                e.host = text.substr(body, te - body);
                e.program = tag2->program;
                e.pid = tag2->pid;
                msg = tag2->message_pos;
            }
        }
    }
    e.message = trim(text.substr(msg < text.size() ? msg : text.size()));
    if (e.message.empty()) {
        e.message = trim(text.substr(body < text.size() ? body : text.size()));
    }
}

void parse_generic_record(const record_context& ctx) {
    const std::string_view text = ctx.rec.text;
    size_t pos = 0;
    bool have_level = false;
    if (auto ts = find_timestamp(text)) {
        ctx.set_time(ts->parts);
        pos = ts->end;
        if (ts->level_letter != 0) {
            if (auto sev = severity_from_word(std::string_view(&ts->level_letter, 1), true)) {
                ctx.ev.sev = *sev;
                have_level = true;
            }
        }
    }
    parse_generic_tail(ctx, text, pos, have_level);
}

std::unique_ptr<parser> make_generic_parser() {
    return std::make_unique<generic_parser>();
}

} // namespace sysgrok::parse
