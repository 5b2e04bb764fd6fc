// Turning Xapian's errors into jurisdex's, and the retry readers need (internal).
#pragma once

#include <xapian.h>

#include <string>

#include "jurisdex/error.h"

namespace jurisdex {

/// Rethrows a Xapian error met while opening @p path as the matching jurisdex error.
[[noreturn]] void throw_open_error(const Xapian::Error& e, const std::string& path);

/// Runs @p f, reopening @p db and retrying when a writer's commit overtakes the reader.
template <class F>
auto with_reopen(Xapian::Database& db, F&& f) -> decltype(f()) {
  for (int attempt = 0;; ++attempt) {
    try {
      return f();
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt == 8) throw Error("index kept changing under the reader; try again");
      db.reopen();
    } catch (const Xapian::Error& e) {
      throw Error("index error: " + e.get_description());
    }
  }
}

}  // namespace jurisdex
