// src/es/cluster.cpp — server detection and index templates.
#include "es/cluster.hpp"

#include <charconv>

#include <simdjson.h>

namespace sysgrok::es {

namespace {

/// Keyword fields shared by events and findings (ECS subset).
constexpr std::string_view k_keywords[] = {
    "log.level",
    "log.file.path",
    "log.logger",
    "host.name",
    "host.hostname",
    "process.name",
    "service.name",
    "user.name",
    "event.id",
    "event.kind",
    "event.category",
    "event.type",
    "event.outcome",
    "event.action",
    "event.dataset",
    "event.module",
    "event.timezone",
    "source.address",
    "url.original",
    "http.request.method",
    "sysgrok.id",
    "sysgrok.format",
    "tags",
    "observer.vendor",
    "observer.product",
    "observer.type",
    "rule.id",
    "rule.name",
    "rule.category",
    "rule.ruleset",
    "rule.uuid",
    "threat.framework",
    "threat.tactic.id",
    "threat.tactic.name",
    "threat.technique.id",
    "threat.technique.name",
    "sysgrok.severity_label",
    "sysgrok.rule_kind",
    "sysgrok.incident.id",
};

void add_field(std::string& out, bool& first, std::string_view name, std::string_view type_json) {
    if (!first) {
        out += ',';
    }
    first = false;
    out += '"';
    out += name;
    out += "\":";
    out += type_json;
}

std::string settings_json(int replicas) {
    std::string s = "\"settings\":{\"index\":{\"codec\":\"best_compression\"";
    if (replicas >= 0) {
        s += ",\"number_of_replicas\":" + std::to_string(replicas);
    }
    s += "}}";
    return s;
}

} // namespace

error response_error(std::string_view what, const http_response& r) {
    std::string reason;
    simdjson::dom::parser p;
    simdjson::dom::element doc;
    if (p.parse(r.body).get(doc) == simdjson::SUCCESS) {
        std::string_view s;
        if (doc["error"]["reason"].get(s) == simdjson::SUCCESS ||
            doc["error"].get(s) == simdjson::SUCCESS) {
            reason = s;
        }
    }
    if (reason.empty()) {
        reason = r.body.substr(0, 300);
    }
    std::string hint;
    if (r.status == 401) {
        hint = "give credentials: --es-user/--es-password or --es-api-key";
    } else if (r.status == 403) {
        hint = "the user lacks the privileges for this (index templates, create_doc, read)";
    }
    return error{std::string(what) + ": HTTP " + std::to_string(r.status) + ": " + reason, "", 0,
                 hint};
}

result<server_info> parse_server_info(std::string_view body) {
    simdjson::dom::parser p;
    simdjson::dom::element doc;
    simdjson::padded_string padded(body);
    if (p.parse(padded).get(doc) != simdjson::SUCCESS) {
        return error{"GET / did not return JSON: is this an Elasticsearch/OpenSearch URL?", "", 0,
                     ""};
    }
    server_info info;
    std::string_view number;
    if (doc["version"]["number"].get(number) != simdjson::SUCCESS) {
        return error{"GET / has no version.number: is this an Elasticsearch/OpenSearch URL?", "", 0,
                     ""};
    }
    info.version = number;
    std::string_view dist;
    info.flavour =
        doc["version"]["distribution"].get(dist) == simdjson::SUCCESS && dist == "opensearch"
            ? "opensearch"
            : "elasticsearch";
    const char* b = number.data();
    const char* e = b + number.size();
    auto r1 = std::from_chars(b, e, info.major);
    if (r1.ptr < e && *r1.ptr == '.') {
        std::from_chars(r1.ptr + 1, e, info.minor);
    }
    return info;
}

result<server_info> detect_server(http_client& c) {
    auto r = c.request("GET", "/", {}, "");
    if (!r) {
        return r.error();
    }
    if (r->status != 200) {
        return response_error("GET " + c.display_url() + "/", *r);
    }
    return parse_server_info(r->body);
}

std::string component_template_body(const server_info& s) {
    std::string out = "{\"template\":{\"mappings\":{\"date_detection\":false,"
                      "\"dynamic_templates\":[{\"strings_as_keyword\":{\"match_mapping_type\":"
                      "\"string\",\"mapping\":{\"type\":\"keyword\",\"ignore_above\":1024}}}],"
                      "\"properties\":{";
    bool first = true;
    const std::string text_type = s.match_only_text() ? "match_only_text" : "text";
    add_field(out, first, "@timestamp", "{\"type\":\"date_nanos\"}");
    add_field(out, first, "message", "{\"type\":\"" + text_type + "\"}");
    for (auto k : k_keywords) {
        add_field(out, first, k, "{\"type\":\"keyword\",\"ignore_above\":1024}");
    }
    add_field(out, first, "event.original",
              "{\"type\":\"keyword\",\"index\":false,\"doc_values\":false}");
    add_field(out, first, "event.severity", "{\"type\":\"long\"}");
    add_field(out, first, "event.risk_score", "{\"type\":\"float\"}");
    add_field(out, first, "event.created", "{\"type\":\"date\"}");
    add_field(out, first, "event.ingested", "{\"type\":\"date\"}");
    add_field(out, first, "event.start", "{\"type\":\"date\"}");
    add_field(out, first, "event.end", "{\"type\":\"date\"}");
    add_field(out, first, "event.sequence", "{\"type\":\"long\"}");
    add_field(out, first, "process.pid", "{\"type\":\"long\",\"ignore_malformed\":true}");
    add_field(out, first, "source.ip", "{\"type\":\"ip\",\"ignore_malformed\":true}");
    add_field(out, first, "destination.ip", "{\"type\":\"ip\",\"ignore_malformed\":true}");
    add_field(out, first, "source.port", "{\"type\":\"long\",\"ignore_malformed\":true}");
    add_field(out, first, "destination.port", "{\"type\":\"long\",\"ignore_malformed\":true}");
    add_field(out, first, "http.response.status_code",
              "{\"type\":\"long\",\"ignore_malformed\":true}");
    add_field(out, first, "sysgrok.line", "{\"type\":\"long\"}");
    add_field(out, first, "sysgrok.line_count", "{\"type\":\"long\"}");
    add_field(out, first, "sysgrok.template_id", "{\"type\":\"long\"}");
    add_field(out, first, "sysgrok.template_ids", "{\"type\":\"long\"}");
    add_field(out, first, "sysgrok.template", "{\"type\":\"keyword\",\"ignore_above\":2048}");
    add_field(out, first, "sysgrok.problem", "{\"type\":\"boolean\"}");
    add_field(out, first, "sysgrok.truncated", "{\"type\":\"boolean\"}");
    add_field(out, first, "sysgrok.no_timestamp", "{\"type\":\"boolean\"}");
    add_field(out, first, "sysgrok.count", "{\"type\":\"long\"}");
    add_field(out, first, "sysgrok.expected", "{\"type\":\"double\"}");
    add_field(out, first, "sysgrok.score", "{\"type\":\"double\"}");
    add_field(out, first, "sysgrok.confidence", "{\"type\":\"double\"}");
    add_field(out, first, "sysgrok.detail", "{\"type\":\"keyword\",\"ignore_above\":2048}");
    add_field(out, first, "sysgrok.evidence", "{\"type\":\"object\",\"enabled\":false}");
    // Free-form fields the parsers found (JSON keys, logfmt, RFC 5424 SD) stay searchable as
    // keywords but cannot explode the mapping with objects.
    add_field(out, first, "sysgrok.fields", "{\"type\":\"object\",\"dynamic\":true}");
    out += "}}},\"_meta\":{\"managed_by\":\"sysgrok\",\"description\":\"ECS subset for sysgrok\"}}";
    return out;
}

namespace {

std::string index_template(std::string_view pattern,
                           const server_info& s,
                           int replicas,
                           std::string_view description) {
    std::string out = "{\"index_patterns\":[\"";
    out += pattern;
    out += "\"],\"priority\":200,\"composed_of\":[\"sysgrok-ecs@mappings\"],";
    if (s.data_streams()) {
        out += "\"data_stream\":{},";
    }
    out += "\"template\":{" + settings_json(replicas) + "},";
    out += "\"_meta\":{\"managed_by\":\"sysgrok\",\"description\":\"";
    out += description;
    out += "\"}}";
    return out;
}

} // namespace

std::string events_template_body(const server_info& s, int replicas) {
    return index_template("logs-sysgrok.events-*", s, replicas, "sysgrok parsed log events (ECS)");
}

std::string findings_template_body(const server_info& s, int replicas) {
    return index_template("logs-sysgrok.findings-*", s, replicas, "sysgrok findings (ECS alerts)");
}

status install_templates(http_client& c, const server_info& s, int replicas) {
    const std::pair<std::string, std::string> puts[] = {
        {"/_component_template/sysgrok-ecs@mappings", component_template_body(s)},
        {"/_index_template/logs-sysgrok.events", events_template_body(s, replicas)},
        {"/_index_template/logs-sysgrok.findings", findings_template_body(s, replicas)},
    };
    for (const auto& [path, body] : puts) {
        auto r = c.request("PUT", path, body);
        if (!r) {
            return r.error();
        }
        if (r->status < 200 || r->status >= 300) {
            return response_error("PUT " + path, *r);
        }
    }
    return ok();
}

} // namespace sysgrok::es
