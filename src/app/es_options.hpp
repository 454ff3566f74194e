// src/app/es_options.hpp — `--es URL` (send events and findings) and `--from-es URL`
// (read events) with their connection, auth and TLS options.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "app/input_options.hpp"
#include "core/diagnostics.hpp"
#include "core/result.hpp"
#include "es/bulk_sink.hpp"
#include "es/search_source.hpp"
#include "pipeline/event_stream.hpp"

namespace sysgrok::app {

struct es_options {
    std::string url; ///< --es: where to send events and findings
    std::string user;
    std::string password;
    std::string api_key;
    std::string ca_file;
    std::string client_cert;
    std::string client_key;
    bool insecure = false;
    bool no_gzip = false;
    std::string ns = "default"; ///< data stream namespace
    bool events = true;         ///< send events (not only findings)
    bool original = true;       ///< event.original: the whole record
    std::string spool;
    uint64_t spool_max_mb = 2048;
    double drain_timeout_s = 300;
    int replicas = -1;
    size_t batch_mb = 8;
    bool no_templates = false;
    // --from-es
    std::string from_url;
    std::string index = "logs-sysgrok.events-*";
    std::string query;
    bool scroll = false;
};

/// Adds --es and its options; `with_source` also adds --from-es, --index, --query and
/// makes the FILE arguments optional (they are checked in open_event_stream).
void add_es_options(CLI::App* cmd, es_options& o, bool with_source);

[[nodiscard]] es::connection_options connection_of(const es_options& o, const std::string& url);
[[nodiscard]] es::sink_options sink_options_of(const es_options& o);

/// The event source of a run: the FILE arguments, or --from-es. `since_ns`/`until_ns`
/// (k_no_time: open) are pushed down into the search.
result<std::unique_ptr<pipeline::event_stream>> open_event_stream(const input_options& in,
                                                                  const es_options& es,
                                                                  int64_t since_ns,
                                                                  int64_t until_ns,
                                                                  diagnostics& diag);

} // namespace sysgrok::app
