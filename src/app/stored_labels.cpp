// src/app/stored_labels.cpp — labels kept across runs (see stored_labels.hpp).
#include "app/stored_labels.hpp"

#include <vector>

#include "core/hash.hpp"

namespace sysgrok::app {

result<size_t> recall_labels(store::store* db, detect::problem_classifier& cls) {
    if (db == nullptr) {
        return size_t{0};
    }
    auto rows = db->load_labels();
    if (!rows) {
        return rows.error();
    }
    for (const auto& r : *rows) {
        if (r.text.empty()) {
            continue;
        }
        detect::label_book::template_labels t;
        t.text = r.text;
        t.sev = r.level >= 0 && r.level <= 7 ? static_cast<severity>(r.level) : severity::none;
        // rows written without counts still carry their verdict
        t.positive = r.positive + r.negative == 0 ? (r.problem ? 1 : 0) : r.positive;
        t.negative = r.positive + r.negative == 0 ? (r.problem ? 0 : 1) : r.negative;
        cls.labels().remember(t);
    }
    return rows->size();
}

status keep_labels(store::store* db, const detect::problem_classifier& cls) {
    if (db == nullptr || !cls.has_labels()) {
        return ok();
    }
    std::vector<store::label_row> rows;
    for (const auto& t : cls.labels().learned()) {
        store::label_row r;
        r.hash = hash64(t.text);
        r.problem = t.positive > t.negative;
        r.text = t.text;
        r.level = t.sev == severity::none ? -1 : static_cast<int>(t.sev);
        r.positive = t.positive;
        r.negative = t.negative;
        rows.push_back(std::move(r));
    }
    if (rows.empty()) {
        return ok();
    }
    return db->save_labels(rows);
}

} // namespace sysgrok::app
