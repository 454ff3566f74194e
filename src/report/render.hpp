// src/report/render.hpp — the analyze report as terminal text or JSON.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "pipeline/event_stream.hpp"
#include "report/summary.hpp"

namespace sysgrok::report {

struct report_input {
    const summary& sum;
    const std::vector<pipeline::input_info>& inputs;
    const diagnostics& diag;
    double seconds = 0; ///< wall time of the run
    /// Current text of a template id; set when groups are mined templates.
    std::function<std::string(uint64_t)> template_text;
};

struct text_options {
    bool color = false;
    size_t width = 100;
    size_t top = 10;
};

std::string render_text(const report_input& in, const text_options& opt);

/// The same content as one JSON document (pretty-printed).
std::string render_json(const report_input& in, size_t top = 20);

} // namespace sysgrok::report
