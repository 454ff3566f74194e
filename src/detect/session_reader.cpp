#include "detect/session_reader.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

namespace sysgrok::detect {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

/// Parses one id token ("17" or "E17"); false if it is not one.
bool parse_id(std::string_view tok, uint32_t& out) {
    if (!tok.empty() && (tok.front() == 'E' || tok.front() == 'e')) {
        tok.remove_prefix(1);
    }
    if (tok.empty() || tok.size() > 10) {
        return false;
    }
    uint64_t v = 0;
    for (char c : tok) {
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    if (v > std::numeric_limits<uint32_t>::max()) {
        return false;
    }
    out = static_cast<uint32_t>(v);
    return true;
}

/// Splits `field` on white space and commas (and drops one pair of surrounding brackets).
status parse_ids(std::string_view field,
                 const std::string& path,
                 uint64_t line,
                 std::vector<uint32_t>& out) {
    field = trim(field);
    if (!field.empty() && field.front() == '[' && field.back() == ']') {
        field = trim(field.substr(1, field.size() - 2));
    }
    size_t i = 0;
    while (i < field.size()) {
        while (i < field.size() && (is_space(field[i]) || field[i] == ',')) {
            ++i;
        }
        size_t j = i;
        while (j < field.size() && !is_space(field[j]) && field[j] != ',') {
            ++j;
        }
        if (j > i) {
            const std::string_view tok = field.substr(i, j - i);
            uint32_t id = 0;
            if (!parse_id(tok, id)) {
                return error{"not a template id: '" + std::string(tok.substr(0, 40)) + "'", path,
                             line, "ids are decimal numbers such as 5 or E5"};
            }
            out.push_back(id);
        }
        i = j;
    }
    return ok();
}

/// The first field of a CSV row: quoted ("" is a quote inside) or up to the first comma.
result<std::string> first_csv_field(std::string_view row, const std::string& path, uint64_t line) {
    row = trim(row);
    std::string field;
    if (!row.empty() && row.front() == '"') {
        size_t i = 1;
        for (;;) {
            if (i >= row.size()) {
                return error{"unterminated quoted field", path, line,
                             "a session must fit on one line"};
            }
            if (row[i] == '"') {
                if (i + 1 < row.size() && row[i + 1] == '"') {
                    field += '"';
                    i += 2;
                    continue;
                }
                ++i;
                break;
            }
            field += row[i++];
        }
        const std::string_view rest = trim(row.substr(i));
        if (!rest.empty() && rest.front() != ',') {
            return error{"text after the closing quote of the sequence field", path, line, ""};
        }
        return field;
    }
    const size_t comma = row.find(',');
    if (comma == std::string_view::npos) {
        return error{"expected 'Sequence,label' (no comma in this row)", path, line, ""};
    }
    return std::string(row.substr(0, comma));
}

/// Visits each line as (1-based number, text without the newline).
template <class F>
status for_each_line(std::string_view text, F&& f) {
    uint64_t no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) {
            nl = text.size();
        }
        ++no;
        if (auto st = f(no, text.substr(pos, nl - pos)); !st) {
            return st;
        }
        pos = nl + 1;
    }
    return ok();
}

} // namespace

session_format detect_session_format(std::string_view text) {
    // Only the first non-blank line matters: a header's first token is a name, not an id.
    std::string_view l;
    size_t pos = 0;
    while (pos < text.size() && l.empty()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) {
            nl = text.size();
        }
        l = trim(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    size_t end = 0;
    while (end < l.size() && l[end] != ',' && !is_space(l[end])) {
        ++end;
    }
    std::string_view tok = l.substr(0, end);
    while (!tok.empty() && (tok.front() == '"' || tok.front() == '[')) {
        tok.remove_prefix(1);
    }
    uint32_t id = 0;
    if (!tok.empty() && !parse_id(tok, id) && l.find(',') != std::string_view::npos) {
        return session_format::csv;
    }
    return session_format::plain;
}

result<std::vector<session>> parse_sessions(std::string_view text, const std::string& path) {
    const session_format fmt = detect_session_format(text);
    std::vector<session> out;
    bool header_seen = false;
    auto st = for_each_line(text, [&](uint64_t no, std::string_view l) -> status {
        if (trim(l).empty()) {
            return ok();
        }
        session s;
        s.line = no;
        if (fmt == session_format::csv) {
            if (!header_seen) {
                header_seen = true;
                return ok();
            }
            auto field = first_csv_field(l, path, no);
            if (!field) {
                return field.error();
            }
            if (auto pst = parse_ids(*field, path, no, s.events); !pst) {
                return pst;
            }
        } else if (auto pst = parse_ids(l, path, no, s.events); !pst) {
            return pst;
        }
        out.push_back(std::move(s));
        return ok();
    });
    if (!st) {
        return st.error();
    }
    return out;
}

result<std::vector<session>> read_sessions(const std::string& path) {
    struct file_closer {
        void operator()(FILE* f) const {
            if (f != nullptr && f != stdin) {
                std::fclose(f);
            }
        }
    };
    std::unique_ptr<FILE, file_closer> f(path == "-" ? stdin : std::fopen(path.c_str(), "rb"));
    if (!f) {
        return error{std::string("cannot open: ") + std::strerror(errno), path, 0, ""};
    }
    std::string text;
    char buf[1 << 16];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
        text.append(buf, n);
    }
    if (std::ferror(f.get()) != 0) {
        return error{"read error", path, 0, ""};
    }
    if (text.find('\0') != std::string::npos) {
        return error{"binary data (NUL byte) in a session file", path, 0, ""};
    }
    return parse_sessions(text, path);
}

} // namespace sysgrok::detect
