// src/explain/redact.hpp — privacy: sensitive values are replaced by placeholders before
// any prompt and put back in what is shown to the user.
//
// Kinds: IP addresses (v4, v6), e-mail addresses, user names (sshd/PAM/sudo shapes and
// user=/login=/uid= fields), host names (the events' host fields, which the caller adds,
// and fully qualified names with a common top-level domain), secrets (password=/token=/
// api_key=... values, Bearer tokens, JWTs, AWS keys, long random-looking strings). The same
// value always gets the same placeholder ("<IP_1>"), so the model can still tell that two
// lines share an address. Extra patterns can be configured.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace sysgrok::explain {

struct redaction_config {
    bool enabled = true;
    bool ips = true;
    bool emails = true;
    bool users = true;
    bool hosts = true;
    bool secrets = true;
    /// Extra RE2 patterns; the whole match (or its first group, when it has one) is
    /// replaced by "<KIND_n>" where KIND is the pattern's name (upper case).
    std::vector<std::pair<std::string, std::string>> extra; ///< (name, pattern)
};

/// Parses "--redact" values: "none", "all", or a comma list of kinds to keep redacting
/// ("ip,email,user,host,secret"). Errors name the unknown kind.
result<redaction_config> parse_redaction_spec(std::string_view spec);

class redactor {
  public:
    /// Errors: an extra pattern that does not compile (named in the message).
    static result<std::unique_ptr<redactor>> create(const redaction_config& config);
    ~redactor();
    redactor(const redactor&) = delete;
    redactor& operator=(const redactor&) = delete;
    redactor(redactor&&) = delete;
    redactor& operator=(redactor&&) = delete;

    /// A value that must always be redacted as `kind` (e.g. each event's host name).
    void add_term(std::string_view kind, std::string_view value);

    /// `text` with every sensitive value replaced by its placeholder.
    [[nodiscard]] std::string redact(std::string_view text);

    /// `text` with placeholders (also without the angle brackets, as models sometimes
    /// drop them) replaced by the original values.
    [[nodiscard]] std::string restore(std::string_view text) const;

    /// Distinct values replaced so far.
    [[nodiscard]] size_t size() const { return values_.size(); }

  private:
    struct impl;
    explicit redactor(std::unique_ptr<impl> p);
    std::string placeholder_for(const std::string& kind, std::string_view value);

    std::unique_ptr<impl> impl_;
    std::unordered_map<std::string, std::string> by_value_;  ///< value -> placeholder
    std::unordered_map<std::string, std::string> values_;    ///< placeholder -> value
    std::unordered_map<std::string, uint32_t> next_;         ///< kind -> next number
    std::vector<std::pair<std::string, std::string>> terms_; ///< (value, kind)
    bool enabled_ = true;
    bool terms_enabled_ = true;
};

} // namespace sysgrok::explain
