// `sysgrok kibana-export`: Kibana saved objects for the data that `--es` sends.
#include <cstdio>
#include <memory>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/output_file.hpp"
#include "es/kibana.hpp"

namespace sysgrok::app {

namespace {

struct kibana_cmd_options {
    std::string output = "-";
    es::kibana_options kib;
};

int run_kibana_export(const kibana_cmd_options& o) {
    auto out = output_file::open(o.output);
    if (!out) {
        std::fprintf(stderr, "sysgrok kibana-export: %s\n", out.error().to_string().c_str());
        return k_exit_error;
    }
    out->write(es::kibana_saved_objects(o.kib));
    if (auto st = out->close(); !st) {
        std::fprintf(stderr, "sysgrok kibana-export: %s\n", st.error().to_string().c_str());
        return k_exit_error;
    }
    return k_exit_ok;
}

} // namespace

void register_kibana_export_command(CLI::App& root, int& exit_code) {
    auto opts = std::make_shared<kibana_cmd_options>();
    CLI::App* cmd = root.add_subcommand(
        "kibana-export",
        "Write Kibana 8.x saved objects (NDJSON) for what `--es` sends: data views for findings "
        "and events, and a dashboard with findings over time by severity, top rules, event "
        "volume and top templates. Import in Kibana: Stack Management > Saved objects > "
        "Import, or curl -H 'kbn-xsrf: true' -F file=@sysgrok.ndjson "
        "'KIBANA/api/saved_objects/_import?overwrite=true'");
    cmd->add_option("-o,--output", opts->output, "Write to this file instead of stdout");
    cmd->add_option("--es-namespace", opts->kib.ns,
                    "Data stream namespace the data views match (* = all)")
        ->capture_default_str();
    cmd->add_option("--title", opts->kib.title, "Dashboard title")->capture_default_str();
    cmd->footer(k_exit_help);
    cmd->callback([opts, &exit_code] { exit_code = run_kibana_export(*opts); });
}

} // namespace sysgrok::app
