// tests/unit/es_test.cpp — Elasticsearch/OpenSearch client pieces without a cluster:
// documents, server detection, templates, time parsing, spool, Kibana objects, and the
// bulk sink's retry / dead-letter / split / spool logic against a scripted fake server.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "core/time.hpp"
#include "es/bulk_sink.hpp"
#include "es/cluster.hpp"
#include "es/documents.hpp"
#include "es/kibana.hpp"
#include "es/search_source.hpp"
#include "es/spool.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace sysgrok;

namespace {

std::vector<json> ndjson(const std::string& s) {
    std::vector<json> out;
    std::istringstream in(s);
    std::string line;
    while (std::getline(in, line)) {
        out.push_back(json::parse(line));
    }
    return out;
}

/// A fresh directory, removed when the test ends (also when an assertion fails).
struct temp_dir {
    explicit temp_dir(const std::string& name)
        : path(fs::temp_directory_path() /
               ("sysgrok_es_test_" + std::to_string(::getpid()) + "_" + name)) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~temp_dir() { fs::remove_all(path); }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    temp_dir(temp_dir&&) = delete;
    temp_dir& operator=(temp_dir&&) = delete;
    fs::path path;
};

constexpr std::string_view k_opensearch_root = R"({"name":"n","cluster_name":"c","version":{
  "distribution":"opensearch","number":"2.19.1","build_type":"tar"},"tagline":"The OpenSearch Project: https://opensearch.org/"})";

/// A fake cluster: keeps documents by _id, answers items per a script.
class fake_cluster {
  public:
    explicit fake_cluster(int port = 0) {
        server_.set_keep_alive_timeout(1);
        server_.Get("/", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(std::string(k_opensearch_root), "application/json");
        });
        server_.Put(R"(/_(index|component)_template/.*)",
                    [this](const httplib::Request&, httplib::Response& res) {
                        ++template_puts;
                        res.set_content(R"({"acknowledged":true})", "application/json");
                    });
        server_.Post("/_bulk", [this](const httplib::Request& req, httplib::Response& res) {
            bulk(req, res);
        });
        server_.Post(R"(/.*/_refresh.*)", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("{}", "application/json");
        });
        port_ = port == 0 ? server_.bind_to_any_port("127.0.0.1")
                          : (server_.bind_to_port("127.0.0.1", port) ? port : -1);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    ~fake_cluster() { stop(); }
    fake_cluster(const fake_cluster&) = delete;
    fake_cluster& operator=(const fake_cluster&) = delete;
    fake_cluster(fake_cluster&&) = delete;
    fake_cluster& operator=(fake_cluster&&) = delete;

    void stop() {
        server_.stop();
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] int port() const { return port_; }

    std::mutex mu;
    std::map<std::string, std::string> docs; ///< _id -> source
    std::atomic<int> template_puts{0};
    std::atomic<int> requests{0};
    std::atomic<int> fail_whole_requests{0}; ///< answer this many requests with 503
    size_t max_body = 1U << 30U;             ///< larger bodies get 413
    std::set<std::string> throttled_once;    ///< ids answered 429 the first time
    int largest_body = 0;
    std::vector<std::string> bad_lines; ///< action lines that were not `create`

  private:
    void bulk(const httplib::Request& req, httplib::Response& res) {
        ++requests;
        if (fail_whole_requests > 0) {
            --fail_whole_requests;
            res.status = 503;
            res.set_content(R"({"error":{"reason":"unavailable"}})", "application/json");
            return;
        }
        if (req.body.size() > max_body) {
            res.status = 413;
            return;
        }
        std::lock_guard lock(mu);
        largest_body = std::max<int>(largest_body, static_cast<int>(req.body.size()));
        json items = json::array();
        bool errors = false;
        std::istringstream in(req.body);
        std::string action;
        std::string source;
        while (std::getline(in, action) && std::getline(in, source)) {
            const json a = json::parse(action, nullptr, false);
            if (a.is_discarded() || !a.contains("create")) {
                bad_lines.push_back(action);
                continue;
            }
            const std::string id = a["create"]["_id"];
            json item = {{"_id", id}};
            if (source.find("\"message\":\"poison") != std::string::npos) {
                item["status"] = 400;
                item["error"] = {{"type", "mapper_parsing_exception"},
                                 {"reason", "failed to parse"}};
                errors = true;
            } else if (id.back() == '7' && throttled_once.insert(id).second) {
                item["status"] = 429;
                errors = true;
            } else if (docs.contains(id)) {
                item["status"] = 409;
                errors = true;
            } else {
                docs[id] = source;
                item["status"] = 201;
            }
            items.push_back({{"create", item}});
        }
        res.set_content(json{{"took", 1}, {"errors", errors}, {"items", items}}.dump(),
                        "application/json");
    }

    httplib::Server server_;
    int port_ = -1;
    std::thread thread_;
};

/// `n` documents with ids doc-<k>; every 50th is "poison" (rejected with 400).
std::string make_docs(size_t first, size_t n) {
    std::string out;
    for (size_t k = first; k < first + n; ++k) {
        out += R"({"create":{"_index":"logs-sysgrok.events-test","_id":"doc-)" + std::to_string(k) +
               "\"}}\n";
        out += R"({"@timestamp":"2024-01-01T00:00:00Z","message":")" +
               std::string(k % 50 == 49 ? "poison " : "event ") + std::to_string(k) +
               R"(","pad":")" + std::string(200, 'x') + "\"}\n";
    }
    return out;
}

es::sink_options fast_options(const std::string& url, const fs::path& dir) {
    es::sink_options o;
    o.conn.url = url;
    o.conn.gzip = false;
    o.conn.connect_timeout_ms = 500;
    o.spool_dir = (dir / "spool").string();
    o.batch_bytes = 64 * 1024;
    o.max_backoff_ms = 200;
    o.quick_retries = 2;
    o.drain_timeout_s = 20;
    o.refresh = false;
    return o;
}

} // namespace

TEST(EsDocuments, EventsCarryStableIdsAndEcsFields) {
    std::string text = "Failed password for root from 10.0.0.1";
    event_batch b;
    event e;
    e.id = 0xabcdef0123456789ULL;
    e.ts_ns = to_epoch_ns(2024, 3, 1, 10, 0, 0, 5000);
    e.line = 42;
    e.sev = severity::error;
    e.message = text;
    e.raw = text;
    e.host = "web1";
    b.events.push_back(e);
    e.id = 7;
    e.ts_ns = k_no_time; // takes the previous event's time
    b.events.push_back(e);
    es::event_documents docs("logs-sysgrok.events-default", {"/var/log/auth.log"});
    std::string out;
    std::vector<uint32_t> tids = {3, 4};
    docs.append(out, b, tids, nullptr, nullptr);
    const auto lines = ndjson(out);
    ASSERT_EQ(lines.size(), 4U);
    EXPECT_EQ(lines[0]["create"]["_id"], "abcdef0123456789");
    EXPECT_EQ(lines[0]["create"]["_index"], "logs-sysgrok.events-default");
    EXPECT_EQ(lines[1]["event.id"], "abcdef0123456789");
    EXPECT_EQ(lines[1]["event.kind"], "event");
    EXPECT_EQ(lines[1]["event.sequence"], 42);
    EXPECT_EQ(lines[1]["sysgrok.template_id"], 3);
    EXPECT_EQ(lines[1]["log.file.path"], "/var/log/auth.log");
    EXPECT_EQ(lines[2]["create"]["_id"], "0000000000000007");
    EXPECT_EQ(lines[3]["@timestamp"], lines[1]["@timestamp"]);
    EXPECT_EQ(lines[3]["sysgrok.no_timestamp"], true);
    // The time written reads back exactly.
    EXPECT_EQ(es::parse_es_time(lines[1]["@timestamp"].get<std::string>()), b.events[0].ts_ns);
}

TEST(EsDocuments, FindingsAreEcsAlertsWithStableIds) {
    detect::finding f;
    f.kind = detect::finding_kind::spike;
    f.level = detect::alert_level::critical;
    f.start_ns = to_epoch_ns(2024, 3, 1, 10, 0, 0, 0);
    f.end_ns = f.start_ns + 300'000'000'000LL;
    f.host = "db1";
    f.template_ids = {5, 9};
    f.count = 120;
    f.examples.push_back({0, 17, f.start_ns, "connection reset"});
    std::string out;
    const std::vector<std::string> paths = {"/var/log/db.log"};
    es::append_finding(out, "logs-sysgrok.findings-default", f, 3, paths, f.end_ns);
    const auto lines = ndjson(out);
    ASSERT_EQ(lines.size(), 2U);
    const auto& d = lines[1];
    EXPECT_EQ(d["event.kind"], "alert");
    EXPECT_EQ(d["event.severity"], 99);
    EXPECT_EQ(d["rule.id"], "sysgrok.spike");
    EXPECT_EQ(d["sysgrok.severity_label"], "critical");
    EXPECT_EQ(d["sysgrok.template_ids"], json::array({5, 9}));
    EXPECT_EQ(d["sysgrok.evidence"]["lines"][0]["path"], "/var/log/db.log");
    EXPECT_TRUE(d.contains("event.ingested"));
    EXPECT_EQ(lines[0]["create"]["_id"], d["event.id"]);
    // Same finding, same id; another host, another id.
    EXPECT_EQ(es::finding_id(f), es::finding_id(f));
    auto g = f;
    g.host = "db2";
    EXPECT_NE(es::finding_id(f), es::finding_id(g));
}

TEST(EsCluster, DetectsFlavourAndFeatures) {
    auto os = es::parse_server_info(k_opensearch_root);
    ASSERT_TRUE(os);
    EXPECT_TRUE(os->opensearch());
    EXPECT_EQ(os->major, 2);
    EXPECT_EQ(os->minor, 19);
    EXPECT_TRUE(os->data_streams());
    EXPECT_TRUE(os->match_only_text());
    EXPECT_TRUE(os->point_in_time());
    auto es7 = es::parse_server_info(
        R"({"version":{"number":"7.9.3","build_flavor":"default"},"tagline":"You Know, for Search"})");
    ASSERT_TRUE(es7);
    EXPECT_FALSE(es7->opensearch());
    EXPECT_TRUE(es7->data_streams());
    EXPECT_FALSE(es7->point_in_time());
    EXPECT_FALSE(es7->match_only_text());
    EXPECT_FALSE(es::parse_server_info("<html>proxy login</html>"));
}

TEST(EsCluster, TemplatesAreComposableWithDataStreams) {
    auto os = es::parse_server_info(k_opensearch_root);
    ASSERT_TRUE(os);
    const json comp = json::parse(es::component_template_body(*os));
    const auto& props = comp["template"]["mappings"]["properties"];
    EXPECT_EQ(props["@timestamp"]["type"], "date_nanos");
    EXPECT_EQ(props["message"]["type"], "match_only_text");
    EXPECT_EQ(props["event.severity"]["type"], "long");
    EXPECT_EQ(props["rule.id"]["type"], "keyword");
    EXPECT_EQ(comp["template"]["mappings"]["date_detection"], false);
    const json ev = json::parse(es::events_template_body(*os, 0));
    EXPECT_EQ(ev["index_patterns"], json::array({"logs-sysgrok.events-*"}));
    EXPECT_TRUE(ev.contains("data_stream"));
    EXPECT_GE(ev["priority"].get<int>(), 200);
    EXPECT_EQ(ev["template"]["settings"]["index"]["number_of_replicas"], 0);
    auto old = es::parse_server_info(R"({"version":{"number":"7.8.0"}})");
    ASSERT_TRUE(old);
    EXPECT_FALSE(json::parse(es::findings_template_body(*old, -1)).contains("data_stream"));
    EXPECT_EQ(json::parse(es::component_template_body(
                  *old))["template"]["mappings"]["properties"]["message"]["type"],
              "text");
}

TEST(EsSearch, ParsesTimes) {
    EXPECT_EQ(es::parse_es_time("2024-01-02T03:04:05Z"), to_epoch_ns(2024, 1, 2, 3, 4, 5, 0));
    EXPECT_EQ(es::parse_es_time("2024-01-02T03:04:05.123456789Z"),
              to_epoch_ns(2024, 1, 2, 3, 4, 5, 123456789));
    EXPECT_EQ(es::parse_es_time("2024-01-02T03:04:05.5+01:00"),
              to_epoch_ns(2024, 1, 2, 2, 4, 5, 500000000));
    EXPECT_EQ(es::parse_es_time("1700000000000"), 1700000000000LL * 1000000);
    EXPECT_FALSE(es::parse_es_time("yesterday"));
    EXPECT_FALSE(es::parse_es_time("2024-13-02T03:04:05Z"));
}

TEST(EsSpool, KeepsOrderAndBound) {
    const temp_dir tmp("spool");
    const fs::path& dir = tmp.path;
    {
        auto s = es::spool::open((dir / "s").string(), 100);
        ASSERT_TRUE(s);
        ASSERT_TRUE(*s->push("first body, 40 bytes long................\n"));
        ASSERT_TRUE(*s->push("second body, 40 bytes long...............\n"));
        EXPECT_FALSE(*s->push("third body would pass the 100 byte bound\n"));
        EXPECT_TRUE(*s->push("forced past the bound.....................\n", true));
        EXPECT_EQ(s->files(), 3U);
    }
    auto s = es::spool::open((dir / "s").string(), 100); // survives a restart
    ASSERT_TRUE(s);
    EXPECT_EQ(s->files(), 3U);
    auto p = s->oldest();
    ASSERT_TRUE(p);
    EXPECT_EQ(*es::spool::read(*p), "first body, 40 bytes long................\n");
    s->remove(*p);
    EXPECT_EQ(*es::spool::read(*s->oldest()), "second body, 40 bytes long...............\n");
    ASSERT_TRUE(*s->push("new one\n"));
    s->remove(*s->oldest());
    s->remove(*s->oldest());
    EXPECT_EQ(*es::spool::read(*s->oldest()), "new one\n");
}

TEST(EsBulkSink, RetriesThrottledDeadLettersRejectedAndNeverDuplicates) {
    const temp_dir tmp("bulk");
    const fs::path& dir = tmp.path;
    fake_cluster fc;
    fc.fail_whole_requests = 2; // the first two requests fail as a whole
    fc.max_body = 150 * 1024;   // some bodies are split after a 413
    auto o = fast_options(fc.url(), dir);
    o.batch_bytes = 200 * 1024;
    auto sink = es::bulk_sink::open(o);
    ASSERT_TRUE(sink) << sink.error().to_string();
    EXPECT_EQ(fc.template_puts, 3);
    constexpr size_t k_docs = 3000;
    for (size_t k = 0; k < k_docs; k += 100) {
        ASSERT_TRUE((*sink)->add(make_docs(k, 100), 100));
    }
    ASSERT_TRUE((*sink)->close());
    const auto st = (*sink)->stats();
    const size_t poison = k_docs / 50;
    EXPECT_EQ(fc.docs.size(), k_docs - poison);
    EXPECT_EQ(st.dead, poison);
    EXPECT_GT(st.retried, 0U);
    EXPECT_LE(fc.largest_body, 150 * 1024);
    EXPECT_EQ(st.created + st.existed, k_docs - poison);
    EXPECT_TRUE(fc.bad_lines.empty());
    // Dead letters keep the rejected document and the reason.
    std::ifstream dl(dir / "spool" / "dead-letter.ndjson");
    std::string line;
    size_t n = 0;
    while (std::getline(dl, line)) {
        const json j = json::parse(line);
        EXPECT_EQ(j["status"], 400);
        EXPECT_EQ(j["reason"], "failed to parse");
        EXPECT_TRUE(j["document"]["message"].get<std::string>().starts_with("poison"));
        ++n;
    }
    EXPECT_EQ(n, poison);
    // Sending everything again creates nothing new.
    auto again = es::bulk_sink::open(o);
    ASSERT_TRUE(again);
    ASSERT_TRUE((*again)->add(make_docs(0, k_docs), k_docs));
    ASSERT_TRUE((*again)->close());
    EXPECT_EQ(fc.docs.size(), k_docs - poison);
    EXPECT_EQ((*again)->stats().created, 0U);
}

TEST(EsBulkSink, SpoolsWhileTheClusterIsDownAndReplaysWhenBack) {
    const temp_dir tmp("down");
    const fs::path& dir = tmp.path;
    auto fc = std::make_unique<fake_cluster>();
    const int port = fc->port();
    auto o = fast_options(fc->url(), dir);
    auto sink = es::bulk_sink::open(o);
    ASSERT_TRUE(sink) << sink.error().to_string();
    ASSERT_TRUE((*sink)->add(make_docs(0, 500), 500));
    fc->stop(); // the cluster goes away; the producer must not block or lose anything
    fc.reset();
    for (size_t k = 500; k < 2000; k += 100) {
        ASSERT_TRUE((*sink)->add(make_docs(k, 100), 100));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_GT((*sink)->stats().spooled_bodies, 0U);
    fake_cluster back(port); // same address, empty store: replays must fill it
    ASSERT_EQ(back.port(), port);
    // The first 500 reached the first server before the outage; the replayed spool must
    // bring every later document (except the rejected ones) to the new one.
    ASSERT_TRUE((*sink)->close());
    const auto st = (*sink)->stats();
    EXPECT_EQ(st.spool_files_left, 0U);
    EXPECT_GT(st.replayed_bodies, 0U);
    std::lock_guard lock(back.mu);
    size_t from_outage = 0;
    for (const auto& [id, src] : back.docs) {
        from_outage += std::stoul(id.substr(4)) >= 500 ? 1 : 0;
    }
    EXPECT_EQ(from_outage, 1500U - 1500U / 50);
    EXPECT_TRUE(back.bad_lines.empty());
}

TEST(EsKibana, SavedObjectsAreConsistent) {
    const auto lines = ndjson(es::kibana_saved_objects({}));
    ASSERT_GE(lines.size(), 3U);
    const auto& summary = lines.back();
    EXPECT_EQ(summary["exportedCount"], lines.size() - 1);
    EXPECT_EQ(summary["missingRefCount"], 0);
    std::map<std::string, std::string> ids; // id -> type
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
        const auto& o = lines[i];
        for (const char* k : {"id", "type", "attributes", "references", "coreMigrationVersion",
                              "typeMigrationVersion"}) {
            EXPECT_TRUE(o.contains(k)) << k;
        }
        EXPECT_TRUE(ids.emplace(o["id"], o["type"]).second) << "duplicate id " << o["id"];
    }
    auto os = es::parse_server_info(k_opensearch_root);
    ASSERT_TRUE(os);
    const json mapping =
        json::parse(es::component_template_body(*os))["template"]["mappings"]["properties"];
    int dashboards = 0;
    int lens = 0;
    std::set<std::string> titles;
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
        const auto& o = lines[i];
        for (const auto& r : o["references"]) {
            ASSERT_TRUE(ids.contains(r["id"])) << "dangling reference " << r["id"];
            EXPECT_EQ(ids[r["id"]], r["type"].get<std::string>());
        }
        if (o["type"] == "index-pattern") {
            titles.insert(o["attributes"]["title"]);
            EXPECT_EQ(o["attributes"]["timeFieldName"], "@timestamp");
        }
        if (o["type"] == "lens") {
            ++lens;
            const auto& st = o["attributes"]["state"];
            const auto& layers = st["datasourceStates"]["formBased"]["layers"];
            for (const auto& [layer_id, layer] : layers.items()) {
                bool referenced = false;
                for (const auto& r : o["references"]) {
                    referenced |= r["name"] == "indexpattern-datasource-layer-" + layer_id;
                }
                EXPECT_TRUE(referenced) << layer_id;
                for (const auto& c : layer["columnOrder"]) {
                    ASSERT_TRUE(layer["columns"].contains(c));
                    const std::string field = layer["columns"][c.get<std::string>()]["sourceField"];
                    if (field != "___records___") {
                        EXPECT_TRUE(mapping.contains(field))
                            << field << " is not in the index template";
                    }
                }
            }
            for (const auto& vl : st["visualization"]["layers"]) {
                const auto& cols = layers[vl["layerId"].get<std::string>()]["columns"];
                EXPECT_TRUE(cols.contains(vl["xAccessor"]));
                for (const auto& a : vl["accessors"]) {
                    EXPECT_TRUE(cols.contains(a));
                }
                if (vl.contains("splitAccessor")) {
                    EXPECT_TRUE(cols.contains(vl["splitAccessor"]));
                }
            }
        }
        if (o["type"] == "dashboard") {
            ++dashboards;
            const json panels = json::parse(o["attributes"]["panelsJSON"].get<std::string>());
            EXPECT_EQ(panels.size(), 4U);
            for (const auto& p : panels) {
                const std::string ref =
                    p["panelIndex"].get<std::string>() + ":" + p["panelRefName"].get<std::string>();
                bool found = false;
                for (const auto& r : o["references"]) {
                    found |= r["name"] == ref;
                }
                EXPECT_TRUE(found) << ref;
                EXPECT_EQ(p["gridData"]["i"], p["panelIndex"]);
            }
            EXPECT_NO_THROW((void)json::parse(
                o["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"].get<std::string>()));
        }
    }
    EXPECT_EQ(dashboards, 1);
    EXPECT_EQ(lens, 4);
    EXPECT_TRUE(titles.contains("logs-sysgrok.findings-*"));
    EXPECT_TRUE(titles.contains("logs-sysgrok.events-*"));
}
