// src/explain/label_cache.hpp — template labels cached by template text, so that a
// template is labelled once (the model cost grows with distinct templates, not lines).
//
// `label_store` is the interface; `json_label_store` keeps the labels in memory and in a
// JSON file in the data directory (until the project's SQLite store takes them over).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"
#include "explain/answer.hpp"

namespace sysgrok::explain {

/// The cache key of a template's label: a hash of its text.
uint64_t label_key(std::string_view template_text);

class label_store {
  public:
    label_store() = default;
    virtual ~label_store() = default;
    label_store(const label_store&) = delete;
    label_store& operator=(const label_store&) = delete;
    label_store(label_store&&) = delete;
    label_store& operator=(label_store&&) = delete;

    [[nodiscard]] virtual std::optional<template_label> find(uint64_t key) const = 0;
    virtual void put(uint64_t key, const template_label& label) = 0;
    /// Makes the labels durable (no-op for memory-only stores).
    virtual status flush() = 0;
};

/// In memory only.
class memory_label_store : public label_store {
  public:
    [[nodiscard]] std::optional<template_label> find(uint64_t key) const override;
    void put(uint64_t key, const template_label& label) override;
    status flush() override { return ok(); }
    [[nodiscard]] size_t size() const { return labels_.size(); }

  protected:
    std::unordered_map<uint64_t, template_label> labels_;
};

/// In memory, loaded from and flushed to a JSON file ({"<key hex>": {category,
/// description}}); an unreadable or corrupt file starts an empty cache (reported by open).
class json_label_store final : public memory_label_store {
  public:
    /// Loads `path` if it exists. Errors: the file exists but is not a label cache.
    static result<std::unique_ptr<json_label_store>> open(const std::string& path);
    void put(uint64_t key, const template_label& label) override;
    status flush() override;

  private:
    explicit json_label_store(std::string path) : path_(std::move(path)) {}
    std::string path_;
    bool dirty_ = false;
};

/// data_dir()/template-labels.json
std::string default_label_cache_path();

} // namespace sysgrok::explain
