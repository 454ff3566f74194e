// src/mine/csv.cpp — CSV reading and field quoting.
#include "mine/csv.hpp"

#include <fstream>
#include <sstream>

namespace sysgrok::mine {

int csv_table::column(std::string_view name) const {
    for (size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

result<csv_table> parse_csv(std::string_view text) {
    csv_table table;
    std::vector<std::string> record;
    std::string field;
    bool in_quotes = false;
    bool field_started = false; // the record has at least one field or separator
    uint64_t line = 1;
    uint64_t record_line = 1;
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3); // UTF-8 byte order mark
    }
    auto end_record = [&] {
        record.push_back(std::move(field));
        field.clear();
        if (table.header.empty() && table.rows.empty()) {
            table.header = std::move(record);
        } else {
            table.rows.push_back(std::move(record));
        }
        record.clear();
        field_started = false;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field.push_back('"');
                    ++i;
                } else {
                    in_quotes = false;
                }
            } else {
                if (c == '\n') {
                    ++line;
                }
                field.push_back(c);
            }
            continue;
        }
        switch (c) {
            case '"':
                if (field.empty()) {
                    in_quotes = true;
                    field_started = true;
                } else {
                    field.push_back(c); // a stray quote inside an unquoted field is data
                }
                break;
            case ',':
                record.push_back(std::move(field));
                field.clear();
                field_started = true;
                break;
            case '\r':
                if (i + 1 < text.size() && text[i + 1] == '\n') {
                    break;
                }
                field.push_back(c);
                break;
            case '\n':
                if (field_started || !field.empty() || !record.empty()) {
                    end_record();
                }
                ++line;
                record_line = line;
                break;
            default:
                field.push_back(c);
                field_started = true;
                break;
        }
    }
    if (in_quotes) {
        return error{"unterminated quoted field", "", record_line, "close the quote"};
    }
    if (field_started || !field.empty() || !record.empty()) {
        end_record();
    }
    if (table.header.empty()) {
        return error{"empty CSV file", "", 0, "expected a header line"};
    }
    return table;
}

result<csv_table> read_csv_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return error{"cannot open file", path, 0, "check the path"};
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    auto r = parse_csv(ss.str());
    if (!r) {
        error e = r.error();
        e.path = path;
        return e;
    }
    return r;
}

void append_csv_field(std::string& out, std::string_view field) {
    bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                 (!field.empty() && (field.front() == ' ' || field.back() == ' '));
    if (!quote) {
        out.append(field);
        return;
    }
    out.push_back('"');
    for (char c : field) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    out.push_back('"');
}

} // namespace sysgrok::mine
