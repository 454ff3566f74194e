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

} // namespace sysgrok::parse
