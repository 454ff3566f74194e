// src/es/search_source.cpp — paging through an index and turning hits into events.
#include "es/search_source.hpp"

#include <charconv>
#include <unordered_map>

#include <simdjson.h>

#include "core/json_writer.hpp"
#include "core/time.hpp"
#include "es/cluster.hpp"

namespace sysgrok::es {

namespace {

bool digits(std::string_view s, size_t at, size_t n, unsigned& out) {
    if (at + n > s.size()) {
        return false;
    }
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        out = out * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return true;
}

std::optional<int32_t> parse_offset(std::string_view s) {
    unsigned h = 0;
    unsigned m = 0;
    if (s.size() == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':' && digits(s, 1, 2, h) &&
        digits(s, 4, 2, m)) {
        const auto v = static_cast<int32_t>(h * 3600 + m * 60);
        return s[0] == '-' ? -v : v;
    }
    return std::nullopt;
}

class search_stream final : public pipeline::event_stream {
  public:
    search_stream(search_options opts, std::unique_ptr<http_client> c, server_info info)
        : opts_(std::move(opts)), client_(std::move(c)), server_(std::move(info)) {}
    ~search_stream() override { close_cursor(); }
    search_stream(const search_stream&) = delete;
    search_stream& operator=(const search_stream&) = delete;
    search_stream(search_stream&&) = delete;
    search_stream& operator=(search_stream&&) = delete;

    status start() {
        if (auto st = discover_inputs(); !st) {
            return st;
        }
        if (opts_.use_pit && server_.point_in_time()) {
            const std::string path =
                server_.opensearch() ? "/" + opts_.index + "/_search/point_in_time?keep_alive=2m"
                                     : "/" + opts_.index + "/_pit?keep_alive=2m";
            auto r = client_->request("POST", path, {}, "");
            if (!r) {
                return r.error();
            }
            if (r->status != 200) {
                return response_error("opening a point in time on " + opts_.index, *r);
            }
            simdjson::dom::element doc;
            std::string_view id;
            if (parser_.parse(r->body).get(doc) != simdjson::SUCCESS ||
                (doc["pit_id"].get(id) != simdjson::SUCCESS &&
                 doc["id"].get(id) != simdjson::SUCCESS)) {
                return error{"point in time: no id in the answer", "", 0, ""};
            }
            pit_ = id;
        }
        return ok();
    }

    bool next(event_batch& out) override {
        out.clear();
        if (done_) {
            return false;
        }
        auto page = fetch();
        if (!page) {
            error_ = page.error();
            std::fprintf(stderr, "sysgrok: --from-es: %s\n", error_.to_string().c_str());
            done_ = true;
            return false;
        }
        if (!convert(*page, out)) {
            done_ = true;
            close_cursor();
            return false;
        }
        return true;
    }

    [[nodiscard]] const std::vector<pipeline::input_info>& inputs() const override {
        return infos_;
    }
    [[nodiscard]] uint64_t bytes_read() const override { return bytes_; }
    [[nodiscard]] uint64_t bytes_total() const override { return 0; }

  private:
    /// Registers the inputs (file paths) up front, so that the pipeline knows every
    /// input before the first event, as it does for files.
    status discover_inputs() {
        std::string b = "{\"size\":0" + query() +
                        ",\"aggs\":{\"paths\":{\"terms\":{\"field\":\"log.file.path\","
                        "\"size\":10000,\"order\":{\"_key\":\"asc\"}}}}}";
        auto r = client_->request("POST", "/" + opts_.index + "/_search", b);
        if (!r) {
            return r.error();
        }
        if (r->status != 200) {
            return response_error("searching " + opts_.index, *r);
        }
        simdjson::dom::element doc;
        simdjson::dom::array buckets;
        if (parser_.parse(r->body).get(doc) != simdjson::SUCCESS ||
            doc["aggregations"]["paths"]["buckets"].get(buckets) != simdjson::SUCCESS) {
            return ok(); // no paths mapped: inputs appear as events arrive
        }
        for (simdjson::dom::element bucket : buckets) {
            std::string_view key;
            if (bucket["key"].get(key) == simdjson::SUCCESS) {
                input_of(key);
            }
        }
        file_order_ = infos_.size() == 1;
        return ok();
    }

    [[nodiscard]] std::string query() const {
        std::string b = ",\"query\":{\"bool\":{\"filter\":[";
        bool first = true;
        if (opts_.since_ns != k_no_time || opts_.until_ns != k_no_time) {
            b += "{\"range\":{\"@timestamp\":{";
            if (opts_.since_ns != k_no_time) {
                b += "\"gte\":\"";
                append_iso8601_utc(b, opts_.since_ns);
                b += '"';
            }
            if (opts_.until_ns != k_no_time) {
                b += opts_.since_ns != k_no_time ? ",\"lt\":\"" : "\"lt\":\"";
                append_iso8601_utc(b, opts_.until_ns);
                b += '"';
            }
            b += "}}}";
            first = false;
        }
        if (!opts_.query.empty()) {
            b += first ? "" : ",";
            b += "{\"query_string\":{\"query\":";
            append_json_string(b, opts_.query);
            b += "}}";
        }
        b += "]}}";
        return b;
    }

    [[nodiscard]] std::string body() const {
        std::string b = "{\"size\":" + std::to_string(opts_.page_size);
        if (!pit_.empty()) {
            b += ",\"track_total_hits\":false"; // not allowed with scroll
        }
        b += query();
        // One input: its own order (line numbers), as when the file is read. Several:
        // by time, then path and line.
        b += file_order_ ? ",\"sort\":[" : ",\"sort\":[{\"@timestamp\":{\"order\":\"asc\"}},";
        b += "{\"log.file.path\":{\"order\":\"asc\",\"unmapped_type\":\"keyword\"}},"
             "{\"event.sequence\":{\"order\":\"asc\",\"unmapped_type\":\"long\"}},"
             "{\"event.id\":{\"order\":\"asc\",\"unmapped_type\":\"keyword\"}}]";
        if (!pit_.empty()) {
            b += ",\"pit\":{\"id\":";
            append_json_string(b, pit_);
            b += ",\"keep_alive\":\"2m\"}";
        }
        if (!search_after_.empty()) {
            b += ",\"search_after\":" + search_after_;
        }
        b += '}';
        return b;
    }

    result<std::string> fetch() {
        result<http_response> r = http_response{};
        if (!pit_.empty()) {
            r = client_->request("POST", "/_search", body());
        } else if (scroll_id_.empty()) {
            r = client_->request("POST", "/" + opts_.index + "/_search?scroll=2m", body());
        } else {
            std::string b = "{\"scroll\":\"2m\",\"scroll_id\":";
            append_json_string(b, scroll_id_);
            b += '}';
            r = client_->request("POST", "/_search/scroll", b);
        }
        if (!r) {
            return r.error();
        }
        if (r->status != 200) {
            return response_error("searching " + opts_.index, *r);
        }
        bytes_ += r->body.size();
        return std::move(r->body);
    }

    void close_cursor() {
        if (!pit_.empty()) {
            std::string b;
            if (server_.opensearch()) {
                b = "{\"pit_id\":[";
                append_json_string(b, pit_);
                b += "]}";
                (void)client_->request("DELETE", "/_search/point_in_time", b);
            } else {
                b = "{\"id\":";
                append_json_string(b, pit_);
                b += '}';
                (void)client_->request("DELETE", "/_pit", b);
            }
            pit_.clear();
        }
        if (!scroll_id_.empty()) {
            std::string b = "{\"scroll_id\":[";
            append_json_string(b, scroll_id_);
            b += "]}";
            (void)client_->request("DELETE", "/_search/scroll", b);
            scroll_id_.clear();
        }
    }

    uint32_t input_of(std::string_view path) {
        auto it = input_ids_.find(std::string(path));
        if (it != input_ids_.end()) {
            return it->second;
        }
        const auto id = static_cast<uint32_t>(infos_.size());
        pipeline::input_info info;
        info.path = path.empty() ? "es:" + opts_.index : std::string(path);
        info.format = "elasticsearch";
        infos_.push_back(std::move(info));
        input_ids_.emplace(std::string(path), id);
        return id;
    }

    /// Flattens nested objects into dotted keys and applies each to the event.
    void apply(event_batch& out,
               event& e,
               std::string& prefix,
               simdjson::dom::object obj,
               bool& no_ts,
               std::string_view& format) {
        for (auto [k, v] : obj) {
            const size_t keep = prefix.size();
            if (!prefix.empty()) {
                prefix += '.';
            }
            prefix += k;
            if (v.type() == simdjson::dom::element_type::OBJECT) {
                if (prefix != "sysgrok.evidence") {
                    apply(out, e, prefix, v.get_object().value_unsafe(), no_ts, format);
                }
            } else {
                apply_value(out, e, prefix, v, no_ts, format);
            }
            prefix.resize(keep);
        }
    }

    void apply_value(event_batch& out,
                     event& e,
                     std::string_view key,
                     simdjson::dom::element v,
                     bool& no_ts,
                     std::string_view& format) {
        std::string_view s;
        const bool is_str = v.get(s) == simdjson::SUCCESS;
        int64_t n = 0;
        const bool is_int = v.get(n) == simdjson::SUCCESS;
        if (key == "@timestamp") {
            if (is_str) {
                if (auto t = parse_es_time(s)) {
                    e.ts_ns = *t;
                }
            } else if (is_int) {
                e.ts_ns = n * 1000000;
            }
        } else if (key == "message") {
            e.message = out.strings.add(s);
        } else if (key == "event.original") {
            e.raw = out.strings.add(s);
        } else if (key == "log.level") {
            if (auto sev = severity_from_word(s)) {
                e.sev = *sev;
            }
        } else if (key == "host.name") {
            e.host = out.strings.add(s);
        } else if (key == "process.name") {
            e.program = out.strings.add(s);
        } else if (key == "process.pid" && is_int) {
            e.pid = n;
        } else if (key == "log.file.path") {
            e.input = input_of(s);
            has_path_ = true;
        } else if ((key == "event.sequence" || key == "sysgrok.line") && is_int) {
            e.line = static_cast<uint64_t>(n);
        } else if (key == "sysgrok.line_count" && is_int) {
            e.line_count = static_cast<uint32_t>(n);
        } else if (key == "event.id" || key == "sysgrok.id") {
            uint64_t id = 0;
            if (std::from_chars(s.data(), s.data() + s.size(), id, 16).ec == std::errc()) {
                e.id = id;
            }
        } else if (key == "event.timezone") {
            if (auto off = parse_offset(s)) {
                e.utc_offset_s = *off;
            }
        } else if (key == "sysgrok.no_timestamp") {
            bool b = false;
            no_ts = v.get(b) == simdjson::SUCCESS && b;
        } else if (key == "sysgrok.format") {
            format = s;
        } else if (key.starts_with("sysgrok.fields.")) {
            add_field(out, key.substr(15), v);
        } else if (key.starts_with("sysgrok.") || key == "event.kind" || key == "event.module") {
            // our own annotations: recomputed by the pipeline
        } else {
            add_field(out, key, v);
        }
    }

    static void add_field(event_batch& out, std::string_view key, simdjson::dom::element v) {
        std::string_view s;
        std::string text;
        if (v.get(s) != simdjson::SUCCESS) {
            if (v.type() == simdjson::dom::element_type::ARRAY || v.is_null()) {
                return;
            }
            text = simdjson::to_string(v);
            s = text;
        }
        out.fields.push_back({out.strings.add(key), out.strings.add(s)});
    }

    bool convert(const std::string& body, event_batch& out) {
        simdjson::dom::element doc;
        if (parser_.parse(body).get(doc) != simdjson::SUCCESS) {
            return false;
        }
        std::string_view id;
        if (doc["pit_id"].get(id) == simdjson::SUCCESS && !pit_.empty()) {
            pit_ = id;
        }
        if (doc["_scroll_id"].get(id) == simdjson::SUCCESS && pit_.empty()) {
            scroll_id_ = id;
        }
        simdjson::dom::array hits;
        if (doc["hits"]["hits"].get(hits) != simdjson::SUCCESS || hits.size() == 0) {
            return false;
        }
        std::string prefix;
        for (simdjson::dom::element hit : hits) {
            simdjson::dom::object src;
            if (hit["_source"].get(src) != simdjson::SUCCESS) {
                continue;
            }
            event e;
            e.field_begin = static_cast<uint32_t>(out.fields.size());
            has_path_ = false;
            bool no_ts = false;
            std::string_view format;
            prefix.clear();
            apply(out, e, prefix, src, no_ts, format);
            if (!has_path_) {
                e.input = input_of({});
            }
            if (!format.empty() && infos_[e.input].format == "elasticsearch") {
                infos_[e.input].format = std::string(format);
            }
            if (no_ts) {
                e.ts_ns = k_no_time;
            }
            if (e.raw.empty()) {
                e.raw = e.message;
            }
            e.field_count = static_cast<uint32_t>(out.fields.size() - e.field_begin);
            auto& info = infos_[e.input];
            ++info.events;
            ++info.lines;
            info.bytes += e.raw.size() + 1;
            info.with_timestamp += e.ts_ns != k_no_time ? 1 : 0;
            ++info.matched;
            out.events.push_back(e);
            simdjson::dom::element sort;
            if (hit["sort"].get(sort) == simdjson::SUCCESS) {
                search_after_ = simdjson::to_string(sort);
            }
        }
        return !out.events.empty();
    }

    search_options opts_;
    std::unique_ptr<http_client> client_;
    server_info server_;
    simdjson::dom::parser parser_;
    std::string pit_;
    std::string scroll_id_;
    std::string search_after_;
    std::vector<pipeline::input_info> infos_;
    std::unordered_map<std::string, uint32_t> input_ids_;
    uint64_t bytes_ = 0;
    bool done_ = false;
    bool has_path_ = false;
    bool file_order_ = false; ///< one input: sort by line, not by time
    error error_;
};

} // namespace

std::optional<int64_t> parse_es_time(std::string_view s) {
    unsigned y = 0;
    unsigned mo = 0;
    unsigned d = 0;
    unsigned h = 0;
    unsigned mi = 0;
    unsigned sec = 0;
    if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) ||
        s[7] != '-' || !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') ||
        !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
        !digits(s, 17, 2, sec)) {
        int64_t ms = 0;
        if (!s.empty() && std::from_chars(s.data(), s.data() + s.size(), ms).ec == std::errc()) {
            return ms * 1000000;
        }
        return std::nullopt;
    }
    if (!valid_civil(y, mo, d, h, mi, sec)) {
        return std::nullopt;
    }
    size_t i = 19;
    int64_t frac = 0;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        int n = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (n < 9) {
                frac = frac * 10 + (s[i] - '0');
                ++n;
            }
            ++i;
        }
        for (; n < 9; ++n) {
            frac *= 10;
        }
    }
    int64_t off = 0;
    if (i < s.size() && s[i] != 'Z') {
        auto o = parse_offset(s.substr(i));
        if (!o) {
            return std::nullopt;
        }
        off = *o;
    }
    return to_epoch_ns(y, mo, d, h, mi, sec, 0) + frac - off * 1000000000LL;
}

result<std::unique_ptr<pipeline::event_stream>> open_search_stream(const search_options& opts) {
    auto c = http_client::create(opts.conn);
    if (!c) {
        return c.error();
    }
    auto info = detect_server(**c);
    if (!info) {
        return info.error();
    }
    auto s = std::make_unique<search_stream>(opts, std::move(*c), *info);
    if (auto st = s->start(); !st) {
        return st.error();
    }
    return std::unique_ptr<pipeline::event_stream>(std::move(s));
}

} // namespace sysgrok::es
