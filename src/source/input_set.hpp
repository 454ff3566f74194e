// src/source/input_set.hpp — turning command-line arguments into a list of inputs.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.hpp"

namespace sysgrok {

/// Expands files, directories (recursively), globs (`*`, `?`, `[...]`, `{a,b}`, and `**`
/// for any depth) and "-" (stdin) into a sorted, de-duplicated list of paths, in
/// argument order. Arguments that match nothing are reported to `diag` (no_input).
std::vector<std::string> expand_inputs(const std::vector<std::string>& args, diagnostics& diag);

} // namespace sysgrok
