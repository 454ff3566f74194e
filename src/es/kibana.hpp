// src/es/kibana.hpp — Kibana 8.x saved objects for sysgrok's data streams.
//
// Data views for findings and events, Lens charts (findings over time by severity, top
// rules, top templates, event volume by level) and a dashboard that shows them. The
// NDJSON imports with Stack Management > Saved objects > Import, or
// `POST /api/saved_objects/_import?overwrite=true` (multipart field `file`,
// header `kbn-xsrf: true`), into Kibana 8.8 or newer.
#pragma once

#include <string>

namespace sysgrok::es {

struct kibana_options {
    std::string ns = "*"; ///< data stream namespace the data views match
    std::string title = "sysgrok overview";
};

/// One saved object per line, then the export summary line Kibana writes.
std::string kibana_saved_objects(const kibana_options& opts = {});

} // namespace sysgrok::es
