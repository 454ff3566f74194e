// Built-in format table, --format lookup and format detection.
#include <array>
#include <string>

#include "parse/formats/formats.hpp"
#include "parse/parser.hpp"
#include "parse/scan.hpp"

namespace sysgrok::parse {

namespace {

constexpr std::array k_formats{
    format_descriptor{"json",
                      "JSON lines: generic JSON logs, journalctl -o json, Docker json-file, ECS",
                      &make_json_parser},
    format_descriptor{"rfc5424", "syslog RFC 5424 (<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG)",
                      &make_rfc5424_parser},
    format_descriptor{"rfc3164",
                      "BSD syslog RFC 3164 (Mmm dd hh:mm:ss host prog[pid]: msg), also with "
                      "RFC 3339 timestamps",
                      &make_rfc3164_parser},
    format_descriptor{"cri", "Kubernetes CRI container logs (TIMESTAMP stdout|stderr F|P msg)",
                      &make_cri_parser},
    format_descriptor{"access", "Apache/Nginx access logs, common and combined",
                      &make_access_parser},
    format_descriptor{"logfmt", "logfmt key=value pairs (ts=... level=... msg=\"...\")",
                      &make_logfmt_parser},
    format_descriptor{"generic",
                      "any text line: timestamp in a common form, level word, component, message",
                      &make_generic_parser},
};

/// A detected format must match at least this share of the non-empty sample records.
constexpr double k_min_coverage = 0.5;

} // namespace

std::span<const format_descriptor> builtin_formats() {
    return k_formats;
}

result<std::unique_ptr<parser>> make_parser(std::string_view name) {
    for (const auto& f : k_formats) {
        if (iequals(f.name, name)) {
            return f.create();
        }
    }
    std::string known;
    for (const auto& f : k_formats) {
        if (!known.empty()) {
            known += ", ";
        }
        known += f.name;
    }
    return error{"unknown format '" + std::string(name) + "'", "", 0, "known formats: " + known};
}

std::unique_ptr<parser> detect_format(std::span<const record> sample) {
    size_t nonempty = 0;
    for (const auto& r : sample) {
        if (!trim(r.text).empty()) {
            ++nonempty;
        }
    }
    const format_descriptor* best = nullptr;
    std::unique_ptr<parser> best_parser;
    size_t best_hits = 0;
    uint64_t best_score = 0;
    if (nonempty > 0) {
        for (const auto& f : k_formats) {
            if (f.name == "generic") {
                continue;
            }
            auto p = f.create();
            size_t hits = 0;
            uint64_t score = 0;
            for (const auto& r : sample) {
                if (trim(r.text).empty()) {
                    continue;
                }
                const int s = p->probe(r.text);
                if (s > 0) {
                    ++hits;
                    score += static_cast<uint64_t>(s);
                }
            }
            if (hits > best_hits || (hits == best_hits && hits > 0 && score > best_score)) {
                best = &f;
                best_hits = hits;
                best_score = score;
                best_parser = std::move(p);
            }
        }
    }
    if (best != nullptr &&
        static_cast<double>(best_hits) >= k_min_coverage * static_cast<double>(nonempty)) {
        return best_parser;
    }
    return make_generic_parser();
}

} // namespace sysgrok::parse
