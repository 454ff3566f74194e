#include "ingest/chunk.hpp"

#include <algorithm>
#include <cstring>

namespace sysgrok::ingest {

void chunk_builder::add(std::string_view rec, std::string_view peer, int64_t now_ns) {
    const size_t need = rec.size() + 1;
    if (!block_ || block_->size() + need > block_->capacity()) {
        const size_t cap = std::max(capacity_, (bytes() + need) * 2);
        auto grown = std::make_shared<text_block>(cap);
        if (block_) {
            std::memcpy(grown->data(), block_->data(), block_->size());
            grown->set_size(block_->size());
        }
        block_ = std::move(grown);
    }
    char* dst = block_->data() + block_->size();
    std::memcpy(dst, rec.data(), rec.size());
    for (size_t i = 0; i < rec.size(); ++i) {
        if (dst[i] == '\n' || dst[i] == '\r') {
            dst[i] = ' ';
        }
    }
    dst[rec.size()] = '\n';
    block_->set_size(block_->size() + need);
    if (records_ == 0) {
        first_ns_ = now_ns;
    }
    if (!peer.empty() || !peers_.empty()) {
        if (peer_of_.size() < records_) {
            peer_of_.resize(records_, UINT16_MAX);
        }
        uint16_t idx = UINT16_MAX;
        for (size_t i = 0; i < peers_.size(); ++i) {
            if (peers_[i] == peer) {
                idx = static_cast<uint16_t>(i);
                break;
            }
        }
        if (idx == UINT16_MAX && !peer.empty() && peers_.size() < UINT16_MAX - 1) {
            idx = static_cast<uint16_t>(peers_.size());
            peers_.emplace_back(peer);
        }
        peer_of_.push_back(idx);
    }
    ++records_;
}

chunk chunk_builder::take() {
    chunk c;
    c.source = source_;
    c.block = std::move(block_);
    c.first_line = next_record_;
    if (!peer_of_.empty() && peer_of_.size() < records_) {
        peer_of_.resize(records_, UINT16_MAX);
    }
    c.peer_of = std::move(peer_of_);
    c.peers = std::move(peers_);
    c.read_ns = first_ns_;
    next_record_ += records_;
    records_ = 0;
    block_.reset();
    peer_of_.clear();
    peers_.clear();
    return c;
}

} // namespace sysgrok::ingest
