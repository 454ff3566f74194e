// src/ingest/analyzer.hpp — the analysis side of `sysgrok watch`: chunks from every source
// become events (framing, the format's parser, security enrichment), then template mining,
// the window detectors (their windows close on the wall clock: call tick()) and the Sigma
// engine. New findings go to the alert callback at once; every event can be appended to an
// events-out file as ECS JSON with its source and line (and byte offset for files).
// Single-threaded: one analysis thread owns it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/result.hpp"
#include "detect/finding.hpp"
#include "detect/problem_classifier.hpp"
#include "detect/window_detector.hpp"
#include "ingest/chunk.hpp"
#include "ingest/source_table.hpp"
#include "mine/template_miner.hpp"
#include "parse/parser.hpp"
#include "security/engine.hpp"
#include "security/rule_set.hpp"
#include "sink/ecs_json.hpp"

namespace sysgrok::ingest {

struct analyzer_options {
    bool detect = true;                  ///< window detectors
    detect::detector_config detector;    ///< window length etc.
    std::vector<std::string> rule_paths; ///< Sigma rules (empty: none)
    std::string events_out;              ///< append every event as JSON here ("" = off)
    /// Called with every parsed batch and its template ids (e.g. to send the events to
    /// Elasticsearch); on the analysis thread.
    std::function<void(const event_batch&, std::span<const uint32_t>, const class analyzer&)>
        on_batch;
};

struct analyzer_stats {
    uint64_t chunks = 0;
    uint64_t lines = 0;  ///< records received (blank lines included)
    uint64_t events = 0; ///< events processed
    uint64_t alerts = 0;
    int64_t last_lag_ns = 0; ///< read -> processed delay of the last chunk
    int64_t max_lag_ns = 0;  ///< largest since the last reset_max_lag()
};

class analyzer {
  public:
    using alert_sink = std::function<void(const detect::finding&, const analyzer&)>;

    /// Loads the rules and opens events-out (appending); errors name the file.
    static result<std::unique_ptr<analyzer>>
    create(analyzer_options opts, source_table& sources, alert_sink on_alert);
    ~analyzer();
    analyzer(const analyzer&) = delete;
    analyzer& operator=(const analyzer&) = delete;

    /// Parses and analyses one chunk; alerts are delivered before it returns.
    void process(const chunk& c);
    /// Wall-clock timer: closes detector windows that ended before `now_ns`.
    void tick(int64_t now_ns);
    /// Reloads the Sigma rules (SIGHUP); on error the old rules stay.
    status reload_rules();
    /// Flushes events-out to the kernel; returns its size (0 when off).
    result<uint64_t> flush_events_out();
    /// File positions reached since the last call (keyed by checkpoint path).
    std::vector<file_position> take_positions();

    [[nodiscard]] const analyzer_stats& stats() const { return stats_; }
    void reset_max_lag() { stats_.max_lag_ns = 0; }
    [[nodiscard]] const std::vector<std::string>& source_names() const { return names_; }
    [[nodiscard]] std::string template_text(uint32_t id) const;
    [[nodiscard]] int64_t window_ns() const { return opts_.detector.window_ns; }
    [[nodiscard]] const std::string& events_out_path() const { return opts_.events_out; }
    [[nodiscard]] size_t rules_loaded() const { return rules_ ? rules_->loaded() : 0; }

  private:
    struct source_state {
        source_info info;
        const parse::parser* parser = nullptr;
        std::unique_ptr<parse::parser> owned;
        parse::parse_state ps;
    };
    analyzer(analyzer_options opts, source_table& sources, alert_sink on_alert);
    source_state& state_of(uint32_t source);
    void feed_detectors(const chunk& c);
    void write_events(const chunk& c);
    void emit(const detect::finding& f);

    analyzer_options opts_;
    source_table& sources_;
    alert_sink on_alert_;
    std::vector<std::unique_ptr<source_state>> states_;
    std::vector<std::string> names_;
    std::unique_ptr<sink::ecs_json_formatter> formatter_;
    mine::template_miner miner_;
    detect::window_detector detector_;
    detect::problem_classifier classifier_;
    std::unique_ptr<security::rule_set> rules_;
    std::unique_ptr<security::engine_state> sigma_;
    std::vector<security::finding> sigma_findings_;
    std::FILE* events_out_ = nullptr;
    bool events_out_failed_ = false;
    std::string out_buf_;
    record_batch records_;
    std::vector<uint64_t> offsets_; ///< per record: byte offset in its file
    std::vector<uint16_t> peers_;   ///< per record: sender index in the chunk
    event_batch batch_;
    std::vector<uint32_t> template_ids_;
    std::vector<std::string_view> params_;
    std::map<std::string, file_position> positions_;
    analyzer_stats stats_;
};

} // namespace sysgrok::ingest
