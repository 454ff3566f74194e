// src/es/cluster.hpp — what the server is (GET /) and the index templates sysgrok installs.
//
// Events go to the data stream `logs-sysgrok.events-<namespace>` and findings to
// `logs-sysgrok.findings-<namespace>` (ECS "logs-<dataset>-<namespace>" naming, so that
// Elastic's external-alerts rule and Kibana's log views find them). Our composable
// templates have priority 200, above Elasticsearch 8's built-in `logs-*-*` (100).
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "es/http_client.hpp"

namespace sysgrok::es {

struct server_info {
    std::string flavour; ///< "elasticsearch" or "opensearch"
    std::string version; ///< e.g. "2.19.1"
    int major = 0;
    int minor = 0;
    [[nodiscard]] bool opensearch() const { return flavour == "opensearch"; }
    /// Data streams: Elasticsearch >= 7.9, OpenSearch >= 1.0.
    [[nodiscard]] bool data_streams() const {
        return opensearch() || major > 7 || (major == 7 && minor >= 9);
    }
    /// `match_only_text`: Elasticsearch >= 7.14, OpenSearch >= 2.12.
    [[nodiscard]] bool match_only_text() const {
        return opensearch() ? (major > 2 || (major == 2 && minor >= 12))
                            : (major > 7 || (major == 7 && minor >= 14));
    }
    /// Point in time: Elasticsearch >= 7.10 (/_pit), OpenSearch >= 2.4 (/_search/point_in_time).
    [[nodiscard]] bool point_in_time() const {
        return opensearch() ? (major > 2 || (major == 2 && minor >= 4))
                            : (major > 7 || (major == 7 && minor >= 10));
    }
};

/// Parses the body of GET /.
result<server_info> parse_server_info(std::string_view body);

/// GET / with a message that says how to fix a wrong URL, auth or TLS setting.
result<server_info> detect_server(http_client& c);

struct index_names {
    std::string events = "logs-sysgrok.events-default";
    std::string findings = "logs-sysgrok.findings-default";
};

/// The JSON bodies of the templates (exposed for tests and `--es-print-templates`).
std::string component_template_body(const server_info& s);
std::string events_template_body(const server_info& s, int replicas);
std::string findings_template_body(const server_info& s, int replicas);

/// Installs (PUT, idempotent) the component template and both index templates.
/// `replicas` < 0: the cluster's default.
status install_templates(http_client& c, const server_info& s, int replicas = -1);

/// An error from a non-2xx response: the server's reason when the body says it.
error response_error(std::string_view what, const http_response& r);

} // namespace sysgrok::es
