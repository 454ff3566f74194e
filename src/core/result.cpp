#include "core/result.hpp"

namespace sysgrok {

std::string error::to_string() const {
    std::string out;
    if (!path.empty()) {
        out += path;
        if (line > 0) {
            out += ':';
            out += std::to_string(line);
        }
        out += ": ";
    }
    out += message;
    if (!hint.empty()) {
        out += " (";
        out += hint;
        out += ')';
    }
    return out;
}

} // namespace sysgrok
