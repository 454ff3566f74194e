#include "parse/record_parser.hpp"

#include "core/hash.hpp"
#include "parse/security/enrich.hpp"

namespace sysgrok::parse {

std::string_view format_name(uint16_t id) {
    switch (static_cast<format_id>(id)) {
        case format_id::generic:
            return "generic";
        case format_id::rfc3164:
            return "rfc3164";
        case format_id::rfc5424:
            return "rfc5424";
        case format_id::json:
            return "json";
        case format_id::logfmt:
            return "logfmt";
        case format_id::access:
            return "access";
        case format_id::cri:
            return "cri";
        case format_id::header:
            return "header";
        case format_id::regex:
            return "regex";
    }
    return "unknown";
}

void record_context::add_field(std::string_view key, std::string_view value) const {
    if (key.empty() || out.fields.size() - ev.field_begin >= k_max_fields) {
        return;
    }
    out.fields.push_back(field{key, value});
}

void record_context::set_time(const timestamp_parts& parts) const {
    int32_t offset = k_no_offset;
    const int64_t ts = resolve_timestamp(parts, state, offset);
    if (ts != k_no_time) {
        ev.ts_ns = ts;
        ev.utc_offset_s = offset;
    }
}

namespace {

event make_event(const record& rec, const parse_state& state, size_t field_begin) {
    event e;
    e.raw = rec.text;
    e.line = rec.line;
    e.line_count = rec.line_count;
    e.flags = rec.flags;
    e.input = state.input;
    e.id = hash64(rec.text, hash_combine(state.input_hash, rec.line));
    e.field_begin = static_cast<uint32_t>(field_begin);
    return e;
}

} // namespace

void record_parser::parse(const record_batch& batch, parse_state& state, event_batch& out) const {
    if (batch.block && (out.blocks.empty() || out.blocks.back() != batch.block)) {
        out.blocks.push_back(batch.block);
    }
    out.events.reserve(out.events.size() + batch.records.size());
    const format_id own = id();
    for (const record& rec : batch.records) {
        const size_t mark = out.fields.size();
        event e = make_event(rec, state, mark);
        const record_context ctx{batch, rec, state, out, e};
        if (parse_record(ctx)) {
            e.format = static_cast<uint16_t>(own);
            ++state.matched;
        } else {
            out.fields.resize(mark);
            e = make_event(rec, state, mark);
            parse_generic_record(ctx);
            e.format = static_cast<uint16_t>(format_id::generic);
            if (own == format_id::generic) {
                ++state.matched;
            } else {
                ++state.unmatched;
            }
        }
        if (state.options.security_fields) {
            enrich_security(e, out, state.sessions);
        }
        e.field_count = static_cast<uint32_t>(out.fields.size() - mark);
        if (e.ts_ns != k_no_time) {
            state.last_ts_ns = e.ts_ns;
        }
        out.events.push_back(e);
    }
}

} // namespace sysgrok::parse
