// src/store/store_results.cpp — runs, findings and incidents.
#include <chrono>

#include "core/json_writer.hpp"
#include "store/statement.hpp"
#include "store/store.hpp"
#include "store/transaction.hpp"

namespace sysgrok::store {

namespace {

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int64_t time_or_zero(int64_t ns) {
    return ns == k_no_time ? 0 : ns;
}

template <class T>
std::string join_ids(const std::vector<T>& ids) {
    std::string out;
    for (const auto& id : ids) {
        if (!out.empty()) {
            out += ',';
        }
        out += std::to_string(id);
    }
    return out;
}

std::string join_text(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) {
            out += '\n';
        }
        out += s;
    }
    return out;
}

/// Evidence lines as a JSON array [{"input":0,"line":12,"ts_ns":...,"text":"..."}].
std::string examples_json(const std::vector<detect::line_ref>& examples) {
    std::string out = "[";
    for (const auto& e : examples) {
        if (out.size() > 1) {
            out += ',';
        }
        out += "{\"input\":" + std::to_string(e.input) + ",\"line\":" + std::to_string(e.line) +
               ",\"ts_ns\":" + std::to_string(time_or_zero(e.ts_ns)) + ",\"text\":";
        append_json_string(out, e.text);
        out += '}';
    }
    out += ']';
    return out;
}

constexpr std::string_view k_insert_finding =
    "INSERT INTO findings(run,incident,rule_id,rule_name,level,score,confidence,problem,start_ns,"
    "end_ns,host,service,template_ids,count,expected,detail,examples)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)";

status insert_finding(statement& s, int64_t run, int64_t incident, const detect::finding& f) {
    const std::string tids = join_ids(f.template_ids);
    const std::string ex = examples_json(f.examples);
    s.bind_int(1, run);
    s.bind_int(2, incident);
    s.bind_text(3, f.rule_id_or_kind());
    s.bind_text(4, f.rule_name_or_kind());
    s.bind_int(5, static_cast<int>(f.level));
    s.bind_double(6, f.score);
    s.bind_double(7, f.confidence);
    s.bind_int(8, f.problem ? 1 : 0);
    s.bind_int(9, time_or_zero(f.start_ns));
    s.bind_int(10, time_or_zero(f.end_ns));
    s.bind_text(11, f.host);
    s.bind_text(12, f.service);
    s.bind_text(13, tids);
    s.bind_int(14, static_cast<int64_t>(f.count));
    s.bind_double(15, f.expected);
    s.bind_text(16, f.detail);
    s.bind_text(17, ex);
    return s.run();
}

} // namespace

result<int64_t> store::begin_run(std::string_view command, std::span<const std::string> inputs) {
    auto st = prepare("INSERT INTO runs(command,inputs,started_ns) VALUES(?1,?2,?3)");
    if (!st) {
        return st.error();
    }
    const std::string in = join_text({inputs.begin(), inputs.end()});
    (*st)->bind_text(1, command);
    (*st)->bind_text(2, in);
    (*st)->bind_int(3, now_ns());
    if (auto r = (*st)->run(); !r) {
        return r.error();
    }
    return query_int("SELECT last_insert_rowid()");
}

status store::finish_run(int64_t run, uint64_t events) {
    auto st = prepare("UPDATE runs SET finished_ns=?1, events=?2 WHERE id=?3");
    if (!st) {
        return st.error();
    }
    (*st)->bind_int(1, now_ns());
    (*st)->bind_int(2, static_cast<int64_t>(events));
    (*st)->bind_int(3, run);
    return (*st)->run();
}

result<std::vector<run_info>> store::load_runs() {
    auto st =
        prepare("SELECT id,command,inputs,started_ns,finished_ns,events FROM runs ORDER BY id");
    if (!st) {
        return st.error();
    }
    std::vector<run_info> out;
    auto& s = **st;
    while (true) {
        auto row = s.step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            break;
        }
        out.push_back({s.column_int(0), s.column_text(1), s.column_text(2), s.column_int(3),
                       s.column_int(4), static_cast<uint64_t>(s.column_int(5))});
    }
    return out;
}

status store::save_findings(int64_t run, std::span<const detect::finding> findings) {
    auto st = prepare(k_insert_finding);
    if (!st) {
        return st.error();
    }
    transaction tx(*this);
    if (auto b = tx.begin(); !b) {
        return b;
    }
    for (const auto& f : findings) {
        if (auto r = insert_finding(**st, run, 0, f); !r) {
            return r;
        }
    }
    return tx.commit();
}

status store::save_incidents(int64_t run, std::span<const detect::incident> incidents) {
    auto fst = prepare(k_insert_finding);
    if (!fst) {
        return fst.error();
    }
    auto ist = prepare("INSERT INTO incidents(run,level,score,start_ns,end_ns,hosts,services,"
                       "template_ids) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
    if (!ist) {
        return ist.error();
    }
    transaction tx(*this);
    if (auto b = tx.begin(); !b) {
        return b;
    }
    auto& s = **ist;
    for (const auto& inc : incidents) {
        const std::string hosts = join_text(inc.hosts);
        const std::string services = join_text(inc.services);
        const std::string tids = join_ids(inc.template_ids);
        s.bind_int(1, run);
        s.bind_int(2, static_cast<int>(inc.level));
        s.bind_double(3, inc.score);
        s.bind_int(4, time_or_zero(inc.start_ns));
        s.bind_int(5, time_or_zero(inc.end_ns));
        s.bind_text(6, hosts);
        s.bind_text(7, services);
        s.bind_text(8, tids);
        if (auto r = s.run(); !r) {
            return r;
        }
        auto id = query_int("SELECT last_insert_rowid()");
        if (!id) {
            return id.error();
        }
        for (const auto& f : inc.findings) {
            if (auto r = insert_finding(**fst, run, *id, f); !r) {
                return r;
            }
        }
    }
    return tx.commit();
}

result<std::vector<finding_row>> store::load_findings(int64_t run) {
    auto st = prepare(
        "SELECT id,run,incident,rule_id,rule_name,level,score,confidence,problem,start_ns,end_ns,"
        "host,service,template_ids,count,expected,detail FROM findings WHERE ?1=0 OR run=?1"
        " ORDER BY level DESC, score DESC, id");
    if (!st) {
        return st.error();
    }
    auto& s = **st;
    s.bind_int(1, run);
    std::vector<finding_row> out;
    while (true) {
        auto row = s.step();
        if (!row) {
            return row.error();
        }
        if (!*row) {
            break;
        }
        finding_row f;
        f.id = s.column_int(0);
        f.run = s.column_int(1);
        f.incident = s.column_int(2);
        f.rule_id = s.column_text(3);
        f.rule_name = s.column_text(4);
        f.level = static_cast<int>(s.column_int(5));
        f.score = s.column_double(6);
        f.confidence = s.column_double(7);
        f.problem = s.column_int(8) != 0;
        f.start_ns = s.column_int(9);
        f.end_ns = s.column_int(10);
        f.host = s.column_text(11);
        f.service = s.column_text(12);
        f.template_ids = s.column_text(13);
        f.count = static_cast<uint64_t>(s.column_int(14));
        f.expected = s.column_double(15);
        f.detail = s.column_text(16);
        out.push_back(std::move(f));
    }
    return out;
}

result<uint64_t> store::count_incidents(int64_t run) {
    auto st = prepare("SELECT count(*) FROM incidents WHERE ?1=0 OR run=?1");
    if (!st) {
        return st.error();
    }
    (*st)->bind_int(1, run);
    auto row = (*st)->step();
    if (!row) {
        return row.error();
    }
    return static_cast<uint64_t>((*st)->column_int(0));
}

} // namespace sysgrok::store
