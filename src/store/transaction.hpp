// src/store/transaction.hpp — a scoped SQLite transaction.
#pragma once

#include "store/store.hpp"

namespace sysgrok::store {

/// Commits on success, rolls back when it goes out of scope without commit.
class transaction {
  public:
    explicit transaction(store& s) : s_(s) {}
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;
    transaction(transaction&&) = delete;
    transaction& operator=(transaction&&) = delete;
    ~transaction() {
        if (open_) {
            s_.rollback();
        }
    }
    /// Joins the caller's transaction when one is open.
    status begin() {
        if (s_.in_transaction()) {
            return ok();
        }
        auto st = s_.begin();
        open_ = st.has_value();
        return st;
    }
    status commit() {
        if (!open_) {
            return ok();
        }
        open_ = false;
        return s_.commit();
    }

  private:
    store& s_;
    bool open_ = false;
};

} // namespace sysgrok::store
