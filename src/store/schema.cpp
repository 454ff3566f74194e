// src/store/schema.cpp — schema migrations.
//
// 64-bit hashes and ids are stored as INTEGER with the same bits (uint64 -> int64).
// Times are nanoseconds since the epoch (UTC); 0 means unknown.
#include "store/schema.hpp"

#include <array>

namespace sysgrok::store {

namespace {

// Version 0 -> 1: the initial schema.
constexpr std::string_view k_v1 = R"sql(
CREATE TABLE file_checkpoints(
  path TEXT PRIMARY KEY,
  device INTEGER NOT NULL DEFAULT 0,
  inode INTEGER NOT NULL DEFAULT 0,
  byte_offset INTEGER NOT NULL DEFAULT 0,
  line INTEGER NOT NULL DEFAULT 0,
  fingerprint TEXT NOT NULL DEFAULT '',
  updated_ns INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE templates(
  text_hash INTEGER PRIMARY KEY,
  id INTEGER NOT NULL,
  text TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 0,
  problem_count INTEGER NOT NULL DEFAULT 0,
  first_ns INTEGER NOT NULL DEFAULT 0,
  last_ns INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL,
  inputs TEXT NOT NULL,
  started_ns INTEGER NOT NULL,
  finished_ns INTEGER NOT NULL DEFAULT 0,
  events INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE incidents(
  id INTEGER PRIMARY KEY,
  run INTEGER NOT NULL REFERENCES runs(id),
  level INTEGER NOT NULL,
  score REAL NOT NULL,
  start_ns INTEGER NOT NULL,
  end_ns INTEGER NOT NULL,
  hosts TEXT NOT NULL,
  services TEXT NOT NULL,
  template_ids TEXT NOT NULL
);
CREATE TABLE findings(
  id INTEGER PRIMARY KEY,
  run INTEGER NOT NULL REFERENCES runs(id),
  incident INTEGER NOT NULL DEFAULT 0,
  rule_id TEXT NOT NULL,
  rule_name TEXT NOT NULL,
  level INTEGER NOT NULL,
  score REAL NOT NULL,
  confidence REAL NOT NULL,
  problem INTEGER NOT NULL,
  start_ns INTEGER NOT NULL,
  end_ns INTEGER NOT NULL,
  host TEXT NOT NULL,
  service TEXT NOT NULL,
  template_ids TEXT NOT NULL,
  count INTEGER NOT NULL,
  expected REAL NOT NULL,
  detail TEXT NOT NULL,
  examples TEXT NOT NULL
);
CREATE INDEX findings_by_run ON findings(run, level);
CREATE INDEX incidents_by_run ON incidents(run);
CREATE TABLE llm_cache(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  model TEXT NOT NULL,
  created_ns INTEGER NOT NULL
);
CREATE TABLE labels(
  hash INTEGER PRIMARY KEY,
  problem INTEGER NOT NULL,
  text TEXT NOT NULL DEFAULT '',
  updated_ns INTEGER NOT NULL DEFAULT 0,
  level INTEGER NOT NULL DEFAULT -1,
  positive INTEGER NOT NULL DEFAULT 0,
  negative INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sources(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE
);
CREATE TABLE events(
  event_id INTEGER NOT NULL,
  ts_ns INTEGER NOT NULL,
  source INTEGER NOT NULL,
  line INTEGER NOT NULL,
  severity INTEGER NOT NULL,
  template_id INTEGER NOT NULL,
  host TEXT NOT NULL,
  program TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE VIRTUAL TABLE events_fts USING fts5(message, content='events', content_rowid='rowid');
)sql";

constexpr std::array<std::string_view, 1> k_migrations = {k_v1};

} // namespace

std::span<const std::string_view> migrations() {
    return k_migrations;
}

} // namespace sysgrok::store
