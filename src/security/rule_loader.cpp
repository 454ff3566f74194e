// src/security/rule_loader.cpp — YAML documents to detection and correlation rules.
#include "security/rule_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <re2/re2.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include "security/text_util.hpp"

namespace sysgrok::security {

namespace {

/// Bound on compiled values per rule (windash and base64offset multiply values).
constexpr size_t k_max_patterns = 20000;

/// Thrown inside this file only (caught in load_rules_text) to abandon one document.
struct rule_error {
    std::string message;
    uint64_t line = 0;
};

uint64_t line_of(const YAML::Node& n) {
    return static_cast<uint64_t>(n.Mark().line) + 1;
}

std::string scalar(const YAML::Node& n) {
    if (!n || n.IsNull()) {
        return {};
    }
    if (!n.IsScalar()) {
        throw rule_error{"expected a scalar", line_of(n)};
    }
    return n.Scalar();
}

std::vector<std::string> string_list(const YAML::Node& n) {
    std::vector<std::string> out;
    if (!n || n.IsNull()) {
        return out;
    }
    if (n.IsScalar()) {
        out.push_back(n.Scalar());
        return out;
    }
    if (!n.IsSequence()) {
        throw rule_error{"expected a list", line_of(n)};
    }
    for (const auto& e : n) {
        out.push_back(scalar(e));
    }
    return out;
}

rule_meta read_meta(const YAML::Node& doc, const std::string& origin, uint64_t line) {
    rule_meta m;
    m.path = origin;
    m.line = line;
    m.id = scalar(doc["id"]);
    m.name = scalar(doc["name"]);
    m.title = scalar(doc["title"]);
    m.level = scalar(doc["level"]);
    m.status = scalar(doc["status"]);
    if (doc["description"] && doc["description"].IsScalar()) {
        m.description = doc["description"].Scalar();
    }
    m.tags = string_list(doc["tags"]);
    if (doc["falsepositives"]) {
        m.falsepositives = string_list(doc["falsepositives"]);
    }
    if (m.title.empty()) {
        throw rule_error{"missing 'title'", line};
    }
    return m;
}

field_test parse_field_test(const std::string& key, const YAML::Node& value) {
    std::vector<std::string> parts;
    size_t b = 0;
    while (true) {
        const size_t p = key.find('|', b);
        parts.push_back(key.substr(b, p == std::string::npos ? std::string::npos : p - b));
        if (p == std::string::npos) {
            break;
        }
        b = p + 1;
    }
    field_test t;
    t.field = parts[0];
    t.keyword = t.field.empty();
    auto mods = parse_modifiers(std::vector<std::string>(parts.begin() + 1, parts.end()));
    if (!mods) {
        throw rule_error{mods.error().message, line_of(value)};
    }
    t.all = mods->all;
    t.neq = mods->neq;
    auto add = [&](const YAML::Node& v) {
        if (v.IsMap() || v.IsSequence()) {
            throw rule_error{"field '" + t.field + "': nested values are not supported",
                             line_of(v)};
        }
        const bool null = v.IsNull();
        auto g = t.keyword ? compile_keyword(null ? "" : v.Scalar(), *mods)
                           : compile_value(null ? "" : v.Scalar(), null, *mods);
        if (!g) {
            throw rule_error{"field '" + t.field + "': " + g.error().message, line_of(v)};
        }
        t.values.push_back(std::move(*g));
    };
    if (value.IsSequence()) {
        for (const auto& v : value) {
            add(v);
        }
        if (t.values.empty()) {
            throw rule_error{"field '" + t.field + "': empty value list", line_of(value)};
        }
    } else {
        add(value);
    }
    return t;
}

field_test keyword_test(const std::vector<YAML::Node>& values) {
    field_test t;
    t.keyword = true;
    for (const auto& v : values) {
        auto g = compile_keyword(v.IsNull() ? "" : v.Scalar(), modifier_chain{});
        if (!g) {
            throw rule_error{g.error().message, line_of(v)};
        }
        t.values.push_back(std::move(*g));
    }
    return t;
}

std::vector<field_test> parse_map(const YAML::Node& m) {
    std::vector<field_test> tests;
    for (const auto& kv : m) {
        tests.push_back(parse_field_test(scalar(kv.first), kv.second));
    }
    return tests;
}

selection parse_selection(const YAML::Node& n) {
    selection s;
    if (n.IsMap()) {
        s.alternatives.push_back(parse_map(n));
    } else if (n.IsSequence()) {
        std::vector<YAML::Node> keywords;
        for (const auto& e : n) {
            if (e.IsMap()) {
                s.alternatives.push_back(parse_map(e));
            } else if (e.IsScalar() || e.IsNull()) {
                keywords.push_back(e);
            } else {
                throw rule_error{"nested lists in a selection are not supported", line_of(e)};
            }
        }
        if (!keywords.empty()) {
            s.alternatives.push_back({keyword_test(keywords)});
        }
    } else if (n.IsScalar()) {
        s.alternatives.push_back({keyword_test({n})});
    } else {
        throw rule_error{"empty selection", line_of(n)};
    }
    if (s.alternatives.empty()) {
        throw rule_error{"empty selection", line_of(n)};
    }
    return s;
}

/// A legacy v1 aggregation, `selection | count([field]) [by group] op N`, converted into
/// a v2 event_count (no field) or value_count correlation over the selection.
struct v1_aggregation {
    std::string field;
    std::string group;
    compare_op op = compare_op::gt;
    double value = 0;
};

/// Splits `cond` into its search part and its aggregation; nullopt when it has none.
std::optional<v1_aggregation> split_v1_aggregation(std::string& cond, uint64_t line) {
    const size_t bar = cond.find('|');
    if (bar == std::string::npos) {
        return std::nullopt;
    }
    static const RE2 k_count(
        R"(\s*count\(\s*([\w.\-]*)\s*\)\s*(?:by\s+([\w.\-]+)\s*)?(>=|<=|==|!=|>|<)\s*(\d+)\s*)");
    std::string field;
    std::string group;
    std::string op;
    std::string num;
    if (!RE2::FullMatch(cond.substr(bar + 1), k_count, &field, &group, &op, &num)) {
        throw rule_error{"legacy v1 aggregation other than '| count([field]) [by field] op N' "
                         "(min, max, avg, sum, near) is not supported",
                         line};
    }
    v1_aggregation a;
    a.field = field;
    a.group = group;
    a.op = op == ">"    ? compare_op::gt
           : op == ">=" ? compare_op::gte
           : op == "<"  ? compare_op::lt
           : op == "<=" ? compare_op::lte
           : op == "==" ? compare_op::eq
                        : compare_op::neq;
    a.value = std::stod(num);
    cond.resize(bar);
    return a;
}

detection_rule
parse_detection(const YAML::Node& doc, rule_meta meta, std::optional<v1_aggregation>& agg) {
    detection_rule r;
    r.meta = std::move(meta);
    const YAML::Node ls = doc["logsource"];
    if (!ls || !ls.IsMap()) {
        throw rule_error{"missing 'logsource'", r.meta.line};
    }
    r.source.product = scalar(ls["product"]);
    r.source.category = scalar(ls["category"]);
    r.source.service = scalar(ls["service"]);
    r.traits = logsource_traits(r.source);
    const YAML::Node det = doc["detection"];
    if (!det || !det.IsMap()) {
        throw rule_error{"missing 'detection'", r.meta.line};
    }
    std::vector<std::string> conditions;
    size_t patterns = 0;
    for (const auto& kv : det) {
        const std::string key = scalar(kv.first);
        if (key == "condition") {
            conditions = string_list(kv.second);
        } else if (key == "timeframe") {
            continue; // only meaningful with the legacy aggregation, rejected below
        } else {
            r.names.push_back(key);
            r.selections.push_back(parse_selection(kv.second));
            for (const auto& alt : r.selections.back().alternatives) {
                for (const auto& t : alt) {
                    for (const auto& g : t.values) {
                        patterns += g.size();
                    }
                }
            }
            if (patterns > k_max_patterns) {
                throw rule_error{"more than " + std::to_string(k_max_patterns) +
                                     " values after modifier expansion",
                                 line_of(kv.second)};
            }
        }
    }
    if (conditions.empty()) {
        throw rule_error{"missing 'detection.condition'", line_of(det)};
    }
    if (conditions.size() == 1) {
        agg = split_v1_aggregation(conditions[0], line_of(det["condition"]));
    }
    cond_node root;
    root.kind = cond_node::op::or_op;
    for (const auto& c : conditions) {
        auto n = parse_condition(c, r.names);
        if (!n) {
            throw rule_error{n.error().message, line_of(det["condition"])};
        }
        root.kids.push_back(std::move(*n));
    }
    r.condition = root.kids.size() == 1 ? std::move(root.kids[0]) : std::move(root);
    return r;
}

int64_t parse_timespan(const std::string& s, uint64_t line) {
    if (s.size() < 2) {
        throw rule_error{"bad timespan '" + s + "'", line};
    }
    int64_t n = 0;
    for (size_t i = 0; i + 1 < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9' || n > 1'000'000'000) {
            throw rule_error{"bad timespan '" + s + "'", line};
        }
        n = n * 10 + (s[i] - '0');
    }
    constexpr int64_t k_s = 1'000'000'000;
    switch (s.back()) {
        case 's':
            return n * k_s;
        case 'm':
            return n * 60 * k_s;
        case 'h':
            return n * 3600 * k_s;
        case 'd':
            return n * 86400 * k_s;
        case 'w':
            return n * 7 * 86400 * k_s;
        default:
            throw rule_error{"bad timespan '" + s + "' (use Ns, Nm, Nh or Nd)", line};
    }
}

correlation_rule parse_correlation(const YAML::Node& doc, rule_meta meta) {
    correlation_rule c;
    c.meta = std::move(meta);
    const YAML::Node n = doc["correlation"];
    if (!n.IsMap()) {
        throw rule_error{"'correlation' must be a map", line_of(n)};
    }
    const std::string type = scalar(n["type"]);
    if (type == "event_count") {
        c.type = correlation_type::event_count;
    } else if (type == "value_count") {
        c.type = correlation_type::value_count;
    } else if (type == "temporal") {
        c.type = correlation_type::temporal;
    } else if (type == "temporal_ordered") {
        c.type = correlation_type::temporal_ordered;
    } else if (type == "value_sum" || type == "value_avg" || type == "value_percentile") {
        throw rule_error{"correlation type '" + type + "' is not supported", line_of(n)};
    } else {
        throw rule_error{"unknown correlation type '" + type + "'", line_of(n)};
    }
    c.rule_names = string_list(n["rules"]);
    if (c.rule_names.empty()) {
        throw rule_error{"correlation needs 'rules'", line_of(n)};
    }
    c.group_by = string_list(n["group-by"]);
    const std::string span = scalar(n["timespan"]);
    if (span.empty()) {
        throw rule_error{"correlation needs 'timespan'", line_of(n)};
    }
    c.timespan_ns = parse_timespan(span, line_of(n["timespan"]));
    if (n["generate"]) {
        c.generate = to_lower(scalar(n["generate"])) == "true";
    } else if (doc["generate"]) {
        c.generate = to_lower(scalar(doc["generate"])) == "true";
    }
    if (const YAML::Node al = n["aliases"]; al && al.IsMap()) {
        for (const auto& a : al) {
            auto& m = c.aliases[scalar(a.first)];
            if (!a.second.IsMap()) {
                throw rule_error{"aliases: expected a map of rule name to field",
                                 line_of(a.second)};
            }
            for (const auto& f : a.second) {
                m[scalar(f.first)] = scalar(f.second);
            }
        }
    }
    const YAML::Node cond = n["condition"];
    if (cond && cond.IsMap()) {
        for (const auto& kv : cond) {
            const std::string op = scalar(kv.first);
            if (op == "field") {
                if (kv.second.IsSequence()) {
                    throw rule_error{"value_count over several fields is not supported",
                                     line_of(kv.second)};
                }
                c.value_field = scalar(kv.second);
                continue;
            }
            compare_op o = compare_op::gte;
            if (op == "gt") {
                o = compare_op::gt;
            } else if (op == "gte") {
                o = compare_op::gte;
            } else if (op == "lt") {
                o = compare_op::lt;
            } else if (op == "lte") {
                o = compare_op::lte;
            } else if (op == "eq") {
                o = compare_op::eq;
            } else if (op == "neq") {
                o = compare_op::neq;
            } else {
                throw rule_error{"unknown correlation condition '" + op + "'", line_of(kv.first)};
            }
            const std::string v = scalar(kv.second);
            char* end = nullptr;
            const double d = std::strtod(v.c_str(), &end);
            if (v.empty() || *end != '\0') {
                throw rule_error{"correlation condition needs a number", line_of(kv.second)};
            }
            c.condition.emplace_back(o, d);
        }
    } else if (cond) {
        throw rule_error{"correlation condition must be a map", line_of(cond)};
    }
    const bool temporal =
        c.type == correlation_type::temporal || c.type == correlation_type::temporal_ordered;
    if (c.condition.empty() && !temporal) {
        throw rule_error{"correlation needs a 'condition'", line_of(n)};
    }
    if (c.type == correlation_type::value_count && c.value_field.empty()) {
        throw rule_error{"value_count needs 'condition.field'", line_of(n)};
    }
    return c;
}

/// The correlation for a converted v1 aggregation; the detection becomes its input.
correlation_rule convert_v1(const YAML::Node& doc, detection_rule& d, const v1_aggregation& a) {
    const YAML::Node tf = doc["detection"]["timeframe"];
    if (!tf || !tf.IsScalar()) {
        throw rule_error{"legacy v1 aggregation without 'timeframe' is not supported", d.meta.line};
    }
    correlation_rule c;
    c.meta = d.meta;
    c.type = a.field.empty() ? correlation_type::event_count : correlation_type::value_count;
    c.value_field = a.field;
    if (!a.group.empty()) {
        c.group_by.push_back(a.group);
    }
    c.timespan_ns = parse_timespan(tf.Scalar(), line_of(tf));
    c.condition.emplace_back(a.op, a.value);
    c.from_v1 = true;
    // The search becomes a named input rule of the correlation.
    d.meta.name = "v1-aggregation-input:" + (d.meta.id.empty() ? d.meta.title : d.meta.id);
    d.meta.id += d.meta.id.empty() ? "" : "/search";
    d.meta.title += " (events)";
    c.rule_names.push_back(d.meta.name);
    c.meta.name.clear();
    return c;
}

void load_document(const YAML::Node& doc, const std::string& origin, loaded_rules& out) {
    const uint64_t line = line_of(doc);
    rejected_rule rej;
    rej.path = origin;
    rej.line = line;
    try {
        if (!doc.IsMap()) {
            throw rule_error{"a rule document must be a map", line};
        }
        rej.id = doc["id"] && doc["id"].IsScalar() ? doc["id"].Scalar() : "";
        rej.title = doc["title"] && doc["title"].IsScalar() ? doc["title"].Scalar() : "";
        if (doc["action"]) {
            throw rule_error{"legacy v1 'action' documents (global/reset/repeat) are not "
                             "supported",
                             line};
        }
        if (doc["filter"]) {
            throw rule_error{"Sigma filter documents are not supported", line};
        }
        rule_meta meta = read_meta(doc, origin, line);
        if (doc["correlation"]) {
            out.correlations.push_back(parse_correlation(doc, std::move(meta)));
        } else {
            std::optional<v1_aggregation> agg;
            detection_rule d = parse_detection(doc, meta, agg);
            if (agg) {
                out.correlations.push_back(convert_v1(doc, d, *agg));
            }
            out.detections.push_back(std::move(d));
        }
    } catch (const rule_error& e) {
        rej.line = e.line != 0 ? e.line : line;
        rej.reason = e.message;
        out.rejected.push_back(std::move(rej));
    } catch (const YAML::Exception& e) {
        rej.line = e.mark.line >= 0 ? static_cast<uint64_t>(e.mark.line) + 1 : line;
        rej.reason = "YAML: " + e.msg;
        out.rejected.push_back(std::move(rej));
    }
}

/// Thrown by event_budget when the parser emits more events than the text can hold.
struct yaml_runaway {};

/// Counts parser events. yaml-cpp 0.7 can loop forever on some malformed input (found by
/// fuzzing); a well-formed document never has more events than a few per input byte.
class event_budget : public YAML::EventHandler {
  public:
    explicit event_budget(size_t limit) : left_(limit) {}
    void OnDocumentStart(const YAML::Mark&) override { spend(); }
    void OnDocumentEnd() override { spend(); }
    void OnNull(const YAML::Mark&, YAML::anchor_t) override { spend(); }
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override { spend(); }
    void
    OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {
        spend();
    }
    void OnSequenceStart(const YAML::Mark&,
                         const std::string&,
                         YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        spend();
    }
    void OnSequenceEnd() override { spend(); }
    void OnMapStart(const YAML::Mark&,
                    const std::string&,
                    YAML::anchor_t,
                    YAML::EmitterStyle::value) override {
        spend();
    }
    void OnMapEnd() override { spend(); }

  private:
    void spend() {
        if (left_-- == 0) {
            throw yaml_runaway{};
        }
    }
    size_t left_;
};

/// Runs the parser once without building nodes; false when it runs away.
bool yaml_terminates(const std::string& text) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    event_budget budget(text.size() * 4 + 1024);
    try {
        while (parser.HandleNextDocument(budget)) {
        }
    } catch (const yaml_runaway&) {
        return false;
    } catch (const YAML::Exception&) {
        return true; // a syntax error: LoadAll reports it with its line
    }
    return true;
}

} // namespace

void load_rules_text(std::string_view text, const std::string& origin, loaded_rules& out) {
    std::vector<YAML::Node> docs;
    const std::string copy(text);
    try {
        if (!yaml_terminates(copy)) {
            out.rejected.push_back(
                {origin, 0, "", "", "YAML: the parser does not terminate on this text"});
            return;
        }
        docs = YAML::LoadAll(copy);
    } catch (const YAML::Exception& e) {
        rejected_rule rej;
        rej.path = origin;
        rej.line = e.mark.line >= 0 ? static_cast<uint64_t>(e.mark.line) + 1 : 0;
        rej.reason = "YAML syntax: " + e.msg;
        out.rejected.push_back(std::move(rej));
        return;
    } catch (const std::exception& e) {
        out.rejected.push_back({origin, 0, "", "", std::string("YAML: ") + e.what()});
        return;
    }
    for (const auto& d : docs) {
        if (d.IsNull()) {
            continue;
        }
        load_document(d, origin, out);
    }
}

status load_rules_path(const std::string& path, loaded_rules& out) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<std::string> files;
    if (fs::is_directory(path, ec)) {
        for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end;
             it.increment(ec)) {
            const auto ext = it->path().extension();
            if (it->is_regular_file(ec) && (ext == ".yml" || ext == ".yaml")) {
                files.push_back(it->path().string());
            }
        }
        if (ec) {
            return error{"cannot read rule directory: " + ec.message(), path, 0, ""};
        }
        std::sort(files.begin(), files.end());
    } else if (fs::exists(path, ec)) {
        files.push_back(path);
    } else {
        return error{"no such rule file or directory", path, 0, ""};
    }
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        if (!in) {
            return error{"cannot open rule file", f, 0, ""};
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        ++out.files;
        load_rules_text(ss.str(), f, out);
    }
    return ok();
}

} // namespace sysgrok::security
