// src/llm/llama_backend.cpp — the in-process llama.cpp backend.
#include "llm/llama_backend.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#ifdef SYSGROK_HAVE_LLAMA
#include <ggml-cpu.h>
#include <llama.h>
#endif

namespace sysgrok::llm {

int estimate_tokens(const std::string& text) {
    return static_cast<int>(text.size() / 4 + 1);
}

#ifndef SYSGROK_HAVE_LLAMA

bool llama_available() {
    return false;
}

namespace {
error not_built() {
    return error{"this sysgrok was built without llama.cpp, so local models cannot run", "", 0,
                 "run scripts/setup (it builds llama.cpp into ~/.cache/sysgrok) and rebuild, "
                 "or use --llm-url with an OpenAI-compatible server"};
}
} // namespace

result<std::unique_ptr<backend>> open_llama(const llama_config& /*config*/) {
    return not_built();
}

result<model_info> read_model_info(const std::string& /*path*/) {
    return not_built();
}

#else

bool llama_available() {
    return true;
}

namespace {

using clock = std::chrono::steady_clock;

void quiet_log(ggml_log_level level, const char* text, void* /*user*/) {
    if (std::getenv("SYSGROK_LLM_DEBUG") != nullptr) {
        std::fputs(text, stderr);
    }
    (void)level;
}

void init_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        llama_log_set(&quiet_log, nullptr);
        llama_backend_init();
    });
}

struct model_deleter {
    void operator()(llama_model* m) const { llama_model_free(m); }
};
struct context_deleter {
    void operator()(llama_context* c) const { llama_free(c); }
};
struct sampler_deleter {
    void operator()(llama_sampler* s) const { llama_sampler_free(s); }
};
struct threadpool_deleter {
    void operator()(ggml_threadpool* t) const { ggml_threadpool_free(t); }
};
using threadpool_ptr = std::unique_ptr<ggml_threadpool, threadpool_deleter>;
using model_ptr = std::unique_ptr<llama_model, model_deleter>;
using context_ptr = std::unique_ptr<llama_context, context_deleter>;
using sampler_ptr = std::unique_ptr<llama_sampler, sampler_deleter>;

std::string meta(const llama_model* m, const std::string& key) {
    std::vector<char> buf(256);
    int n = llama_model_meta_val_str(m, key.c_str(), buf.data(), buf.size());
    if (n < 0) {
        return {};
    }
    if (static_cast<size_t>(n) >= buf.size()) {
        buf.resize(static_cast<size_t>(n) + 1);
        n = llama_model_meta_val_str(m, key.c_str(), buf.data(), buf.size());
    }
    return std::string(buf.data(), static_cast<size_t>(std::max(n, 0)));
}

model_info describe(const llama_model* m, const std::string& path) {
    model_info info;
    info.path = path;
    info.name = std::filesystem::path(path).filename().string();
    std::error_code ec;
    info.file_bytes = std::filesystem::file_size(path, ec);
    if (ec) {
        info.file_bytes = 0;
    }
    info.architecture = meta(m, "general.architecture");
    info.size_label = meta(m, "general.size_label");
    std::array<char, 256> desc{};
    const int n = llama_model_desc(m, desc.data(), desc.size());
    info.description = std::string(desc.data(), static_cast<size_t>(std::max(n, 0)));
    // "<arch> <size> <file type>": the file type is the quantisation.
    const size_t sp1 = info.description.find(' ');
    const size_t sp2 = sp1 == std::string::npos ? sp1 : info.description.find(' ', sp1 + 1);
    if (sp2 != std::string::npos) {
        info.quantization = info.description.substr(sp2 + 1);
    }
    info.parameters = llama_model_n_params(m);
    info.context_length = llama_model_n_ctx_train(m);
    return info;
}

result<model_ptr> load_model(const std::string& path, int gpu_layers) {
    init_once();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return error{"model file not found", path, 0,
                     "run scripts/setup to install the default models, or pass --model "
                     "PATH to a GGUF file (`sysgrok models` lists installed ones)"};
    }
    llama_model_params mp = llama_model_default_params();
    // The weights are memory-mapped, so a full load is cheap (well under a second for the
    // small models) and, unlike vocab_only, gives the hyper-parameters and the description.
    mp.n_gpu_layers = gpu_layers;
    model_ptr model(llama_model_load_from_file(path.c_str(), mp));
    if (!model) {
        return error{"cannot load the model (not a GGUF file, or an architecture this "
                     "llama.cpp does not know)",
                     path, 0, "set SYSGROK_LLM_DEBUG=1 to see llama.cpp's log"};
    }
    return model;
}

class llama_backend final : public backend {
  public:
    llama_backend(model_ptr model, threadpool_ptr pool, context_ptr ctx, model_info info)
        : model_(std::move(model)), pool_(std::move(pool)), ctx_(std::move(ctx)),
          info_(std::move(info)), vocab_(llama_model_get_vocab(model_.get())) {
        if (pool_) {
            llama_attach_threadpool(ctx_.get(), pool_.get(), pool_.get());
        }
        const char* t = llama_model_chat_template(model_.get(), nullptr);
        if (t != nullptr) {
            chat_template_ = t;
        } else if (info_.architecture.rfind("gemma", 0) == 0) {
            chat_template_ = "gemma"; // GGUFs without tokenizer.chat_template
        } else {
            chat_template_ = "chatml";
        }
        llama_set_abort_callback(ctx_.get(), &llama_backend::should_abort, this);
    }

    result<completion> complete(const std::vector<message>& messages,
                                const options& opts) override {
        const auto start = clock::now();
        deadline_ = opts.timeout_s > 0 ? start + std::chrono::duration_cast<clock::duration>(
                                                     std::chrono::duration<double>(opts.timeout_s))
                                       : clock::time_point::max();
        auto prompt_text = format(messages);
        if (!prompt_text) {
            return prompt_text.error();
        }
        std::vector<llama_token> prompt = tokenize(*prompt_text);
        const int n_ctx = static_cast<int>(llama_n_ctx(ctx_.get()));
        if (prompt.empty() || static_cast<int>(prompt.size()) >= n_ctx - 1) {
            return error{"prompt of " + std::to_string(prompt.size()) +
                             " tokens does not fit the context of " + std::to_string(n_ctx),
                         info_.path, 0, "raise --llm-context or give less evidence"};
        }
        sampler_ptr grammar;
        if (!opts.grammar.empty()) {
            grammar.reset(llama_sampler_init_grammar(vocab_, opts.grammar.c_str(), "root"));
            if (!grammar) {
                return error{"the output grammar does not parse", "", 0,
                             "this is a bug in the caller's GBNF grammar"};
            }
        }
        sampler_ptr chain;
        if (opts.temperature > 0) {
            chain.reset(llama_sampler_chain_init(llama_sampler_chain_default_params()));
            llama_sampler_chain_add(chain.get(), llama_sampler_init_temp(opts.temperature));
            llama_sampler_chain_add(chain.get(), llama_sampler_init_dist(opts.seed));
        }

        recent_.clear();
        completion out;
        out.prompt_tokens = static_cast<int>(prompt.size());
        auto st = feed_prompt(prompt, out);
        if (!st) {
            return st.error();
        }
        out.prompt_seconds = std::chrono::duration<double>(clock::now() - start).count();

        const int budget = std::min(opts.max_tokens, n_ctx - static_cast<int>(prompt.size()));
        for (int i = 0; i < budget; ++i) {
            if (past_deadline() || cancelled()) {
                return interrupted();
            }
            const llama_token tok = sample(grammar.get(), chain.get(), opts.repeat_penalty);
            if (llama_vocab_is_eog(vocab_, tok)) {
                break;
            }
            out.text += piece(tok);
            ++out.generated_tokens;
            if (hit_stop(out.text, opts.stop)) {
                break;
            }
            if (i + 1 == budget) {
                out.truncated = true;
                break;
            }
            llama_token t = tok;
            if (auto d = decode(&t, 1); !d) {
                return d.error();
            }
        }
        out.seconds = std::chrono::duration<double>(clock::now() - start).count();
        return out;
    }

    result<std::vector<double>> score(const std::vector<message>& messages,
                                      const std::string& reply_prefix,
                                      const std::vector<std::string>& continuations) override {
        deadline_ = clock::time_point::max();
        auto prompt_text = format(messages);
        if (!prompt_text) {
            return prompt_text.error();
        }
        const std::vector<llama_token> prompt = tokenize(*prompt_text + reply_prefix);
        const int n_ctx = static_cast<int>(llama_n_ctx(ctx_.get()));
        if (prompt.empty() || static_cast<int>(prompt.size()) + 16 >= n_ctx) {
            return error{"prompt does not fit the context", info_.path, 0, ""};
        }
        completion scratch;
        if (auto st = feed_prompt(prompt, scratch); !st) {
            return st.error();
        }
        const size_t base = cached_.size();
        const int n_vocab = llama_vocab_n_tokens(vocab_);
        const float* last = llama_get_logits_ith(ctx_.get(), -1);
        const std::vector<float> first(last, last + n_vocab);
        std::vector<double> out;
        out.reserve(continuations.size());
        for (const auto& c : continuations) {
            std::vector<llama_token> toks(c.size() + 4);
            const int n =
                llama_tokenize(vocab_, c.data(), static_cast<int32_t>(c.size()), toks.data(),
                               static_cast<int32_t>(toks.size()), false, false);
            if (n <= 0) {
                out.push_back(-1e30);
                continue;
            }
            toks.resize(static_cast<size_t>(n));
            double lp = log_prob(first.data(), n_vocab, toks[0]);
            for (size_t i = 1; i < toks.size(); ++i) {
                llama_token t = toks[i - 1];
                if (auto st = decode(&t, 1); !st) {
                    return st.error();
                }
                lp += log_prob(llama_get_logits_ith(ctx_.get(), -1), n_vocab, toks[i]);
            }
            if (toks.size() > 1) {
                llama_memory_t mem = llama_get_memory(ctx_.get());
                if (llama_memory_seq_rm(mem, 0, static_cast<llama_pos>(base), -1)) {
                    cached_.resize(base);
                } else {
                    // Cannot cut back: rebuild the prompt state for the next continuation.
                    reset_cache();
                    if (auto st = feed_prompt(prompt, scratch); !st) {
                        return st.error();
                    }
                }
            }
            out.push_back(lp);
        }
        return out;
    }

    static double log_prob(const float* logits, int n_vocab, llama_token tok) {
        float mx = logits[0];
        for (int i = 1; i < n_vocab; ++i) {
            mx = std::max(mx, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < n_vocab; ++i) {
            sum += std::exp(static_cast<double>(logits[i] - mx));
        }
        return static_cast<double>(logits[tok] - mx) - std::log(sum);
    }

    [[nodiscard]] int count_tokens(const std::string& text) const override {
        const int n = llama_tokenize(vocab_, text.data(), static_cast<int32_t>(text.size()),
                                     nullptr, 0, false, true);
        return n < 0 ? -n : n;
    }

    [[nodiscard]] const model_info& info() const override { return info_; }

  private:
    static bool should_abort(void* self) {
        auto* b = static_cast<llama_backend*>(self);
        return b->cancelled() || b->past_deadline();
    }
    [[nodiscard]] bool past_deadline() const { return clock::now() > deadline_; }

    error interrupted() {
        reset_cache();
        return error{cancelled() ? "the model call was cancelled" : "the model call timed out",
                     info_.path, 0,
                     cancelled() ? "" : "raise --llm-timeout or use a smaller model"};
    }

    void reset_cache() {
        llama_memory_clear(llama_get_memory(ctx_.get()), true);
        cached_.clear();
    }

    result<std::string> format(const std::vector<message>& messages) const {
        std::vector<llama_chat_message> chat;
        chat.reserve(messages.size());
        size_t total = 0;
        for (const auto& m : messages) {
            chat.push_back({m.role.c_str(), m.content.c_str()});
            total += m.role.size() + m.content.size();
        }
        std::string buf(2 * total + 256, '\0');
        int n = llama_chat_apply_template(chat_template_.c_str(), chat.data(), chat.size(), true,
                                          buf.data(), static_cast<int32_t>(buf.size()));
        if (n > static_cast<int>(buf.size())) {
            buf.resize(static_cast<size_t>(n));
            n = llama_chat_apply_template(chat_template_.c_str(), chat.data(), chat.size(), true,
                                          buf.data(), static_cast<int32_t>(buf.size()));
        }
        if (n < 0) {
            return error{"the model's chat template is not supported by llama.cpp", info_.path, 0,
                         "use a model with a common chat template (ChatML, Llama, Gemma...)"};
        }
        buf.resize(static_cast<size_t>(n));
        return buf;
    }

    [[nodiscard]] std::vector<llama_token> tokenize(const std::string& text) const {
        std::vector<llama_token> toks(text.size() + 8);
        int n = llama_tokenize(vocab_, text.data(), static_cast<int32_t>(text.size()), toks.data(),
                               static_cast<int32_t>(toks.size()), true, true);
        if (n < 0) {
            toks.resize(static_cast<size_t>(-n));
            n = llama_tokenize(vocab_, text.data(), static_cast<int32_t>(text.size()), toks.data(),
                               static_cast<int32_t>(toks.size()), true, true);
        }
        toks.resize(static_cast<size_t>(std::max(n, 0)));
        return toks;
    }

    [[nodiscard]] std::string piece(llama_token tok) const {
        std::array<char, 256> buf{};
        const int n = llama_token_to_piece(vocab_, tok, buf.data(),
                                           static_cast<int32_t>(buf.size()), 0, false);
        return n > 0 ? std::string(buf.data(), static_cast<size_t>(n)) : std::string();
    }

    /// Keeps the cached prefix shared with `prompt`, decodes the rest.
    status feed_prompt(const std::vector<llama_token>& prompt, completion& out) {
        size_t keep = 0;
        while (keep < cached_.size() && keep < prompt.size() && cached_[keep] == prompt[keep]) {
            ++keep;
        }
        // The last prompt token is always decoded: its logits start the answer.
        keep = std::min(keep, prompt.size() - 1);
        llama_memory_t mem = llama_get_memory(ctx_.get());
        if (keep == 0 || !llama_memory_seq_rm(mem, 0, static_cast<llama_pos>(keep), -1)) {
            reset_cache();
            keep = 0;
        }
        cached_.resize(keep);
        out.reused_tokens = static_cast<int>(keep);
        const size_t batch = std::max<size_t>(1, llama_n_batch(ctx_.get()));
        for (size_t pos = keep; pos < prompt.size(); pos += batch) {
            const size_t n = std::min(batch, prompt.size() - pos);
            std::vector<llama_token> part(prompt.begin() + static_cast<ptrdiff_t>(pos),
                                          prompt.begin() + static_cast<ptrdiff_t>(pos + n));
            if (auto st = decode(part.data(), part.size()); !st) {
                return st;
            }
        }
        return ok();
    }

    status decode(llama_token* toks, size_t n) {
        const int rc = llama_decode(ctx_.get(), llama_batch_get_one(toks, static_cast<int32_t>(n)));
        if (rc != 0) {
            if (rc == 2 || cancelled() || past_deadline()) {
                return interrupted();
            }
            reset_cache();
            return error{"llama.cpp failed to decode (code " + std::to_string(rc) + ")", info_.path,
                         0, "set SYSGROK_LLM_DEBUG=1 to see llama.cpp's log"};
        }
        cached_.insert(cached_.end(), toks, toks + n);
        return ok();
    }

    /// The logits of the last decoded token, with the repetition penalty applied to the
    /// tokens generated recently.
    const float* logits_with_penalty(float penalty) {
        const float* logits = llama_get_logits_ith(ctx_.get(), -1);
        if (penalty <= 1.0F || recent_.empty()) {
            return logits;
        }
        const int n_vocab = llama_vocab_n_tokens(vocab_);
        penalized_.assign(logits, logits + n_vocab);
        for (llama_token t : recent_) {
            float& l = penalized_[static_cast<size_t>(t)];
            l = l > 0 ? l / penalty : l * penalty;
        }
        return penalized_.data();
    }

    /// Whether the grammar accepts `tok` next.
    static bool grammar_allows(llama_sampler* grammar, llama_token tok, float logit) {
        llama_token_data one{tok, logit, 0.0F};
        llama_token_data_array arr{&one, 1, -1, false};
        llama_sampler_apply(grammar, &arr);
        return std::isfinite(one.logit);
    }

    /// Greedy: the best token is checked against the grammar, then the next best few;
    /// only when none of them is allowed is the grammar applied to the whole vocabulary
    /// (a full pass costs a scan of 50k-260k token strings). With a temperature the
    /// grammar filters the whole vocabulary and the chain samples with the fixed seed.
    llama_token sample(llama_sampler* grammar, llama_sampler* chain, float penalty) {
        const float* logits = logits_with_penalty(penalty);
        const int n_vocab = llama_vocab_n_tokens(vocab_);
        llama_token tok = -1;
        if (chain == nullptr) {
            constexpr size_t k_top = 32;
            top_.clear();
            for (int t = 0; t < n_vocab; ++t) {
                if (top_.size() < k_top) {
                    top_.push_back({t, logits[t], 0.0F});
                    if (top_.size() == k_top) {
                        std::make_heap(top_.begin(), top_.end(), worse_first);
                    }
                } else if (logits[t] > top_.front().logit) {
                    std::pop_heap(top_.begin(), top_.end(), worse_first);
                    top_.back() = {t, logits[t], 0.0F};
                    std::push_heap(top_.begin(), top_.end(), worse_first);
                }
            }
            std::sort(top_.begin(), top_.end(),
                      [](const auto& a, const auto& b) { return a.logit > b.logit; });
            for (const auto& c : top_) {
                if (grammar == nullptr || grammar_allows(grammar, c.id, c.logit)) {
                    tok = c.id;
                    break;
                }
            }
        }
        if (tok < 0) {
            candidates_.resize(static_cast<size_t>(n_vocab));
            for (int t = 0; t < n_vocab; ++t) {
                candidates_[static_cast<size_t>(t)] = {t, logits[t], 0.0F};
            }
            llama_token_data_array arr{candidates_.data(), candidates_.size(), -1, false};
            if (grammar != nullptr) {
                llama_sampler_apply(grammar, &arr);
            }
            if (chain != nullptr) {
                llama_sampler_apply(chain, &arr);
                tok = arr.data[arr.selected].id;
            } else {
                size_t best = 0;
                for (size_t i = 1; i < arr.size; ++i) {
                    if (arr.data[i].logit > arr.data[best].logit) {
                        best = i;
                    }
                }
                tok = std::isfinite(arr.data[best].logit) ? arr.data[best].id
                                                          : llama_vocab_eos(vocab_);
            }
        }
        if (grammar != nullptr && !llama_vocab_is_eog(vocab_, tok)) {
            llama_sampler_accept(grammar, tok);
        }
        recent_.push_back(tok);
        if (recent_.size() > 64) {
            recent_.erase(recent_.begin());
        }
        return tok;
    }

    static bool worse_first(const llama_token_data& a, const llama_token_data& b) {
        return a.logit > b.logit; // min-heap on the logit
    }

    static bool hit_stop(const std::string& text, const std::vector<std::string>& stop) {
        return std::any_of(stop.begin(), stop.end(), [&](const std::string& s) {
            return !s.empty() && text.size() >= s.size() &&
                   text.compare(text.size() - s.size(), s.size(), s) == 0;
        });
    }

    model_ptr model_;
    threadpool_ptr pool_; ///< outlives ctx_ (members are destroyed in reverse order)
    context_ptr ctx_;
    model_info info_;
    const llama_vocab* vocab_;
    std::string chat_template_;
    std::vector<llama_token> cached_; ///< tokens in the KV cache (sequence 0)
    std::vector<llama_token_data> candidates_;
    std::vector<llama_token_data> top_;
    std::vector<float> penalized_;
    std::vector<llama_token> recent_; ///< generated tokens of this call, for the penalty
    clock::time_point deadline_ = clock::time_point::max();
};

} // namespace

result<std::unique_ptr<backend>> open_llama(const llama_config& config) {
    auto model = load_model(config.model_path, config.gpu_layers);
    if (!model) {
        return model.error();
    }
    model_info info = describe(model->get(), config.model_path);
    llama_context_params cp = llama_context_default_params();
    const int trained = std::max(info.context_length, 512);
    cp.n_ctx = static_cast<uint32_t>(
        config.context_size > 0 ? std::min(config.context_size, trained) : trained);
    cp.n_batch = static_cast<uint32_t>(std::max(config.batch_size, 32));
    cp.n_ubatch = cp.n_batch;
    const int threads = config.threads > 0
                            ? config.threads
                            : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    cp.no_perf = true;
    cp.swa_full = true; // keep the whole window so that a shared prompt prefix can be reused
    context_ptr ctx(llama_init_from_model(model->get(), cp));
    if (!ctx) {
        return error{"cannot create a llama.cpp context of " + std::to_string(cp.n_ctx) + " tokens",
                     config.model_path, 0, "lower --llm-context"};
    }
    info.context_size = static_cast<int>(llama_n_ctx(ctx.get()));
    // Worker threads that sleep instead of spinning between graph steps: on a busy machine
    // (a build next to the analysis) spinning threads starve each other and a call that
    // takes 3 s when the machine is idle did not finish in 60 s.
    ggml_threadpool_params tp = ggml_threadpool_params_default(threads);
    tp.poll = 0;
    threadpool_ptr pool(ggml_threadpool_new(&tp));
    return std::unique_ptr<backend>(std::make_unique<llama_backend>(
        std::move(*model), std::move(pool), std::move(ctx), std::move(info)));
}

result<model_info> read_model_info(const std::string& path) {
    auto model = load_model(path, 0);
    if (!model) {
        return model.error();
    }
    return describe(model->get(), path);
}

#endif

} // namespace sysgrok::llm
