// src/mine/token_scanner.hpp — splits a message into tokens and recognises variables.
//
// A message is split on whitespace. Each token is then masked: the parts that look like
// variables (numbers, hex, IPv4/IPv6 with port, UUIDs, ids with digits, paths, URLs,
// e-mail addresses, dates and times, sizes, key=value values, booleans) are replaced by
// "<*>" and the rest is kept verbatim, so `user=1000` masks to `user=<*>` and
// `/10.0.0.1:50010` to `<*>:<*>`. Every replaced part is reported as a parameter span
// into the message. The scanner owns reusable buffers: scanning does not allocate once
// the buffers have grown to the longest message seen.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sysgrok::mine {

/// The wildcard that stands for a variable in masked tokens and templates.
inline constexpr std::string_view k_wildcard = "<*>";

/// A recognised variable: where it is in the message.
struct param_span {
    uint32_t begin = 0; ///< byte offset into the message
    uint32_t end = 0;   ///< one past the last byte
};

/// One whitespace-separated token (or several joined, for `key="a b"` and `5.2 KB`).
struct scanned_token {
    uint32_t begin = 0; ///< span in the message
    uint32_t end = 0;
    uint32_t mask_begin = 0; ///< masked text in the scanner's buffer
    uint32_t mask_len = 0;
    uint32_t param_begin = 0; ///< index of the first parameter of this token
    uint32_t param_count = 0;
    uint64_t mask_hash = 0; ///< hash of the masked text
};

/// Options of the variable recognition.
struct scanner_options {
    bool mask_quoted_values = true; ///< `key="..."` values are variables
    bool mask_booleans = true;      ///< true/false/null are variables
    bool mask_hostnames = true;     ///< dotted names ending in a top-level domain
    uint32_t max_tokens = 256;      ///< the rest of a longer message is one variable
};

class token_scanner {
  public:
    explicit token_scanner(scanner_options opts = {}) : opts_(opts) {}

    /// Tokenises and masks `message`; the results stay valid until the next call.
    void scan(std::string_view message);

    [[nodiscard]] std::span<const scanned_token> tokens() const { return tokens_; }
    [[nodiscard]] std::string_view masked(const scanned_token& t) const {
        return {masked_.data() + t.mask_begin, t.mask_len};
    }
    [[nodiscard]] std::span<const param_span> params(const scanned_token& t) const {
        return {params_.data() + t.param_begin, t.param_count};
    }
    [[nodiscard]] std::string_view message() const { return message_; }

    /// Masks one stand-alone token (for tests and tools); returns the masked text.
    [[nodiscard]] std::string mask_one(std::string_view token);

  private:
    void mask_token(uint32_t begin, uint32_t end);
    void mask_segment(uint32_t begin, uint32_t end, bool is_value);
    void mask_piece(uint32_t begin, uint32_t end, bool is_value);
    void emit_literal(uint32_t begin, uint32_t end);
    void emit_var(uint32_t begin, uint32_t end);
    [[nodiscard]] size_t date_span(size_t k) const;
    void emit_date(size_t k, size_t count);

    scanner_options opts_;
    std::string_view message_;
    std::vector<scanned_token> tokens_;
    std::vector<param_span> params_;
    std::string masked_;
    std::vector<std::pair<uint32_t, uint32_t>> spans_;
    bool tail_var_ = false; ///< the last span is the rest of an over-long message
};

/// Character-level predicates shared with the miner.
namespace chars {
[[nodiscard]] inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
[[nodiscard]] inline bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
[[nodiscard]] inline bool is_alnum(char c) {
    return is_digit(c) || is_alpha(c);
}
[[nodiscard]] inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
} // namespace chars

} // namespace sysgrok::mine
