// Unit tests for the Elasticsearch-compatible ingest endpoint (src/ingest/http_endpoint),
// talking to it with cpp-httplib's client on a free local port.
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include "ingest/chunk_queue.hpp"
#include "ingest/http_endpoint.hpp"
#include "ingest/source_table.hpp"

using namespace sysgrok::ingest;

namespace {

std::string gzip(const std::string& in) {
    z_stream zs{};
    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(compressBound(static_cast<uLong>(in.size())) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

class IngestHttp : public ::testing::Test {
  protected:
    void start(http_options o) {
        o.host = "127.0.0.1";
        o.port = 0;
        auto ep = http_endpoint::open(o, sources, queue);
        ASSERT_TRUE(ep) << ep.error().message;
        ep_ = std::move(*ep);
        th_ = std::thread([this] { ep_->run(); });
        client_ = std::make_unique<httplib::Client>("127.0.0.1", ep_->port());
        for (int i = 0; i < 100 && !client_->Get("/"); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    void TearDown() override {
        if (ep_) {
            ep_->stop();
            th_.join();
        }
    }
    source_table sources;
    chunk_queue queue;
    std::unique_ptr<http_endpoint> ep_;
    std::thread th_;
    std::unique_ptr<httplib::Client> client_;
};

} // namespace

TEST_F(IngestHttp, AnswersTheProbesShippersMake) {
    start({});
    auto root = client_->Get("/");
    ASSERT_TRUE(root);
    EXPECT_EQ(root->status, 200);
    EXPECT_EQ(root->get_header_value("X-Elastic-Product"), "Elasticsearch");
    const auto j = nlohmann::json::parse(root->body);
    EXPECT_EQ(j["version"]["build_flavor"], "default");
    EXPECT_EQ(j["tagline"], "You Know, for Search");
    auto head = client_->Head("/");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->get_header_value("X-Elastic-Product"), "Elasticsearch");
    auto lic = client_->Get("/_license");
    ASSERT_TRUE(lic);
    EXPECT_EQ(nlohmann::json::parse(lic->body)["license"]["status"], "active");
    EXPECT_EQ(client_->Get("/_xpack")->status, 200);
    EXPECT_EQ(client_->Head("/_cat/health")->status, 200);
    // Template set-up: unknown first (404), acknowledged, then found.
    EXPECT_EQ(client_->Get("/_index_template/sysgrok")->status, 404);
    auto put = client_->Put("/_index_template/sysgrok", R"({"index_patterns":["x-*"]})",
                            "application/json");
    ASSERT_TRUE(put);
    EXPECT_EQ(nlohmann::json::parse(put->body)["acknowledged"], true);
    EXPECT_EQ(client_->Get("/_index_template/sysgrok")->status, 200);
    auto ilm = client_->Put("/_ilm/policy/p1", "{}", "application/json");
    EXPECT_EQ(ilm->status, 200);
}

TEST_F(IngestHttp, BulkGzipBodyIsQueuedPerIndexWithPerItemResults) {
    start({});
    const std::string body =
        "{\"create\":{}}\n{\"message\":\"hello one\"}\n"
        "{\"index\":{\"_index\":\"other\",\"_id\":\"x\"}}\n{\"message\":\"two\"}\n";
    httplib::Headers h{{"Content-Encoding", "gzip"}};
    auto res = client_->Post("/logs-a/_bulk", h, gzip(body), "application/x-ndjson");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const auto j = nlohmann::json::parse(res->body);
    EXPECT_EQ(j["errors"], false);
    ASSERT_EQ(j["items"].size(), 2U);
    EXPECT_EQ(j["items"][0]["create"]["_index"], "logs-a");
    EXPECT_EQ(j["items"][0]["create"]["status"], 201);
    EXPECT_EQ(j["items"][1]["index"]["_id"], "x");
    size_t docs = 0;
    while (auto c = queue.pop(std::chrono::milliseconds(0))) {
        const auto info = sources.get(c->source);
        EXPECT_EQ(info.kind, source_kind::bulk);
        EXPECT_NE(info.name.find(info.name.ends_with("/other") ? "/other" : "/logs-a"),
                  std::string::npos);
        const std::string text(c->block->view());
        docs += static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
        ASSERT_FALSE(c->peers.empty());
        EXPECT_EQ(c->peers[0].rfind("127.0.0.1:", 0), 0U);
    }
    EXPECT_EQ(docs, 2U);
    auto bad = client_->Post("/_bulk", "[1]\n", "application/x-ndjson");
    EXPECT_EQ(bad->status, 400);
}

TEST_F(IngestHttp, BasicAndApiKeyAuth) {
    http_options o;
    o.user = "elastic";
    o.password = "s3cret";
    o.api_key = "id1:key1";
    start(o);
    EXPECT_EQ(client_->Get("/")->status, 401);
    client_->set_basic_auth("elastic", "wrong");
    EXPECT_EQ(client_->Get("/")->status, 401);
    client_->set_basic_auth("elastic", "s3cret");
    EXPECT_EQ(client_->Get("/")->status, 200);
    httplib::Client k("127.0.0.1", ep_->port());
    httplib::Headers h{{"Authorization", "ApiKey " + base64_encode("id1:key1")}};
    EXPECT_EQ(k.Get("/", h)->status, 200);
}
