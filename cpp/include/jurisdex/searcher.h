// Reading an index: full-text search with filters, exact facet counts, snippets, similar records.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "jurisdex/vocabulary.h"

namespace jurisdex {

/// Counts of a facet's values, most frequent first (ties by value).
using FacetCounts = std::vector<std::pair<std::string, size_t>>;

struct SearchRequest {
  /// Free text in QueryParser syntax: AND OR NOT NEAR, "phrases", field:value, year:2015..2020.
  std::string query;
  /// Facet filters: OR within a field, AND across fields. A key "FIELD:all" ("offences:all")
  /// asks for records having every one of its values (AND within the field).
  std::map<std::string, std::vector<std::string>> filters;
  /// Inclusive ranges on "year" ("2015".."2020") or "date" ("2015-03-01".."2016"); "" = open.
  std::map<std::string, std::pair<std::string, std::string>> ranges;
  /// Facets to count over all matches.
  std::vector<std::string> facets;
  std::string sort = "relevance";  ///< "relevance", "date" or "-date"
  size_t limit = 20;
  size_t offset = 0;
  std::string lang;                ///< stem the query in this language; "" = each language indexed
  std::string default_op = "or";   ///< "or" or "and": how words without operators combine
  /// Add the concepts (offences, aggravations) that the query's words name in any language,
  /// weighted, not required: "trafic illicite de migrants" also finds smuggling cases in Dutch.
  bool expand = true;
  bool exact_total = false;        ///< count all matches even without facets
  std::string mark_start = "<mark>", mark_end = "</mark>";  ///< around matched words in snippets
  bool html = true;                ///< escape snippets for HTML
  bool snippets = true;            ///< make snippets (most of a page's cost on long texts)
  size_t snippet_bytes = 240;
};

struct Hit {
  std::string id;
  double score = 0;
  size_t rank = 0;  ///< 0-based position in the whole result list
  std::string title, country, date, snippet;  ///< the stored record: Searcher::get(id)
};

struct SearchResults {
  size_t total = 0;          ///< matching records (an estimate unless total_exact)
  bool total_exact = false;
  std::vector<Hit> hits;
  std::vector<std::pair<std::string, FacetCounts>> facets;  ///< in the order asked
  std::string query_description;  ///< the Xapian query, for debugging
  std::vector<std::string> concepts;  ///< concepts the query named (with expand)
  std::string suggestion;             ///< a respelt query when words are unknown to the index, or ""
};

/// One matching record, for exports over all matches.
struct MatchRow {
  std::string id;
  double score = 0;
  std::string json;  ///< the stored record (full text included when asked for)
  std::vector<std::string> cites;  ///< provisions cited: the record's `cites`, or those found in its text
};

/// A cell of a column: empty, boolean, integer, number, string, list of strings (other lists
/// and objects as JSON text).
using Cell = std::variant<std::monostate, bool, long long, double, std::string, std::vector<std::string>>;

/// All matches as columns, one per record field; nested objects give dotted names
/// ("financial_benefit.element", "source.url"). `cites` holds the provisions as indexed: the
/// record's own, or those found in its text.
struct Columns {
  std::vector<std::string> ids;
  std::vector<double> scores;
  std::vector<std::string> names;
  std::vector<std::vector<Cell>> cells;  ///< cells[column][row]
};

/// Exact co-occurrence counts of two facets over all matches; multi-valued facets count each
/// value, so a record with two offences counts in both rows.
struct Crosstab {
  std::map<std::pair<std::string, std::string>, size_t> cells;
  std::map<std::string, size_t> row_totals;  ///< records having each row value
  std::map<std::string, size_t> col_totals;  ///< records having each column value
  size_t total = 0;                          ///< matching records
};

}  // namespace jurisdex
namespace Xapian {
class Database;
}
namespace jurisdex {

/// Read-only access to an index. Many may be open at once, alongside one writer; a searcher
/// reopens by itself when the writer's commits overtake it.
class Searcher {
 public:
  /// Opens the index at @p path. @throws IndexNotFoundError naming the path.
  explicit Searcher(const std::string& path);
  /// One read-only view over several shards: local index paths and "tcp://HOST:PORT" shards
  /// served by xapian-tcpsrv (`jurisdex serve`). Results, counts and ranks are those of one index
  /// holding all the records. @throws IndexNotFoundError naming the shard that cannot be opened.
  static Searcher open_shards(const std::vector<std::string>& shards);
  ~Searcher();
  Searcher(const Searcher&);
  Searcher& operator=(const Searcher&);

  /// @throws QueryError for bad syntax, an unknown field or facet value, or a bad range.
  SearchResults search(const SearchRequest& request) const;
  /// Records citing a provision ("INT:SOM-PROTOCOL:6"), as given or found in their text.
  SearchResults cited_by(const std::string& cite, size_t limit = 20) const;
  /// Records most like @p id, the record itself excluded: by its most distinctive stems and, with
  /// @p expand, by its concepts, which reach records in other languages.
  /// @throws QueryError when @p id is not in the index.
  SearchResults similar(const std::string& id, size_t limit,
                        const std::map<std::string, std::vector<std::string>>& filters = {}, bool expand = true) const;
  /// Every match of @p request (its page, sort and facets ignored) in rank order, at most @p max.
  /// @param with_text include each record's `text` (it can be long).
  std::vector<MatchRow> matches(const SearchRequest& request, bool with_text, size_t max = SIZE_MAX) const;
  /// Every match of @p request as columns, in rank order (or the request's date sort).
  Columns columns(const SearchRequest& request, bool with_text) const;
  /// Counts of @p rows x @p cols facet values over all matches of @p request.
  Crosstab crosstab(const SearchRequest& request, const std::string& rows, const std::string& cols) const;
  /// The stored record with this id, as JSON, or nothing.
  std::optional<std::string> get(const std::string& id) const;
  /// Counts of a facet's values over the whole index. @throws QueryError for an unknown facet.
  FacetCounts facet_counts(const std::string& facet) const;
  /// Number of records.
  size_t size() const;
  /// The languages of the indexed records.
  std::vector<std::string> languages() const;
  const Vocabulary& vocabulary() const;
  /// Brings the view up to date with the latest commit.
  void reopen();

 private:
  friend Searcher searcher_over(const Xapian::Database& db, const Vocabulary& vocabulary, const std::string& path);
  struct Impl;
  explicit Searcher(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace jurisdex
