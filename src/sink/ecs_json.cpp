#include "sink/ecs_json.hpp"

#include <array>
#include <charconv>

#include "core/json_writer.hpp"
#include "core/time.hpp"

namespace sysgrok::sink {

namespace {

constexpr std::array k_ecs_prefixes{
    std::string_view("agent."),       std::string_view("client."),
    std::string_view("cloud."),       std::string_view("container."),
    std::string_view("destination."), std::string_view("error."),
    std::string_view("event."),       std::string_view("file."),
    std::string_view("host."),        std::string_view("http."),
    std::string_view("kubernetes."),  std::string_view("labels."),
    std::string_view("log."),         std::string_view("network."),
    std::string_view("observer."),    std::string_view("orchestrator."),
    std::string_view("process."),     std::string_view("server."),
    std::string_view("service."),     std::string_view("source."),
    std::string_view("span."),        std::string_view("threat."),
    std::string_view("trace."),       std::string_view("transaction."),
    std::string_view("url."),         std::string_view("user."),
    std::string_view("user_agent."),  std::string_view("rule."),
    std::string_view("related."),     std::string_view("group."),
};

/// Keys this formatter writes itself; parser fields with these names are not repeated.
constexpr std::array k_own_keys{
    std::string_view("@timestamp"),  std::string_view("message"),
    std::string_view("log.level"),   std::string_view("log.file.path"),
    std::string_view("host.name"),   std::string_view("process.name"),
    std::string_view("process.pid"), std::string_view("event.timezone"),
};

void append_int(std::string& out, int64_t v) {
    std::array<char, 24> buf{};
    auto [p, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    out.append(buf.data(), p);
}

void key(std::string& out, std::string_view k) {
    out += ",\"";
    out += k;
    out += "\":";
}

/// Numbers stay numbers in JSON when the value is a plain integer (status codes, bytes).
bool is_plain_int(std::string_view v) {
    if (v.empty() || v.size() > 18) {
        return false;
    }
    size_t i = v[0] == '-' ? 1 : 0;
    if (i == v.size() || (v[i] == '0' && v.size() > i + 1)) {
        return false;
    }
    for (; i < v.size(); ++i) {
        if (v[i] < '0' || v[i] > '9') {
            return false;
        }
    }
    return true;
}

} // namespace

bool is_ecs_key(std::string_view k) {
    for (auto p : k_ecs_prefixes) {
        if (k.substr(0, p.size()) == p) {
            return true;
        }
    }
    return false;
}

void ecs_json_formatter::append(std::string& out,
                                const event_batch& batch,
                                const event& e,
                                const event_annotations& ann) const {
    out += "{\"@timestamp\":";
    if (e.ts_ns == k_no_time) {
        out += "null";
    } else {
        out += '"';
        append_iso8601_utc(out, e.ts_ns);
        out += '"';
    }
    key(out, "message");
    append_json_string(out, e.message);
    if (e.sev != severity::none) {
        key(out, "log.level");
        append_json_string(out, severity_name(e.sev));
    }
    if (e.input < paths_.size()) {
        key(out, "log.file.path");
        append_json_string(out, paths_[e.input]);
    }
    if (!e.host.empty()) {
        key(out, "host.name");
        append_json_string(out, e.host);
    }
    if (!e.program.empty()) {
        key(out, "process.name");
        append_json_string(out, e.program);
    }
    if (e.pid >= 0) {
        key(out, "process.pid");
        append_int(out, e.pid);
    }
    bool any_other = false;
    for (const auto& f : batch.fields_of(e)) {
        if (!is_ecs_key(f.key)) {
            any_other = true;
            continue;
        }
        bool own = false;
        for (auto k : k_own_keys) {
            own = own || k == f.key;
        }
        if (own) {
            continue;
        }
        key(out, f.key);
        if ((f.key.ends_with(".status_code") || f.key.ends_with(".bytes") ||
             f.key.ends_with(".port") || f.key.ends_with(".pid")) &&
            is_plain_int(f.value)) {
            out += f.value;
        } else {
            append_json_string(out, f.value);
        }
    }
    if (e.utc_offset_s != k_no_offset) {
        key(out, "event.timezone");
        const int32_t off = e.utc_offset_s;
        const int32_t a = off < 0 ? -off : off;
        std::array<char, 8> tz{};
        tz[0] = off < 0 ? '-' : '+';
        tz[1] = static_cast<char>('0' + (a / 3600) / 10);
        tz[2] = static_cast<char>('0' + (a / 3600) % 10);
        tz[3] = ':';
        tz[4] = static_cast<char>('0' + ((a / 60) % 60) / 10);
        tz[5] = static_cast<char>('0' + (a / 60) % 10);
        out += '"';
        out.append(tz.data(), 6);
        out += '"';
    }
    if (any_other) {
        out += ",\"sysgrok.fields\":{";
        bool first = true;
        for (const auto& f : batch.fields_of(e)) {
            if (is_ecs_key(f.key)) {
                continue;
            }
            if (!first) {
                out += ',';
            }
            first = false;
            append_json_string(out, f.key);
            out += ':';
            append_json_string(out, f.value);
        }
        out += '}';
    }
    key(out, "sysgrok.line");
    append_int(out, static_cast<int64_t>(e.line));
    if (e.line_count > 1) {
        key(out, "sysgrok.line_count");
        append_int(out, e.line_count);
    }
    if (e.input < formats_.size()) {
        key(out, "sysgrok.format");
        append_json_string(out, formats_[e.input]);
    }
    key(out, "sysgrok.id");
    std::array<char, 17> hex{};
    auto [p, ec] = std::to_chars(hex.data(), hex.data() + 16, e.id, 16);
    out += '"';
    out.append(16 - static_cast<size_t>(p - hex.data()), '0');
    out.append(hex.data(), p);
    out += '"';
    if ((e.flags & record_flag_truncated) != 0) {
        out += ",\"sysgrok.truncated\":true";
    }
    if (ann.template_id >= 0) {
        key(out, "sysgrok.template_id");
        append_int(out, ann.template_id);
        key(out, "sysgrok.template");
        append_json_string(out, ann.template_text);
    }
    if (ann.problem >= 0) {
        out += ann.problem > 0 ? ",\"sysgrok.problem\":true" : ",\"sysgrok.problem\":false";
    }
    out += "}\n";
}

} // namespace sysgrok::sink
