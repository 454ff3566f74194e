#include "ingest/webhook.hpp"

#include <chrono>
#include <cstdio>
#include <memory>

#include <curl/curl.h>

namespace sysgrok::ingest {

namespace {

struct curl_deleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct slist_deleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t discard(char* /*ptr*/, size_t size, size_t n, void* /*user*/) {
    return size * n;
}

} // namespace

webhook_sender::webhook_sender(webhook_options opts) : opts_(std::move(opts)) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    worker_ = std::thread([this] { loop(); });
}

webhook_sender::~webhook_sender() {
    {
        const std::lock_guard lk(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    worker_.join();
}

void webhook_sender::post(std::string json) {
    {
        const std::lock_guard lk(mu_);
        if (queue_.size() >= opts_.max_queue) {
            queue_.pop_front();
            dropped_.fetch_add(1);
        }
        queue_.push_back(std::move(json));
    }
    cv_.notify_one();
}

void webhook_sender::loop() {
    const std::unique_ptr<CURL, curl_deleter> curl(curl_easy_init());
    std::unique_ptr<curl_slist, slist_deleter> headers;
    headers.reset(curl_slist_append(nullptr, "Content-Type: application/json"));
    headers.reset(curl_slist_append(headers.release(), "Expect:"));
    bool reported = false;
    while (true) {
        std::string body;
        {
            std::unique_lock lk(mu_);
            cv_.wait(lk, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;
            }
            body = std::move(queue_.front());
            queue_.pop_front();
        }
        if (!curl) {
            failed_.fetch_add(1);
            continue;
        }
        int64_t backoff = opts_.first_backoff_ms;
        bool done = false;
        for (int attempt = 0; attempt <= opts_.retries && !done; ++attempt) {
            if (attempt > 0) {
                std::unique_lock lk(mu_);
                // While stopping, retry without waiting so that shutdown stays prompt.
                cv_.wait_for(lk, std::chrono::milliseconds(backoff), [&] { return stopping_; });
                backoff *= 2;
            }
            CURL* c = curl.get();
            curl_easy_reset(c);
            curl_easy_setopt(c, CURLOPT_URL, opts_.url.c_str());
            curl_easy_setopt(c, CURLOPT_POST, 1L);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
            curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
            curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(opts_.timeout_ms));
            curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
            curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &discard);
            const CURLcode rc = curl_easy_perform(c);
            long status = 0;
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
            if (rc == CURLE_OK && status >= 200 && status < 300) {
                done = true;
                sent_.fetch_add(1);
            } else if (rc == CURLE_OK && status >= 400 && status < 500 && status != 429 &&
                       status != 408) {
                break; // the receiver refuses this alert: retrying will not help
            } else if (!reported) {
                reported = true;
                std::fprintf(stderr, "sysgrok watch: --alert-webhook %s: %s (retrying)\n",
                             opts_.url.c_str(),
                             rc != CURLE_OK ? curl_easy_strerror(rc)
                                            : ("HTTP " + std::to_string(status)).c_str());
            }
        }
        if (!done) {
            failed_.fetch_add(1);
        }
    }
}

} // namespace sysgrok::ingest
