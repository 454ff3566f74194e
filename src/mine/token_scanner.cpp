// src/mine/token_scanner.cpp — tokenising and variable recognition.
#include "mine/token_scanner.hpp"

#include <array>
#include <cstring>

#include "core/hash.hpp"
#include "mine/value_shapes.hpp"

namespace sysgrok::mine {

namespace {

using namespace shapes;

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

bool is_strong(char c) {
    return k_strong[static_cast<unsigned char>(c)];
}

constexpr std::array<bool, 256> make_table(std::string_view chars) {
    std::array<bool, 256> t{};
    for (char c : chars) {
        t[static_cast<unsigned char>(c)] = true;
    }
    return t;
}
constexpr auto k_open_wrap = make_table("([{<\"'");
constexpr auto k_close_wrap = make_table(")]}>\"',;.:!?");
/// Characters after which a digit-free token may still hold a variable.
constexpr auto k_shape_chars = make_table("./:@\\=\"'");

bool in(const std::array<bool, 256>& table, char c) {
    return table[static_cast<unsigned char>(c)];
}

} // namespace

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
    bool starts_numeric = is_digit(v[0]) || ((v[0] == '-' || v[0] == '+' || v[0] == '.') &&
                                             v.size() > 1 && is_digit(v[1]));
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
    // Names with a few digits inside words are usually constants: ssh2, eth0, L3,
    // Slf4jLogger, jk2_init; a numeric part ("rdd_2_1") makes them ids.
    if (is_alpha(v[0]) && digits <= 2) {
        bool ident = true;
        bool all_hex = true;
        bool numeric_part = false;
        size_t part_digits = 0;
        size_t part_len = 0;
        for (char c : v) {
            ident &= is_alnum(c) || c == '_';
            all_hex &= is_hex(c);
            if (c == '_') {
                numeric_part |= part_len > 0 && part_digits == part_len;
                part_digits = 0;
                part_len = 0;
            } else {
                ++part_len;
                part_digits += is_digit(c) ? 1U : 0U;
            }
        }
        numeric_part |= part_len > 0 && part_digits == part_len;
        if (ident && !numeric_part && !(all_hex && v.size() >= 6)) {
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
    if (!rooted && !relative) {
        // "GLOBALROOT/Device/Harddisk/x" is a path; "2016/9/27" and "tree/torus" are not.
        size_t slashes = 0;
        bool letters = false;
        for (char c : s) {
            slashes += c == '/' ? 1U : 0U;
            letters |= is_alpha(c);
        }
        relative = slashes >= 2 && letters;
    }
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
    bool shaped = false;
    for (char c : tok) {
        has_digit |= is_digit(c);
        all_alpha &= is_alpha(c);
        shaped |= in(k_shape_chars, c);
    }
    if (all_alpha) {
        if (opts_.mask_booleans && is_boolean_word(tok)) {
            emit_var(begin, end);
        } else {
            emit_literal(begin, end);
        }
        return;
    }
    if (!has_digit && !shaped) {
        // Words with brackets or punctuation ("[preauth]", "closed,"): only a boolean
        // inside can be a variable.
        size_t a = 0;
        size_t z = tok.size();
        while (a < z && !is_alpha(tok[a])) {
            ++a;
        }
        while (z > a && !is_alpha(tok[z - 1])) {
            --z;
        }
        bool plain = true;
        for (size_t i = a; i < z; ++i) {
            plain &= is_alpha(tok[i]);
        }
        if (plain && !(opts_.mask_booleans && is_boolean_word(tok.substr(a, z - a)))) {
            emit_literal(begin, end);
            return;
        }
    }
    // Whole-token shapes, looked at without wrapping punctuation.
    uint32_t cb = begin;
    uint32_t ce = end;
    while (cb < ce && in(k_open_wrap, message_[cb])) {
        ++cb;
    }
    while (ce > cb && in(k_close_wrap, message_[ce - 1])) {
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
        if (win_path || is_email(core) ||
            (has_digit && (is_colon_hex(core) || is_iso_datetime(core)))) {
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

size_t token_scanner::date_span(size_t k) const {
    auto tok = [&](size_t i) {
        return message_.substr(spans_[i].first, spans_[i].second - spans_[i].first);
    };
    size_t i = k;
    const size_t n = spans_.size();
    if (!maybe_date_word(tok(i))) {
        return 0;
    }
    if (i < n && is_weekday(tok(i))) {
        ++i;
    }
    if (i >= n || !is_month(tok(i))) {
        return 0;
    }
    ++i;
    if (i >= n) {
        return 0;
    }
    std::string_view day = strip_close(tok(i));
    if (day.empty() || day.size() > 2 || !all_digits(day)) {
        return 0;
    }
    ++i;
    bool has_time = false;
    bool has_year = false;
    if (i < n && is_clock(tok(i))) {
        has_time = true;
        ++i;
    }
    if (i < n) {
        std::string_view year = strip_close(tok(i));
        if (year.size() == 4 && all_digits(year)) {
            has_year = true;
            ++i;
        }
    }
    return has_time || has_year ? i - k : 0;
}

void token_scanner::emit_date(size_t k, size_t count) {
    // "Fri Jun 17 07:07:00 2005" -> "<*>:<*>:<*>": neighbouring variables separated by
    // spaces are one variable, the clock keeps its colons.
    uint32_t begin = spans_[k].first;
    uint32_t end = spans_[k + count - 1].second;
    std::string_view last =
        message_.substr(spans_[k + count - 1].first, end - spans_[k + count - 1].first);
    auto lit_end = static_cast<uint32_t>(spans_[k + count - 1].first + strip_close(last).size());
    size_t clock = SIZE_MAX;
    for (size_t i = k; i < k + count; ++i) {
        if (is_clock(message_.substr(spans_[i].first, spans_[i].second - spans_[i].first))) {
            clock = i;
        }
    }
    if (clock == SIZE_MAX) {
        emit_var(begin, lit_end);
    } else {
        uint32_t cb = spans_[clock].first;
        uint32_t ce = spans_[clock].second;
        uint32_t first_colon = cb;
        while (message_[first_colon] != ':') {
            ++first_colon;
        }
        emit_var(begin, first_colon);
        uint32_t pos = first_colon;
        while (pos < ce) {
            emit_literal(pos, pos + 1);
            uint32_t next = pos + 1;
            while (next < ce && message_[next] != ':') {
                ++next;
            }
            emit_var(pos + 1, next < ce ? next : std::max(lit_end, ce));
            pos = next;
        }
    }
    emit_literal(std::max(lit_end, begin), end);
}

void token_scanner::scan(std::string_view message) {
    message_ = message;
    tokens_.clear();
    params_.clear();
    masked_.clear();
    spans_.clear();
    tail_var_ = false;
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
        if (spans_.size() + 1 >= opts_.max_tokens) {
            j = n;
            while (j > i && is_space(message[j - 1])) {
                --j;
            }
            spans_.emplace_back(i, j);
            tail_var_ = true;
            break;
        }
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
        if (size_t d = date_span(k); d > 0) {
            emit_date(k, d);
            e = spans_[k + d - 1].second;
            k += d - 1;
            joined = true;
        }
        // key="several words"
        if (!joined && opts_.mask_quoted_values) {
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
            while (ue > nb && in(k_close_wrap, message[ue - 1])) {
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
        if (!joined && tail_var_ && k + 1 == spans_.size()) {
            emit_var(b, e);
            joined = true;
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

} // namespace sysgrok::mine
