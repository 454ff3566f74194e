// src/mine/parse_eval.cpp — GA / FGA / PA / FTA.
#include "mine/parse_eval.hpp"

#include <deque>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "mine/csv.hpp"

namespace sysgrok::mine {

namespace {

double harmonic(double a, double b) {
    return a + b > 0 ? 2 * a * b / (a + b) : 0.0;
}

} // namespace

parse_metrics evaluate_parse(std::span<const std::string> truth_all,
                             std::span<const std::string> parsed_all) {
    parse_metrics m;
    std::vector<std::string_view> truth;
    std::vector<std::string_view> parsed;
    size_t n_rows = std::min(truth_all.size(), parsed_all.size());
    for (size_t i = 0; i < n_rows; ++i) {
        if (!truth_all[i].empty()) {
            truth.push_back(truth_all[i]);
            parsed.push_back(parsed_all[i]);
        }
    }
    const size_t n = truth.size();
    m.messages = n;
    if (n == 0) {
        return m;
    }
    std::unordered_map<std::string_view, size_t> truth_count;
    std::unordered_map<std::string_view, size_t> parsed_count;
    for (size_t i = 0; i < n; ++i) {
        ++truth_count[truth[i]];
        ++parsed_count[parsed[i]];
    }
    m.truth_templates = truth_count.size();
    m.parsed_templates = parsed_count.size();

    // GA / FGA: per truth group, the set of parsed keys.
    struct group_state {
        std::string_view parsed;
        bool single = true;
    };
    std::unordered_map<std::string_view, group_state> by_truth;
    for (size_t i = 0; i < n; ++i) {
        auto [it, fresh] = by_truth.try_emplace(truth[i], group_state{parsed[i], true});
        if (!fresh && it->second.parsed != parsed[i]) {
            it->second.single = false;
        }
    }
    size_t correct_groups = 0;
    size_t correct_messages = 0;
    for (const auto& [t, g] : by_truth) {
        if (g.single && parsed_count[g.parsed] == truth_count[t]) {
            ++correct_groups;
            correct_messages += truth_count[t];
        }
    }
    m.ga = static_cast<double>(correct_messages) / static_cast<double>(n);
    m.pga = static_cast<double>(correct_groups) / static_cast<double>(m.parsed_templates);
    m.rga = static_cast<double>(correct_groups) / static_cast<double>(m.truth_templates);
    m.fga = harmonic(m.pga, m.rga);

    // PA: exact string equality.
    size_t exact = 0;
    for (size_t i = 0; i < n; ++i) {
        exact += truth[i] == parsed[i] ? 1U : 0U;
    }
    m.pa = static_cast<double>(exact) / static_cast<double>(n);

    // FTA: per parsed key, the set of truth templates must be exactly {key}.
    std::unordered_map<std::string_view, bool> pure; // parsed key -> all truth == key
    for (size_t i = 0; i < n; ++i) {
        auto [it, fresh] = pure.try_emplace(parsed[i], true);
        if (truth[i] != parsed[i]) {
            it->second = false;
        }
    }
    size_t correct_templates = 0;
    size_t correct_strict = 0;
    for (const auto& [p, ok] : pure) {
        if (!ok) {
            continue;
        }
        ++correct_templates;
        auto tc = truth_count.find(p);
        if (tc != truth_count.end() && tc->second == parsed_count[p]) {
            ++correct_strict;
        }
    }
    m.pta = static_cast<double>(correct_templates) / static_cast<double>(m.parsed_templates);
    m.rta = static_cast<double>(correct_templates) / static_cast<double>(m.truth_templates);
    m.fta = harmonic(m.pta, m.rta);
    m.pta_strict = static_cast<double>(correct_strict) / static_cast<double>(m.parsed_templates);
    m.rta_strict = static_cast<double>(correct_strict) / static_cast<double>(m.truth_templates);
    m.fta_strict = harmonic(m.pta_strict, m.rta_strict);
    return m;
}

namespace {

int first_column(const csv_table& t, std::initializer_list<std::string_view> names) {
    for (auto name : names) {
        int c = t.column(name);
        if (c >= 0) {
            return c;
        }
    }
    return -1;
}

std::string_view cell(const std::vector<std::string>& row, int col) {
    if (col < 0 || static_cast<size_t>(col) >= row.size()) {
        return {};
    }
    return row[static_cast<size_t>(col)];
}

} // namespace

result<parse_metrics> evaluate_parse_files(const eval_files& files) {
    auto truth = read_csv_file(files.truth_path);
    if (!truth) {
        return truth.error();
    }
    auto parsed = read_csv_file(files.parsed_path);
    if (!parsed) {
        return parsed.error();
    }
    int t_tmpl = first_column(*truth, {"EventTemplate"});
    int p_tmpl = first_column(*parsed, {"EventTemplate", "template"});
    if (t_tmpl < 0) {
        return error{"no EventTemplate column", files.truth_path, 1,
                     "use a Loghub *_structured*.csv file"};
    }
    if (p_tmpl < 0) {
        return error{"no EventTemplate (or template) column", files.parsed_path, 1,
                     "write it with `sysgrok templates --loghub-csv`"};
    }
    int t_id = truth->column("LineId");
    int p_id = parsed->column("LineId");
    int t_content = truth->column("Content");
    int p_content = first_column(*parsed, {"Content", "log"});

    eval_alignment how = files.alignment;
    if (how == eval_alignment::automatic) {
        if (t_id >= 0 && p_id >= 0) {
            how = eval_alignment::by_line_id;
        } else if (t_content >= 0 && p_content >= 0) {
            how = eval_alignment::by_content;
        } else {
            how = eval_alignment::by_row;
        }
    }
    const auto& trows = truth->rows;
    const auto& prows = parsed->rows;
    std::vector<std::string> tt;
    std::vector<std::string> pt;
    tt.reserve(trows.size());
    pt.reserve(trows.size());
    switch (how) {
        case eval_alignment::automatic:
        case eval_alignment::by_row:
            if (trows.size() != prows.size()) {
                return error{"the files have different row counts (" +
                                 std::to_string(trows.size()) + " vs " +
                                 std::to_string(prows.size()) + ")",
                             files.parsed_path, 0, "align by LineId or Content instead"};
            }
            for (size_t i = 0; i < trows.size(); ++i) {
                tt.emplace_back(cell(trows[i], t_tmpl));
                pt.emplace_back(cell(prows[i], p_tmpl));
            }
            break;
        case eval_alignment::by_line_id: {
            if (t_id < 0 || p_id < 0) {
                return error{"LineId column missing", files.parsed_path, 1, ""};
            }
            std::unordered_map<std::string_view, size_t> index;
            for (size_t i = 0; i < prows.size(); ++i) {
                index.emplace(cell(prows[i], p_id), i);
            }
            for (size_t i = 0; i < trows.size(); ++i) {
                auto it = index.find(cell(trows[i], t_id));
                if (it == index.end()) {
                    return error{"no parsed row for LineId " + std::string(cell(trows[i], t_id)),
                                 files.parsed_path, 0, "the parsed file must cover every line"};
                }
                tt.emplace_back(cell(trows[i], t_tmpl));
                pt.emplace_back(cell(prows[it->second], p_tmpl));
            }
            break;
        }
        case eval_alignment::by_content: {
            if (t_content < 0 || p_content < 0) {
                return error{"Content column missing", files.parsed_path, 1, ""};
            }
            // Identical messages are matched in order of appearance.
            std::unordered_map<std::string_view, std::deque<size_t>> index;
            for (size_t i = 0; i < prows.size(); ++i) {
                index[cell(prows[i], p_content)].push_back(i);
            }
            for (size_t i = 0; i < trows.size(); ++i) {
                auto it = index.find(cell(trows[i], t_content));
                if (it == index.end() || it->second.empty()) {
                    return error{"no parsed row for message on truth row " + std::to_string(i + 2),
                                 files.parsed_path, 0, "the parsed file must cover every line"};
                }
                tt.emplace_back(cell(trows[i], t_tmpl));
                pt.emplace_back(cell(prows[it->second.front()], p_tmpl));
                it->second.pop_front();
            }
            break;
        }
    }
    return evaluate_parse(tt, pt);
}

} // namespace sysgrok::mine
