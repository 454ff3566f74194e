// src/parse/formats/formats.hpp — factories of the built-in parsers (internal to parse/).
#pragma once

#include <memory>

#include "parse/parser.hpp"

namespace sysgrok::parse {

std::unique_ptr<parser> make_generic_parser();
std::unique_ptr<parser> make_rfc3164_parser();
std::unique_ptr<parser> make_rfc5424_parser();
std::unique_ptr<parser> make_json_parser();
std::unique_ptr<parser> make_logfmt_parser();
std::unique_ptr<parser> make_access_parser();
std::unique_ptr<parser> make_cri_parser();

struct record_context;
/// The RFC 5424 per-record parse; rfc3164 uses it for the RFC 5424 lines of mixed files.
bool parse_rfc5424_record(const record_context& ctx);

} // namespace sysgrok::parse
