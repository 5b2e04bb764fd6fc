// A Searcher over a database someone else opened: the writer's view of its own uncommitted
// changes (Indexer::searcher). Lets the indexer make one without knowing Searcher::Impl (internal).
#pragma once

#include <xapian.h>

#include <string>

#include "jurisdex/searcher.h"
#include "jurisdex/vocabulary.h"

namespace jurisdex {

/// A searcher over @p db, a writer's database at @p path: it never reopens.
Searcher searcher_over(const Xapian::Database& db, const Vocabulary& vocabulary, const std::string& path);

}  // namespace jurisdex
