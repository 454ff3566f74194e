// src/app/store_options.hpp — `--store FILE` and the outputs a run feeds besides its
// report: the SQLite store and an Elasticsearch/OpenSearch cluster.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/es_options.hpp"
#include "core/event.hpp"
#include "detect/finding.hpp"
#include "es/documents.hpp"
#include "pipeline/event_stream.hpp"
#include "store/writer.hpp"

namespace sysgrok::app {

struct store_options {
    std::string path;    ///< --store FILE
    bool events = false; ///< --store-events
    bool fts = true;     ///< full-text index of stored messages
    size_t commit_rows = 65536;
};

void add_store_options(CLI::App* cmd, store_options& o);

/// The store and cluster outputs of one run. Usage: open() before reading, start() once
/// the event stream is open, on_batch() per batch, on_findings() once, close() at the end.
class outputs {
  public:
    using text_fn = std::function<std::string_view(uint32_t)>;

    /// Opens the store and connects to the cluster (nothing when neither is asked for).
    static result<std::unique_ptr<outputs>>
    open(const store_options& so, const es_options& eo, std::string command);
    ~outputs();
    outputs(const outputs&) = delete;
    outputs& operator=(const outputs&) = delete;
    outputs(outputs&&) = delete;
    outputs& operator=(outputs&&) = delete;

    [[nodiscard]] bool active() const { return store_ != nullptr || sink_ != nullptr; }
    /// The store (--store), or null.
    [[nodiscard]] store::store* db() const { return store_.get(); }

    /// `stream`'s inputs give the paths and formats written with each event.
    status start(const pipeline::event_stream& stream);
    /// `template_ids[i]` is the template of batch.events[i] (may be empty); `text_of`
    /// gives a template's current text.
    status on_batch(const event_batch& batch,
                    std::span<const uint32_t> template_ids,
                    const text_fn& text_of);
    /// The run's findings: incidents (with their findings) and findings in none.
    status on_findings(std::span<const detect::incident> incidents,
                       std::span<const detect::finding> loose,
                       const text_fn& text_of);
    /// Flushes and closes; prints one summary line per output on stderr unless `quiet`.
    status close(bool quiet = false);

  private:
    outputs() = default;
    void refresh_formats();

    std::unique_ptr<store::store> store_;
    std::unique_ptr<store::writer> writer_;
    store_options so_;
    std::unique_ptr<es::bulk_sink> sink_;
    std::unique_ptr<es::event_documents> docs_;
    std::string findings_index_;
    bool es_events_ = true;
    std::string command_;
    const pipeline::event_stream* stream_ = nullptr;
    size_t known_formats_ = 0;
    size_t known_inputs_ = 0;
    std::string buf_;
};

} // namespace sysgrok::app
