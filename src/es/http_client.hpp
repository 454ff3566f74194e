// src/es/http_client.hpp — a small libcurl client for one Elasticsearch/OpenSearch node.
//
// One easy handle per client (keep-alive across requests); not thread-safe: use one
// client per thread. Transport failures (refused, timeout, TLS) are error values;
// HTTP error statuses are returned as responses for the caller to judge.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sysgrok::es {

struct connection_options {
    std::string url;  ///< http(s)://host:port[/prefix], no trailing slash needed
    std::string user; ///< basic auth user (password in `password`)
    std::string password;
    std::string api_key; ///< Elasticsearch API key: the base64 "encoded" value (id:key)
    std::string ca_file; ///< PEM CA bundle to verify the server with
    std::string client_cert;
    std::string client_key;
    bool insecure = false; ///< skip TLS verification (testing only)
    long connect_timeout_ms = 5000;
    long timeout_ms = 120000; ///< whole request
    bool gzip = true;         ///< compress request bodies over 1 KiB
};

struct http_response {
    long status = 0;
    std::string body;
};

struct curl_deleter {
    void operator()(void* h) const;
};

class http_client {
  public:
    static result<std::unique_ptr<http_client>> create(const connection_options& opts);

    /// `path` starts with '/'. `content_type` empty: none sent.
    result<http_response> request(std::string_view method,
                                  std::string_view path,
                                  std::string_view body = {},
                                  std::string_view content_type = "application/json");

    [[nodiscard]] const connection_options& options() const { return opts_; }
    /// The URL with any user:password@ part removed (for messages).
    [[nodiscard]] const std::string& display_url() const { return display_url_; }

  private:
    explicit http_client(connection_options opts);

    connection_options opts_;
    std::string base_;        ///< URL without trailing '/'
    std::string display_url_; ///< base_ without credentials
    std::unique_ptr<void, curl_deleter> curl_;
    std::string gz_; ///< reused compression buffer
    std::string auth_header_;
};

/// gzip-compresses `in` into `out` (replacing its contents).
status gzip_compress(std::string_view in, std::string& out, int level = 1);

} // namespace sysgrok::es
