// src/app/input_options.hpp — the input and parsing options shared by sub-commands.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "core/diagnostics.hpp"
#include "core/result.hpp"
#include "pipeline/event_stream.hpp"

namespace sysgrok::app {

struct input_options {
    pipeline::pipeline_options pipe;
    std::string tz;        ///< --tz +HH:MM
    int year = 0;          ///< --year
    bool no_merge = false; ///< --no-merge
};

/// Adds FILE... and the parsing options to a sub-command.
void add_input_options(CLI::App* cmd, input_options& opts);

/// Validates the options and fills the derived fields; an error names the option.
status finish_input_options(input_options& opts);

/// Prints a progress line on stderr while `stream` is read, when stderr is a terminal.
class progress {
  public:
    explicit progress(const pipeline::event_stream& stream);
    ~progress();
    progress(const progress&) = delete;
    progress& operator=(const progress&) = delete;
    void update(uint64_t events);

  private:
    const pipeline::event_stream& stream_;
    bool enabled_;
    bool shown_ = false;
    int64_t start_ns_;
    int64_t last_ns_ = 0;
};

/// The path of each input, by input index.
std::vector<std::string> input_paths(const std::vector<pipeline::input_info>& infos);

/// Parses "+02:00", "-0530", "Z", "UTC" into seconds east of UTC.
result<int32_t> parse_utc_offset(std::string_view s);

} // namespace sysgrok::app
