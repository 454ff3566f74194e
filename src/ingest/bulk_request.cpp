#include "ingest/bulk_request.hpp"

#include <array>
#include <charconv>

#include <simdjson.h>

#include "core/hash.hpp"
#include "core/json_writer.hpp"

namespace sysgrok::ingest {

namespace {

std::string generated_id(uint64_t seed, size_t n) {
    // 20 characters from the URL-safe base64 alphabet, like Elasticsearch's auto ids.
    static constexpr std::string_view k_alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    uint64_t a = hash_combine(seed, n);
    uint64_t b = hash_combine(a, 0x51ed270b);
    std::string id(20, 'A');
    for (size_t i = 0; i < 20; ++i) {
        uint64_t& w = i < 10 ? a : b;
        id[i] = k_alphabet[w & 63U];
        w >>= 6U;
    }
    return id;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    return s;
}

void append_uint(std::string& out, uint64_t v) {
    std::array<char, 24> buf{};
    auto [p, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    out.append(buf.data(), p);
}

} // namespace

bool bulk_request::errors() const {
    for (const auto& it : items) {
        if (!it.error_type.empty()) {
            return true;
        }
    }
    return false;
}

result<bulk_request>
parse_bulk(std::string_view body, std::string_view default_index, uint64_t id_seed) {
    bulk_request out;
    simdjson::dom::parser parser;
    size_t pos = 0;
    size_t line_no = 0;
    auto next_line = [&](std::string_view& line) {
        while (pos < body.size()) {
            const size_t nl = body.find('\n', pos);
            const size_t end = nl == std::string_view::npos ? body.size() : nl;
            line = trim(body.substr(pos, end - pos));
            pos = end + 1;
            ++line_no;
            if (!line.empty()) {
                return true;
            }
        }
        return false;
    };
    std::string_view action;
    while (next_line(action)) {
        simdjson::dom::element el;
        simdjson::dom::object obj;
        if (parser.parse(action.data(), action.size(), true).get(el) != simdjson::SUCCESS ||
            el.get(obj) != simdjson::SUCCESS || obj.size() != 1) {
            return error{"Malformed action/metadata line [" + std::to_string(line_no) +
                             "], expected an object with one key such as {\"create\":{}}",
                         "", 0,
                         "each action line is one object like {\"create\":{\"_index\":\"logs\"}}"};
        }
        bulk_item item;
        simdjson::dom::object meta;
        for (auto field : obj) {
            item.op = std::string(field.key);
            if (field.value.get(meta) != simdjson::SUCCESS) {
                return error{"Malformed action/metadata line [" + std::to_string(line_no) +
                                 "], expected START_OBJECT",
                             "", 0, ""};
            }
        }
        if (item.op != "index" && item.op != "create" && item.op != "update" &&
            item.op != "delete") {
            return error{"Malformed action/metadata line [" + std::to_string(line_no) +
                             "], unknown action [" + item.op + "]",
                         "", 0, "use index, create, update or delete"};
        }
        std::string_view sv;
        if (meta["_index"].get(sv) == simdjson::SUCCESS) {
            item.index = std::string(sv);
        } else {
            item.index = std::string(default_index);
        }
        if (meta["_id"].get(sv) == simdjson::SUCCESS) {
            item.id = std::string(sv);
        } else {
            item.id = generated_id(id_seed, out.items.size());
        }
        if (item.index.empty()) {
            item.status = 400;
            item.error_type = "action_request_validation_exception";
            item.error_reason = "Validation Failed: 1: index is missing;";
        }
        if (item.op == "delete") {
            if (item.status < 400) {
                item.status = 404;
            }
            out.items.push_back(std::move(item));
            continue;
        }
        std::string_view src;
        if (!next_line(src)) {
            return error{"The bulk request must be terminated by a newline [\\n]: action line [" +
                             std::to_string(line_no) + "] has no source line",
                         "", 0, ""};
        }
        simdjson::dom::element doc;
        if (parser.parse(src.data(), src.size(), true).get(doc) != simdjson::SUCCESS ||
            !doc.is_object()) {
            if (item.status < 400) {
                item.status = 400;
                item.error_type = "mapper_parsing_exception";
                item.error_reason = "failed to parse: the source on line " +
                                    std::to_string(line_no) + " is not a JSON object";
            }
        } else if (item.status < 400) {
            item.doc = src;
            item.status = item.op == "update" ? 200 : 201;
        }
        out.items.push_back(std::move(item));
    }
    return out;
}

std::string bulk_response(const bulk_request& req, int64_t took_ms, uint64_t first_seq_no) {
    std::string out = "{\"took\":";
    append_uint(out, static_cast<uint64_t>(took_ms < 0 ? 0 : took_ms));
    out += req.errors() ? ",\"errors\":true,\"items\":[" : ",\"errors\":false,\"items\":[";
    uint64_t seq = first_seq_no;
    for (size_t i = 0; i < req.items.size(); ++i) {
        const auto& it = req.items[i];
        if (i > 0) {
            out += ',';
        }
        out += "{\"";
        out += it.op;
        out += "\":{\"_index\":";
        append_json_string(out, it.index);
        out += ",\"_id\":";
        append_json_string(out, it.id);
        if (!it.error_type.empty()) {
            out += ",\"status\":";
            append_uint(out, static_cast<uint64_t>(it.status));
            out += ",\"error\":{\"type\":";
            append_json_string(out, it.error_type);
            out += ",\"reason\":";
            append_json_string(out, it.error_reason);
            out += "}}}";
            continue;
        }
        out += ",\"_version\":1,\"result\":";
        out += it.status == 201   ? "\"created\""
               : it.status == 404 ? "\"not_found\""
                                  : "\"updated\"";
        out += ",\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0},\"_seq_no\":";
        append_uint(out, seq++);
        out += ",\"_primary_term\":1,\"status\":";
        append_uint(out, static_cast<uint64_t>(it.status));
        out += "}}";
    }
    out += "]}";
    return out;
}

std::string es_error_json(std::string_view type, std::string_view reason, int status) {
    std::string cause = "{\"type\":";
    append_json_string(cause, type);
    cause += ",\"reason\":";
    append_json_string(cause, reason);
    cause += '}';
    std::string out = "{\"error\":{\"root_cause\":[" + cause + "],\"type\":";
    append_json_string(out, type);
    out += ",\"reason\":";
    append_json_string(out, reason);
    out += "},\"status\":" + std::to_string(status) + "}";
    return out;
}

} // namespace sysgrok::ingest
