// src/app/exit_codes.hpp — process exit statuses, documented in --help.
#pragma once

namespace sysgrok::app {

constexpr int k_exit_ok = 0;            ///< everything was read
constexpr int k_exit_error = 1;         ///< the command failed (bad option, no input, write error)
constexpr int k_exit_usage = 2;         ///< command-line syntax error (CLI11)
constexpr int k_exit_input_skipped = 3; ///< finished, but some input was skipped or cut

constexpr const char* k_exit_help =
    "Exit status: 0 all input read; 1 error; 2 usage error; 3 finished but some input was\n"
    "skipped or cut (unreadable or binary files, corrupt .gz/.zst, over-long lines).";

} // namespace sysgrok::app
