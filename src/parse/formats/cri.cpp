// Kubernetes CRI container logs: "2016-10-06T00:17:09.669794202Z stdout F message".
// The stream becomes the field "log.stream"; "P" (partial) lines get "log.partial".
#include <memory>

#include "parse/formats/formats.hpp"
#include "parse/record_parser.hpp"
#include "parse/scan.hpp"
#include "parse/timestamp.hpp"

namespace sysgrok::parse {

namespace {

struct cri_line {
    timestamp_match ts;
    std::string_view stream;
    char tag = 'F';
    size_t message_pos = 0;
};

std::optional<cri_line> parse_cri(std::string_view s) {
    auto ts = parse_timestamp_at(s, 0);
    if (!ts || ts->form != timestamp_form::iso8601 || !char_at(s, ts->end, ' ')) {
        return std::nullopt;
    }
    cri_line c;
    c.ts = *ts;
    size_t pos = ts->end + 1;
    const size_t e = token_end(s, pos);
    c.stream = s.substr(pos, e - pos);
    if (c.stream != "stdout" && c.stream != "stderr") {
        return std::nullopt;
    }
    pos = e + 1;
    if (pos >= s.size() || (s[pos] != 'F' && s[pos] != 'P') ||
        (pos + 1 < s.size() && s[pos + 1] != ' ')) {
        return std::nullopt;
    }
    c.tag = s[pos];
    c.message_pos = pos + 2 < s.size() ? pos + 2 : s.size();
    return c;
}

class cri_parser final : public record_parser {
  public:
    [[nodiscard]] std::string_view name() const override { return "cri"; }

    [[nodiscard]] int probe(std::string_view text) const override {
        return parse_cri(text) ? 5 : 0;
    }

  protected:
    bool parse_record(const record_context& ctx) const override {
        const std::string_view s = ctx.rec.text;
        auto c = parse_cri(s);
        if (!c) {
            return false;
        }
        ctx.set_time(c->ts.parts);
        ctx.add_field("log.stream", c->stream);
        if (c->tag == 'P') {
            ctx.add_field("log.partial", "true");
        }
        ctx.ev.message = trim_right(s.substr(c->message_pos));
        return true;
    }
    [[nodiscard]] format_id id() const override { return format_id::cri; }
};

} // namespace

std::unique_ptr<parser> make_cri_parser() {
    return std::make_unique<cri_parser>();
}

} // namespace sysgrok::parse
