// src/frame/record_batch.hpp — framed records of one input, ready for parsing.
#pragma once

#include <vector>

#include "core/event.hpp"
#include "core/text_block.hpp"

namespace sysgrok {

/// Records framed from one block of one input. Every record's text lies inside `block`
/// (records never straddle blocks), and the block has readable padding after its end.
struct record_batch {
    uint32_t input = 0;
    block_ref block;
    std::vector<record> records;

    void clear() {
        block.reset();
        records.clear();
    }
};

} // namespace sysgrok
