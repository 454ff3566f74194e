// src/app/commands.hpp — each sub-command registers itself on the root CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

namespace sysgrok::app {

/// Each function (defined in namespace sysgrok::app, one cmd_<name>.cpp per command)
/// adds one sub-command to `root`; its callback stores the process exit status in
/// `exit_code` (see exit_codes.hpp).
void register_parse_command(CLI::App& root, int& exit_code);
void register_analyze_command(CLI::App& root, int& exit_code);
void register_templates_command(CLI::App& root, int& exit_code);
void register_eval_parse_command(CLI::App& root, int& exit_code);
void register_sequences_command(CLI::App& root, int& exit_code);
void register_rules_command(CLI::App& root, int& exit_code);
void register_kibana_export_command(CLI::App& root, int& exit_code);
void register_watch_command(CLI::App& root, int& exit_code);
void register_models_command(CLI::App& root, int& exit_code);
void register_ask_command(CLI::App& root, int& exit_code);

} // namespace sysgrok::app
