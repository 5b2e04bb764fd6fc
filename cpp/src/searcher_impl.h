// The state behind a Searcher, shared with Indexer::searcher() (internal).
#pragma once

#include <xapian.h>

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "concepts.h"
#include "jurisdex/analyzer.h"
#include "jurisdex/searcher.h"

namespace jurisdex {

struct FacetColumn;

struct Searcher::Impl {
  Xapian::Database db;
  Vocabulary vocabulary;
  std::string path;
  bool writable = false;   // a view of a writer's database: nothing to reopen
  bool remote = false;     // some shard is served by xapian-tcpsrv: only Xapian's own spies run there
  std::mutex analysis;     // the Analyzer is not thread-safe
  Analyzer analyzer;
  std::shared_ptr<const ConceptMatcher> concepts;
  // Facet values by document, read at the first count of each facet (see FacetColumn), for the
  // index revision `columns_revision`.
  std::map<Xapian::valueno, std::shared_ptr<const FacetColumn>> columns;
  Xapian::rev columns_revision = 0;

  /// The columns of @p slots, or none where they cannot serve. Call with `analysis` held.
  std::vector<std::shared_ptr<const FacetColumn>> facet_columns(const std::vector<Xapian::valueno>& slots);

  /// The vocabulary's concepts, taken at the first search that needs them (shared with the
  /// index's writer and with suggestion; opening an index should not wait for them to be
  /// built). Call with `analysis` held.
  const ConceptMatcher* concept_matcher() {
    if (!concepts) concepts = ConceptMatcher::shared(vocabulary);
    return concepts.get();
  }
};

/// Loads the vocabulary stored in an index. @throws IndexNotFoundError if it has none, Error if
/// the index has another format than this jurisdex's.
Vocabulary stored_vocabulary(const Xapian::Database& db, const std::string& path);

}  // namespace jurisdex
