// src/store/statement.cpp — prepared statements.
#include "store/statement.hpp"

#include <sqlite3.h>

namespace sysgrok::store {

void statement_deleter::operator()(sqlite3_stmt* s) const {
    sqlite3_finalize(s);
}

void statement::bind_int(int i, int64_t v) {
    sqlite3_bind_int64(stmt_.get(), i, v);
}

void statement::bind_double(int i, double v) {
    sqlite3_bind_double(stmt_.get(), i, v);
}

void statement::bind_text(int i, std::string_view v) {
    // A null pointer would bind NULL; bind an empty string instead.
    sqlite3_bind_text64(stmt_.get(), i, v.data() == nullptr ? "" : v.data(), v.size(),
                        SQLITE_STATIC, SQLITE_UTF8);
}

void statement::bind_null(int i) {
    sqlite3_bind_null(stmt_.get(), i);
}

result<bool> statement::step() {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    std::string msg = std::string("SQLite: ") + sqlite3_errmsg(db_);
    sqlite3_reset(stmt_.get());
    return error{std::move(msg), "", 0, ""};
}

status statement::run() {
    auto r = step();
    sqlite3_reset(stmt_.get());
    if (!r) {
        return r.error();
    }
    return ok();
}

void statement::reset() {
    sqlite3_reset(stmt_.get());
}

int64_t statement::column_int(int i) const {
    return sqlite3_column_int64(stmt_.get(), i);
}

double statement::column_double(int i) const {
    return sqlite3_column_double(stmt_.get(), i);
}

std::string statement::column_text(int i) const {
    const auto* p = sqlite3_column_text(stmt_.get(), i);
    const int n = sqlite3_column_bytes(stmt_.get(), i);
    if (p == nullptr) {
        return {};
    }
    return {reinterpret_cast<const char*>(p), static_cast<size_t>(n)};
}

bool statement::column_null(int i) const {
    return sqlite3_column_type(stmt_.get(), i) == SQLITE_NULL;
}

} // namespace sysgrok::store
