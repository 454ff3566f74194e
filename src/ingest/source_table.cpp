#include "ingest/source_table.hpp"

namespace sysgrok::ingest {

uint32_t source_table::intern(const std::string& name, source_kind kind) {
    const std::lock_guard lk(mu_);
    for (size_t i = 0; i < sources_.size(); ++i) {
        if (sources_[i].kind == kind && sources_[i].name == name) {
            return static_cast<uint32_t>(i);
        }
    }
    sources_.push_back({name, kind});
    return static_cast<uint32_t>(sources_.size() - 1);
}

source_info source_table::get(uint32_t i) const {
    const std::lock_guard lk(mu_);
    return i < sources_.size() ? sources_[i] : source_info{};
}

size_t source_table::size() const {
    const std::lock_guard lk(mu_);
    return sources_.size();
}

} // namespace sysgrok::ingest
