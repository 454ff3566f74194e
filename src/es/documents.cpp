// src/es/documents.cpp — bulk action/source pairs for events and findings.
#include "es/documents.hpp"

#include <array>
#include <charconv>
#include <chrono>

#include "core/hash.hpp"
#include "core/json_writer.hpp"
#include "core/time.hpp"

namespace sysgrok::es {

namespace {

int64_t wall_clock_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void append_action(std::string& out, std::string_view index, uint64_t id) {
    out += "{\"create\":{\"_index\":";
    append_json_string(out, index);
    out += ",\"_id\":\"";
    out += hex_id(id);
    out += "\"}}\n";
}

void kv_str(std::string& out, std::string_view k, std::string_view v) {
    out += ",\"";
    out += k;
    out += "\":";
    append_json_string(out, v);
}

void kv_int(std::string& out, std::string_view k, int64_t v) {
    out += ",\"";
    out += k;
    out += "\":";
    out += std::to_string(v);
}

void kv_double(std::string& out, std::string_view k, double v) {
    std::array<char, 32> buf{};
    auto [p, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    out += ",\"";
    out += k;
    out += "\":";
    if (ec != std::errc() || v != v) { // NaN or overflow: JSON has no such number
        out += "null";
    } else {
        out.append(buf.data(), p);
    }
}

void kv_time(std::string& out, std::string_view k, int64_t ns) {
    if (ns == k_no_time) {
        return;
    }
    out += ",\"";
    out += k;
    out += "\":\"";
    append_iso8601_utc(out, ns);
    out += '"';
}

} // namespace

std::string hex_id(uint64_t id) {
    std::array<char, 17> hex{};
    auto [p, ec] = std::to_chars(hex.data(), hex.data() + 16, id, 16);
    std::string out(16 - static_cast<size_t>(p - hex.data()), '0');
    out.append(hex.data(), p);
    return out;
}

void event_documents::append(std::string& out,
                             const event_batch& batch,
                             std::span<const uint32_t> template_ids,
                             std::string_view (*template_text)(const void*, uint32_t),
                             const void* ctx) {
    for (size_t i = 0; i < batch.events.size(); ++i) {
        const event& src = batch.events[i];
        append_action(out, index_, src.id);
        sink::event_annotations ann;
        if (i < template_ids.size()) {
            ann.template_id = template_ids[i];
            if (template_text != nullptr) {
                ann.template_text = template_text(ctx, template_ids[i]);
            }
        }
        if (src.ts_ns == k_no_time) {
            // Data streams need @timestamp: use the previous event's time (or "now").
            event e = src;
            e.ts_ns = last_ts_ != k_no_time ? last_ts_ : wall_clock_ns();
            formatter_.append(out, batch, e, ann);
        } else {
            last_ts_ = src.ts_ns;
            formatter_.append(out, batch, src, ann);
        }
        // The formatter ends with "}\n": add the ECS event fields before it.
        out.resize(out.size() - 2);
        out += ",\"event.id\":\"";
        out += hex_id(src.id);
        out += "\",\"event.kind\":\"event\",\"event.module\":\"sysgrok\"";
        kv_int(out, "event.sequence", static_cast<int64_t>(src.line));
        if (original_ && src.raw != src.message && !src.raw.empty()) {
            kv_str(out, "event.original", src.raw);
        }
        if (src.ts_ns == k_no_time) {
            out += ",\"sysgrok.no_timestamp\":true";
        }
        out += "}\n";
    }
}

uint64_t finding_id(const detect::finding& f) {
    uint64_t h = hash64(f.rule_id_or_kind());
    h = hash_combine(h, hash64(f.host));
    h = hash_combine(h, hash64(f.service));
    h = hash_combine(h, static_cast<uint64_t>(f.start_ns));
    h = hash_combine(h, static_cast<uint64_t>(f.end_ns));
    for (uint32_t t : f.template_ids) {
        h = hash_combine(h, t);
    }
    h = hash_combine(h, hash64(f.detail));
    return h;
}

void append_finding(std::string& out,
                    std::string_view index,
                    const detect::finding& f,
                    uint64_t incident_id,
                    std::span<const std::string> paths,
                    int64_t now_ns) {
    const uint64_t id = finding_id(f);
    append_action(out, index, id);
    const int64_t ts =
        f.start_ns != k_no_time ? f.start_ns : (f.end_ns != k_no_time ? f.end_ns : now_ns);
    out += "{\"@timestamp\":\"";
    append_iso8601_utc(out, ts);
    out += '"';
    std::string message(f.rule_name_or_kind());
    if (!f.detail.empty()) {
        message += ": " + f.detail;
    }
    if (!f.host.empty() || !f.service.empty()) {
        message +=
            " (" + f.host + (f.host.empty() || f.service.empty() ? "" : " ") + f.service + ")";
    }
    kv_str(out, "message", message);
    kv_str(out, "event.id", hex_id(id));
    out += ",\"event.kind\":\"alert\",\"event.module\":\"sysgrok\",\"event.dataset\":"
           "\"sysgrok.findings\"";
    out += f.problem ? ",\"event.type\":[\"indicator\"]" : ",\"event.type\":[\"info\"]";
    kv_int(out, "event.severity", static_cast<int>(f.level));
    kv_int(out, "event.risk_score", static_cast<int>(f.level));
    kv_time(out, "event.start", f.start_ns);
    kv_time(out, "event.end", f.end_ns);
    kv_time(out, "event.created", now_ns);
    kv_time(out, "event.ingested", now_ns);
    if (!f.detail.empty()) {
        kv_str(out, "event.reason", f.detail);
    }
    kv_str(out, "rule.id", f.rule_id_or_kind());
    kv_str(out, "rule.name", f.rule_name_or_kind());
    kv_str(out, "rule.ruleset", f.kind == detect::finding_kind::external ? "external" : "sysgrok");
    kv_str(out, "rule.category", finding_rule_id(f.kind));
    out += ",\"observer.vendor\":\"sysgrok\",\"observer.product\":\"sysgrok\","
           "\"observer.type\":\"log-analyzer\"";
    if (!f.host.empty()) {
        kv_str(out, "host.name", f.host);
        out += ",\"related.hosts\":[";
        append_json_string(out, f.host);
        out += ']';
    }
    if (!f.service.empty()) {
        kv_str(out, "service.name", f.service);
    }
    kv_str(out, "sysgrok.severity_label", detect::alert_level_name(f.level));
    out += ",\"sysgrok.template_ids\":[";
    for (size_t i = 0; i < f.template_ids.size(); ++i) {
        out += i == 0 ? "" : ",";
        out += std::to_string(f.template_ids[i]);
    }
    out += ']';
    kv_int(out, "sysgrok.count", static_cast<int64_t>(f.count));
    kv_double(out, "sysgrok.expected", f.expected);
    kv_double(out, "sysgrok.score", f.score);
    kv_double(out, "sysgrok.confidence", f.confidence);
    out += f.problem ? ",\"sysgrok.problem\":true" : ",\"sysgrok.problem\":false";
    if (!f.detail.empty()) {
        kv_str(out, "sysgrok.detail", f.detail);
    }
    if (incident_id != 0) {
        kv_str(out, "sysgrok.incident.id", std::to_string(incident_id));
    }
    out += ",\"sysgrok.evidence\":{\"lines\":[";
    for (size_t i = 0; i < f.examples.size(); ++i) {
        const auto& ex = f.examples[i];
        out += i == 0 ? "{" : ",{";
        out += "\"path\":";
        append_json_string(out, ex.input < paths.size() ? std::string_view(paths[ex.input]) : "");
        kv_int(out, "line", static_cast<int64_t>(ex.line));
        kv_time(out, "time", ex.ts_ns);
        kv_str(out, "text", ex.text);
        out += '}';
    }
    out += "]}}\n";
}

} // namespace sysgrok::es
