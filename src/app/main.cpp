// sysgrok — turns logs into findings. The CLI is a thin layer over the pipeline stages.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"

int main(int argc, char** argv) {
    CLI::App app{
        "sysgrok: log analysis with a local model beside fast classical analysis.\n"
        "Reads plain, .gz and .zst files, directories, globs and stdin; detects each input's "
        "format (syslog, JSON, logfmt, access logs, generic timestamped lines)."};
    app.set_version_flag("--version", std::string("sysgrok ") + SYSGROK_VERSION);
    app.require_subcommand(1);
    app.footer(sysgrok::app::k_exit_help);
    int exit_code = sysgrok::app::k_exit_ok;
    sysgrok::app::register_parse_command(app, exit_code);
    sysgrok::app::register_analyze_command(app, exit_code);
    sysgrok::app::register_templates_command(app, exit_code);
    sysgrok::app::register_eval_parse_command(app, exit_code);
    sysgrok::app::register_sequences_command(app, exit_code);
    sysgrok::app::register_rules_command(app, exit_code);
    sysgrok::app::register_kibana_export_command(app, exit_code);
    sysgrok::app::register_watch_command(app, exit_code);
    sysgrok::app::register_models_command(app, exit_code);
    sysgrok::app::register_ask_command(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : sysgrok::app::k_exit_usage;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sysgrok: internal error: %s\n", e.what());
        return sysgrok::app::k_exit_error;
    }
    return exit_code;
}
