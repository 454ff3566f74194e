// The in-process backend against the smallest installed model (SmolLM2-135M), and the
// HTTP backend against llama-server built from the same llama.cpp. Skipped when
// scripts/setup has not installed the model or llama.cpp.
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "explain/answer.hpp"
#include "explain/explain.hpp"
#include "llm/http_backend.hpp"
#include "llm/llama_backend.hpp"
#include "llm/model_store.hpp"

using namespace sysgrok;

namespace {

std::string smallest_model() {
    if (const char* p = std::getenv("SYSGROK_TEST_MODEL"); p != nullptr) {
        return p;
    }
    std::string best;
    uintmax_t best_size = 0;
    for (const auto& m : llm::installed_models()) {
        std::error_code ec;
        const auto sz = std::filesystem::file_size(m, ec);
        if (!ec && (best.empty() || sz < best_size)) {
            best = m;
            best_size = sz;
        }
    }
    return best;
}

/// One backend for all tests of this file (loading is the slow part).
llm::backend* shared_backend() {
    static std::unique_ptr<llm::backend> b = [] {
        std::unique_ptr<llm::backend> out;
        const std::string path = smallest_model();
        if (!llm::llama_available() || path.empty()) {
            return out;
        }
        llm::llama_config c;
        c.model_path = path;
        c.context_size = 1024;
        auto r = llm::open_llama(c);
        if (r) {
            out = std::move(*r);
        }
        return out;
    }();
    return b.get();
}

#define REQUIRE_MODEL()                                                                            \
    llm::backend* b = shared_backend();                                                            \
    if (b == nullptr) {                                                                            \
        GTEST_SKIP() << "no local model (run scripts/setup)";                                      \
    }

const std::vector<llm::message> k_label_prompt = {
    {"system", "You classify log lines. Answer with JSON: category and description."},
    {"user", "Template: Failed password for <*> from <*> port <*> ssh2"}};

} // namespace

TEST(llm_model, describes_the_gguf) {
    REQUIRE_MODEL();
    const auto& info = b->info();
    EXPECT_FALSE(info.architecture.empty());
    EXPECT_GT(info.parameters, 1000000U);
    EXPECT_GT(info.context_length, 0);
    EXPECT_FALSE(info.quantization.empty());
    auto meta = llm::read_model_info(info.path);
    ASSERT_TRUE(meta) << meta.error().to_string();
    EXPECT_EQ(meta->architecture, info.architecture);
    EXPECT_EQ(meta->context_length, info.context_length);
    EXPECT_FALSE(llm::read_model_info("/nonexistent.gguf"));
}

TEST(llm_model, grammar_constrained_answer_parses_and_prefix_is_reused) {
    REQUIRE_MODEL();
    llm::options o;
    o.max_tokens = 48;
    o.grammar = explain::label_grammar();
    auto first = b->complete(k_label_prompt, o);
    ASSERT_TRUE(first) << first.error().to_string();
    auto label = explain::parse_label(first->text);
    // The grammar allows only complete labels; a cut answer may miss the closing brace.
    if (!first->truncated) {
        ASSERT_TRUE(label) << first->text;
    }
    EXPECT_GT(first->prompt_tokens, 10);
    EXPECT_GT(first->generated_tokens, 0);
    auto second = b->complete(k_label_prompt, o);
    ASSERT_TRUE(second);
    EXPECT_GE(second->reused_tokens, second->prompt_tokens - 1) << "prompt prefix reused";
    // (The first call decoded the prompt in one batch, the later ones reuse it; batch and
    // single-token logits differ in the last bits, so only reused calls are compared.)
    auto third = b->complete(k_label_prompt, o);
    ASSERT_TRUE(third);
    EXPECT_EQ(third->text, second->text) << "greedy decoding is deterministic";
}

TEST(llm_model, every_grammar_parses_and_citations_stay_in_the_evidence) {
    REQUIRE_MODEL();
    explain::session s(*b, nullptr, nullptr, {.answer_tokens = 160, .timeout_s = 30});
    explain::evidence ev;
    ev.title = "Incident (high); services: postgres";
    ev.facts = {"spike of T12: 340 events (usual 3)"};
    ev.templates = {{"T12", 12, "FATAL: too many connections for role <*>", 340, 3}};
    ev.lines = {{"L1", "pg.log:1", "FATAL: too many connections for role \"app\""}};
    const auto e = explain::explain_evidence(s, ev);
    if (e.ok()) {
        for (const auto& c : e.citations) {
            EXPECT_TRUE(c == "T12" || c == "L1") << c;
        }
    } else {
        // Only a cut answer (budget reached) may fail; never a grammar error.
        EXPECT_EQ(e.error.find("grammar"), std::string::npos) << e.error;
    }
    llm::options o;
    o.max_tokens = 8;
    o.grammar = explain::answer_grammar({"T1"});
    EXPECT_TRUE(b->complete(k_label_prompt, o)) << "answer grammar parses";
    o.grammar = "root ::= (";
    EXPECT_FALSE(b->complete(k_label_prompt, o)) << "a broken grammar is an error";
}

TEST(llm_model, overflow_timeout_and_cancel_are_errors) {
    REQUIRE_MODEL();
    std::string huge;
    for (int i = 0; i < 3000; ++i) {
        huge += "word" + std::to_string(i) + " ";
    }
    llm::options o;
    o.max_tokens = 8;
    auto over = b->complete({{"user", huge}}, o);
    ASSERT_FALSE(over);
    EXPECT_NE(over.error().message.find("does not fit"), std::string::npos);

    o.max_tokens = 200;
    o.timeout_s = 0.05;
    const auto t0 = std::chrono::steady_clock::now();
    auto slow = b->complete(k_label_prompt, o);
    EXPECT_FALSE(slow);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 5.0);

    std::atomic<bool> cancel{true};
    b->set_cancel_flag(&cancel);
    o.timeout_s = 0;
    auto stopped = b->complete(k_label_prompt, o);
    b->set_cancel_flag(nullptr);
    ASSERT_FALSE(stopped);
    EXPECT_NE(stopped.error().message.find("cancel"), std::string::npos);
    o.max_tokens = 4;
    EXPECT_TRUE(b->complete(k_label_prompt, o)) << "usable again after a cancelled call";
}

namespace {

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
        port = ntohs(a.sin_port);
    }
    ::close(fd);
    return port;
}

/// llama-server as a child process, stopped when this goes out of scope.
class server_process {
  public:
    server_process(const std::string& bin, const std::string& model, int port) {
        pid_ = ::fork();
        if (pid_ == 0) {
            const std::string p = std::to_string(port);
            const int devnull = ::open("/dev/null", O_WRONLY);
            ::dup2(devnull, 1);
            ::dup2(devnull, 2);
            ::execl(bin.c_str(), bin.c_str(), "-m", model.c_str(), "--host", "127.0.0.1", "--port",
                    p.c_str(), "-c", "1024", "-np", "1", "-t", "2", nullptr);
            ::_exit(127);
        }
    }
    ~server_process() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int st = 0;
            for (int i = 0; i < 50 && ::waitpid(pid_, &st, WNOHANG) == 0; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &st, 0);
        }
    }
    server_process(const server_process&) = delete;
    server_process& operator=(const server_process&) = delete;

  private:
    pid_t pid_ = -1;
};

} // namespace

TEST(llm_http, completes_against_llama_server_and_reports_unreachable_servers) {
    llm::http_config bad;
    bad.url = "http://127.0.0.1:" + std::to_string(free_port());
    bad.retries = 1;
    bad.connect_timeout_s = 1;
    auto none = llm::open_http(bad);
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("cannot reach"), std::string::npos);

    const std::string bin = SYSGROK_LLAMA_SERVER;
    const std::string model = smallest_model();
    if (!std::filesystem::exists(bin) || model.empty()) {
        GTEST_SKIP() << "llama-server or model missing (run scripts/setup)";
    }
    const int port = free_port();
    server_process server(bin, model, port);
    llm::http_config hc;
    hc.url = "http://127.0.0.1:" + std::to_string(port) + "/";
    hc.timeout_s = 60;
    result<std::unique_ptr<llm::backend>> b = error{"not started", "", 0, ""};
    for (int i = 0; i < 100 && !b; ++i) { // the server loads the model first (503 meanwhile)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        hc.retries = 0;
        b = llm::open_http(hc);
    }
    ASSERT_TRUE(b) << b.error().to_string();
    llm::options o;
    o.max_tokens = 48;
    o.grammar = explain::label_grammar();
    result<llm::completion> c = error{"", "", 0, ""};
    for (int i = 0; i < 50; ++i) { // /v1/models may answer before the model is ready
        c = (*b)->complete(k_label_prompt, o);
        if (c) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_TRUE(c) << c.error().to_string();
    EXPECT_GT(c->prompt_tokens, 10);
    EXPECT_GT(c->generated_tokens, 0);
    if (!c->truncated) {
        EXPECT_TRUE(explain::parse_label(c->text)) << c->text;
    }
}
