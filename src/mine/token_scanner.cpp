// src/mine/token_scanner.cpp — tokenising and variable recognition.
#include "mine/token_scanner.hpp"

#include <array>
#include <cstring>

#include "core/hash.hpp"

namespace sysgrok::mine {

namespace {

using chars::is_alnum;
using chars::is_alpha;
using chars::is_digit;
using chars::is_space;

/// Characters that separate the parts of a token; they are always kept verbatim.
constexpr std::array<bool, 256> make_strong() {
    std::array<bool, 256> t{};
    for (char c : std::string_view("=:,;()[]{}<>@\"'|#")) {
        t[static_cast<unsigned char>(c)] = true;
    }
    return t;
}
constexpr auto k_strong = make_strong();

bool is_strong(char c) { return k_strong[static_cast<unsigned char>(c)]; }

bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

char lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

bool is_boolean_word(std::string_view s) {
    return iequals(s, "true") || iequals(s, "false") || iequals(s, "null");
}

/// Size units that follow a number as a separate token ("5.2 KB").
bool is_size_unit(std::string_view s) {
    static constexpr std::array<std::string_view, 14> k_units = {
        "B", "KB", "MB", "GB", "TB", "PB", "kB", "KiB", "MiB", "GiB", "TiB", "K", "M", "G"};
    for (auto u : k_units) {
        if (s == u) {
            return true;
        }
    }
    return false;
}

/// A plain decimal number: [+-]digits[.digits].
bool is_plain_number(std::string_view s) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
        ++i;
    }
    size_t digits = 0;
    bool dot = false;
    for (; i < s.size(); ++i) {
        if (is_digit(s[i])) {
            ++digits;
        } else if (s[i] == '.' && !dot && digits > 0) {
            dot = true;
        } else {
            return false;
        }
    }
    return digits > 0 && s.back() != '.';
}

/// Dotted host name whose last label is a top-level domain ("proxy.cse.cuhk.edu.hk").
bool is_hostname(std::string_view s) {
    size_t dots = 0;
    size_t label = 0;
    for (char c : s) {
        if (c == '.') {
            if (label == 0) {
                return false;
            }
            ++dots;
            label = 0;
        } else if (is_alnum(c) || c == '-' || c == '_') {
            ++label;
        } else {
            return false;
        }
    }
    if (dots < 2 || label < 2) {
        return false;
    }
    std::string_view tld = s.substr(s.size() - label);
    for (char c : tld) {
        if (!(c >= 'a' && c <= 'z')) {
            return false;
        }
    }
    if (tld.size() == 2) {
        return true;  // country code
    }
    static constexpr std::array<std::string_view, 14> k_generic = {
        "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "local", "lan",
        "internal", "corp", "arpa"};
    for (auto g : k_generic) {
        if (tld == g) {
            return true;
        }
    }
    return false;
}

/// 8-4-4-4-12 hex digits.
bool is_uuid(std::string_view s) {
    if (s.size() != 36) {
        return false;
    }
    for (size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) {
            return false;
        }
    }
    return true;
}

/// IPv6 addresses and MAC-like colon-separated hex groups.
bool is_colon_hex(std::string_view s) {
    size_t colons = 0;
    size_t groups = 0;
    size_t group = 0;
    bool long_group = false;
    bool double_colon = false;
    bool has_hex_letter_or_digit = false;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == ':') {
            if (i > 0 && s[i - 1] == ':') {
                double_colon = true;
            }
            ++colons;
            if (group > 0) {
                ++groups;
            }
            group = 0;
        } else if (is_hex(c)) {
            has_hex_letter_or_digit = true;
            ++group;
            if (group > 4) {
                return false;
            }
            if (group >= 3) {
                long_group = true;
            }
        } else if (c == '.') {
            // embedded IPv4 tail ("::ffff:10.0.0.1"): accept digits and dots only
            if (!double_colon && groups < 5) {
                return false;
            }
            for (size_t j = i; j < s.size(); ++j) {
                if (!is_digit(s[j]) && s[j] != '.') {
                    return false;
                }
            }
            return true;
        } else {
            return false;
        }
    }
    if (group > 0) {
        ++groups;
    }
    if (!has_hex_letter_or_digit || colons < 2) {
        return false;
    }
    return double_colon || groups >= 5 || (long_group && groups >= 3);
}

/// "2016-09-28T04:30:31.123Z", "2016-09-28 04:30" (a single token with 'T'), "2016-09-28".
bool is_iso_datetime(std::string_view s) {
    auto digits = [&](size_t at, size_t n) {
        if (at + n > s.size()) {
            return false;
        }
        for (size_t i = at; i < at + n; ++i) {
            if (!is_digit(s[i])) {
                return false;
            }
        }
        return true;
    };
    if (!digits(0, 4) || s.size() < 10 || s[4] != '-' || !digits(5, 2) || s[7] != '-' ||
        !digits(8, 2)) {
        return false;
    }
    if (s.size() == 10) {
        return true;
    }
    if (s[10] != 'T' || !digits(11, 2) || s.size() < 16 || s[13] != ':' || !digits(14, 2)) {
        return false;
    }
    for (size_t i = 16; i < s.size(); ++i) {
        char c = s[i];
        if (!is_digit(c) && c != ':' && c != '.' && c != ',' && c != 'Z' && c != '+' &&
            c != '-') {
            return false;
        }
    }
    return true;
}

/// local@domain.tld
bool is_email(std::string_view s) {
    size_t at = s.find('@');
    if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    for (size_t i = 0; i < at; ++i) {
        char c = s[i];
        if (!is_alnum(c) && c != '.' && c != '_' && c != '%' && c != '+' && c != '-') {
            return false;
        }
    }
    std::string_view domain = s.substr(at + 1);
    size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) {
        return false;
    }
    for (char c : domain) {
        if (!is_alnum(c) && c != '.' && c != '-') {
            return false;
        }
    }
    for (size_t i = dot + 1; i < domain.size(); ++i) {
        if (!is_alpha(domain[i])) {
            return false;
        }
    }
    return true;
}

constexpr std::string_view k_open_wrap = "([{<\"'";
constexpr std::string_view k_close_wrap = ")]}>\"',;.:!?";

}  // namespace

void token_scanner::emit_literal(uint32_t begin, uint32_t end) {
    masked_.append(message_.data() + begin, end - begin);
}

void token_scanner::emit_var(uint32_t begin, uint32_t end) {
    if (end <= begin) {
        return;
    }
    masked_.append(k_wildcard);
    params_.push_back({begin, end});
}

void token_scanner::mask_piece(uint32_t begin, uint32_t end, bool is_value) {
    if (end <= begin) {
        return;
    }
    std::string_view p = message_.substr(begin, end - begin);
    size_t digits = 0;
    size_t alphas = 0;
    for (char c : p) {
        digits += is_digit(c) ? 1U : 0U;
        alphas += is_alpha(c) ? 1U : 0U;
    }
    if (digits == 0) {
        if (opts_.mask_booleans && is_boolean_word(p)) {
            emit_var(begin, end);
        } else if (opts_.mask_hostnames && alphas > 0 && is_hostname(p)) {
            emit_var(begin, end);
        } else {
            emit_literal(begin, end);
        }
        return;
    }
    // Trailing dots after a variable stay literal ("port 55904.").
    uint32_t vend = end;
    while (vend > begin + 1 && message_[vend - 1] == '.') {
        --vend;
    }
    std::string_view v = message_.substr(begin, vend - begin);
    bool starts_numeric = is_digit(v[0]) ||
                          ((v[0] == '-' || v[0] == '+' || v[0] == '.') && v.size() > 1 &&
                           is_digit(v[1]));
    if (is_value || starts_numeric) {
        emit_var(begin, vend);
        emit_literal(vend, end);
        return;
    }
    // WORD-rest: "node-69", "MININT-FNANLI5" keep the word; "msra-sa-41" does not.
    size_t alpha_run = 0;
    while (alpha_run < v.size() && is_alpha(v[alpha_run])) {
        ++alpha_run;
    }
    if (alpha_run >= 2 && alpha_run + 1 < v.size()) {
        char sep = v[alpha_run];
        std::string_view rest = v.substr(alpha_run + 1);
        bool rest_digit = false;
        bool rest_all_digits = true;
        for (char c : rest) {
            rest_digit |= is_digit(c);
            rest_all_digits &= is_digit(c);
        }
        if (sep == '-' && rest_digit &&
            (is_digit(rest[0]) || rest.find('-') == std::string_view::npos)) {
            emit_literal(begin, begin + static_cast<uint32_t>(alpha_run + 1));
            emit_var(begin + static_cast<uint32_t>(alpha_run + 1), vend);
            emit_literal(vend, end);
            return;
        }
        if (sep == '.' && rest_all_digits) {
            emit_literal(begin, begin + static_cast<uint32_t>(alpha_run + 1));
            emit_var(begin + static_cast<uint32_t>(alpha_run + 1), vend);
            emit_literal(vend, end);
            return;
        }
    }
    // Names with a short numeric suffix are usually constants: ssh2, eth0, L3, Slf4jLogger.
    if (is_alpha(v[0]) && digits <= 2) {
        bool ident = true;
        bool all_hex = true;
        for (char c : v) {
            ident &= is_alnum(c);
            all_hex &= is_hex(c);
        }
        if (ident && !(all_hex && v.size() >= 6)) {
            emit_literal(begin, end);
            return;
        }
    }
    if (opts_.mask_hostnames && is_hostname(v)) {
        emit_var(begin, vend);
        emit_literal(vend, end);
        return;
    }
    emit_var(begin, vend);
    emit_literal(vend, end);
}

void token_scanner::mask_segment(uint32_t begin, uint32_t end, bool is_value) {
    if (end <= begin) {
        return;
    }
    std::string_view s = message_.substr(begin, end - begin);
    if (is_uuid(s) || is_iso_datetime(s)) {
        emit_var(begin, end);
        return;
    }
    size_t slash = s.find('/');
    if (slash == std::string_view::npos) {
        mask_piece(begin, end, is_value);
        return;
    }
    // Paths: "/var/log", "./x", "~/x", "../x"; a single "/10.0.0.1" is an address.
    bool rooted = s[0] == '/' && s.size() > 1;
    bool relative = s.starts_with("./") || s.starts_with("../") || s.starts_with("~/");
    if (relative || (rooted && !is_digit(s[1])) ||
        (rooted && s.find('/', 1) != std::string_view::npos)) {
        emit_var(begin, end);
        return;
    }
    if (rooted) {
        // "/10.251.42.84": the slash belongs to the address.
        size_t mark = masked_.size();
        size_t pmark = params_.size();
        mask_piece(begin + 1, end, is_value);
        if (params_.size() == pmark + 1 && masked_.size() == mark + k_wildcard.size() &&
            params_.back().begin == begin + 1 && params_.back().end == end) {
            params_.back().begin = begin;
            return;
        }
        masked_.resize(mark);
        params_.resize(pmark);
    }
    uint32_t i = begin;
    while (i < end) {
        uint32_t j = i;
        while (j < end && message_[j] != '/') {
            ++j;
        }
        mask_piece(i, j, is_value);
        if (j < end) {
            emit_literal(j, j + 1);
            ++j;
        }
        i = j;
    }
}

void token_scanner::mask_token(uint32_t begin, uint32_t end) {
    std::string_view tok = message_.substr(begin, end - begin);
    // Fast path: a plain word.
    bool has_digit = false;
    bool all_alpha = true;
    for (char c : tok) {
        has_digit |= is_digit(c);
        all_alpha &= is_alpha(c);
    }
    if (all_alpha) {
        if (opts_.mask_booleans && is_boolean_word(tok)) {
            emit_var(begin, end);
        } else {
            emit_literal(begin, end);
        }
        return;
    }
    // Whole-token shapes, looked at without wrapping punctuation.
    uint32_t cb = begin;
    uint32_t ce = end;
    while (cb < ce && k_open_wrap.find(message_[cb]) != std::string_view::npos) {
        ++cb;
    }
    while (ce > cb && k_close_wrap.find(message_[ce - 1]) != std::string_view::npos) {
        --ce;
    }
    std::string_view core = message_.substr(cb, ce - cb);
    if (!core.empty()) {
        size_t sep = core.find("://");
        if (sep != std::string_view::npos && sep > 0) {
            bool scheme_ok = true;
            for (size_t i = 0; i < sep; ++i) {
                char c = core[i];
                scheme_ok &= is_alnum(c) || c == '+' || c == '.' || c == '-';
            }
            if (scheme_ok) {
                auto rest_b = static_cast<uint32_t>(cb + sep + 3);
                emit_literal(begin, rest_b);
                std::string_view rest = message_.substr(rest_b, ce - rest_b);
                size_t colon = rest.find(':');
                if (rest.find_first_of("/@?") == std::string_view::npos &&
                    colon != std::string_view::npos && rest.find(':', colon + 1) == rest.npos) {
                    emit_var(rest_b, rest_b + static_cast<uint32_t>(colon));
                    emit_literal(rest_b + static_cast<uint32_t>(colon),
                                 rest_b + static_cast<uint32_t>(colon) + 1);
                    emit_var(rest_b + static_cast<uint32_t>(colon) + 1, ce);
                } else {
                    emit_var(rest_b, ce);
                }
                emit_literal(ce, end);
                return;
            }
        }
        bool win_path = core.size() > 3 && is_alpha(core[0]) && core[1] == ':' &&
                        (core[2] == '\\' || core[2] == '/');
        if (win_path || is_email(core) || (has_digit && (is_colon_hex(core) ||
                                                         is_iso_datetime(core)))) {
            emit_literal(begin, cb);
            emit_var(cb, ce);
            emit_literal(ce, end);
            return;
        }
    }
    // Split on the strong delimiters; a part right after '=' or ':' is a value.
    char last_delim = 0;
    uint32_t i = begin;
    while (i < end) {
        char c = message_[i];
        if (is_strong(c)) {
            if ((c == '"' || c == '\'') && last_delim == '=' && opts_.mask_quoted_values &&
                i > begin && message_[i - 1] == '=') {
                size_t close = message_.find(c, i + 1);
                if (close != std::string_view::npos && close < end) {
                    emit_literal(i, i + 1);
                    emit_var(i + 1, static_cast<uint32_t>(close));
                    emit_literal(static_cast<uint32_t>(close), static_cast<uint32_t>(close) + 1);
                    i = static_cast<uint32_t>(close) + 1;
                    last_delim = c;
                    continue;
                }
            }
            emit_literal(i, i + 1);
            last_delim = c;
            ++i;
            continue;
        }
        uint32_t j = i;
        while (j < end && !is_strong(message_[j])) {
            ++j;
        }
        mask_segment(i, j, last_delim == '=' || last_delim == ':');
        i = j;
    }
}

void token_scanner::scan(std::string_view message) {
    message_ = message;
    tokens_.clear();
    params_.clear();
    masked_.clear();
    spans_.clear();
    const auto n = static_cast<uint32_t>(message.size());
    uint32_t i = 0;
    while (i < n) {
        while (i < n && is_space(message[i])) {
            ++i;
        }
        if (i >= n) {
            break;
        }
        uint32_t j = i;
        while (j < n && !is_space(message[j])) {
            ++j;
        }
        spans_.emplace_back(i, j);
        i = j;
    }
    for (size_t k = 0; k < spans_.size(); ++k) {
        auto [b, e] = spans_[k];
        std::string_view tok = message.substr(b, e - b);
        scanned_token t;
        t.begin = b;
        t.mask_begin = static_cast<uint32_t>(masked_.size());
        t.param_begin = static_cast<uint32_t>(params_.size());
        bool joined = false;
        // key="several words"
        if (opts_.mask_quoted_values) {
            size_t q = tok.find("=\"");
            if (q == std::string_view::npos) {
                q = tok.find("='");
            }
            if (q != std::string_view::npos && k + 1 < spans_.size()) {
                char quote = tok[q + 1];
                if (tok.find(quote, q + 2) == std::string_view::npos) {
                    for (size_t m = k + 1; m < spans_.size() && m <= k + 16; ++m) {
                        std::string_view next =
                            message.substr(spans_[m].first, spans_[m].second - spans_[m].first);
                        size_t close = next.find(quote);
                        if (close != std::string_view::npos) {
                            auto qb = static_cast<uint32_t>(b + q + 2);
                            auto qe = static_cast<uint32_t>(spans_[m].first + close);
                            emit_literal(b, qb);
                            emit_var(qb, qe);
                            e = spans_[m].second;
                            mask_token(qe, e);
                            k = m;
                            joined = true;
                            break;
                        }
                    }
                }
            }
        }
        // "5.2 KB", "17.7 GB,": a size is one variable.
        if (!joined && k + 1 < spans_.size() && is_plain_number(tok)) {
            auto [nb, ne] = spans_[k + 1];
            uint32_t ue = ne;
            while (ue > nb && k_close_wrap.find(message[ue - 1]) != std::string_view::npos) {
                --ue;
            }
            if (is_size_unit(message.substr(nb, ue - nb))) {
                emit_var(b, ue);
                emit_literal(ue, ne);
                e = ne;
                ++k;
                joined = true;
            }
        }
        if (!joined) {
            mask_token(b, e);
        }
        t.end = e;
        t.mask_len = static_cast<uint32_t>(masked_.size()) - t.mask_begin;
        t.param_count = static_cast<uint32_t>(params_.size()) - t.param_begin;
        tokens_.push_back(t);
    }
    for (auto& t : tokens_) {
        t.mask_hash = hash64(masked(t));
    }
}

std::string token_scanner::mask_one(std::string_view token) {
    scan(token);
    std::string out;
    for (const auto& t : tokens_) {
        if (!out.empty()) {
            out.push_back(' ');
        }
        out.append(masked(t));
    }
    return out;
}

}  // namespace sysgrok::mine
