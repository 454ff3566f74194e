// src/explain/label_cache.cpp — label stores.
#include "explain/label_cache.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/hash.hpp"
#include "llm/model_store.hpp"

namespace sysgrok::explain {

uint64_t label_key(std::string_view template_text) {
    return hash64(template_text, 0x6c6162656cULL); // "label"
}

std::optional<template_label> memory_label_store::find(uint64_t key) const {
    if (auto it = labels_.find(key); it != labels_.end()) {
        return it->second;
    }
    return std::nullopt;
}

void memory_label_store::put(uint64_t key, const template_label& label) {
    labels_[key] = label;
}

result<std::unique_ptr<json_label_store>> json_label_store::open(const std::string& path) {
    auto store = std::unique_ptr<json_label_store>(new json_label_store(path));
    std::ifstream in(path);
    if (!in) {
        return store; // no cache yet
    }
    std::stringstream ss;
    ss << in.rdbuf();
    const auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return error{"the template label cache is not valid JSON", path, 0,
                     "delete the file; labels are recomputed"};
    }
    for (const auto& [k, v] : j.items()) {
        if (!v.is_object()) {
            continue;
        }
        uint64_t key = 0;
        try {
            key = std::stoull(k, nullptr, 16);
        } catch (const std::exception&) {
            continue;
        }
        store->labels_[key] = {v.value("category", std::string()),
                               v.value("description", std::string())};
    }
    return store;
}

void json_label_store::put(uint64_t key, const template_label& label) {
    memory_label_store::put(key, label);
    dirty_ = true;
}

status json_label_store::flush() {
    if (!dirty_) {
        return ok();
    }
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : labels_) {
        std::ostringstream key;
        key << std::hex << k;
        j[key.str()] = {{"category", v.category}, {"description", v.description}};
    }
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
    const std::string tmp = path_ + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        if (!out) {
            return error{"cannot write the template label cache", tmp, 0,
                         "check free space and permissions"};
        }
    }
    std::filesystem::rename(tmp, path_, ec);
    if (ec) {
        return error{"cannot replace the template label cache: " + ec.message(), path_, 0, ""};
    }
    dirty_ = false;
    return ok();
}

std::string default_label_cache_path() {
    return llm::data_dir() + "/template-labels.json";
}

} // namespace sysgrok::explain
