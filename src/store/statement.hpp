// src/store/statement.hpp — a prepared SQLite statement (RAII over sqlite3_stmt).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace sysgrok::store {

struct statement_deleter {
    void operator()(sqlite3_stmt* s) const;
};

/// Bind parameters are 1-based as in SQLite. Text is bound without a copy
/// (SQLITE_STATIC): the caller keeps it alive until step() returns.
class statement {
  public:
    statement(sqlite3* db, sqlite3_stmt* s) : db_(db), stmt_(s) {}

    void bind_int(int i, int64_t v);
    void bind_double(int i, double v);
    void bind_text(int i, std::string_view v);
    void bind_null(int i);

    /// Runs one step: true when a row is available, false when done; errors as values.
    result<bool> step();
    /// Runs a statement that returns no rows and resets it for the next use.
    status run();
    void reset();

    [[nodiscard]] int64_t column_int(int i) const;
    [[nodiscard]] double column_double(int i) const;
    [[nodiscard]] std::string column_text(int i) const;
    [[nodiscard]] bool column_null(int i) const;

  private:
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, statement_deleter> stmt_;
};

} // namespace sysgrok::store
