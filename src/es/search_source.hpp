// src/es/search_source.hpp — events read back from Elasticsearch/OpenSearch (`--from-es`).
//
// Pages through an index pattern with `search_after`, inside a point in time where the
// server has one (Elasticsearch >= 7.10: /_pit; OpenSearch >= 2.4:
// /_search/point_in_time), else with the scroll API. Events of one input come in line
// order (event.sequence), as when the file is read; several inputs are sorted by
// @timestamp, then path, line and event.id (a total, stable order). Each hit
// becomes an event (message, time, level, host, program, pid, path and line, other
// ECS fields as event fields), so the same pipeline runs on it as on a file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/event.hpp"
#include "core/result.hpp"
#include "es/http_client.hpp"
#include "pipeline/event_stream.hpp"

namespace sysgrok::es {

struct search_options {
    connection_options conn;
    std::string index = "logs-sysgrok.events-*";
    int64_t since_ns = k_no_time; ///< @timestamp >= since
    int64_t until_ns = k_no_time; ///< @timestamp < until
    std::string query;            ///< Lucene query string (query_string), empty: all
    size_t page_size = 5000;
    bool use_pit = true; ///< false: scroll even where a point in time is available
};

/// Connects and opens the point in time (or scroll); errors name the URL and index.
result<std::unique_ptr<pipeline::event_stream>> open_search_stream(const search_options& opts);

/// Parses an ISO 8601 UTC time as written by sysgrok and Elasticsearch
/// ("2024-01-02T03:04:05.123456789Z", "+01:00" offsets, or epoch milliseconds).
std::optional<int64_t> parse_es_time(std::string_view s);

} // namespace sysgrok::es
