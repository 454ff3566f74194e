// src/sink/ecs_json.hpp — one event as one JSON object with ECS field names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"

namespace sysgrok::sink {

/// Per-event results of later stages that the JSON line carries.
struct event_annotations {
    int64_t template_id = -1; ///< -1 = no template mining
    std::string_view template_text;
    int8_t problem = -1; ///< -1 = not judged; else 1 when the event is a problem (error or alert)
};

/// Formats events as NDJSON (pure: appends to a string; the caller writes it).
class ecs_json_formatter {
  public:
    /// `paths[i]` is the path of input i, `formats[i]` its format name.
    ecs_json_formatter(std::vector<std::string> paths, std::vector<std::string> formats)
        : paths_(std::move(paths)), formats_(std::move(formats)) {}

    void set_formats(std::vector<std::string> formats) { formats_ = std::move(formats); }

    /// Appends one JSON object and a newline. Field order is fixed:
    /// @timestamp, message, log.level, log.file.path, host.name, process.name,
    /// process.pid, ECS fields from the parser, event.timezone, sysgrok.*.
    void append(std::string& out,
                const event_batch& batch,
                const event& e,
                const event_annotations& ann = {}) const;

  private:
    std::vector<std::string> paths_;
    std::vector<std::string> formats_;
};

/// Whether a field key is an ECS field name written at the top level
/// (others go under "sysgrok.fields").
bool is_ecs_key(std::string_view key);

} // namespace sysgrok::sink
