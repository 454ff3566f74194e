// src/parse/parser.hpp — the parser interface: records in, events out.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/event.hpp"
#include "core/result.hpp"
#include "frame/record_batch.hpp"
#include "parse/security/session_memory.hpp"

namespace sysgrok::parse {

/// Run-wide parsing options (immutable during a run).
struct parse_options {
    /// Offset applied to timestamps that carry no zone (seconds east of UTC). Default: UTC.
    int32_t default_utc_offset_s = 0;
    /// Year for timestamps without one; unset = infer from `reference_ns`.
    std::optional<int> year;
    /// Add ECS fields for security-relevant lines (sshd, sudo, auditd, ...); see
    /// parse/security. On by default; off only to measure parsing alone.
    bool security_fields = true;
};

/// Mutable per-input state (year inference, counters). One per input stream.
struct parse_state {
    parse_options options;
    uint32_t input = 0;             ///< copied into event::input
    uint64_t input_hash = 0;        ///< hash of the input's path; seeds event ids
    int64_t reference_ns = 0;       ///< "now" for this input (file mtime); yearless
                                    ///< timestamps are placed at or before it
    int64_t last_ts_ns = k_no_time; ///< last timestamp seen in this input
    int last_month = 0;             ///< for yearless formats: month of the previous event
    int64_t inferred_year = 0;      ///< year in use for yearless timestamps (0 = not yet)
    uint64_t matched = 0;           ///< records the format matched
    uint64_t unmatched = 0;         ///< records parsed by the generic fallback
    session_memory sessions;        ///< client addresses of recent sshd processes
};

/// A configured parser. Immutable and shareable across inputs; all mutable
/// state lives in parse_state. Never throws.
class parser {
  public:
    virtual ~parser() = default;
    parser() = default;
    parser(const parser&) = delete;
    parser& operator=(const parser&) = delete;

    /// Format name, e.g. "rfc3164".
    [[nodiscard]] virtual std::string_view name() const = 0;

    /// Appends exactly one event per record to `out.events` (a record that does not
    /// match the format is parsed by the generic fallback, or kept as a plain message),
    /// sets id, input, line, raw and flags on each, and adds `batch.block` to `out.blocks`.
    virtual void parse(const record_batch& batch, parse_state& state, event_batch& out) const = 0;

    /// How well a record matches this format: 0 = not at all, higher = more specific.
    /// Used by format detection on a sample of records.
    [[nodiscard]] virtual int probe(std::string_view text) const = 0;
};

/// A built-in format: a name for --format, a description for --help, a factory.
struct format_descriptor {
    std::string_view name;
    std::string_view description;
    std::unique_ptr<parser> (*create)();
};

/// Built-in formats in detection priority order.
std::span<const format_descriptor> builtin_formats();

/// The parser for --format NAME, or an error listing the known names.
result<std::unique_ptr<parser>> make_parser(std::string_view name);

/// A parser for a header template in Loghub syntax, e.g.
/// "<Date> <Time> <Level> <Component>: <Content>". <Content> is the message.
result<std::unique_ptr<parser>> make_header_parser(std::string_view log_format);

/// A parser for a regular expression with named groups (RE2 syntax): groups named
/// like the Loghub fields or ECS keys (timestamp, level, host, program, pid, message).
result<std::unique_ptr<parser>> make_regex_parser(std::string_view regex);

/// Picks the best built-in format for a sample of records (the first records of an input).
std::unique_ptr<parser> detect_format(std::span<const record> sample);

} // namespace sysgrok::parse
