// src/llm/http_backend.cpp — OpenAI-compatible chat completions over libcurl.
#include "llm/http_backend.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

namespace sysgrok::llm {

std::string normalize_base_url(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    if (url.size() < 3 || url.compare(url.size() - 3, 3, "/v1") != 0) {
        url += "/v1";
    }
    return url;
}

namespace {

using json = nlohmann::json;
using clock = std::chrono::steady_clock;

struct curl_deleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct slist_deleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using curl_ptr = std::unique_ptr<CURL, curl_deleter>;
using slist_ptr = std::unique_ptr<curl_slist, slist_deleter>;

size_t on_body(char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

struct http_reply {
    long status = 0;
    std::string body;
};

class http_backend final : public backend {
  public:
    explicit http_backend(http_config cfg) : cfg_(std::move(cfg)) {
        base_ = normalize_base_url(cfg_.url);
        info_.name = cfg_.model;
    }

    status connect() {
        auto r = request("GET", "/models", "", cfg_.connect_timeout_s + 5);
        if (!r) {
            return r.error();
        }
        if (cfg_.model.empty()) {
            const json j = json::parse(r->body, nullptr, false);
            if (j.is_object() && j.contains("data") && j["data"].is_array() && !j["data"].empty() &&
                j["data"][0].contains("id") && j["data"][0]["id"].is_string()) {
                info_.name = j["data"][0]["id"].get<std::string>();
            }
        }
        if (info_.name.empty()) {
            info_.name = "server-default";
        }
        info_.description = "OpenAI-compatible server at " + base_;
        return ok();
    }

    result<completion> complete(const std::vector<message>& messages,
                                const options& opts) override {
        const auto start = clock::now();
        json body;
        body["model"] = info_.name;
        body["messages"] = json::array();
        for (const auto& m : messages) {
            body["messages"].push_back({{"role", m.role}, {"content", m.content}});
        }
        body["max_tokens"] = opts.max_tokens;
        body["temperature"] = opts.temperature;
        body["seed"] = opts.seed;
        body["stream"] = false;
        if (!opts.stop.empty()) {
            body["stop"] = opts.stop;
        }
        if (!opts.grammar.empty()) {
            body["grammar"] = opts.grammar; // llama-server extension; others ignore it
        }
        if (!opts.json_schema.empty()) {
            json schema = json::parse(opts.json_schema, nullptr, false);
            if (schema.is_discarded()) {
                return error{"the JSON schema for the answer does not parse", "", 0, ""};
            }
            body["response_format"] = {
                {"type", "json_schema"},
                {"json_schema", {{"name", "answer"}, {"schema", schema}, {"strict", true}}}};
        }
        const double timeout =
            opts.timeout_s > 0 ? std::min(opts.timeout_s, cfg_.timeout_s) : cfg_.timeout_s;
        auto r = request("POST", "/chat/completions",
                         body.dump(-1, ' ', false, json::error_handler_t::replace), timeout);
        if (!r) {
            return r.error();
        }
        const json j = json::parse(r->body, nullptr, false);
        if (!j.is_object() || !j.contains("choices") || !j["choices"].is_array() ||
            j["choices"].empty()) {
            return error{"the server's answer is not a chat completion", base_, 0,
                         "check that --llm-url points to an OpenAI-compatible API"};
        }
        const json& choice = j["choices"][0];
        completion out;
        if (choice.contains("message") && choice["message"].contains("content") &&
            choice["message"]["content"].is_string()) {
            out.text = choice["message"]["content"].get<std::string>();
        }
        out.truncated = choice.value("finish_reason", std::string()) == "length";
        if (j.contains("usage") && j["usage"].is_object()) {
            out.prompt_tokens = j["usage"].value("prompt_tokens", 0);
            out.generated_tokens = j["usage"].value("completion_tokens", 0);
        }
        out.seconds = std::chrono::duration<double>(clock::now() - start).count();
        return out;
    }

    [[nodiscard]] int count_tokens(const std::string& text) const override {
        return estimate_tokens(text);
    }
    [[nodiscard]] const model_info& info() const override { return info_; }

  private:
    static int on_progress(void* self,
                           curl_off_t /*dltotal*/,
                           curl_off_t /*dlnow*/,
                           curl_off_t /*ultotal*/,
                           curl_off_t /*ulnow*/) {
        return static_cast<http_backend*>(self)->cancelled() ? 1 : 0;
    }

    result<http_reply> request(const char* method,
                               const std::string& path,
                               const std::string& body,
                               double timeout_s) {
        error last{"no attempt made", base_ + path, 0, ""};
        for (int attempt = 0; attempt <= std::max(cfg_.retries, 0); ++attempt) {
            if (attempt > 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(250 << attempt));
            }
            if (cancelled()) {
                return error{"the model call was cancelled", base_ + path, 0, ""};
            }
            auto r = once(method, path, body, timeout_s);
            if (!r) {
                last = r.error();
                continue; // transport error: retry
            }
            if (r->status == 429 || r->status >= 500) {
                last = error{"the LLM server answered HTTP " + std::to_string(r->status) + ": " +
                                 r->body.substr(0, 200),
                             base_ + path, 0, "the server is busy or failing; try again later"};
                continue;
            }
            if (r->status != 200) {
                return error{"the LLM server answered HTTP " + std::to_string(r->status) + ": " +
                                 r->body.substr(0, 200),
                             base_ + path, 0,
                             r->status == 401 || r->status == 403
                                 ? "check --llm-api-key"
                                 : "check --llm-url and --llm-model"};
            }
            return r;
        }
        return last;
    }

    result<http_reply>
    once(const char* method, const std::string& path, const std::string& body, double timeout_s) {
        curl_ptr c(curl_easy_init());
        if (!c) {
            return error{"cannot initialise libcurl", "", 0, ""};
        }
        slist_ptr headers;
        auto add_header = [&headers](const std::string& h) {
            curl_slist* l = curl_slist_append(headers.get(), h.c_str());
            if (l != nullptr) {
                (void)headers.release();
                headers.reset(l);
            }
        };
        add_header("Content-Type: application/json");
        if (!cfg_.api_key.empty()) {
            add_header("Authorization: Bearer " + cfg_.api_key);
        }
        http_reply reply;
        const std::string url = base_ + path;
        curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
        curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, &on_body);
        curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &reply.body);
        curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_s * 1000));
        curl_easy_setopt(c.get(), CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(cfg_.connect_timeout_s * 1000));
        curl_easy_setopt(c.get(), CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c.get(), CURLOPT_XFERINFOFUNCTION, &http_backend::on_progress);
        curl_easy_setopt(c.get(), CURLOPT_XFERINFODATA, this);
        if (std::string_view(method) == "POST") {
            curl_easy_setopt(c.get(), CURLOPT_POSTFIELDS, body.c_str());
            curl_easy_setopt(c.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        }
        const CURLcode rc = curl_easy_perform(c.get());
        if (rc != CURLE_OK) {
            std::string hint = "check that the server runs and --llm-url is right";
            if (rc == CURLE_OPERATION_TIMEDOUT) {
                hint = "raise --llm-timeout or use a faster model/server";
            }
            return error{std::string("cannot reach the LLM server: ") + curl_easy_strerror(rc), url,
                         0, hint};
        }
        curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &reply.status);
        return reply;
    }

    http_config cfg_;
    std::string base_;
    model_info info_;
};

} // namespace

result<std::unique_ptr<backend>> open_http(const http_config& config) {
    static const bool inited = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!inited) {
        return error{"cannot initialise libcurl", "", 0, ""};
    }
    auto b = std::make_unique<http_backend>(config);
    if (auto st = b->connect(); !st) {
        return st.error();
    }
    return std::unique_ptr<backend>(std::move(b));
}

} // namespace sysgrok::llm
