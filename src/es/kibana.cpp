// src/es/kibana.cpp — saved objects (data views, Lens, dashboard) as NDJSON.
#include "es/kibana.hpp"

#include <vector>

#include <nlohmann/json.hpp>

namespace sysgrok::es {

namespace {

using nlohmann::json;

constexpr const char* k_core_version = "8.8.0";

json saved_object(const std::string& id,
                  const std::string& type,
                  const std::string& type_version,
                  json attributes,
                  json references) {
    return json{{"id", id},
                {"type", type},
                {"attributes", std::move(attributes)},
                {"references", std::move(references)},
                {"coreMigrationVersion", k_core_version},
                {"typeMigrationVersion", type_version},
                {"managed", false}};
}

json data_view(const std::string& id, const std::string& title, const std::string& name) {
    return saved_object(id, "index-pattern", "8.0.0",
                        json{{"title", title},
                             {"name", name},
                             {"timeFieldName", "@timestamp"},
                             {"allowNoIndex", true},
                             {"fieldFormatMap", "{}"},
                             {"runtimeFieldMap", "{}"},
                             {"sourceFilters", "[]"}},
                        json::array());
}

json count_column() {
    return json{
        {"label", "Count of records"},      {"dataType", "number"}, {"operationType", "count"},
        {"sourceField", "___records___"},   {"isBucketed", false},  {"scale", "ratio"},
        {"params", {{"emptyAsNull", true}}}};
}

json time_column() {
    return json{
        {"label", "@timestamp"},
        {"dataType", "date"},
        {"operationType", "date_histogram"},
        {"sourceField", "@timestamp"},
        {"isBucketed", true},
        {"scale", "interval"},
        {"params", {{"interval", "auto"}, {"includeEmptyRows", true}, {"dropPartials", false}}}};
}

json terms_column(const std::string& label, const std::string& field, int size) {
    return json{{"label", label},
                {"dataType", "string"},
                {"operationType", "terms"},
                {"sourceField", field},
                {"isBucketed", true},
                {"scale", "ordinal"},
                {"params",
                 {{"size", size},
                  {"orderBy", {{"type", "column"}, {"columnId", "count"}}},
                  {"orderDirection", "desc"},
                  {"otherBucket", false},
                  {"missingBucket", false},
                  {"parentFormat", {{"id", "terms"}}}}}};
}

/// A Lens XY chart with one layer: x = `x`, y = count, optional split by `split`.
json lens_xy(const std::string& id,
             const std::string& title,
             const std::string& view_id,
             const std::string& series,
             json x,
             json split) {
    json columns = json::object();
    json order = json::array();
    json layer_vis = {{"layerId", "layer1"},
                      {"layerType", "data"},
                      {"seriesType", series},
                      {"xAccessor", "x"},
                      {"accessors", json::array({"count"})}};
    if (!split.is_null()) {
        columns["split"] = std::move(split);
        order.push_back("split");
        layer_vis["splitAccessor"] = "split";
    }
    columns["x"] = std::move(x);
    columns["count"] = count_column();
    order.push_back("x");
    order.push_back("count");
    json state = {{"datasourceStates",
                   {{"formBased",
                     {{"layers",
                       {{"layer1",
                         {{"columns", columns},
                          {"columnOrder", order},
                          {"incompleteColumns", json::object()}}}}}}}}},
                  {"visualization",
                   {{"legend", {{"isVisible", true}, {"position", "right"}}},
                    {"valueLabels", "hide"},
                    {"preferredSeriesType", series},
                    {"layers", json::array({layer_vis})}}},
                  {"query", {{"query", ""}, {"language", "kuery"}}},
                  {"filters", json::array()}};
    return saved_object(id, "lens", "8.6.0",
                        json{{"title", title},
                             {"description", ""},
                             {"visualizationType", "lnsXY"},
                             {"state", state}},
                        json::array({json{{"type", "index-pattern"},
                                          {"id", view_id},
                                          {"name", "indexpattern-datasource-layer-layer1"}}}));
}

} // namespace

std::string kibana_saved_objects(const kibana_options& opts) {
    const std::string findings_view = "sysgrok-findings";
    const std::string events_view = "sysgrok-events";
    std::vector<json> objects;
    objects.push_back(
        data_view(findings_view, "logs-sysgrok.findings-" + opts.ns, "sysgrok findings"));
    objects.push_back(data_view(events_view, "logs-sysgrok.events-" + opts.ns, "sysgrok events"));

    struct panel {
        std::string id;
        int x, y, w, h;
    };
    const std::vector<panel> panels = {
        {"sysgrok-findings-over-time", 0, 0, 24, 15},
        {"sysgrok-top-rules", 24, 0, 24, 15},
        {"sysgrok-event-volume", 0, 15, 24, 15},
        {"sysgrok-top-templates", 24, 15, 24, 15},
    };
    objects.push_back(lens_xy(panels[0].id, "Findings over time by severity", findings_view,
                              "bar_stacked", time_column(),
                              terms_column("Severity", "sysgrok.severity_label", 4)));
    objects.push_back(lens_xy(panels[1].id, "Top rules", findings_view, "bar_horizontal",
                              terms_column("Rule", "rule.name", 10), nullptr));
    objects.push_back(lens_xy(panels[2].id, "Event volume by level", events_view, "bar_stacked",
                              time_column(), terms_column("Level", "log.level", 8)));
    objects.push_back(lens_xy(panels[3].id, "Top templates", events_view, "bar_horizontal",
                              terms_column("Template", "sysgrok.template", 15), nullptr));

    json panels_json = json::array();
    json refs = json::array();
    for (size_t i = 0; i < panels.size(); ++i) {
        const std::string pi = "p" + std::to_string(i + 1);
        const auto& p = panels[i];
        panels_json.push_back(
            {{"type", "lens"},
             {"panelIndex", pi},
             {"gridData", {{"x", p.x}, {"y", p.y}, {"w", p.w}, {"h", p.h}, {"i", pi}}},
             {"embeddableConfig", {{"enhancements", json::object()}}},
             {"panelRefName", "panel_" + pi}});
        const std::string ref_name = pi + ":panel_";
        refs.push_back({{"name", ref_name + pi}, {"type", "lens"}, {"id", p.id}});
    }
    const json search_source = {{"query", {{"query", ""}, {"language", "kuery"}}},
                                {"filter", json::array()}};
    objects.push_back(saved_object(
        "sysgrok-overview", "dashboard", "8.7.0",
        json{{"title", opts.title},
             {"description", "Findings and events that sysgrok sent with --es"},
             {"panelsJSON", panels_json.dump()},
             {"optionsJSON",
              json{{"useMargins", true}, {"syncColors", false}, {"hidePanelTitles", false}}.dump()},
             {"timeRestore", false},
             {"version", 1},
             {"kibanaSavedObjectMeta", {{"searchSourceJSON", search_source.dump()}}}},
        refs));

    std::string out;
    for (const auto& o : objects) {
        out += o.dump();
        out += '\n';
    }
    out += json{{"excludedObjects", json::array()},
                {"excludedObjectsCount", 0},
                {"exportedCount", objects.size()},
                {"missingRefCount", 0},
                {"missingReferences", json::array()}}
               .dump();
    out += '\n';
    return out;
}

} // namespace sysgrok::es
