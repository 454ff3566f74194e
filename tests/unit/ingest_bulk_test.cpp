// Unit tests for the Elasticsearch _bulk request parser and response (src/ingest).
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ingest/bulk_request.hpp"

using sysgrok::ingest::bulk_response;
using sysgrok::ingest::parse_bulk;

TEST(IngestBulk, ParsesActionsAndSources) {
    const std::string body = R"({"index":{"_index":"logs","_id":"a1"}}
{"message":"one","host.name":"h1"}
{"create":{}}
{"message":"two"}
{"delete":{"_index":"logs","_id":"gone"}}
{"update":{"_id":"u1"}}
{"doc":{"x":1}}
)";
    auto r = parse_bulk(body, "default-idx", 42);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->items.size(), 4U);
    EXPECT_EQ(r->items[0].op, "index");
    EXPECT_EQ(r->items[0].index, "logs");
    EXPECT_EQ(r->items[0].id, "a1");
    EXPECT_EQ(r->items[0].status, 201);
    EXPECT_EQ(r->items[0].doc, R"({"message":"one","host.name":"h1"})");
    EXPECT_EQ(r->items[1].index, "default-idx");
    EXPECT_EQ(r->items[1].id.size(), 20U); // generated
    EXPECT_EQ(r->items[2].op, "delete");
    EXPECT_TRUE(r->items[2].doc.empty());
    EXPECT_EQ(r->items[3].status, 200);
    EXPECT_FALSE(r->errors());

    const auto j = nlohmann::json::parse(bulk_response(*r, 3, 10));
    EXPECT_EQ(j["errors"], false);
    ASSERT_EQ(j["items"].size(), 4U);
    EXPECT_EQ(j["items"][0]["index"]["status"], 201);
    EXPECT_EQ(j["items"][0]["index"]["result"], "created");
    EXPECT_EQ(j["items"][0]["index"]["_id"], "a1");
    EXPECT_EQ(j["items"][0]["index"]["_seq_no"], 10);
    EXPECT_EQ(j["items"][1]["create"]["status"], 201);
    EXPECT_EQ(j["items"][2]["delete"]["status"], 404);
    EXPECT_EQ(j["items"][2]["delete"]["result"], "not_found");
    EXPECT_EQ(j["items"][3]["update"]["status"], 200);
}

TEST(IngestBulk, BadSourceFailsOnlyItsItem) {
    auto r =
        parse_bulk("{\"create\":{\"_index\":\"l\"}}\nnot json\n{\"create\":{\"_index\":\"l\"}}\n"
                   "{\"ok\":true}\n",
                   "", 1);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->items.size(), 2U);
    EXPECT_EQ(r->items[0].status, 400);
    EXPECT_TRUE(r->items[0].doc.empty());
    EXPECT_EQ(r->items[1].status, 201);
    EXPECT_TRUE(r->errors());
    const auto j = nlohmann::json::parse(bulk_response(*r, 0, 0));
    EXPECT_EQ(j["errors"], true);
    EXPECT_EQ(j["items"][0]["create"]["error"]["type"], "mapper_parsing_exception");
}

TEST(IngestBulk, MissingIndexIsAnItemError) {
    auto r = parse_bulk("{\"create\":{}}\n{\"a\":1}\n", "", 1);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->items[0].status, 400);
    EXPECT_TRUE(r->items[0].doc.empty());
}

TEST(IngestBulk, MalformedActionFailsTheRequest) {
    EXPECT_FALSE(parse_bulk("{\"create\":{}}\n{\"a\":1}\n[1,2]\n", "x", 1));
    EXPECT_FALSE(parse_bulk("{\"explode\":{}}\n{}\n", "x", 1));
    EXPECT_FALSE(parse_bulk("{\"create\":{}}\n", "x", 1)); // no source line
    auto empty = parse_bulk("\n\n", "x", 1);
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->items.empty());
}
