// src/app/analyze_llm.cpp — explanations and template labels for `analyze`.
#include "app/analyze_llm.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

#include "explain/explain.hpp"
#include "explain/label_cache.hpp"

namespace sysgrok::app {

namespace {

/// Template labels kept in the store's LLM cache (key "label:<hash of the text>").
class store_label_store final : public explain::label_store {
  public:
    explicit store_label_store(store::store& db, std::string model)
        : db_(db), model_(std::move(model)) {}

    [[nodiscard]] std::optional<explain::template_label> find(uint64_t key) const override {
        auto v = db_.llm_get(key_of(key));
        if (!v || !*v) {
            return std::nullopt;
        }
        auto j = nlohmann::json::parse(**v, nullptr, false);
        if (!j.is_object() || !j.contains("category")) {
            return std::nullopt;
        }
        return explain::template_label{j.value("category", ""), j.value("description", "")};
    }
    void put(uint64_t key, const explain::template_label& label) override {
        const nlohmann::json j{{"category", label.category}, {"description", label.description}};
        if (auto st = db_.llm_put(key_of(key), j.dump(), model_); !st) {
            std::fprintf(stderr, "sysgrok analyze: --store: %s\n", st.error().to_string().c_str());
        }
    }
    status flush() override { return ok(); }

  private:
    static std::string key_of(uint64_t key) { return "label:" + std::to_string(key); }
    store::store& db_;
    std::string model_;
};

bool is_new_template(const detect::finding& f) {
    return f.kind == detect::finding_kind::new_template ||
           f.kind == detect::finding_kind::first_error;
}

} // namespace

analyze_llm_result explain_for_analyze(const llm_cli_options& o,
                                       const std::vector<detect::incident>& incidents,
                                       const mine::template_miner& miner,
                                       const std::vector<std::string>& paths,
                                       store::store* db,
                                       detect::alert_level min_level,
                                       size_t top) {
    analyze_llm_result r;
    // incidents are ranked by level first: the ones shown are a prefix
    size_t n = 0;
    while (n < incidents.size() && n < top && incidents[n].level >= min_level) {
        ++n;
    }
    if (n == 0) {
        return r;
    }
    auto rt = open_llm(o);
    if (!rt) {
        std::fprintf(stderr, "sysgrok analyze: no explanations: %s\n",
                     rt.error().to_string().c_str());
        return r;
    }
    explain::session& s = *rt->session;
    if (rt->redactor) {
        for (size_t i = 0; i < n; ++i) {
            for (const auto& h : incidents[i].hosts) {
                rt->redactor->add_term("HOST", h);
            }
        }
    }
    const auto ex = explain::explain_incidents(
        s, std::span<const detect::incident>(incidents.data(), n), miner, paths);

    // Labels for the templates that are new in these incidents, cached by text.
    std::unique_ptr<explain::label_store> labels;
    if (db != nullptr) {
        labels = std::make_unique<store_label_store>(*db, s.backend().info().name);
    } else if (auto js = explain::json_label_store::open(explain::default_label_cache_path())) {
        labels = std::move(*js);
    } else {
        labels = std::make_unique<explain::memory_label_store>();
    }
    std::vector<std::vector<explain::template_ref>> refs(n);
    std::vector<explain::template_ref> all;
    for (size_t i = 0; i < n; ++i) {
        for (const auto& f : incidents[i].findings) {
            if (!is_new_template(f) || f.template_ids.empty()) {
                continue;
            }
            const uint32_t id = f.template_ids.front();
            if (std::any_of(refs[i].begin(), refs[i].end(),
                            [id](const auto& t) { return t.id == id; })) {
                continue;
            }
            explain::template_ref t{id, std::string(miner.template_text(id)),
                                    f.examples.empty() ? std::string() : f.examples.front().text};
            refs[i].push_back(t);
            all.push_back(std::move(t));
        }
    }
    const auto lbl = explain::label_templates(s, all, *labels);
    (void)labels->flush();

    r.text.resize(n);
    r.json.resize(n);
    size_t k = 0;
    for (size_t i = 0; i < n; ++i) {
        auto j = nlohmann::json::parse(
            i < ex.size() ? explain::explanation_json(ex[i]) : std::string("{}"), nullptr, false);
        if (i < ex.size()) {
            r.text[i] = explain::explanation_text(ex[i], "      ");
        }
        nlohmann::json tl = nlohmann::json::array();
        for (const auto& t : refs[i]) {
            if (k >= lbl.size()) {
                break;
            }
            const auto& l = lbl[k++];
            tl.push_back(
                {{"template_id", t.id}, {"category", l.category}, {"description", l.description}});
            if (!l.category.empty()) {
                r.text[i] += "      template " + std::to_string(t.id) + ": " + l.category +
                             (l.description.empty() ? "" : " — " + l.description) + "\n";
            }
        }
        if (!tl.empty() && j.is_object()) {
            j["template_labels"] = tl;
        }
        r.json[i] = j.is_discarded() ? std::string() : j.dump();
    }
    r.stats_json = explain::stats_json(s.stats());
    return r;
}

} // namespace sysgrok::app
