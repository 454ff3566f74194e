#include "ingest/http_endpoint.hpp"

#include <chrono>
#include <map>

#include <httplib.h>
#include <openssl/evp.h>

#include "core/hash.hpp"
#include "ingest/bulk_request.hpp"

namespace sysgrok::ingest {

namespace {

constexpr const char* k_json = "application/json";
constexpr size_t k_max_body = 100U << 20U; // Elasticsearch's http.max_content_length

int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string peer_of(const httplib::Request& req) {
    if (req.remote_addr.find(':') != std::string::npos) {
        return "[" + req.remote_addr + "]:" + std::to_string(req.remote_port);
    }
    return req.remote_addr + ":" + std::to_string(req.remote_port);
}

bool is_base64(std::string_view s) {
    if (s.empty() || s.size() % 4 != 0) {
        return false;
    }
    for (const char c : s) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
        if (!ok) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string base64_encode(std::string_view s) {
    std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
    const int n = ::EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                    reinterpret_cast<const unsigned char*>(s.data()),
                                    static_cast<int>(s.size()));
    out.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return out;
}

http_endpoint::http_endpoint(http_options opts, source_table& sources, chunk_queue& queue)
    : opts_(std::move(opts)), sources_(sources), queue_(queue) {}

http_endpoint::~http_endpoint() = default;

result<std::unique_ptr<http_endpoint>>
http_endpoint::open(const http_options& opts, source_table& sources, chunk_queue& queue) {
    std::unique_ptr<http_endpoint> ep(new http_endpoint(opts, sources, queue));
    const bool tls = !opts.tls_cert.empty() || !opts.tls_key.empty();
    if (tls) {
        if (opts.tls_cert.empty() || opts.tls_key.empty()) {
            return error{"--http-tls-cert and --http-tls-key go together", "", 0,
                         "give both PEM files, or neither for plain HTTP"};
        }
        auto srv =
            std::make_unique<httplib::SSLServer>(opts.tls_cert.c_str(), opts.tls_key.c_str());
        if (!srv->is_valid()) {
            return error{"cannot load the TLS certificate or key", opts.tls_cert, 0,
                         "check that both files are readable PEM and that the key matches"};
        }
        ep->server_ = std::move(srv);
    } else {
        ep->server_ = std::make_unique<httplib::Server>();
    }
    if (!opts.user.empty()) {
        ep->basic_expected_ = "Basic " + base64_encode(opts.user + ":" + opts.password);
    }
    if (!opts.api_key.empty()) {
        ep->apikey_expected_ =
            "ApiKey " + (is_base64(opts.api_key) && opts.api_key.find(':') == std::string::npos
                             ? opts.api_key
                             : base64_encode(opts.api_key));
    }
    ep->install_routes();
    const std::string where = (tls ? "https://" : "http://") + opts.host + ":";
    int port = 0;
    if (opts.port == 0) {
        port = ep->server_->bind_to_any_port(opts.host);
    } else {
        port = ep->server_->bind_to_port(opts.host, opts.port) ? opts.port : -1;
    }
    if (port <= 0) {
        return error{"cannot listen on " + where + std::to_string(opts.port), "", 0,
                     "is another process using the port? (ports below 1024 need root)"};
    }
    ep->port_ = static_cast<uint16_t>(port);
    ep->name_ = where + std::to_string(port);
    return ep;
}

void http_endpoint::run() {
    server_->listen_after_bind();
}

void http_endpoint::stop() {
    server_->stop();
}

bool http_endpoint::authorized(const httplib::Request& req) const {
    if (basic_expected_.empty() && apikey_expected_.empty()) {
        return true;
    }
    const std::string auth = req.get_header_value("Authorization");
    return (!basic_expected_.empty() && auth == basic_expected_) ||
           (!apikey_expected_.empty() && auth == apikey_expected_);
}

std::string http_endpoint::root_document() const {
    return R"({"name":"sysgrok","cluster_name":"sysgrok","cluster_uuid":"c3lzZ3Jvay1pbmdlc3Q",)"
           R"("version":{"number":")" +
           opts_.version +
           R"(","build_flavor":"default","build_type":"deb","build_hash":"sysgrok",)"
           R"("build_date":"2026-01-01T00:00:00.000Z","build_snapshot":false,)"
           R"("lucene_version":"9.12.0","minimum_wire_compatibility_version":"7.17.0",)"
           R"("minimum_index_compatibility_version":"7.0.0"},"tagline":"You Know, for Search"})";
}

void http_endpoint::install_routes() {
    httplib::Server& s = *server_;
    s.set_payload_max_length(k_max_body);
    s.set_default_headers({{"X-Elastic-Product", "Elasticsearch"}});
    s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        stats_.requests.fetch_add(1);
        if (authorized(req)) {
            return httplib::Server::HandlerResponse::Unhandled;
        }
        stats_.unauthorized.fetch_add(1);
        res.status = 401;
        res.set_header("WWW-Authenticate", R"(Basic realm="sysgrok", charset="UTF-8")");
        res.set_content(es_error_json("security_exception",
                                      "missing or wrong authentication credentials for REST "
                                      "request [" +
                                          req.path + "]",
                                      401),
                        k_json);
        return httplib::Server::HandlerResponse::Handled;
    });
    s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) {
            return;
        }
        if (res.status == 404) {
            res.set_content(es_error_json("no_handler_found_exception",
                                          "no handler found for uri [" + req.path +
                                              "] and method [" + req.method + "]",
                                          404),
                            k_json);
        } else if (res.status == 413) {
            res.set_content(es_error_json("content_too_long_exception",
                                          "request body is larger than 100mb", 413),
                            k_json);
        }
    });
    s.Get("/", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(root_document(), k_json);
    });
    s.Get("/_license", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"license":{"status":"active","uid":"sysgrok","type":"basic",)"
                        R"("issue_date":"2026-01-01T00:00:00.000Z","issue_date_in_millis":)"
                        R"(1767225600000,"max_nodes":1000,"issued_to":"sysgrok",)"
                        R"("issuer":"sysgrok","start_date_in_millis":-1}})",
                        k_json);
    });
    s.Get("/_xpack", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"build":{"hash":"sysgrok","date":"2026-01-01T00:00:00.000Z"},)"
                        R"("license":{"uid":"sysgrok","type":"basic","mode":"basic",)"
                        R"("status":"active"},"features":{"ilm":{"available":true,)"
                        R"("enabled":true},"security":{"available":true,"enabled":false}},)"
                        R"("tagline":"You know, for X"})",
                        k_json);
    });
    const auto health = [](const httplib::Request& req, httplib::Response& res) {
        if (req.path.starts_with("/_cat")) {
            res.set_content("1767225600 00:00:00 sysgrok green 1 1 0 0 0 0 0 0 - 100.0%\n",
                            "text/plain; charset=UTF-8");
            return;
        }
        res.set_content(R"({"cluster_name":"sysgrok","status":"green","timed_out":false,)"
                        R"("number_of_nodes":1,"number_of_data_nodes":1,"active_primary_shards":0,)"
                        R"("active_shards":0,"relocating_shards":0,"initializing_shards":0,)"
                        R"("unassigned_shards":0,"active_shards_percent_as_number":100.0})",
                        k_json);
    };
    s.Get(R"(/_cluster/health(/.*)?)", health);
    s.Get("/_cat/health", health);
    const auto bulk = [this](const httplib::Request& req, httplib::Response& res) {
        handle_bulk(req, res, req.matches.size() > 1 ? req.matches[1].str() : std::string());
    };
    s.Post("/_bulk", bulk);
    s.Put("/_bulk", bulk);
    s.Post(R"(/([^/_][^/]*)/_bulk)", bulk);
    s.Put(R"(/([^/_][^/]*)/_bulk)", bulk);
    const auto doc = [this](const httplib::Request& req, httplib::Response& res) {
        handle_doc(req, res, req.matches[1].str());
    };
    s.Post(R"(/([^/_][^/]*)/_doc(/[^/]+)?)", doc);
    s.Put(R"(/([^/_][^/]*)/_(doc|create)/[^/]+)", doc);
    s.Post(R"(/([^/_][^/]*)/_create/[^/]+)", doc);
    const std::string setup =
        R"(/(_index_template|_template|_component_template|_ilm/policy|_ingest/pipeline|)"
        R"(_data_stream|_security/api_key)(/.*)?)";
    const auto setup_handler = [this](const httplib::Request& req, httplib::Response& res) {
        handle_setup(req, res);
    };
    s.Get(setup, setup_handler);
    s.Put(setup, setup_handler);
    s.Post(setup, setup_handler);
    s.Delete(setup, setup_handler);
    // Creating an index: acknowledged (sysgrok keeps no indices).
    s.Put(R"(/([^/_][^/]*))", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(R"({"acknowledged":true,"shards_acknowledged":true,"index":")" +
                            req.matches[1].str() + "\"}",
                        k_json);
    });
}

void http_endpoint::handle_setup(const httplib::Request& req, httplib::Response& res) {
    const std::lock_guard lk(mu_);
    if (req.method == "PUT" || req.method == "POST") {
        setup_[req.path] = req.body;
        res.set_content(R"({"acknowledged":true})", k_json);
        return;
    }
    if (req.method == "DELETE") {
        setup_.erase(req.path);
        res.set_content(R"({"acknowledged":true})", k_json);
        return;
    }
    // GET/HEAD: what was stored under the path (or all of a kind), else 404 so that a
    // shipper goes on to install it.
    const std::string& kind = req.matches[1].str();
    const std::string name = req.matches.size() > 2 ? req.matches[2].str() : std::string();
    std::string body = "{";
    bool any = false;
    for (const auto& [path, stored] : setup_) {
        if (!path.starts_with("/" + kind) || (name.size() > 1 && path != req.path)) {
            continue;
        }
        const std::string key =
            path.substr(kind.size() + std::min<size_t>(2, path.size() - kind.size()));
        if (any) {
            body += ',';
        }
        body += '"' + key + "\":" + (stored.empty() ? std::string("{}") : stored);
        any = true;
    }
    body += '}';
    if (!any && name.size() > 1) {
        res.status = 404;
        res.set_content(
            es_error_json("resource_not_found_exception", req.path.substr(1) + " not found", 404),
            k_json);
        return;
    }
    res.set_content(body, k_json);
}

void http_endpoint::handle_bulk(const httplib::Request& req,
                                httplib::Response& res,
                                const std::string& index) {
    const auto t0 = std::chrono::steady_clock::now();
    stats_.bulk_requests.fetch_add(1);
    const uint64_t seed = hash_combine(static_cast<uint64_t>(wall_ns()), request_no_.fetch_add(1));
    auto parsed = parse_bulk(req.body, index, seed);
    if (!parsed) {
        res.status = 400;
        res.set_content(es_error_json("illegal_argument_exception", parsed.error().message, 400),
                        k_json);
        return;
    }
    const std::string peer = peer_of(req);
    const int64_t now = wall_ns();
    std::map<std::string, chunk_builder> builders;
    uint64_t docs = 0;
    for (const auto& it : parsed->items) {
        if (!it.error_type.empty()) {
            stats_.rejected.fetch_add(1);
        }
        if (it.doc.empty()) {
            continue;
        }
        auto b = builders.find(it.index);
        if (b == builders.end()) {
            const uint32_t src = sources_.intern(name_ + "/" + it.index, source_kind::bulk);
            b = builders.emplace(it.index, chunk_builder(src)).first;
        }
        b->second.add(it.doc, peer, now);
        ++docs;
    }
    for (auto& [idx, b] : builders) {
        if (!queue_.push(b.take())) {
            res.status = 503;
            res.set_content(es_error_json("node_closed_exception", "sysgrok is shutting down", 503),
                            k_json);
            return;
        }
    }
    stats_.documents.fetch_add(docs);
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    const uint64_t first = seq_no_.fetch_add(parsed->items.size());
    res.set_content(bulk_response(*parsed, took, first), k_json);
}

void http_endpoint::handle_doc(const httplib::Request& req,
                               httplib::Response& res,
                               const std::string& index) {
    // One document: the same path as a one-item bulk request.
    std::string id;
    const size_t slash = req.path.rfind('/');
    if (slash != std::string::npos && !req.path.ends_with("/_doc")) {
        id = req.path.substr(slash + 1);
    }
    std::string action = R"({"create":{)";
    if (!id.empty()) {
        action += R"("_id":")" + id + "\"";
    }
    action += "}}\n";
    std::string body = action;
    for (const char c : req.body) {
        body += (c == '\n' || c == '\r') ? ' ' : c;
    }
    body += '\n';
    httplib::Request one = req;
    one.body = std::move(body);
    httplib::Response bulk_res;
    handle_bulk(one, bulk_res, index);
    if (bulk_res.status >= 400) {
        res = bulk_res;
        return;
    }
    auto parsed = parse_bulk(one.body, index, 0);
    const bool failed = parsed && !parsed->items.empty() && !parsed->items[0].error_type.empty();
    res.status = failed ? 400 : 201;
    // The item object of the bulk response is the single-document response.
    const std::string& b = bulk_res.body;
    const size_t open = b.find(R"({"create":)");
    if (open != std::string::npos && b.size() >= open + 12) {
        res.set_content(b.substr(open + 10, b.size() - open - 10 - 3), k_json);
    } else {
        res.set_content(b, k_json);
    }
}

} // namespace sysgrok::ingest
