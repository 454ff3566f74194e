#include "frame/record_reader.hpp"

#include <algorithm>
#include <cstring>

#include "core/json_writer.hpp"

namespace sysgrok {

record_reader::record_reader(std::unique_ptr<byte_reader> in,
                             std::string path,
                             uint32_t input,
                             frame_options opts,
                             diagnostics& diag)
    : in_(std::move(in)), path_(std::move(path)), input_(input), opts_(opts), diag_(diag) {
    opts_.block_bytes = std::max<size_t>(opts_.block_bytes, 4096);
    opts_.max_line_bytes = std::max<size_t>(opts_.max_line_bytes, 16);
}

bool record_reader::looks_binary(std::string_view head) const {
    head = head.substr(0, 8192);
    if (head.size() >= 4 && (head.substr(0, 4) == "\x7f"
                                                  "ELF" ||
                             head.substr(0, 4) == "PK\x03\x04" || head.substr(0, 4) == "\x89PNG")) {
        return true;
    }
    size_t control = 0;
    for (char ch : head) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' &&
            c != 0x1b) {
            ++control;
        }
    }
    return head.size() >= 32 && control * 10 > head.size();
}

/// Starts a new block holding the carried-over bytes, then reads into it.
bool record_reader::fill_block() {
    const size_t keep_from = has_open_ ? open_begin_ : scan_pos_;
    const size_t carry = block_ ? data_end_ - keep_from : 0;
    const size_t cap = std::max(opts_.block_bytes, carry * 2 + 4096);
    auto nb = std::make_shared<text_block>(cap);
    if (carry > 0) {
        std::memcpy(nb->data(), block_->data() + keep_from, carry);
    }
    // Re-base offsets into the new block.
    if (has_open_) {
        open_begin_ -= keep_from;
        open_end_ -= keep_from;
        pending_blank_end_ = pending_blanks_ > 0 ? pending_blank_end_ - keep_from : 0;
    }
    scan_pos_ -= block_ ? keep_from : 0;
    data_end_ = carry;
    block_ = std::move(nb);

    const bool interactive = in_->interactive();
    while (data_end_ < cap && !eof_) {
        auto r = in_->read(block_->data() + data_end_, cap - data_end_);
        if (!r) {
            // Reported once the good data before the fault has been framed, so that the
            // line number points at where the input breaks off.
            stream_error_ =
                r.error().message + (r.error().hint.empty() ? "" : " (" + r.error().hint + ")");
            eof_ = true;
            break;
        }
        if (*r == 0) {
            eof_ = true;
            break;
        }
        const size_t before = data_end_;
        data_end_ += *r;
        bytes_ += *r;
        if (interactive && std::memchr(block_->data() + before, '\n', *r) != nullptr) {
            break;
        }
    }
    std::memset(block_->data() + data_end_, 0, text_block::k_padding);
    block_->set_size(data_end_);
    // Whole-block checks first, so that clean blocks (the common case) need no per-line scan.
    const std::string_view fresh(block_->data() + scan_pos_, data_end_ - scan_pos_);
    block_utf8_ok_ = valid_utf8(fresh);
    block_has_nul_ = fresh.find('\0') != std::string_view::npos;
    return data_end_ > carry || eof_;
}

uint8_t record_reader::line_flags(size_t begin, size_t end) {
    uint8_t flags = 0;
    const char* p = block_->data() + begin;
    const size_t n = end - begin;
    if (block_has_nul_ && std::memchr(p, '\0', n) != nullptr) {
        flags |= record_flag_nul;
        if (!reported_nul_) {
            reported_nul_ = true;
            diag_.report(issue_kind::nul_bytes, path_, line_no_,
                         "NUL bytes inside a line; kept and escaped in the output");
        } else {
            diag_.count(issue_kind::nul_bytes);
        }
    }
    if (!block_utf8_ok_ && !valid_utf8(std::string_view(p, n))) {
        flags |= record_flag_invalid_utf8;
        if (!reported_utf8_) {
            reported_utf8_ = true;
            diag_.report(issue_kind::invalid_utf8, path_, line_no_,
                         "invalid UTF-8; the bad bytes are shown as U+FFFD");
        } else {
            diag_.count(issue_kind::invalid_utf8);
        }
    }
    return flags;
}

void record_reader::flush_open(record_batch& out) {
    if (!has_open_) {
        return;
    }
    out.records.push_back(
        record{std::string_view(block_->data() + open_begin_, open_end_ - open_begin_), open_line_,
               open_lines_, open_flags_});
    has_open_ = false;
}

void record_reader::on_line(size_t begin, size_t end, uint8_t extra_flags, record_batch& out) {
    ++line_no_;
    if (end > begin && block_->data()[end - 1] == '\r') {
        --end;
    }
    const std::string_view text(block_->data() + begin, end - begin);
    if (!first_line_seen_) {
        first_line_seen_ = true;
        if (!text.empty() && (text[0] == ' ' || text[0] == '\t')) {
            joiner_.disable_indent_rule();
        }
    }
    using verdict = multiline_joiner::verdict;
    verdict v = verdict::start;
    if ((extra_flags & record_flag_truncated) != 0) {
        v = verdict::start;
    } else if (opts_.multiline) {
        v = joiner_.classify(text, has_open_);
    } else {
        bool blank = true;
        for (char c : text) {
            blank = blank && (c == ' ' || c == '\t' || c == '\0');
        }
        v = blank ? verdict::blank : verdict::start;
    }
    if (v == verdict::join &&
        (!has_open_ || open_lines_ + pending_blanks_ >= opts_.max_event_lines ||
         end - open_begin_ > opts_.max_line_bytes)) {
        v = verdict::start;
    }
    switch (v) {
        case verdict::blank:
            ++pending_blanks_;
            pending_blank_end_ = end;
            if (!has_open_) {
                ++blank_lines_;
                pending_blanks_ = 0;
            }
            if ((extra_flags & record_flag_truncated) == 0) {
                line_flags(begin, end); // report NULs even in blank lines
            }
            return;
        case verdict::join:
            open_end_ = end;
            open_lines_ += 1 + pending_blanks_;
            pending_blanks_ = 0;
            open_flags_ |= record_flag_multiline | line_flags(begin, end);
            return;
        case verdict::start:
            break;
    }
    flush_open(out);
    if (pending_blanks_ > 0) {
        blank_lines_ += pending_blanks_;
        pending_blanks_ = 0;
        joiner_.reset();
    }
    has_open_ = true;
    open_begin_ = begin;
    open_end_ = end;
    open_line_ = line_no_;
    open_lines_ = 1;
    open_flags_ = static_cast<uint8_t>(extra_flags | line_flags(begin, end));
    if ((extra_flags & record_flag_truncated) != 0) {
        flush_open(out); // a cut line never takes continuation lines
    }
}

void record_reader::scan(record_batch& out, bool at_eof) {
    const char* base = block_->data();
    while (scan_pos_ < data_end_) {
        const size_t avail = data_end_ - scan_pos_;
        const void* nl = std::memchr(base + scan_pos_, '\n', avail);
        if (discarding_) {
            if (nl == nullptr) {
                scan_pos_ = data_end_;
                break;
            }
            scan_pos_ = static_cast<size_t>(static_cast<const char*>(nl) - base) + 1;
            discarding_ = false;
            continue;
        }
        size_t line_end = 0;
        if (nl != nullptr) {
            line_end = static_cast<size_t>(static_cast<const char*>(nl) - base);
        } else if (avail >= opts_.max_line_bytes || at_eof) {
            line_end = data_end_;
        } else {
            break; // partial line: wait for more data
        }
        if (line_end - scan_pos_ > opts_.max_line_bytes) {
            const size_t cut = scan_pos_ + opts_.max_line_bytes;
            diag_.report(issue_kind::truncated_line, path_, line_no_ + 1,
                         "line longer than " + std::to_string(opts_.max_line_bytes) +
                             " bytes; cut there and marked truncated (raise --max-line-bytes)");
            const bool had_newline = nl != nullptr;
            on_line(scan_pos_, cut, record_flag_truncated, out);
            if (had_newline) {
                scan_pos_ = line_end + 1;
            } else {
                scan_pos_ = data_end_;
                discarding_ = !at_eof;
            }
            continue;
        }
        on_line(scan_pos_, line_end, 0, out);
        scan_pos_ = nl != nullptr ? line_end + 1 : data_end_;
    }
}

bool record_reader::next(record_batch& out) {
    out.clear();
    out.input = input_;
    while (!done_) {
        fill_block();
        if (first_block_) {
            first_block_ = false;
            if (data_end_ == 0 && eof_) {
                diag_.report(issue_kind::empty_input, path_, 0, "empty input");
                done_ = true;
                return false;
            }
            if (looks_binary(std::string_view(block_->data(), data_end_))) {
                diag_.report(issue_kind::binary_file, path_, 0,
                             "not a text log (binary content in its first bytes); skipped. "
                             "UTF-16 logs must be converted to UTF-8 first");
                skipped_ = true;
                done_ = true;
                return false;
            }
        }
        scan(out, eof_);
        if (eof_ && !stream_error_.empty()) {
            diag_.report(issue_kind::corrupt_stream, path_, line_no_ + 1, stream_error_);
            stream_error_.clear();
        }
        if (eof_) {
            if (pending_blanks_ > 0) {
                blank_lines_ += pending_blanks_;
                pending_blanks_ = 0;
            }
            flush_open(out);
            done_ = true;
        }
        if (!out.records.empty()) {
            out.block = block_;
            return true;
        }
    }
    return false;
}

} // namespace sysgrok
