#include "app/rules_dir.hpp"

#include <filesystem>
#include <system_error>

namespace sysgrok::app {

std::string builtin_rules_dir() {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (const fs::path& p :
             {exe.parent_path().parent_path() / "rules", exe.parent_path() / "rules"}) {
            if (fs::is_directory(p / "linux", ec) || fs::is_directory(p / "web", ec)) {
                return p.string();
            }
        }
    }
    return std::string(SYSGROK_SOURCE_DIR) + "/rules";
}

} // namespace sysgrok::app
