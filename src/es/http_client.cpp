// src/es/http_client.cpp — libcurl requests with RAII handles.
#include "es/http_client.hpp"

#include <array>
#include <mutex>

#include <curl/curl.h>
#include <zlib.h>

namespace sysgrok::es {

namespace {

void global_init_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct slist_deleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using slist_ptr = std::unique_ptr<curl_slist, slist_deleter>;

size_t write_cb(char* data, size_t size, size_t n, void* user) {
    auto* out = static_cast<std::string*>(user);
    out->append(data, size * n);
    return size * n;
}

std::string base64(std::string_view in) {
    static constexpr char k_tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const uint32_t v = (static_cast<uint8_t>(in[i]) << 16U) |
                           (static_cast<uint8_t>(in[i + 1]) << 8U) |
                           static_cast<uint8_t>(in[i + 2]);
        out += k_tab[(v >> 18U) & 63U];
        out += k_tab[(v >> 12U) & 63U];
        out += k_tab[(v >> 6U) & 63U];
        out += k_tab[v & 63U];
    }
    if (i < in.size()) {
        uint32_t v = static_cast<uint8_t>(in[i]) << 16U;
        if (i + 1 < in.size()) {
            v |= static_cast<uint8_t>(in[i + 1]) << 8U;
        }
        out += k_tab[(v >> 18U) & 63U];
        out += k_tab[(v >> 12U) & 63U];
        out += i + 1 < in.size() ? k_tab[(v >> 6U) & 63U] : '=';
        out += '=';
    }
    return out;
}

} // namespace

void curl_deleter::operator()(void* h) const {
    curl_easy_cleanup(static_cast<CURL*>(h));
}

status gzip_compress(std::string_view in, std::string& out, int level) {
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return error{"gzip: deflateInit2 failed", "", 0, ""};
    }
    out.resize(deflateBound(&zs, static_cast<uLong>(in.size())) + 32);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        return error{"gzip: deflate failed", "", 0, ""};
    }
    return ok();
}

http_client::http_client(connection_options opts) : opts_(std::move(opts)) {}

result<std::unique_ptr<http_client>> http_client::create(const connection_options& opts) {
    global_init_once();
    if (!opts.url.starts_with("http://") && !opts.url.starts_with("https://")) {
        return error{"not an http(s) URL: '" + opts.url + "'", "", 0,
                     "write it as http://host:9200 or https://host:9200"};
    }
    std::unique_ptr<http_client> c(new http_client(opts));
    c->base_ = opts.url;
    while (!c->base_.empty() && c->base_.back() == '/') {
        c->base_.pop_back();
    }
    c->display_url_ = c->base_;
    // user:password@host in the URL: move it to basic auth and out of messages.
    const size_t scheme_end = c->base_.find("://") + 3;
    const size_t at = c->base_.find('@', scheme_end);
    const size_t slash = c->base_.find('/', scheme_end);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
        const std::string cred = c->base_.substr(scheme_end, at - scheme_end);
        const size_t colon = cred.find(':');
        if (c->opts_.user.empty()) {
            c->opts_.user = cred.substr(0, colon);
            c->opts_.password = colon == std::string::npos ? "" : cred.substr(colon + 1);
        }
        c->base_.erase(scheme_end, at + 1 - scheme_end);
        c->display_url_ = c->base_;
    }
    if (!c->opts_.api_key.empty()) {
        c->auth_header_ = "Authorization: ApiKey " + c->opts_.api_key;
    } else if (!c->opts_.user.empty()) {
        c->auth_header_ = "Authorization: Basic " + base64(c->opts_.user + ":" + c->opts_.password);
    }
    c->curl_.reset(curl_easy_init());
    if (!c->curl_) {
        return error{"libcurl: curl_easy_init failed", "", 0, ""};
    }
    return c;
}

result<http_response> http_client::request(std::string_view method,
                                           std::string_view path,
                                           std::string_view body,
                                           std::string_view content_type) {
    auto* h = static_cast<CURL*>(curl_.get());
    curl_easy_reset(h);
    http_response resp;
    const std::string url = base_ + std::string(path);
    const std::string meth(method);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, meth.c_str());
    if (method == "HEAD") {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp.body);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, opts_.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, opts_.timeout_ms);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); // gzip/deflate responses
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    if (!opts_.ca_file.empty()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, opts_.ca_file.c_str());
    }
    if (!opts_.client_cert.empty()) {
        curl_easy_setopt(h, CURLOPT_SSLCERT, opts_.client_cert.c_str());
    }
    if (!opts_.client_key.empty()) {
        curl_easy_setopt(h, CURLOPT_SSLKEY, opts_.client_key.c_str());
    }
    if (opts_.insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    } else {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    }
    curl_slist* raw = nullptr;
    raw = curl_slist_append(raw, "Expect:"); // no 100-continue round trip
    slist_ptr headers(raw);
    std::string ct;
    if (!content_type.empty()) {
        ct = "Content-Type: " + std::string(content_type);
        curl_slist_append(raw, ct.c_str());
    }
    if (!auth_header_.empty()) {
        curl_slist_append(raw, auth_header_.c_str());
    }
    std::string_view payload = body;
    if (opts_.gzip && body.size() > 1024) {
        if (auto st = gzip_compress(body, gz_); !st) {
            return st.error();
        }
        payload = gz_;
        curl_slist_append(raw, "Content-Encoding: gzip");
    }
    if (!body.empty() || method == "POST" || method == "PUT") {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, raw);
    std::array<char, CURL_ERROR_SIZE> errbuf{};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf.data());
    const CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        std::string msg = errbuf[0] != 0 ? errbuf.data() : curl_easy_strerror(rc);
        std::string hint;
        if (rc == CURLE_COULDNT_CONNECT) {
            hint = "is the cluster running and the URL right?";
        } else if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE) {
            hint = "pass the cluster's CA with --es-ca-file (Elasticsearch 8: "
                   "config/certs/http_ca.crt)";
        }
        return error{meth + " " + display_url_ + std::string(path) + ": " + msg, "", 0, hint};
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp.status);
    return resp;
}

} // namespace sysgrok::es
