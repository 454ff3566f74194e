// src/app/llm_options.cpp — language-model options.
#include "app/llm_options.hpp"

#include <cstdlib>

#include "llm/http_backend.hpp"
#include "llm/llama_backend.hpp"
#include "llm/model_store.hpp"

namespace sysgrok::app {

void add_llm_options(CLI::App* cmd, llm_cli_options& o) {
    cmd->add_option("--model", o.model,
                    "GGUF model file to run in-process (default: the best installed model; "
                    "see `sysgrok models`)")
        ->type_name("PATH");
    cmd->add_option("--llm-url", o.url,
                    "Use an OpenAI-compatible server instead of a local model, e.g. "
                    "http://gpu1:8080 (llama-server, vLLM, Ollama /v1)")
        ->type_name("URL");
    cmd->add_option("--llm-api-key", o.api_key,
                    "API key for --llm-url (or set SYSGROK_LLM_API_KEY)")
        ->type_name("KEY");
    cmd->add_option("--llm-model", o.server_model, "Model id to request from --llm-url")
        ->type_name("ID");
    cmd->add_option("--llm-timeout", o.timeout_s, "Seconds allowed per model call")
        ->capture_default_str();
    cmd->add_option("--llm-context", o.context,
                    "Context size in tokens for local models; evidence is condensed to fit")
        ->capture_default_str();
    cmd->add_option("--llm-threads", o.threads, "CPU threads for local models (0 = all cores)")
        ->capture_default_str();
    cmd->add_option("--audit", o.audit,
                    "Append every prompt and response to FILE (JSON lines) for review")
        ->type_name("FILE");
    cmd->add_option("--redact", o.redact,
                    "What to hide from the model: all (default), none, or a comma list of "
                    "ip,email,user,host,secret; hidden values are restored in the output")
        ->capture_default_str();
}

result<llm_runtime> open_llm(const llm_cli_options& o) {
    llm_runtime rt;
    auto spec = explain::parse_redaction_spec(o.redact);
    if (!spec) {
        return spec.error();
    }
    auto red = explain::redactor::create(*spec);
    if (!red) {
        return red.error();
    }
    rt.redactor = std::move(*red);
    if (!o.audit.empty()) {
        auto a = llm::audit_log::open(o.audit);
        if (!a) {
            return a.error();
        }
        rt.audit = std::move(*a);
    }
    if (!o.url.empty()) {
        llm::http_config hc;
        hc.url = o.url;
        hc.api_key = o.api_key;
        if (hc.api_key.empty()) {
            if (const char* k = std::getenv("SYSGROK_LLM_API_KEY"); k != nullptr) {
                hc.api_key = k;
            }
        }
        hc.model = o.server_model;
        hc.timeout_s = o.timeout_s;
        auto b = llm::open_http(hc);
        if (!b) {
            return b.error();
        }
        rt.backend = std::move(*b);
    } else {
        if (!llm::llama_available()) {
            return llm::open_llama({}).error(); // "not built with llama.cpp" with the fix
        }
        std::string path = o.model;
        if (path.empty()) {
            auto d = llm::default_model();
            if (!d) {
                return d.error();
            }
            path = *d;
        }
        llm::llama_config lc;
        lc.model_path = path;
        lc.context_size = o.context;
        lc.threads = o.threads;
        auto b = llm::open_llama(lc);
        if (!b) {
            return b.error();
        }
        rt.backend = std::move(*b);
    }
    explain::session_options so;
    so.timeout_s = o.timeout_s;
    rt.session =
        std::make_unique<explain::session>(*rt.backend, rt.redactor.get(), rt.audit.get(), so);
    return rt;
}

} // namespace sysgrok::app
