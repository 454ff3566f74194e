// src/store/store.hpp — sysgrok's state and results in one embedded SQLite file.
//
// One file, WAL journal, synchronous=NORMAL: a crash (even kill -9) loses at most the
// transaction in progress and never corrupts the file. The schema is versioned
// (PRAGMA user_version) and migrated forward on open; a file written by a newer sysgrok
// is refused with a hint instead of being modified.
//
// Tables: file checkpoints (where a tail/follow run stopped), templates with their
// statistics, runs, findings and incidents, an LLM answer cache, learned labels, and
// optionally the events themselves with an FTS5 index on the message.
//
// A store object is one connection; use it from one thread at a time. Several
// processes may open the same file (a busy timeout serialises writers).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "detect/finding.hpp"
#include "store/statement.hpp"

struct sqlite3;

namespace sysgrok::store {

/// Where reading a file stopped. `fingerprint` identifies the content (e.g. a hash of the
/// first bytes) so that a rotated or truncated file is recognised even when its inode
/// is reused.
struct file_checkpoint {
    std::string path;
    uint64_t device = 0;
    uint64_t inode = 0;
    uint64_t offset = 0; ///< bytes consumed
    uint64_t line = 0;   ///< lines consumed
    std::string fingerprint;
    int64_t updated_ns = 0;
};

/// A template and its statistics, keyed by the hash of its text (stable across runs
/// even when the miner numbers templates differently).
struct template_row {
    uint64_t text_hash = 0;
    uint32_t id = 0; ///< the miner's id in the run that last saw it
    std::string text;
    uint64_t count = 0;
    uint64_t problem_count = 0;
    int64_t first_ns = 0; ///< 0 = unknown
    int64_t last_ns = 0;
};

/// One analysis run (findings and incidents belong to a run).
struct run_info {
    int64_t id = 0;
    std::string command;
    std::string inputs; ///< input paths, newline-separated
    int64_t started_ns = 0;
    int64_t finished_ns = 0; ///< 0 while running or when it was killed
    uint64_t events = 0;
};

/// A finding as stored (flattened; evidence lines are kept as JSON text).
struct finding_row {
    int64_t id = 0;
    int64_t run = 0;
    int64_t incident = 0; ///< 0 = not part of an incident
    std::string rule_id;
    std::string rule_name;
    int level = 0; ///< ECS event.severity: 21/47/73/99
    double score = 0;
    double confidence = 0;
    bool problem = false;
    int64_t start_ns = 0;
    int64_t end_ns = 0;
    std::string host;
    std::string service;
    std::string template_ids; ///< comma-separated
    uint64_t count = 0;
    double expected = 0;
    std::string detail;
};

/// A learned label: the hash of a template text (or of a line) and whether it is a problem.
struct label_row {
    uint64_t hash = 0;
    bool problem = false;
    std::string text;      ///< what was hashed, for people reading the file
    int level = -1;        ///< severity of the labelled lines (core/severity.hpp), -1 unknown
    uint32_t positive = 0; ///< lines labelled a problem
    uint32_t negative = 0; ///< lines labelled noise
};

/// A stored event (only with --store-events).
struct event_row {
    uint64_t event_id = 0;
    int64_t ts_ns = 0;
    uint32_t source = 0; ///< id in the sources table (input path)
    uint64_t line = 0;
    int severity = 0;
    int64_t template_id = -1;
    std::string host;
    std::string program;
    std::string message;
};

struct connection_deleter {
    void operator()(sqlite3* db) const;
};

class store {
  public:
    static constexpr int k_schema_version = 1;

    /// Opens or creates `path` and migrates its schema. ":memory:" works for tests.
    static result<std::unique_ptr<store>> open(const std::string& path);
    ~store();
    store(const store&) = delete;
    store& operator=(const store&) = delete;
    store(store&&) = delete;
    store& operator=(store&&) = delete;

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] int schema_version() const;

    // --- file checkpoints ---
    /// One transaction; upsert by path.
    status save_checkpoints(std::span<const file_checkpoint> cps);
    result<std::vector<file_checkpoint>> load_checkpoints();

    // --- templates ---
    /// Adds counts to existing rows (first/last widened), inserts new ones; one transaction.
    status merge_templates(std::span<const template_row> rows);
    result<std::vector<template_row>> load_templates();

    // --- runs, findings, incidents ---
    result<int64_t> begin_run(std::string_view command, std::span<const std::string> inputs);
    status finish_run(int64_t run, uint64_t events);
    result<std::vector<run_info>> load_runs();
    /// Findings not part of an incident (incident column 0).
    status save_findings(int64_t run, std::span<const detect::finding> findings);
    /// Each incident and its findings.
    status save_incidents(int64_t run, std::span<const detect::incident> incidents);
    /// Findings of `run` (all runs when 0), strongest level first.
    result<std::vector<finding_row>> load_findings(int64_t run = 0);
    result<uint64_t> count_incidents(int64_t run = 0);

    // --- LLM cache ---
    result<std::optional<std::string>> llm_get(std::string_view key);
    status llm_put(std::string_view key, std::string_view value, std::string_view model);

    // --- labels ---
    status save_labels(std::span<const label_row> labels); ///< upsert by hash
    result<std::vector<label_row>> load_labels();
    result<std::optional<bool>> label_of(uint64_t hash);

    // --- sources and events ---
    /// Id of an input path in the sources table (inserted when new).
    result<uint32_t> source_id(std::string_view path);
    /// Inserts in one transaction (with the FTS index when `fts`).
    status insert_events(std::span<const event_row> rows, bool fts);
    /// Event ids whose message matches an FTS5 query (e.g. "timeout AND db1").
    result<std::vector<uint64_t>> search_events(std::string_view fts_query, size_t limit = 1000);

    // --- helpers ---
    /// Runs SQL that returns no rows (DDL, PRAGMA with no result).
    status exec(std::string_view sql);
    /// The single integer of a query such as "SELECT count(*) FROM events".
    result<int64_t> query_int(std::string_view sql);
    /// "ok" when PRAGMA integrity_check finds nothing wrong, else its first message.
    result<std::string> integrity_check();

    /// Low level, for the writer: explicit transactions and prepared statements.
    status begin();
    status commit();
    void rollback();
    [[nodiscard]] bool in_transaction() const { return in_tx_; }
    result<std::unique_ptr<statement>> prepare(std::string_view sql);
    /// Runs `sql` (no parameters) and maps every row with `row_of(statement&)`.
    template <class T, class F>
    result<std::vector<T>> query_rows(std::string_view sql, F&& row_of) {
        auto st = prepare(sql);
        if (!st) {
            return st.error();
        }
        std::vector<T> out;
        while (true) {
            auto row = (*st)->step();
            if (!row) {
                return row.error();
            }
            if (!*row) {
                return out;
            }
            out.push_back(row_of(**st));
        }
    }
    [[nodiscard]] sqlite3* handle() const { return db_.get(); }

  private:
    store(std::unique_ptr<sqlite3, connection_deleter> db, std::string path);
    status migrate();
    [[nodiscard]] error db_error(std::string_view what) const;

    std::unique_ptr<sqlite3, connection_deleter> db_;
    std::string path_;
    bool in_tx_ = false;
};

} // namespace sysgrok::store
