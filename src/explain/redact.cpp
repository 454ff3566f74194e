// src/explain/redact.cpp — placeholders for sensitive values (RE2 patterns).
#include "explain/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>

#include <re2/re2.h>

namespace sysgrok::explain {

namespace {

struct pattern {
    std::string kind;
    std::unique_ptr<RE2> re;
    int group = 0; ///< submatch that is replaced (0 = whole match)
    /// Extra check of a match (text, begin, end of the replaced part); null = accept.
    std::function<bool(std::string_view, size_t, size_t)> accept;
};

bool is_word(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool random_looking(std::string_view s) {
    const bool digit = std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    const bool alpha = std::any_of(s.begin(), s.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) != 0;
    });
    const auto seps =
        std::count_if(s.begin(), s.end(), [](char c) { return c == '-' || c == '_'; });
    return digit && alpha && seps <= 4;
}

bool ipv6_like(std::string_view text, size_t b, size_t e) {
    const std::string_view s = text.substr(b, e - b);
    if (b > 0 && (is_word(text[b - 1]) || text[b - 1] == ':' || text[b - 1] == '.')) {
        return false;
    }
    if (e < text.size() && (is_word(text[e]) || text[e] == ':')) {
        return false;
    }
    int groups = 0;
    int colons = 0;
    bool in_group = false;
    for (char c : s) {
        if (c == ':') {
            ++colons;
            in_group = false;
        } else if (!in_group) {
            in_group = true;
            ++groups;
        }
    }
    const bool compressed = s.find("::") != std::string_view::npos;
    return (compressed && (groups >= 2 || s == "::1")) || (colons == 7 && groups == 8);
}

bool not_common_word(std::string_view text, size_t b, size_t e) {
    static constexpr std::array<std::string_view, 18> k_words = {
        "unknown", "authentication", "account", "session", "name", "not", "is",
        "the",     "with",           "from",    "for",     "to",   "of",  "and",
        "process", "request",        "logged",  "agent"};
    std::string w(text.substr(b, e - b));
    std::transform(w.begin(), w.end(), w.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find(k_words.begin(), k_words.end(), w) == k_words.end();
}

bool whole_host(std::string_view text, size_t b, size_t e) {
    // "java.io.IOException" and "x.com.example" are names in code, not hosts.
    return !(b > 0 && text[b - 1] == '.') &&
           !(e + 1 < text.size() && text[e] == '.' &&
             std::isalpha(static_cast<unsigned char>(text[e + 1])) != 0);
}

} // namespace

struct redactor::impl {
    std::vector<pattern> patterns;
    std::unique_ptr<RE2> placeholder;
};

result<redaction_config> parse_redaction_spec(std::string_view spec) {
    redaction_config c;
    if (spec == "all" || spec.empty()) {
        return c;
    }
    if (spec == "none") {
        c.enabled = false;
        return c;
    }
    c.ips = c.emails = c.users = c.hosts = c.secrets = false;
    size_t pos = 0;
    while (pos <= spec.size()) {
        const size_t comma = std::min(spec.find(',', pos), spec.size());
        const std::string_view k = spec.substr(pos, comma - pos);
        if (k == "ip") {
            c.ips = true;
        } else if (k == "email") {
            c.emails = true;
        } else if (k == "user") {
            c.users = true;
        } else if (k == "host") {
            c.hosts = true;
        } else if (k == "secret") {
            c.secrets = true;
        } else {
            return error{"unknown redaction kind '" + std::string(k) + "'", "", 0,
                         "use all, none, or a comma list of ip,email,user,host,secret"};
        }
        pos = comma + 1;
    }
    return c;
}

result<std::unique_ptr<redactor>> redactor::create(const redaction_config& config) {
    auto p = std::make_unique<impl>();
    RE2::Options opt;
    opt.set_log_errors(false);
    auto add = [&](std::string kind, const std::string& re, int group,
                   std::function<bool(std::string_view, size_t, size_t)> accept = nullptr) {
        p->patterns.push_back(
            {std::move(kind), std::make_unique<RE2>(re, opt), group, std::move(accept)});
        return p->patterns.back().re->ok();
    };
    if (config.secrets) {
        add("SECRET",
            R"((?i)\b(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|)"
            R"(secret[_-]?key|private[_-]?key|authorization|session[_-]?id|cookie)\s*[=:]\s*"?)"
            R"(([^\s",;&]+))",
            1);
        add("SECRET", R"((?i)\bbearer\s+([A-Za-z0-9._~+/=-]{8,}))", 1);
        add("SECRET", R"(\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,})", 0);
        add("SECRET", R"(\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)", 0);
        add("SECRET", R"(\b[A-Za-z0-9_-]{32,}={0,2})", 0,
            [](std::string_view t, size_t b, size_t e) {
                return random_looking(t.substr(b, e - b));
            });
    }
    if (config.emails) {
        add("EMAIL", R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})", 0);
    }
    if (config.ips) {
        add("IP", R"((?i)(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4})", 0, &ipv6_like);
        add("IP", R"(\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b)", 0);
    }
    if (config.users) {
        add("USER",
            R"(\b(?:for|by) (?:invalid |illegal )?(?:user )?([A-Za-z_][A-Za-z0-9._-]{0,31}) from\b)",
            1);
        add("USER", R"((?i)\b(?:invalid |illegal )?user[= ]"?([A-Za-z_][A-Za-z0-9._-]{0,31}))", 1,
            &not_common_word);
        add("USER",
            R"((?i)\b(?:username|login|logname|ruser|euser|acct|uid)=("?)([A-Za-z_][A-Za-z0-9._-]{0,31}))",
            2);
        add("USER", R"(\b([A-Za-z_][A-Za-z0-9._-]{0,31}) : (?:TTY=|user NOT in sudoers))", 1);
    }
    if (config.hosts) {
        add("HOST",
            R"((?i)\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|local|lan|)"
            R"(internal|corp|intra|home|edu|gov|mil|int|de|uk|fr|nl|eu|us|ca|au|jp|cn|ru|info|)"
            R"(biz|cloud|dev|app)\b)",
            0, &whole_host);
    }
    for (const auto& [name, re] : config.extra) {
        std::string kind;
        for (char c : name) {
            kind.push_back(std::isalnum(static_cast<unsigned char>(c)) != 0
                               ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                               : '_');
        }
        if (kind.empty() || std::isalpha(static_cast<unsigned char>(kind[0])) == 0) {
            kind.insert(0, 1, 'X');
        }
        RE2 probe(re, opt);
        if (!add(kind, re, probe.NumberOfCapturingGroups() > 0 ? 1 : 0)) {
            return error{"redaction pattern '" + name + "' does not compile: " + probe.error(), "",
                         0, "use RE2 syntax"};
        }
    }
    for (const auto& pat : p->patterns) {
        if (!pat.re->ok()) {
            return error{"built-in redaction pattern does not compile: " + pat.re->error(), "", 0,
                         ""};
        }
    }
    p->placeholder = std::make_unique<RE2>(R"(<?\b([A-Z][A-Z0-9_]*_[0-9]+)\b>?)", opt);
    auto r = std::unique_ptr<redactor>(new redactor(std::move(p)));
    r->enabled_ = config.enabled;
    r->terms_enabled_ = config.hosts;
    return r;
}

redactor::redactor(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
redactor::~redactor() = default;

void redactor::add_term(std::string_view kind, std::string_view value) {
    if (!terms_enabled_ || value.size() < 3 || value == "localhost" || value == "-") {
        return;
    }
    for (const auto& [v, k] : terms_) {
        if (v == value) {
            return;
        }
    }
    terms_.emplace_back(std::string(value), std::string(kind));
    // Longest first, so that "db1.example" wins over "db1".
    std::stable_sort(terms_.begin(), terms_.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

std::string redactor::placeholder_for(const std::string& kind, std::string_view value) {
    const std::string key = kind + '\x1f' + std::string(value);
    if (auto it = by_value_.find(key); it != by_value_.end()) {
        return it->second;
    }
    std::string ph = "<" + kind + "_" + std::to_string(++next_[kind]) + ">";
    by_value_.emplace(key, ph);
    values_.emplace(ph.substr(1, ph.size() - 2), std::string(value));
    return ph;
}

std::string redactor::redact(std::string_view input) {
    if (!enabled_) {
        return std::string(input);
    }
    std::string text(input);
    // Known terms (host names from the events), as whole words.
    for (const auto& [value, kind] : terms_) {
        std::string out;
        size_t pos = 0;
        size_t hit = 0;
        while ((hit = text.find(value, pos)) != std::string::npos) {
            const size_t end = hit + value.size();
            const bool bounded = (hit == 0 || !is_word(text[hit - 1])) &&
                                 (end >= text.size() || !is_word(text[end]));
            out.append(text, pos, hit - pos);
            out += bounded ? placeholder_for(kind, value) : value;
            pos = end;
        }
        out.append(text, pos, std::string::npos);
        text = std::move(out);
    }
    for (const auto& pat : impl_->patterns) {
        const int groups = pat.re->NumberOfCapturingGroups();
        std::vector<re2::StringPiece> sub(static_cast<size_t>(groups) + 1);
        std::string out;
        size_t pos = 0;
        size_t copied = 0;
        while (pos <= text.size() && pat.re->Match(text, pos, text.size(), RE2::UNANCHORED,
                                                   sub.data(), static_cast<int>(sub.size()))) {
            const re2::StringPiece whole = sub[0];
            const re2::StringPiece part = sub[static_cast<size_t>(pat.group)];
            const auto wb = static_cast<size_t>(whole.data() - text.data());
            const size_t we = wb + whole.size();
            if (part.data() != nullptr && !part.empty()) {
                const auto pb = static_cast<size_t>(part.data() - text.data());
                const size_t pe = pb + part.size();
                if (!pat.accept || pat.accept(text, pb, pe)) {
                    out.append(text, copied, pb - copied);
                    out += placeholder_for(pat.kind, std::string_view(text).substr(pb, pe - pb));
                    copied = pe;
                }
            }
            pos = we > wb ? we : wb + 1;
        }
        if (copied > 0) {
            out.append(text, copied, std::string::npos);
            text = std::move(out);
        }
    }
    return text;
}

std::string redactor::restore(std::string_view input) const {
    if (values_.empty()) {
        return std::string(input);
    }
    std::string out;
    re2::StringPiece in(input.data(), input.size());
    re2::StringPiece sub[2];
    size_t pos = 0;
    size_t copied = 0;
    while (pos < input.size() &&
           impl_->placeholder->Match(in, pos, input.size(), RE2::UNANCHORED, sub, 2)) {
        const auto wb = static_cast<size_t>(sub[0].data() - input.data());
        const size_t we = wb + sub[0].size();
        if (auto it = values_.find(std::string(sub[1].data(), sub[1].size()));
            it != values_.end()) {
            out.append(input.data() + copied, wb - copied);
            out += it->second;
            copied = we;
        }
        pos = we > wb ? we : wb + 1;
    }
    out.append(input.data() + copied, input.size() - copied);
    return out;
}

} // namespace sysgrok::explain
