// src/core/event.hpp — one parsed log event and a batch of them.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/severity.hpp"
#include "core/text_block.hpp"

namespace sysgrok {

constexpr int64_t k_no_time = std::numeric_limits<int64_t>::min();
constexpr int32_t k_no_offset = std::numeric_limits<int32_t>::min();

/// Flags describing how the framing stage treated a record.
enum record_flag : uint8_t {
    record_flag_truncated = 1U << 0,    ///< longer than the line cap; the tail was dropped
    record_flag_invalid_utf8 = 1U << 1, ///< holds bytes that are not valid UTF-8
    record_flag_nul = 1U << 2,          ///< holds NUL bytes
    record_flag_multiline = 1U << 3,    ///< continuation lines were joined to it
};

/// A key/value pair of structured data (JSON, logfmt, RFC 5424 SD, named groups).
/// Keys use ECS names where the parser knows the meaning (e.g. "source.ip").
struct field {
    std::string_view key;
    std::string_view value;
};

/// One framed record: a line, or a line with its continuation lines.
struct record {
    std::string_view
        text;          ///< without the trailing newline(s); continuation lines kept, '\n'-joined
    uint64_t line = 0; ///< 1-based line number of the first line in its input
    uint32_t line_count = 1; ///< physical lines joined into this record
    uint8_t flags = 0;       ///< record_flag bits
};

/// A parsed event. String views point into the text blocks (or the string
/// arena) owned by the batch that holds the event.
struct event {
    int64_t ts_ns = k_no_time; ///< UTC, nanoseconds since the epoch
    int32_t utc_offset_s =
        k_no_offset; ///< offset of the source's local time, when the line says it
    severity sev = severity::none;
    uint8_t flags = 0;   ///< record_flag bits
    uint16_t format = 0; ///< index of the format that parsed it (see parse/format_id)
    uint32_t input = 0;  ///< index of the input (file) in the run
    uint32_t line_count = 1;
    uint64_t line = 0; ///< 1-based line number of the first line
    int64_t pid = -1;
    uint64_t id = 0;          ///< stable id: hash of input path, line and text
    std::string_view raw;     ///< whole record text
    std::string_view message; ///< the free-text message
    std::string_view host;
    std::string_view program; ///< program / service / component
    uint32_t field_begin = 0; ///< index into event_batch::fields
    uint32_t field_count = 0;
};

/// Storage for strings that parsers produce (unescaped JSON strings, decoded
/// values). Stable addresses: strings never move once added.
class string_arena {
  public:
    std::string_view add(std::string_view s);
    void clear();

  private:
    static constexpr size_t k_chunk = 64 * 1024;
    std::deque<std::string> chunks_; ///< each reserved to k_chunk, filled in order
    std::deque<std::string> large_;  ///< strings too large for a chunk
};

/// A batch of events with everything their views point into.
struct event_batch {
    std::vector<event> events;
    std::vector<field> fields;
    std::vector<block_ref> blocks; ///< keeps the input bytes alive
    string_arena strings;
    /// Other batches this one's views point into (a merged batch references the
    /// batches of its inputs). Shared ownership is deliberate: several merged
    /// batches can reference one input batch.
    std::vector<std::shared_ptr<event_batch>> keep_alive;

    void clear() {
        events.clear();
        fields.clear();
        blocks.clear();
        strings.clear();
        keep_alive.clear();
    }
    [[nodiscard]] std::span<const field> fields_of(const event& e) const {
        return {fields.data() + e.field_begin, e.field_count};
    }
    /// Value of the first field named `key`, empty if none.
    [[nodiscard]] std::string_view field_value(const event& e, std::string_view key) const {
        for (const auto& f : fields_of(e)) {
            if (f.key == key) {
                return f.value;
            }
        }
        return {};
    }
};

} // namespace sysgrok
