// src/store/writer.hpp — streams a run's results into the store.
//
// Per batch: template statistics are counted in memory and, with `store_events`, the
// events are inserted with one prepared statement inside a transaction that is
// committed every `commit_rows` rows (and at finish). So a crash loses at most the
// rows since the last commit, and the file stays consistent. Checkpoints saved
// through the store while a transaction is open join it, so they commit atomically
// with the events they describe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/event.hpp"
#include "core/result.hpp"
#include "detect/finding.hpp"
#include "store/store.hpp"

namespace sysgrok::store {

struct writer_options {
    bool store_events = false; ///< --store-events: keep the events themselves
    bool fts = true;           ///< with store_events: index messages for full-text search
    size_t commit_rows = 65536;
};

class writer {
  public:
    /// `inputs[i]` is the path of input i of the run (event::input indexes it).
    static result<std::unique_ptr<writer>> open(store& s,
                                                std::string_view command,
                                                const std::vector<std::string>& inputs,
                                                writer_options opts = {});
    ~writer();
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;
    writer(writer&&) = delete;
    writer& operator=(writer&&) = delete;

    /// Registers inputs added since open() (paths by input index; only new ones are read).
    status set_inputs(const std::vector<std::string>& inputs);

    /// `template_ids[i]` belongs to batch.events[i]; empty when templates are not mined.
    status on_batch(const event_batch& batch, std::span<const uint32_t> template_ids);
    /// Commits what on_batch inserted so far.
    status flush();

    /// Saves findings (not in incidents) and incidents (with their findings), the
    /// template statistics (`text_of` gives a template's text by id; templates whose
    /// text is empty are skipped), commits, and marks the run finished.
    status finish(std::span<const detect::finding> findings,
                  std::span<const detect::incident> incidents,
                  const std::function<std::string_view(uint32_t)>& text_of);

    [[nodiscard]] int64_t run_id() const { return run_; }
    [[nodiscard]] uint64_t events_seen() const { return events_; }
    [[nodiscard]] uint64_t rows_committed() const { return committed_; }

  private:
    struct tmpl_stat {
        uint64_t count = 0;
        uint64_t problems = 0;
        int64_t first_ns = 0;
        int64_t last_ns = 0;
    };
    writer(store& s, writer_options opts) : s_(s), opts_(opts) {}
    status insert(const event_batch& batch, std::span<const uint32_t> template_ids);

    store& s_;
    writer_options opts_;
    int64_t run_ = 0;
    std::vector<uint32_t> sources_; ///< input index -> sources.id
    std::unique_ptr<statement> insert_;
    std::unique_ptr<statement> insert_fts_;
    std::unordered_map<uint32_t, tmpl_stat> templates_;
    uint64_t events_ = 0;
    uint64_t pending_ = 0; ///< rows inserted in the open transaction
    uint64_t committed_ = 0;
};

} // namespace sysgrok::store
