// src/store/store.cpp — opening, migrating and the small tables.
#include "store/store.hpp"

#include <chrono>

#include <sqlite3.h>

#include "store/schema.hpp"
#include "store/statement.hpp"
#include "store/transaction.hpp"

namespace sysgrok::store {

namespace {

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int64_t as_i64(uint64_t v) {
    return static_cast<int64_t>(v);
}
uint64_t as_u64(int64_t v) {
    return static_cast<uint64_t>(v);
}

} // namespace

void connection_deleter::operator()(sqlite3* db) const {
    sqlite3_close_v2(db);
}

store::store(std::unique_ptr<sqlite3, connection_deleter> db, std::string path)
    : db_(std::move(db)), path_(std::move(path)) {}

store::~store() {
    if (in_tx_) {
        rollback();
    }
}

error store::db_error(std::string_view what) const {
    return error{std::string(what) + ": " + sqlite3_errmsg(db_.get()), path_, 0, ""};
}

result<std::unique_ptr<store>> store::open(const std::string& path) {
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    std::unique_ptr<sqlite3, connection_deleter> db(raw);
    if (rc != SQLITE_OK) {
        std::string msg = raw != nullptr ? sqlite3_errmsg(raw) : "out of memory";
        return error{"cannot open the store: " + msg, path, 0,
                     "check that the directory exists and is writable"};
    }
    sqlite3_busy_timeout(db.get(), 10000);
    std::unique_ptr<store> s(new store(std::move(db), path));
    // WAL: readers never block the writer; NORMAL sync: a crash loses at most the last
    // transaction(s) but never corrupts the file.
    if (path != ":memory:") {
        auto mode = s->query_int("PRAGMA application_id");
        if (!mode) {
            return error{"not a sysgrok store (or not an SQLite file): " + mode.error().message,
                         path, 0, "name a new file or one written by `sysgrok --store`"};
        }
        if (auto st = s->exec("PRAGMA journal_mode=WAL"); !st) {
            return st.error();
        }
    }
    for (const char* pragma : {"PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
                               "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-65536"}) {
        if (auto st = s->exec(pragma); !st) {
            return st.error();
        }
    }
    if (auto st = s->migrate(); !st) {
        return st.error();
    }
    return s;
}

int store::schema_version() const {
    sqlite3_stmt* st = nullptr;
    int v = -1;
    if (sqlite3_prepare_v2(db_.get(), "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

status store::migrate() {
    // 'sysg' as application id marks the file as ours.
    constexpr int64_t k_app_id = 0x73797367;
    auto app = query_int("PRAGMA application_id");
    if (!app) {
        return app.error();
    }
    const int version = schema_version();
    if (*app != 0 && *app != k_app_id) {
        return error{"this SQLite file belongs to another application", path_, 0,
                     "name a new file"};
    }
    if (version > k_schema_version) {
        return error{"the store was written by a newer sysgrok (schema " + std::to_string(version) +
                         ", this one knows " + std::to_string(k_schema_version) + ")",
                     path_, 0, "upgrade sysgrok or use another --store file"};
    }
    if (*app == 0 && version == 0) {
        // A new file, or an SQLite file without our id: refuse files that already have tables.
        auto tables = query_int("SELECT count(*) FROM sqlite_schema");
        if (!tables) {
            return tables.error();
        }
        if (*tables != 0) {
            return error{"this SQLite file is not a sysgrok store", path_, 0, "name a new file"};
        }
    }
    const auto steps = migrations();
    for (int v = version; v < k_schema_version; ++v) {
        transaction tx(*this);
        if (auto st = tx.begin(); !st) {
            return st;
        }
        if (auto st = exec(steps[static_cast<size_t>(v)]); !st) {
            return error{"schema migration to version " + std::to_string(v + 1) +
                             " failed: " + st.error().message,
                         path_, 0, ""};
        }
        if (auto st = exec("PRAGMA user_version=" + std::to_string(v + 1)); !st) {
            return st;
        }
        if (auto st = exec("PRAGMA application_id=" + std::to_string(k_app_id)); !st) {
            return st;
        }
        if (auto st = tx.commit(); !st) {
            return st;
        }
    }
    return ok();
}

status store::exec(std::string_view sql) {
    char* msg = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
        std::string m = msg != nullptr ? msg : sqlite3_errmsg(db_.get());
        sqlite3_free(msg);
        return error{"SQLite: " + m, path_, 0, ""};
    }
    return ok();
}

result<int64_t> store::query_int(std::string_view sql) {
    auto st = prepare(sql);
    if (!st) {
        return st.error();
    }
    auto row = (*st)->step();
    if (!row) {
        return row.error();
    }
    return *row ? (*st)->column_int(0) : 0;
}

result<std::string> store::integrity_check() {
    auto st = prepare("PRAGMA integrity_check");
    if (!st) {
        return st.error();
    }
    auto row = (*st)->step();
    if (!row) {
        return row.error();
    }
    return *row ? (*st)->column_text(0) : std::string("no answer");
}

status store::begin() {
    if (auto st = exec("BEGIN IMMEDIATE"); !st) {
        return st;
    }
    in_tx_ = true;
    return ok();
}

status store::commit() {
    in_tx_ = false;
    return exec("COMMIT");
}

void store::rollback() {
    in_tx_ = false;
    (void)exec("ROLLBACK");
}

result<std::unique_ptr<statement>> store::prepare(std::string_view sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) {
        return db_error("SQLite prepare");
    }
    return std::make_unique<statement>(db_.get(), st);
}

// --- file checkpoints ---

status store::save_checkpoints(std::span<const file_checkpoint> cps) {
    auto st = prepare(
        "INSERT INTO file_checkpoints(path,device,inode,byte_offset,line,fingerprint,updated_ns)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(path) DO UPDATE SET device=excluded.device,"
        " inode=excluded.inode, byte_offset=excluded.byte_offset, line=excluded.line,"
        " fingerprint=excluded.fingerprint, updated_ns=excluded.updated_ns");
    if (!st) {
        return st.error();
    }
    transaction tx(*this);
    if (auto b = tx.begin(); !b) {
        return b;
    }
    auto& s = **st;
    for (const auto& c : cps) {
        s.bind_text(1, c.path);
        s.bind_int(2, as_i64(c.device));
        s.bind_int(3, as_i64(c.inode));
        s.bind_int(4, as_i64(c.offset));
        s.bind_int(5, as_i64(c.line));
        s.bind_text(6, c.fingerprint);
        s.bind_int(7, c.updated_ns != 0 ? c.updated_ns : now_ns());
        if (auto r = s.run(); !r) {
            return r;
        }
    }
    return tx.commit();
}

result<std::vector<file_checkpoint>> store::load_checkpoints() {
    return query_rows<file_checkpoint>(
        "SELECT path,device,inode,byte_offset,line,fingerprint,updated_ns"
        " FROM file_checkpoints ORDER BY path",
        [](statement& s) -> file_checkpoint {
            return {s.column_text(0),        as_u64(s.column_int(1)), as_u64(s.column_int(2)),
                    as_u64(s.column_int(3)), as_u64(s.column_int(4)), s.column_text(5),
                    s.column_int(6)};
        });
}

// --- templates ---

status store::merge_templates(std::span<const template_row> rows) {
    auto st = prepare(
        "INSERT INTO templates(text_hash,id,text,count,problem_count,first_ns,last_ns)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(text_hash) DO UPDATE SET id=excluded.id,"
        " count=count+excluded.count, problem_count=problem_count+excluded.problem_count,"
        " first_ns=CASE WHEN first_ns=0 OR (excluded.first_ns<>0 AND excluded.first_ns<first_ns)"
        "   THEN excluded.first_ns ELSE first_ns END,"
        " last_ns=max(last_ns, excluded.last_ns)");
    if (!st) {
        return st.error();
    }
    transaction tx(*this);
    if (auto b = tx.begin(); !b) {
        return b;
    }
    auto& s = **st;
    for (const auto& r : rows) {
        s.bind_int(1, as_i64(r.text_hash));
        s.bind_int(2, r.id);
        s.bind_text(3, r.text);
        s.bind_int(4, as_i64(r.count));
        s.bind_int(5, as_i64(r.problem_count));
        s.bind_int(6, r.first_ns);
        s.bind_int(7, r.last_ns);
        if (auto x = s.run(); !x) {
            return x;
        }
    }
    return tx.commit();
}

result<std::vector<template_row>> store::load_templates() {
    return query_rows<template_row>(
        "SELECT text_hash,id,text,count,problem_count,first_ns,last_ns FROM templates"
        " ORDER BY count DESC, text_hash",
        [](statement& s) -> template_row {
            return {as_u64(s.column_int(0)), static_cast<uint32_t>(s.column_int(1)),
                    s.column_text(2),        as_u64(s.column_int(3)),
                    as_u64(s.column_int(4)), s.column_int(5),
                    s.column_int(6)};
        });
}

// --- LLM cache ---

result<std::optional<std::string>> store::llm_get(std::string_view key) {
    auto st = prepare("SELECT value FROM llm_cache WHERE key=?1");
    if (!st) {
        return st.error();
    }
    (*st)->bind_text(1, key);
    auto row = (*st)->step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return std::optional<std::string>();
    }
    return std::optional<std::string>((*st)->column_text(0));
}

status store::llm_put(std::string_view key, std::string_view value, std::string_view model) {
    auto st = prepare("INSERT OR REPLACE INTO llm_cache(key,value,model,created_ns)"
                      " VALUES(?1,?2,?3,?4)");
    if (!st) {
        return st.error();
    }
    (*st)->bind_text(1, key);
    (*st)->bind_text(2, value);
    (*st)->bind_text(3, model);
    (*st)->bind_int(4, now_ns());
    return (*st)->run();
}

// --- labels ---

status store::save_labels(std::span<const label_row> labels) {
    auto st = prepare("INSERT INTO labels(hash,problem,text,updated_ns,level,positive,negative)"
                      " VALUES(?1,?2,?3,?4,?5,?6,?7)"
                      " ON CONFLICT(hash) DO UPDATE SET problem=excluded.problem,"
                      " text=excluded.text, updated_ns=excluded.updated_ns,"
                      " level=excluded.level, positive=excluded.positive,"
                      " negative=excluded.negative");
    if (!st) {
        return st.error();
    }
    transaction tx(*this);
    if (auto b = tx.begin(); !b) {
        return b;
    }
    const int64_t now = now_ns();
    for (const auto& l : labels) {
        (*st)->bind_int(1, as_i64(l.hash));
        (*st)->bind_int(2, l.problem ? 1 : 0);
        (*st)->bind_text(3, l.text);
        (*st)->bind_int(4, now);
        (*st)->bind_int(5, l.level);
        (*st)->bind_int(6, l.positive);
        (*st)->bind_int(7, l.negative);
        if (auto r = (*st)->run(); !r) {
            return r;
        }
    }
    return tx.commit();
}

result<std::vector<label_row>> store::load_labels() {
    return query_rows<label_row>(
        "SELECT hash,problem,text,level,positive,negative FROM labels ORDER BY hash",
        [](statement& s) -> label_row {
            return {as_u64(s.column_int(0)),
                    s.column_int(1) != 0,
                    s.column_text(2),
                    static_cast<int>(s.column_int(3)),
                    static_cast<uint32_t>(s.column_int(4)),
                    static_cast<uint32_t>(s.column_int(5))};
        });
}

result<std::optional<bool>> store::label_of(uint64_t hash) {
    auto st = prepare("SELECT problem FROM labels WHERE hash=?1");
    if (!st) {
        return st.error();
    }
    (*st)->bind_int(1, as_i64(hash));
    auto row = (*st)->step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return std::optional<bool>();
    }
    return std::optional<bool>((*st)->column_int(0) != 0);
}

// --- sources and events ---

result<uint32_t> store::source_id(std::string_view path) {
    auto ins = prepare("INSERT INTO sources(path) VALUES(?1) ON CONFLICT(path) DO NOTHING");
    if (!ins) {
        return ins.error();
    }
    (*ins)->bind_text(1, path);
    if (auto r = (*ins)->run(); !r) {
        return r.error();
    }
    auto sel = prepare("SELECT id FROM sources WHERE path=?1");
    if (!sel) {
        return sel.error();
    }
    (*sel)->bind_text(1, path);
    auto row = (*sel)->step();
    if (!row) {
        return row.error();
    }
    return static_cast<uint32_t>((*sel)->column_int(0));
}

status store::insert_events(std::span<const event_row> rows, bool fts) {
    auto st = prepare("INSERT INTO events(event_id,ts_ns,source,line,severity,template_id,host,"
                      "program,message) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    if (!st) {
        return st.error();
    }
    std::unique_ptr<statement> fts_st;
    if (fts) {
        auto f = prepare("INSERT INTO events_fts(rowid,message) VALUES(last_insert_rowid(),?1)");
        if (!f) {
            return f.error();
        }
        fts_st = std::move(*f);
    }
    transaction tx(*this);
    if (auto b = tx.begin(); !b) {
        return b;
    }
    auto& s = **st;
    for (const auto& r : rows) {
        s.bind_int(1, as_i64(r.event_id));
        s.bind_int(2, r.ts_ns);
        s.bind_int(3, r.source);
        s.bind_int(4, as_i64(r.line));
        s.bind_int(5, r.severity);
        s.bind_int(6, r.template_id);
        s.bind_text(7, r.host);
        s.bind_text(8, r.program);
        s.bind_text(9, r.message);
        if (auto x = s.run(); !x) {
            return x;
        }
        if (fts_st) {
            fts_st->bind_text(1, r.message);
            if (auto x = fts_st->run(); !x) {
                return x;
            }
        }
    }
    return tx.commit();
}

result<std::vector<uint64_t>> store::search_events(std::string_view fts_query, size_t limit) {
    auto st = prepare("SELECT e.event_id FROM events_fts f JOIN events e ON e.rowid=f.rowid"
                      " WHERE events_fts MATCH ?1 ORDER BY e.rowid LIMIT ?2");
    if (!st) {
        return st.error();
    }
    (*st)->bind_text(1, fts_query);
    (*st)->bind_int(2, static_cast<int64_t>(limit));
    std::vector<uint64_t> out;
    while (true) {
        auto row = (*st)->step();
        if (!row) {
            return error{"full-text query failed: " + row.error().message, path_, 0,
                         "FTS5 syntax: words, \"phrases\", AND/OR/NOT, prefix*"};
        }
        if (!*row) {
            break;
        }
        out.push_back(as_u64((*st)->column_int(0)));
    }
    return out;
}

} // namespace sysgrok::store
