// src/app/rules_dir.hpp — where the built-in Sigma rule pack (rules/) lives.
#pragma once

#include <string>

namespace sysgrok::app {

/// `<exe dir>/../rules` (build tree), `<exe dir>/rules`, else the source tree's rules/.
std::string builtin_rules_dir();

} // namespace sysgrok::app
