#include "source/input_set.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include <fnmatch.h>
#include <glob.h>

namespace sysgrok {

namespace fs = std::filesystem;

namespace {

bool has_glob_chars(const std::string& s) {
    return s.find_first_of("*?[{") != std::string::npos;
}

/// Regular files below `dir`, sorted; unreadable sub-directories are reported and skipped.
void walk(const fs::path& dir, std::vector<std::string>& out, diagnostics& diag) {
    std::error_code ec;
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        diag.report(issue_kind::unreadable, dir.string(), 0,
                    "cannot read directory: " + ec.message() + " (check its permissions)");
        return;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) {
            diag.report(issue_kind::unreadable, dir.string(), 0,
                        "error while reading directory: " + ec.message());
            break;
        }
        std::error_code fec;
        if (it->is_regular_file(fec)) {
            found.push_back(it->path().string());
        }
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
}

void expand_recursive_glob(const std::string& pattern,
                           std::vector<std::string>& out,
                           diagnostics& diag) {
    // Walk the longest literal directory prefix and match whole paths; without
    // FNM_PATHNAME, '*' also matches '/', which gives '**' its any-depth meaning.
    const size_t star = pattern.find_first_of("*?[{");
    const size_t slash = pattern.rfind('/', star);
    const std::string base = slash == std::string::npos ? "." : pattern.substr(0, slash + 1);
    std::vector<std::string> all;
    walk(base, all, diag);
    for (auto& p : all) {
        std::string candidate = p;
        if (slash == std::string::npos && candidate.rfind("./", 0) == 0) {
            candidate = candidate.substr(2);
        }
        if (::fnmatch(pattern.c_str(), candidate.c_str(), 0) == 0) {
            out.push_back(candidate);
        }
    }
}

} // namespace

std::vector<std::string> expand_inputs(const std::vector<std::string>& args, diagnostics& diag) {
    std::vector<std::string> out;
    for (const auto& arg : args) {
        const size_t before = out.size();
        std::error_code ec;
        if (arg == "-") {
            out.push_back(arg);
        } else if (fs::is_directory(arg, ec)) {
            walk(arg, out, diag);
            if (out.size() == before) {
                diag.report(issue_kind::no_input, arg, 0, "directory holds no files");
            }
        } else if (fs::exists(arg, ec) || !has_glob_chars(arg)) {
            out.push_back(arg); // a missing plain path is reported when it is opened
        } else if (arg.find("**") != std::string::npos) {
            expand_recursive_glob(arg, out, diag);
        } else {
            glob_t g{};
            const int rc = ::glob(arg.c_str(), GLOB_BRACE | GLOB_TILDE, nullptr, &g);
            if (rc == 0) {
                for (size_t i = 0; i < g.gl_pathc; ++i) {
                    std::error_code dec;
                    if (fs::is_directory(g.gl_pathv[i], dec)) {
                        walk(g.gl_pathv[i], out, diag);
                    } else {
                        out.emplace_back(g.gl_pathv[i]);
                    }
                }
            }
            ::globfree(&g);
        }
        if (out.size() == before && has_glob_chars(arg) && !fs::exists(arg, ec)) {
            diag.report(issue_kind::no_input, arg, 0,
                        "pattern matches no file (check the pattern and quoting)");
        }
    }
    // De-duplicate, keeping the first occurrence.
    std::set<std::string> seen;
    std::vector<std::string> unique;
    for (auto& p : out) {
        if (seen.insert(p).second) {
            unique.push_back(std::move(p));
        }
    }
    return unique;
}

} // namespace sysgrok
