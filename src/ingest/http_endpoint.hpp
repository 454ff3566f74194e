// src/ingest/http_endpoint.hpp — an Elasticsearch-compatible ingest endpoint (cpp-httplib),
// so that shippers configured for Elasticsearch (rsyslog omelasticsearch, Filebeat, Fluent
// Bit, Vector, Logstash) can send to sysgrok.
//
// It answers the calls shippers make before and while sending: GET/HEAD / (a version
// document and the X-Elastic-Product header), /_license, /_xpack, /_cluster/health,
// /_cat/health, template/ILM/pipeline/data-stream set-up (acknowledged and remembered),
// and POST/PUT /_bulk, /<index>/_bulk (gzip bodies too) and /<index>/_doc with per-item
// results. The documents go to the analysis queue before the response is sent (a full
// queue delays the response: backpressure); each index is one source.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/result.hpp"
#include "ingest/chunk_queue.hpp"
#include "ingest/source_table.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
} // namespace httplib

namespace sysgrok::ingest {

struct http_options {
    std::string host = "127.0.0.1";
    uint16_t port = 9200; ///< 0 = any free port
    std::string user;     ///< basic auth, with password; empty = no basic auth
    std::string password;
    std::string api_key;  ///< "id:key" or its base64 form; empty = no API-key auth
    std::string tls_cert; ///< PEM files: serve HTTPS when both are given
    std::string tls_key;
    std::string version = "8.17.0"; ///< version.number reported to shippers
};

struct http_stats {
    std::atomic<uint64_t> requests{0};
    std::atomic<uint64_t> bulk_requests{0};
    std::atomic<uint64_t> documents{0};
    std::atomic<uint64_t> rejected{0}; ///< items answered with an error
    std::atomic<uint64_t> unauthorized{0};
};

/// Base64 (standard alphabet, padded).
std::string base64_encode(std::string_view s);

class http_endpoint {
  public:
    /// Binds now, so that a busy port is reported before anything starts.
    static result<std::unique_ptr<http_endpoint>>
    open(const http_options& opts, source_table& sources, chunk_queue& queue);
    ~http_endpoint();
    http_endpoint(const http_endpoint&) = delete;
    http_endpoint& operator=(const http_endpoint&) = delete;

    /// Serves until stop() (blocking; run it on its own thread).
    void run();
    void stop();
    [[nodiscard]] uint16_t port() const { return port_; }
    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] const http_stats& stats() const { return stats_; }

  private:
    http_endpoint(http_options opts, source_table& sources, chunk_queue& queue);
    void install_routes();
    [[nodiscard]] bool authorized(const httplib::Request& req) const;
    void handle_bulk(const httplib::Request& req, httplib::Response& res, const std::string& index);
    void handle_doc(const httplib::Request& req, httplib::Response& res, const std::string& index);
    void handle_setup(const httplib::Request& req, httplib::Response& res);
    [[nodiscard]] std::string root_document() const;

    http_options opts_;
    source_table& sources_;
    chunk_queue& queue_;
    std::unique_ptr<httplib::Server> server_;
    uint16_t port_ = 0;
    std::string name_;
    std::string basic_expected_;
    std::string apikey_expected_;
    std::mutex mu_;
    std::map<std::string, std::string> setup_; ///< path -> body of template/policy PUTs
    std::atomic<uint64_t> seq_no_{0};
    std::atomic<uint64_t> request_no_{0};
    http_stats stats_;
};

} // namespace sysgrok::ingest
