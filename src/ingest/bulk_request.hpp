// src/ingest/bulk_request.hpp — the Elasticsearch _bulk body (NDJSON action and source
// lines) and the response shippers check item by item.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sysgrok::ingest {

struct bulk_item {
    std::string op;    ///< index, create, update, delete
    std::string index; ///< target index or data stream
    std::string id;    ///< given `_id`, or a generated one
    int status = 201;
    std::string error_type; ///< set when status >= 400
    std::string error_reason;
    std::string_view doc; ///< the source line (index/create/update), a view into the body
};

struct bulk_request {
    std::vector<bulk_item> items;
    [[nodiscard]] bool errors() const;
};

/// Parses a _bulk body. `default_index` is the path's `<index>` (empty for /_bulk).
/// A malformed action line fails the whole request (as Elasticsearch does, status 400);
/// a source line that is not a JSON object fails only its item (400, mapper_parsing_exception).
/// `id_seed` makes generated ids unique across requests.
result<bulk_request>
parse_bulk(std::string_view body, std::string_view default_index, uint64_t id_seed);

/// {"took":N,"errors":false,"items":[{"create":{"_index":..,"_id":..,"_version":1,
/// "result":"created","_shards":{..},"_seq_no":..,"_primary_term":1,"status":201}},...]}
std::string bulk_response(const bulk_request& req, int64_t took_ms, uint64_t first_seq_no);

/// {"error":{"root_cause":[...],"type":..,"reason":..},"status":N}
std::string es_error_json(std::string_view type, std::string_view reason, int status);

} // namespace sysgrok::ingest
