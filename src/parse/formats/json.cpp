// JSON lines (simdjson On-Demand): generic JSON logs, journalctl -o json, Docker
// json-file, Kubernetes/klog JSON and ECS. Known keys fill the event; other scalar
// values become fields (nested objects as dotted paths).
#include <array>
#include <memory>
#include <string>

#include <simdjson.h>

#include "parse/formats/formats.hpp"
#include "parse/record_parser.hpp"
#include "parse/scan.hpp"
#include "parse/timestamp.hpp"

namespace sysgrok::parse {

namespace {

namespace od = simdjson::ondemand;

constexpr int k_max_depth = 6;

enum class role : uint8_t { none, time, level, priority, message, host, program, pid };

struct key_role {
    std::string_view key;
    role r;
    int8_t rank; ///< a higher rank wins when several keys carry the same role
};

constexpr std::array k_roles{
    key_role{"@timestamp", role::time, 5},
    key_role{"timestamp", role::time, 4},
    key_role{"time", role::time, 4},
    key_role{"ts", role::time, 3},
    key_role{"t", role::time, 2},
    key_role{"datetime", role::time, 3},
    key_role{"asctime", role::time, 3},
    key_role{"eventTime", role::time, 3},
    key_role{"date", role::time, 1},
    key_role{"_SOURCE_REALTIME_TIMESTAMP", role::time, 7},
    key_role{"__REALTIME_TIMESTAMP", role::time, 6},
    key_role{"log.level", role::level, 5},
    key_role{"level", role::level, 4},
    key_role{"severity", role::level, 4},
    key_role{"levelname", role::level, 4},
    key_role{"lvl", role::level, 3},
    key_role{"loglevel", role::level, 3},
    key_role{"PRIORITY", role::priority, 5},
    key_role{"MESSAGE", role::message, 5},
    key_role{"message", role::message, 4},
    key_role{"msg", role::message, 4},
    key_role{"log", role::message, 3},
    key_role{"short_message", role::message, 3},
    key_role{"@message", role::message, 3},
    key_role{"host.name", role::host, 5},
    key_role{"_HOSTNAME", role::host, 5},
    key_role{"hostname", role::host, 4},
    key_role{"host.hostname", role::host, 4},
    key_role{"host", role::host, 3},
    key_role{"SYSLOG_IDENTIFIER", role::program, 5},
    key_role{"service.name", role::program, 4},
    key_role{"log.logger", role::program, 4},
    key_role{"_COMM", role::program, 4},
    key_role{"logger", role::program, 3},
    key_role{"logger_name", role::program, 3},
    key_role{"component", role::program, 3},
    key_role{"service", role::program, 3},
    key_role{"app", role::program, 2},
    key_role{"application", role::program, 2},
    key_role{"process.name", role::program, 2},
    key_role{"name", role::program, 1},
    key_role{"process.pid", role::pid, 5},
    key_role{"_PID", role::pid, 4},
    key_role{"pid", role::pid, 3},
    key_role{"SYSLOG_PID", role::pid, 3},
};

const key_role* lookup(std::string_view key) {
    for (const auto& kr : k_roles) {
        if (kr.key.size() == key.size() && kr.key[0] == key[0] && kr.key == key) {
            return &kr;
        }
    }
    return nullptr;
}

/// Severity from a level value: a word, an RFC 5424 digit, or a pino/bunyan number.
std::optional<severity> level_value(std::string_view v, bool is_priority) {
    int64_t n = 0;
    if (parse_uint(v, n)) {
        if (n <= 7) {
            return severity_from_pri(static_cast<int>(n));
        }
        if (is_priority) {
            return std::nullopt;
        }
        if (n <= 10) {
            return severity::debug;
        }
        if (n <= 20) {
            return severity::debug;
        }
        if (n <= 30) {
            return severity::info;
        }
        if (n <= 40) {
            return severity::warning;
        }
        if (n <= 50) {
            return severity::error;
        }
        return severity::critical;
    }
    return severity_from_word(v, true);
}

struct json_state {
    const record_context& ctx;
    std::string_view text;
    std::string path;
    std::array<int8_t, 8> rank{}; ///< per role
    bool any = false;
};

/// Raw token of a value without trailing white space.
std::string_view trimmed_token(std::string_view tok) {
    return trim_right(tok);
}

/// Key of a field as a stable view: into the record when it has no escapes, else copied.
bool stable_key(json_state& js, od::field& f, std::string_view& out) {
    const char* raw = f.key().raw();
    const char* end = js.text.data() + js.text.size();
    if (raw < js.text.data() || raw >= end) {
        return false;
    }
    const char* p = raw;
    while (p < end && *p != '"' && *p != '\\') {
        ++p;
    }
    if (p < end && *p == '"') {
        out = std::string_view(raw, static_cast<size_t>(p - raw));
        return true;
    }
    std::string_view k;
    if (f.unescaped_key().get(k) != simdjson::SUCCESS) {
        return false;
    }
    out = js.ctx.out.strings.add(k);
    return true;
}

/// String value as a stable view (copied to the arena only when it has escapes).
bool stable_string(json_state& js, od::value& v, std::string_view& out) {
    const std::string_view tok = trimmed_token(v.raw_json_token());
    if (tok.size() < 2 || tok.front() != '"' || tok.back() != '"') {
        return false;
    }
    const std::string_view inner = tok.substr(1, tok.size() - 2);
    if (inner.find('\\') == std::string_view::npos) {
        out = inner;
        return true;
    }
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS) {
        return false;
    }
    out = js.ctx.out.strings.add(s);
    return true;
}

void apply(json_state& js, const key_role& kr, std::string_view value, bool is_string) {
    event& e = js.ctx.ev;
    auto& rank = js.rank[static_cast<size_t>(kr.r)];
    if (rank >= kr.rank) {
        js.ctx.add_field(kr.key, value);
        return;
    }
    switch (kr.r) {
        case role::time:
            if (auto p = parse_timestamp_value(value)) {
                js.ctx.set_time(*p);
            } else {
                js.ctx.add_field(kr.key, value);
                return;
            }
            break;
        case role::level:
        case role::priority:
            if (auto sev = level_value(value, kr.r == role::priority)) {
                e.sev = *sev;
            } else {
                js.ctx.add_field(kr.key, value);
                return;
            }
            // PRIORITY and level words share one rank slot
            js.rank[static_cast<size_t>(role::level)] = kr.rank;
            js.rank[static_cast<size_t>(role::priority)] = kr.rank;
            return;
        case role::message:
            e.message = trim_right(value);
            break;
        case role::host:
            if (!is_string) {
                js.ctx.add_field(kr.key, value);
                return;
            }
            e.host = value;
            break;
        case role::program:
            if (!is_string) {
                js.ctx.add_field(kr.key, value);
                return;
            }
            e.program = value;
            break;
        case role::pid: {
            int64_t pid = 0;
            if (parse_uint(value, pid)) {
                e.pid = pid;
            } else {
                js.ctx.add_field(kr.key, value);
                return;
            }
            break;
        }
        case role::none:
            break;
    }
    rank = kr.rank;
}

bool walk_object(json_state& js, od::object obj, int depth);

bool walk_field(json_state& js, od::field& f, int depth) {
    std::string_view key;
    if (!stable_key(js, f, key)) {
        return false;
    }
    std::string_view full = key;
    const size_t path_len = js.path.size();
    if (depth > 0) {
        js.path += '.';
        js.path += key;
        full = js.path;
    }
    od::value v = f.value();
    od::json_type type{};
    if (v.type().get(type) != simdjson::SUCCESS) {
        return false;
    }
    bool ok = true;
    switch (type) {
        case od::json_type::object: {
            if (depth + 1 >= k_max_depth) {
                break; // skipped by the iterator
            }
            od::object inner;
            if (v.get_object().get(inner) != simdjson::SUCCESS) {
                return false;
            }
            if (depth == 0) {
                js.path.assign(key);
            }
            ok = walk_object(js, inner, depth + 1);
            break;
        }
        case od::json_type::array:
        case od::json_type::null:
            break; // arrays are not kept as fields
        case od::json_type::string: {
            std::string_view s;
            if (!stable_string(js, v, s)) {
                return false;
            }
            const key_role* kr = lookup(full);
            if (depth > 0) {
                full = js.ctx.out.strings.add(full);
            }
            if (kr != nullptr) {
                apply(js, *kr, s, true);
            } else {
                js.ctx.add_field(full, s);
            }
            break;
        }
        case od::json_type::number:
        case od::json_type::boolean: {
            const std::string_view tok = trimmed_token(v.raw_json_token());
            const key_role* kr = lookup(full);
            if (depth > 0) {
                full = js.ctx.out.strings.add(full);
            }
            if (kr != nullptr && type == od::json_type::number) {
                apply(js, *kr, tok, false);
            } else {
                js.ctx.add_field(full, tok);
            }
            break;
        }
    }
    if (depth > 0) {
        js.path.resize(path_len);
    } else {
        js.path.clear();
    }
    return ok;
}

bool walk_object(json_state& js, od::object obj, int depth) {
    for (auto item : obj) {
        od::field f;
        if (std::move(item).get(f) != simdjson::SUCCESS) {
            return false;
        }
        js.any = true;
        if (!walk_field(js, f, depth)) {
            return false;
        }
    }
    return true;
}

od::parser& thread_parser() {
    thread_local od::parser p;
    return p;
}

/// Bytes readable after `text` when it lies in `block` (its padding included).
size_t readable_capacity(const record_batch& batch, std::string_view text) {
    if (!batch.block) {
        return 0;
    }
    const char* b = batch.block->data();
    const char* e = b + batch.block->size();
    if (text.data() < b || text.data() + text.size() > e) {
        return 0;
    }
    return static_cast<size_t>(e - text.data()) + text_block::k_padding;
}

bool looks_like_object(std::string_view s) {
    const size_t p = skip_spaces(s, 0);
    return p < s.size() && s[p] == '{';
}

class json_parser final : public record_parser {
  public:
    [[nodiscard]] std::string_view name() const override { return "json"; }

    [[nodiscard]] int probe(std::string_view text) const override {
        if (!looks_like_object(text)) {
            return 0;
        }
        simdjson::padded_string copy(text);
        od::document doc;
        if (thread_parser().iterate(copy).get(doc) != simdjson::SUCCESS) {
            return 0;
        }
        od::object obj;
        if (doc.get_object().get(obj) != simdjson::SUCCESS) {
            return 0;
        }
        size_t n = 0;
        for (auto item : obj) {
            od::field f;
            if (std::move(item).get(f) != simdjson::SUCCESS) {
                return 0;
            }
            ++n;
        }
        return n > 0 ? 6 : 0;
    }

  protected:
    bool parse_record(const record_context& ctx) const override {
        const std::string_view text = ctx.rec.text;
        if (!looks_like_object(text)) {
            return false;
        }
        size_t cap = readable_capacity(ctx.batch, text);
        simdjson::padded_string copy;
        simdjson::padded_string_view view;
        if (cap >= text.size() + simdjson::SIMDJSON_PADDING) {
            view = simdjson::padded_string_view(text.data(), text.size(), cap);
        } else {
            copy = simdjson::padded_string(text);
            view = copy;
        }
        od::document doc;
        if (thread_parser().iterate(view).get(doc) != simdjson::SUCCESS) {
            return false;
        }
        od::object obj;
        if (doc.get_object().get(obj) != simdjson::SUCCESS) {
            return false;
        }
        // Views must point into the record text, not into a temporary copy.
        json_state js{ctx,
                      copy.size() != 0 ? std::string_view(copy.data(), copy.size()) : text,
                      {},
                      {},
                      false};
        if (!walk_object(js, obj, 0) || !js.any) {
            return false;
        }
        if (copy.size() != 0) {
            // Rare path (record outside a padded block): re-home views into the arena.
            rehome(ctx, copy);
        }
        return true;
    }
    [[nodiscard]] format_id id() const override { return format_id::json; }

  private:
    static void rehome(const record_context& ctx, const simdjson::padded_string& copy) {
        const char* b = copy.data();
        const char* e = b + copy.size();
        auto fix = [&](std::string_view& v) {
            if (!v.empty() && v.data() >= b && v.data() < e) {
                v = std::string_view(ctx.rec.text.data() + (v.data() - b), v.size());
            }
        };
        fix(ctx.ev.message);
        fix(ctx.ev.host);
        fix(ctx.ev.program);
        for (size_t i = ctx.ev.field_begin; i < ctx.out.fields.size(); ++i) {
            fix(ctx.out.fields[i].key);
            fix(ctx.out.fields[i].value);
        }
    }
};

} // namespace

std::unique_ptr<parser> make_json_parser() {
    return std::make_unique<json_parser>();
}

} // namespace sysgrok::parse
