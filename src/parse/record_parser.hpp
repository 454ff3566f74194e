// src/parse/record_parser.hpp — the shared record loop of every parser: builds the
// common event fields, calls the format's per-record function, and falls back to the
// generic parser for records the format does not match.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/event.hpp"
#include "frame/record_batch.hpp"
#include "parse/format_id.hpp"
#include "parse/parser.hpp"
#include "parse/timestamp.hpp"

namespace sysgrok::parse {

/// Fields per event are capped; further keys are dropped.
constexpr uint32_t k_max_fields = 64;

/// What a per-record parse function works with.
struct record_context {
    const record_batch& batch;
    const record& rec;
    parse_state& state;
    event_batch& out;
    event& ev;

    /// Appends a field to the event unless the cap is reached or the key is empty.
    void add_field(std::string_view key, std::string_view value) const;
    /// Resolves and sets the event time (zone, year inference).
    void set_time(const timestamp_parts& parts) const;
};

/// Base class of the built-in and user-defined parsers.
class record_parser : public parser {
  public:
    void parse(const record_batch& batch, parse_state& state, event_batch& out) const final;

  protected:
    /// Fills ctx.ev from ctx.rec.text; false when the record does not match the format
    /// (its fields are then discarded and the generic parser takes over).
    virtual bool parse_record(const record_context& ctx) const = 0;
    [[nodiscard]] virtual format_id id() const = 0;
};

/// The generic parser's per-record function: never fails.
void parse_generic_record(const record_context& ctx);

/// Generic header analysis after a known prefix: level word, pid, component, message,
/// starting at byte `pos` of `text`. Used by the generic parser.
void parse_generic_tail(const record_context& ctx,
                        std::string_view text,
                        size_t pos,
                        bool have_level);

} // namespace sysgrok::parse
