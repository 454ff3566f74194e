#include "core/severity.hpp"

#include <array>
#include <cctype>

namespace sysgrok {

std::string_view severity_name(severity s) {
    switch (s) {
        case severity::emergency:
            return "emerg";
        case severity::alert:
            return "alert";
        case severity::critical:
            return "crit";
        case severity::error:
            return "err";
        case severity::warning:
            return "warning";
        case severity::notice:
            return "notice";
        case severity::info:
            return "info";
        case severity::debug:
            return "debug";
        case severity::none:
            break;
    }
    return "";
}

namespace {

struct level_word {
    std::string_view word; // upper case
    severity sev;
};

constexpr std::array k_level_words{
    level_word{"EMERG", severity::emergency},    level_word{"EMERGENCY", severity::emergency},
    level_word{"PANIC", severity::emergency},    level_word{"ALERT", severity::alert},
    level_word{"FATAL", severity::critical},     level_word{"CRIT", severity::critical},
    level_word{"CRITICAL", severity::critical},  level_word{"SEVERE", severity::error},
    level_word{"ERROR", severity::error},        level_word{"ERR", severity::error},
    level_word{"FAILURE", severity::error},      level_word{"WARN", severity::warning},
    level_word{"WARNING", severity::warning},    level_word{"NOTICE", severity::notice},
    level_word{"INFO", severity::info},          level_word{"INFORMATION", severity::info},
    level_word{"INFORMATIONAL", severity::info}, level_word{"DEBUG", severity::debug},
    level_word{"TRACE", severity::debug},        level_word{"FINE", severity::debug},
    level_word{"FINER", severity::debug},        level_word{"FINEST", severity::debug},
    level_word{"VERBOSE", severity::debug},      level_word{"DBG", severity::debug},
    level_word{"WRN", severity::warning},        level_word{"INF", severity::info},
    level_word{"EROR", severity::error},         level_word{"CONFIG", severity::info},
};

} // namespace

std::optional<severity> severity_from_word(std::string_view word, bool allow_letter) {
    if (word.empty() || word.size() > 13) {
        return std::nullopt;
    }
    std::array<char, 16> up{};
    for (size_t i = 0; i < word.size(); ++i) {
        up[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[i])));
    }
    const std::string_view u(up.data(), word.size());
    if (u.size() == 1) {
        if (!allow_letter) {
            return std::nullopt;
        }
        switch (u[0]) {
            case 'V':
            case 'D':
            case 'T':
                return severity::debug;
            case 'I':
                return severity::info;
            case 'N':
                return severity::notice;
            case 'W':
                return severity::warning;
            case 'E':
                return severity::error;
            case 'F':
            case 'C':
                return severity::critical;
            case 'A':
                return severity::alert;
            default:
                return std::nullopt;
        }
    }
    for (const auto& lw : k_level_words) {
        if (lw.word == u) {
            return lw.sev;
        }
    }
    return std::nullopt;
}

} // namespace sysgrok
