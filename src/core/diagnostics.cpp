#include "core/diagnostics.hpp"

#include <algorithm>

namespace sysgrok {

std::string_view issue_kind_name(issue_kind k) {
    switch (k) {
        case issue_kind::unreadable:
            return "unreadable";
        case issue_kind::binary_file:
            return "binary_file";
        case issue_kind::corrupt_stream:
            return "corrupt_stream";
        case issue_kind::truncated_line:
            return "truncated_line";
        case issue_kind::invalid_utf8:
            return "invalid_utf8";
        case issue_kind::nul_bytes:
            return "nul_bytes";
        case issue_kind::no_input:
            return "no_input";
        case issue_kind::empty_input:
            return "empty_input";
        case issue_kind::count_:
            break;
    }
    return "unknown";
}

bool issue_loses_data(issue_kind k) {
    switch (k) {
        case issue_kind::unreadable:
        case issue_kind::binary_file:
        case issue_kind::corrupt_stream:
        case issue_kind::truncated_line:
        case issue_kind::no_input:
            return true;
        default:
            return false;
    }
}

void diagnostics::report(issue_kind kind,
                         std::string_view path,
                         uint64_t line,
                         std::string message) {
    std::lock_guard<std::mutex> lock(mu_);
    counts_[static_cast<size_t>(kind)]++;
    const bool seen = std::any_of(examples_.begin(), examples_.end(), [&](const diagnostic& d) {
        return d.kind == kind && d.path == path;
    });
    if (seen || examples_.size() >= 1000) {
        return;
    }
    if (echo_ != nullptr) {
        std::string text = "sysgrok: ";
        if (!path.empty()) {
            text += path;
            if (line > 0) {
                text += ':' + std::to_string(line);
            }
            text += ": ";
        }
        text += message;
        text += '\n';
        std::fputs(text.c_str(), echo_);
    }
    examples_.push_back(diagnostic{kind, std::string(path), line, std::move(message)});
}

void diagnostics::count(issue_kind kind, uint64_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    counts_[static_cast<size_t>(kind)] += n;
}

uint64_t diagnostics::count_of(issue_kind k) const {
    std::lock_guard<std::mutex> lock(mu_);
    return counts_[static_cast<size_t>(k)];
}

bool diagnostics::any_data_lost() const {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < k_issue_kinds; ++i) {
        if (counts_[i] > 0 && issue_loses_data(static_cast<issue_kind>(i))) {
            return true;
        }
    }
    return false;
}

std::vector<diagnostic> diagnostics::examples() const {
    std::lock_guard<std::mutex> lock(mu_);
    return examples_;
}

} // namespace sysgrok
