#include "app/es_options.hpp"

#include <cstdlib>

namespace sysgrok::app {

void add_es_options(CLI::App* cmd, es_options& o, bool with_source) {
    const std::string g = "Elasticsearch / OpenSearch";
    cmd->add_option("--es", o.url,
                    "Send events and findings to this cluster (http(s)://host:9200) with _bulk: "
                    "data streams logs-sysgrok.events-<ns> and logs-sysgrok.findings-<ns> (ECS), "
                    "index templates installed on first use. Documents carry stable ids, so "
                    "re-sending never duplicates")
        ->group(g)
        ->type_name("URL");
    cmd->add_option("--es-user", o.user, "Basic auth user (or user:password@ in the URL)")
        ->group(g)
        ->envname("SYSGROK_ES_USER");
    cmd->add_option("--es-password", o.password, "Basic auth password (env SYSGROK_ES_PASSWORD)")
        ->group(g)
        ->envname("SYSGROK_ES_PASSWORD");
    cmd->add_option("--es-api-key", o.api_key,
                    "Elasticsearch API key: the base64 'encoded' value (env SYSGROK_ES_API_KEY)")
        ->group(g)
        ->envname("SYSGROK_ES_API_KEY");
    cmd->add_option("--es-ca-file", o.ca_file,
                    "PEM CA certificate(s) to verify the cluster (Elasticsearch 8: "
                    "config/certs/http_ca.crt)")
        ->group(g)
        ->check(CLI::ExistingFile);
    cmd->add_option("--es-cert", o.client_cert, "Client certificate (PEM) for TLS client auth")
        ->group(g)
        ->check(CLI::ExistingFile);
    cmd->add_option("--es-key", o.client_key, "Client key (PEM) for --es-cert")
        ->group(g)
        ->check(CLI::ExistingFile);
    cmd->add_flag("--es-insecure", o.insecure, "Do not verify the TLS certificate (testing only)")
        ->group(g);
    cmd->add_flag("--es-no-gzip", o.no_gzip, "Send request bodies uncompressed")->group(g);
    cmd->add_option("--es-namespace", o.ns, "Data stream namespace (logs-sysgrok.events-<ns>)")
        ->group(g)
        ->capture_default_str();
    cmd->add_flag("!--es-no-events", o.events, "Send only the findings, not every event")->group(g);
    cmd->add_flag("!--es-no-original", o.original,
                  "Do not store the whole record as event.original (smaller documents; "
                  "--from-es then shows messages instead of whole lines as evidence)")
        ->group(g);
    cmd->add_option(
           "--es-spool", o.spool,
           "Directory for bulk bodies the cluster could not take (replayed when it is "
           "back, also by the next run). Default: ~/.local/state/sysgrok/es-spool/<url hash>")
        ->group(g)
        ->type_name("DIR");
    cmd->add_option("--es-spool-max-mb", o.spool_max_mb,
                    "Spool size limit; when full, reading slows down instead of dropping")
        ->group(g)
        ->capture_default_str();
    cmd->add_option("--es-drain-timeout", o.drain_timeout_s,
                    "Seconds to wait at the end for an unreachable cluster before leaving the "
                    "rest in the spool")
        ->group(g)
        ->capture_default_str();
    cmd->add_option("--es-replicas", o.replicas,
                    "number_of_replicas in the index templates (0 for a single-node cluster; "
                    "default: the cluster's)")
        ->group(g);
    cmd->add_option("--es-batch-mb", o.batch_mb, "Uncompressed size of one _bulk request")
        ->group(g)
        ->check(CLI::Range(1, 90))
        ->capture_default_str();
    cmd->add_flag("--es-no-templates", o.no_templates,
                  "Do not install index templates (the user lacks manage_index_templates)")
        ->group(g);
    if (!with_source) {
        return;
    }
    CLI::Option* from =
        cmd->add_option(
               "--from-es", o.from_url,
               "Read the events from this cluster instead of files (search_after in a point "
               "in time, or scroll), e.g. what `--es` stored or any ECS logs index")
            ->group(g)
            ->type_name("URL");
    cmd->add_option("--index", o.index, "Index pattern or data stream for --from-es")
        ->group(g)
        ->capture_default_str();
    cmd->add_option("--query", o.query,
                    "Lucene query string that selects the events for --from-es, e.g. "
                    "'host.name:db1 AND log.level:err'")
        ->group(g);
    cmd->add_flag("--es-scroll", o.scroll, "Page with scroll instead of a point in time")->group(g);
    // With --from-es the FILE arguments are not needed. They stay required otherwise (so
    // that a vector option before them, such as --baseline, leaves them alone): the
    // option's callback runs before CLI11 checks requirements.
    if (CLI::Option* inputs = cmd->get_option_no_throw("inputs"); inputs != nullptr) {
        from->each([inputs](const std::string&) { inputs->required(false); });
    }
}

es::connection_options connection_of(const es_options& o, const std::string& url) {
    es::connection_options c;
    c.url = url;
    c.user = o.user;
    c.password = o.password;
    c.api_key = o.api_key;
    c.ca_file = o.ca_file;
    c.client_cert = o.client_cert;
    c.client_key = o.client_key;
    c.insecure = o.insecure;
    c.gzip = !o.no_gzip;
    return c;
}

es::sink_options sink_options_of(const es_options& o) {
    es::sink_options s;
    s.conn = connection_of(o, o.url);
    s.indices.events = "logs-sysgrok.events-" + o.ns;
    s.indices.findings = "logs-sysgrok.findings-" + o.ns;
    s.spool_dir = o.spool;
    s.spool_max_bytes = o.spool_max_mb << 20U;
    s.drain_timeout_s = o.drain_timeout_s;
    s.replicas = o.replicas;
    s.batch_bytes = o.batch_mb << 20U;
    s.templates = !o.no_templates;
    return s;
}

result<std::unique_ptr<pipeline::event_stream>> open_event_stream(const input_options& in,
                                                                  const es_options& es,
                                                                  int64_t since_ns,
                                                                  int64_t until_ns,
                                                                  diagnostics& diag) {
    if (es.from_url.empty()) {
        if (in.pipe.inputs.empty()) {
            return error{"no input", "", 0,
                         "name log files, directories or - for stdin, or use --from-es URL"};
        }
        return pipeline::event_stream::open(in.pipe, diag);
    }
    if (!in.pipe.inputs.empty()) {
        return error{"--from-es reads from the cluster: do not also name input files", "", 0, ""};
    }
    es::search_options so;
    so.conn = connection_of(es, es.from_url);
    so.index = es.index;
    so.query = es.query;
    so.since_ns = since_ns;
    so.until_ns = until_ns;
    so.use_pit = !es.scroll;
    so.page_size = std::max<size_t>(256, in.pipe.batch_events);
    return es::open_search_stream(so);
}

} // namespace sysgrok::app
