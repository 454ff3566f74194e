// src/app/stored_labels.hpp — `--labels` learning kept in the store for later runs: what a
// run's labels taught per template (template text -> problem or noise) is saved at the end,
// and a later run with the same --store starts from it, with or without a labels file.
#pragma once

#include "core/result.hpp"
#include "detect/problem_classifier.hpp"
#include "store/store.hpp"

namespace sysgrok::app {

/// Teaches `cls` the labels kept in `db` (nothing when `db` is null). Returns how many.
result<size_t> recall_labels(store::store* db, detect::problem_classifier& cls);

/// Saves what `cls` learned per template into `db` (nothing when `db` is null).
status keep_labels(store::store* db, const detect::problem_classifier& cls);

} // namespace sysgrok::app
