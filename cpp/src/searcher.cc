#include "jurisdex/searcher.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <unordered_map>

#include "query.h"
#include "record_json.h"
#include "schema_internal.h"
#include "searcher_impl.h"
#include "searcher_view.h"
#include "snippet.h"
#include "text_store.h"
#include "xapian_util.h"

namespace jurisdex {

namespace {

std::vector<std::string> split_values(const std::string& value) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < value.size()) {
    size_t end = value.find(schema::kValueSeparator, start);
    if (end == std::string::npos) end = value.size();
    out.push_back(value.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Per-value counts from counts of a slot's whole values: a record with two offences is counted
// once under "a\x1fb", and that count goes to each part.
template <class Counted>
FacetCounts split_counts(const Counted& counted) {
  std::unordered_map<std::string, size_t> counts;
  for (const auto& [joined, n] : counted)
    for (auto& value : split_values(joined)) counts[value] += n;
  FacetCounts out(counts.begin(), counts.end());
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  return out;
}

}  // namespace

// A facet slot's values by document, read once per index revision, like Lucene's doc values or
// tantivy's fast fields: counting a match is then an array read and an increment. Xapian's
// ValueCountMatchSpy reads each match's value from the B-tree and counts it in a std::map, about
// 120 ns per match and facet: most of a counting search's time.
struct FacetColumn {
  std::vector<uint32_t> value_of;   // docid -> 1 + index in `values`; 0 when the record has none
  std::vector<std::string> values;  // distinct whole values ("a\x1fb" for two offences)

  FacetColumn(const Xapian::Database& db, Xapian::valueno slot) : value_of(db.get_lastdocid() + 1, 0) {
    std::unordered_map<std::string, uint32_t> ids;
    for (auto v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v) {
      auto [it, fresh] = ids.try_emplace(*v, static_cast<uint32_t>(values.size() + 1));
      if (fresh) values.push_back(*v);
      value_of[v.get_docid()] = it->second;
    }
  }
};

// Columns serve one local database read at a fixed revision; not shards (a spy sees the docid
// within a shard, not which shard), remote databases (their spies run in xapian-tcpsrv), nor a
// writer's view (its uncommitted records have no revision to key the columns by).
std::vector<std::shared_ptr<const FacetColumn>> Searcher::Impl::facet_columns(const std::vector<Xapian::valueno>& slots) {
  if (slots.empty() || remote || writable || db.size() != 1) return {};
  const Xapian::rev revision = db.get_revision();
  if (revision != columns_revision) columns.clear(), columns_revision = revision;
  std::vector<std::shared_ptr<const FacetColumn>> out;
  for (Xapian::valueno slot : slots) {
    auto& column = columns[slot];
    if (!column) column = std::make_shared<const FacetColumn>(db, slot);
    out.push_back(column);
  }
  return out;
}

namespace {

// Exact counts of facet values over all matches, from the facets' columns.
class ColumnCountSpy : public Xapian::MatchSpy {
 public:
  explicit ColumnCountSpy(std::vector<std::shared_ptr<const FacetColumn>> columns) : columns_(std::move(columns)) {
    for (const auto& c : columns_) counts_.emplace_back(c->values.size() + 1, 0);
  }
  void operator()(const Xapian::Document& doc, double) override {
    const Xapian::docid did = doc.get_docid();
    for (size_t i = 0; i < columns_.size(); ++i)
      if (did < columns_[i]->value_of.size()) ++counts_[i][columns_[i]->value_of[did]];
  }
  /// The counts of the i-th column given.
  FacetCounts counts(size_t i) const {
    std::vector<std::pair<std::string, size_t>> counted;
    for (size_t v = 1; v < counts_[i].size(); ++v)
      if (counts_[i][v]) counted.emplace_back(columns_[i]->values[v - 1], counts_[i][v]);
    return split_counts(counted);
  }

 private:
  std::vector<std::shared_ptr<const FacetColumn>> columns_;
  std::vector<std::vector<uint32_t>> counts_;  // [column][value id]; id 0 counts records without one
};

// Xapian's own spy, where columns cannot serve; the only kind xapian-tcpsrv runs for remote shards.
FacetCounts split_counts(const Xapian::ValueCountMatchSpy& spy) {
  std::vector<std::pair<std::string, size_t>> counted;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) counted.emplace_back(*it, it.get_termfreq());
  return split_counts(counted);
}

// The words of the index that a query's words and stems match, by record language: the words
// themselves, and the words whose stem in that language is one of the stems. Found once per
// search in the lexicon, among the words that start like a stem (Snowball stems are prefixes of
// their words but for the last letter: "countri" for "country", "strat" for Dutch "straat"; of
// 50,000 words of the corpora in six languages, 5 break the rule, such as "eenheden" for
// "eenheid": a record with only those is found through its term list).
class SnippetWords {
 public:
  SnippetWords(const Xapian::Database& db, const MatchedTerms& terms, Analyzer& analyzer)
      : db_(db), terms_(terms), analyzer_(analyzer) {
    std::set<std::string> found(terms.words.begin(), terms.words.end());
    std::map<std::string, size_t> prefixes;  // prefix -> longest word worth stemming
    for (const std::string& stem : terms.stems) {
      size_t& longest = prefixes[stem.size() > 4 ? stem.substr(0, stem.size() - 1) : stem];
      // Suffixes Snowball removes are a few letters: longer words are compounds with other stems.
      longest = std::max(longest, stem.size() + kMaxSuffixBytes);
    }
    for (const auto& [prefix, longest] : prefixes) {
      // A query's words are folded: a prefix never reaches the upper-case prefixed terms.
      if (prefix.empty() || std::isupper(static_cast<unsigned char>(prefix[0]))) continue;
      size_t n = 0;
      for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix) && n < kMaxCandidates; ++t, ++n)
        if ((*t).size() <= longest) found.insert(*t);
    }
    candidates_.assign(found.begin(), found.end());
  }

  /// The words to look for in a record in @p lang, sorted.
  const std::vector<std::string>& in(const std::string& lang) {
    auto [it, added] = by_language_.try_emplace(lang);
    if (added)
      for (const std::string& word : candidates_)
        if (terms_.words.count(word) || (!terms_.stems.empty() && terms_.stems.count(analyzer_.stem(word, lang))))
          it->second.push_back(word);
    return it->second;
  }
  const Xapian::Database& database() const { return db_; }

  /// The words of @p doc whose stem in @p lang is one of the stems, from its term list, when it
  /// has any of the stems: for stems that are not prefixes of their words (Arabic strips
  /// prefixes: "المهاجرين" -> "مهاجر") and irregular ones. Found words are looked for first in
  /// the next records.
  std::vector<std::string> in_term_list(const Xapian::Document& doc, const std::string& lang) {
    std::vector<std::string> out;
    if (terms_.stems.empty()) return out;
    Xapian::TermIterator t = doc.termlist_begin();
    bool any = false;
    for (const std::string& stem : terms_.stems) {  // sorted, as the term list is
      t.skip_to(schema::kStemMark + stem);
      if (t == doc.termlist_end()) break;
      if (*t == schema::kStemMark + stem) {
        any = true;
        break;
      }
    }
    if (!any) return out;
    for (t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::string& term = *t;
      if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;  // prefixed: not a word
      if (terms_.stems.count(analyzer_.stem(term, lang))) out.push_back(term);
    }
    auto& known = by_language_[lang];  // kept sorted, for make_snippet
    for (const std::string& word : out)
      if (auto at = std::lower_bound(known.begin(), known.end(), word); at == known.end() || *at != word)
        known.insert(at, word);
    return out;
  }

 private:
  static constexpr size_t kMaxCandidates = 2000;  // per prefix: bounds a one-letter stem's cost
  static constexpr size_t kMaxSuffixBytes = 10;
  const Xapian::Database& db_;
  const MatchedTerms& terms_;
  Analyzer& analyzer_;
  std::vector<std::string> candidates_;
  std::map<std::string, std::vector<std::string>> by_language_;
};

// The snippet of a long text from the positions of its matched words: the text's words where
// the matches are densest, found in the checkpoints, are read (one or two compressed blocks)
// and analysed, and only they: a snippet costs the same at the end of a 2 MB statute as at its
// start. Sets @p matched when the piece held a match.
std::string text_snippet(const Xapian::Document& doc, const text_store::Layout& layout,
                         std::vector<Xapian::termpos> positions, const std::vector<std::string>& marked,
                         Analyzer& analyzer, const SnippetStyle& style, bool& matched) {
  std::sort(positions.begin(), positions.end());
  // The densest run of matches within about style.bytes (words of 6 bytes and a space or so).
  const Xapian::termpos span = std::max<Xapian::termpos>(4, static_cast<Xapian::termpos>(style.bytes / 7));
  size_t best = 0, best_count = 0;
  for (size_t first = 0, last = 0; last < positions.size(); ++last) {
    while (positions[last] - positions[first] > span) ++first;
    if (last - first + 1 > best_count) best_count = last - first + 1, best = first;
  }
  const uint32_t word = positions[best] - layout.text_base;  // the word's number in the text
  const uint32_t before = 16, after = std::max<uint32_t>(48, static_cast<uint32_t>(style.bytes / 3));
  const size_t from = (word > before ? word - before : 0) / layout.every;
  const size_t to = (word + after) / layout.every + 1;
  if (from >= layout.checkpoints.size()) return "";
  text_store::StoredText text(doc.get_value(schema::kSlotText));
  const size_t begin = layout.checkpoints[from];
  const size_t end = to < layout.checkpoints.size() ? layout.checkpoints[to] : text.size();
  return make_snippet(text.read(begin, end), marked, analyzer, style, &matched, begin > 0, end < text.size());
}

// A hit from its document's values; the stored JSON is never parsed.
Hit make_hit(const Xapian::MSetIterator& it, SnippetWords* words, const SnippetStyle& style, Analyzer& analyzer) {
  Xapian::Document doc = it.get_document();
  Hit hit;
  hit.score = it.get_weight();
  hit.rank = it.get_rank();
  const std::string packed = doc.get_value(schema::kSlotHit);
  const schema::HitFields fields = schema::unpack_hit(packed);
  hit.id = fields[schema::kHitId];
  hit.title = fields[schema::kHitTitle];
  hit.country = fields[schema::kHitCountry];
  hit.date = fields[schema::kHitDate];
  const std::string lang(fields[schema::kHitLanguage]);
  if (!style.enabled) return hit;
  // The summary first: when it holds a word the query matched, it is the snippet (most hits,
  // and no more index reads: the summary comes with the hit's fields).
  const std::vector<std::string>& candidates = words->in(lang);
  const std::string_view summary = fields[schema::kHitSummary];
  bool matched = false;
  std::string summary_snippet = make_snippet(summary, candidates, analyzer, style, &matched);
  if (matched) {
    hit.snippet = std::move(summary_snippet);
    return hit;
  }
  // Else the part of the text the words are in, from their positions (every word's positions
  // are indexed, for phrases).
  const text_store::Layout layout = text_store::unpack_layout(doc.get_value(schema::kSlotLayout));
  const Xapian::Database& db = words->database();
  std::vector<Xapian::termpos> in_text;
  std::vector<std::string> marked;  // the words of this record's text that the query matched
  bool present = false;             // in any field (a title-only match is no reason to look further)
  auto locate = [&](const std::vector<std::string>& found) {
    for (const std::string& word : found) {
      bool in_this_text = false;
      for (auto p = db.positionlist_begin(*it, word); p != db.positionlist_end(*it, word); ++p) {
        present = true;
        if (*p >= layout.text_base) in_text.push_back(*p), in_this_text = true;
      }
      if (in_this_text) marked.push_back(word);
    }
  };
  locate(candidates);
  if (!present) {
    std::vector<std::string> found = words->in_term_list(doc, lang);
    locate(found);
    if (in_text.empty() && !found.empty()) {  // in the summary, through a stem the lexicon did not give
      hit.snippet = make_snippet(summary, found, analyzer, style);
      return hit;
    }
  }
  if (!in_text.empty()) {
    std::string snippet = text_snippet(doc, layout, std::move(in_text), marked, analyzer, style, matched);
    if (matched) {
      hit.snippet = std::move(snippet);
      return hit;
    }
  }
  hit.snippet = std::move(summary_snippet);
  return hit;
}

// Whether @p query holds a phrase or NEAR, whose matches cost their positions.
bool has_positional(const Xapian::Query& query) {
  const auto op = query.get_type();
  if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) return true;
  for (size_t i = 0; i < query.get_num_subqueries(); ++i)
    if (has_positional(query.get_subquery(i))) return true;
  return false;
}

// BM25 with Lucene's and SQLite FTS5's k1 = 1.2 and b = 0.75 (Xapian's defaults are 1 and 0.5):
// the stronger length normalisation keeps long statutes from crowding out short case summaries
// (bench/relevance: nDCG@10 0.458 -> 0.464 before the other changes).
Xapian::BM25Weight ranking() { return Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5); }

// Shows every match of @p query to @p spies, unranked; returns how many there were.
size_t spy_on_all(const Xapian::Database& db, const Xapian::Query& query, const std::vector<Xapian::MatchSpy*>& spies) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  for (Xapian::MatchSpy* spy : spies) enquire.add_matchspy(spy);
  return enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

}  // namespace

Vocabulary stored_vocabulary(const Xapian::Database& db, const std::string& path) {
  std::string text = db.get_metadata(schema::kMetaVocabulary);
  if (text.empty()) throw IndexNotFoundError(path, "a Xapian database, but not one jurisdex made");
  // Checked at open, as writers do: another format fails here, not at its first hit.
  std::string format = db.get_metadata(schema::kMetaFormat);
  if (format != schema::kFormatVersion)
    throw Error("index '" + path + "' has format " + format + ", this jurisdex reads format " + schema::kFormatVersion +
                " (rebuild it with jurisdex index)");
  return Vocabulary::from_json(text);
}

// Whether @p path is a stub database file (Xapian's format: one "BACKEND PATH" per line) naming
// a remote shard, itself or through a stub it names.
static bool stub_names_remote(const std::filesystem::path& path, int depth = 0) {
  std::error_code ec;
  if (depth > 8 || !std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream stub(path);
  for (std::string line; std::getline(stub, line);) {
    if (line.rfind("remote", 0) == 0) return true;
    if (line.rfind("auto ", 0) == 0 && stub_names_remote(path.parent_path() / line.substr(5), depth + 1)) return true;
  }
  return false;
}

Searcher::Searcher(const std::string& path) : impl_(std::make_shared<Impl>()) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw IndexNotFoundError(path, "no such folder");
  try {
    impl_->db = Xapian::Database(path);
  } catch (const Xapian::Error& e) {
    throw_open_error(e, path);
  }
  impl_->path = path;
  impl_->remote = stub_names_remote(path);
  impl_->vocabulary = stored_vocabulary(impl_->db, path);
}

Searcher Searcher::open_shards(const std::vector<std::string>& shards) {
  if (shards.empty()) throw Error("open_shards needs at least one shard");
  auto impl = std::make_shared<Impl>();
  for (const auto& shard : shards) {
    try {
      if (shard.rfind("tcp://", 0) == 0) {
        std::string address = shard.substr(6);
        size_t colon = address.rfind(':');
        int port = colon == std::string::npos ? 0 : std::atoi(address.c_str() + colon + 1);
        if (colon == std::string::npos || port <= 0 || port > 65535)
          throw IndexNotFoundError(shard, "expected tcp://HOST:PORT");
        impl->remote = true;
        impl->db.add_database(Xapian::Remote::open(address.substr(0, colon), static_cast<unsigned>(port), 10000, 5000));
      } else {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (!fs::exists(shard, ec)) throw IndexNotFoundError(shard, "no such folder");
        impl->db.add_database(Xapian::Database(shard));
        impl->remote = impl->remote || stub_names_remote(shard);
      }
    } catch (const Xapian::Error& e) {
      if (shard.rfind("tcp://", 0) == 0) throw IndexNotFoundError(shard, "cannot reach the shard server: " + e.get_msg());
      throw_open_error(e, shard);
    }
  }
  impl->path = shards.front();
  impl->vocabulary = stored_vocabulary(impl->db, shards.front());
  return Searcher(std::move(impl));
}

Searcher::Searcher(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Searcher searcher_over(const Xapian::Database& db, const Vocabulary& vocabulary, const std::string& path) {
  auto s = std::make_shared<Searcher::Impl>();
  s->db = db;
  s->vocabulary = vocabulary;
  s->path = path;
  s->writable = true;
  return Searcher(std::move(s));
}
Searcher::~Searcher() = default;
Searcher::Searcher(const Searcher&) = default;
Searcher& Searcher::operator=(const Searcher&) = default;

namespace {

// The text query, the filter, and both combined.
struct BuiltQuery {
  Xapian::Query text, filter, combined;
};

BuiltQuery build_query(QueryBuilder& builder, const SearchRequest& request,
                       std::vector<std::string>* concepts = nullptr) {
  BuiltQuery q;
  q.text = builder.parse(request.query, request.lang, request.default_op, request.expand, concepts);
  q.filter = builder.filter(request.filters, request.ranges);
  q.combined = q.filter.empty() ? q.text : Xapian::Query(Xapian::Query::OP_FILTER, q.text, q.filter);
  return q;
}

const FacetField& facet_or_throw(const std::string& name) {
  const FacetField* f = find_facet(name);
  if (!f) throw QueryError("unknown facet '" + name + "' (facets are: " + facet_names() + ")");
  return *f;
}

// Pairs of two facets' values over all matches, from their columns: per match, three array or
// hash increments on value ids; the values are split and named once, at the end.
class ColumnCrosstabSpy : public Xapian::MatchSpy {
 public:
  ColumnCrosstabSpy(std::shared_ptr<const FacetColumn> rows, std::shared_ptr<const FacetColumn> cols)
      : rows_(std::move(rows)), cols_(std::move(cols)), row_counts_(rows_->values.size() + 1), col_counts_(cols_->values.size() + 1) {}
  void operator()(const Xapian::Document& doc, double) override {
    const Xapian::docid did = doc.get_docid();
    const uint32_t r = did < rows_->value_of.size() ? rows_->value_of[did] : 0;
    const uint32_t c = did < cols_->value_of.size() ? cols_->value_of[did] : 0;
    ++matches_, ++row_counts_[r], ++col_counts_[c];
    if (r && c) ++pairs_[uint64_t{r} << 32 | c];
  }
  Crosstab result() const {
    Crosstab out;
    out.total = matches_;
    auto add = [](const FacetColumn& column, const std::vector<size_t>& counts, std::map<std::string, size_t>& totals) {
      for (size_t id = 1; id < counts.size(); ++id)
        if (counts[id])
          for (auto& value : split_values(column.values[id - 1])) totals[value] += counts[id];
    };
    add(*rows_, row_counts_, out.row_totals);
    add(*cols_, col_counts_, out.col_totals);
    for (const auto& [pair, n] : pairs_) {
      auto rows = split_values(rows_->values[(pair >> 32) - 1]), cols = split_values(cols_->values[(pair & 0xffffffffu) - 1]);
      for (const auto& a : rows)
        for (const auto& b : cols) out.cells[{a, b}] += n;
    }
    return out;
  }

 private:
  std::shared_ptr<const FacetColumn> rows_, cols_;
  std::vector<size_t> row_counts_, col_counts_;  // by value id; id 0 counts records without one
  std::unordered_map<uint64_t, size_t> pairs_;   // (row id << 32 | column id) -> records
  size_t matches_ = 0;
};

// Counts pairs of values of two facet slots, reading each match's values (local shards).
class CrosstabSpy : public Xapian::MatchSpy {
 public:
  CrosstabSpy(Xapian::valueno rows, Xapian::valueno cols, Crosstab& out) : rows_(rows), cols_(cols), out_(out) {}
  void operator()(const Xapian::Document& doc, double) override {
    auto r = split_values(doc.get_value(rows_)), c = split_values(doc.get_value(cols_));
    ++out_.total;
    for (const auto& a : r) ++out_.row_totals[a];
    for (const auto& b : c) ++out_.col_totals[b];
    for (const auto& a : r)
      for (const auto& b : c) ++out_.cells[{a, b}];
  }
  std::string name() const override { return "jurisdex.CrosstabSpy"; }

 private:
  Xapian::valueno rows_, cols_;
  Crosstab& out_;
};

}  // namespace

// Oldest or newest first; undated records last either way (a slot where they sort after every
// date for "date", the date slot, which they lack, for "-date").
static void sort_by_date(Xapian::Enquire& enquire, const std::string& sort) {
  if (sort == "date") enquire.set_sort_by_value_then_relevance(schema::kSlotDateUndatedLast, false);
  if (sort == "-date") enquire.set_sort_by_value_then_relevance(schema::kSlotDate, true);
}

std::vector<MatchRow> Searcher::matches(const SearchRequest& request, bool with_text, size_t max) const {
  std::lock_guard<std::mutex> lock(impl_->analysis);
  return with_reopen(impl_->db, [&] {
    QueryBuilder builder(impl_->db, impl_->vocabulary, impl_->analyzer, impl_->concept_matcher());
    Xapian::Enquire enquire(impl_->db);
    enquire.set_query(build_query(builder, request).combined);
    enquire.set_weighting_scheme(ranking());
    sort_by_date(enquire, request.sort);
    Xapian::doccount n = static_cast<Xapian::doccount>(std::min<size_t>(max, impl_->db.get_doccount()));
    Xapian::MSet mset = enquire.get_mset(0, n);
    mset.fetch(mset.begin(), mset.end());
    std::vector<MatchRow> rows;
    rows.reserve(mset.size());
    const Xapian::valueno cites_slot = schema::facet_slot(*find_facet("cites"));
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      Xapian::Document doc = it.get_document();
      const std::string packed = doc.get_value(schema::kSlotHit);
      MatchRow row{std::string(schema::unpack_hit(packed)[schema::kHitId]), it.get_weight(), doc.get_data(), {}};
      // Provisions cited, as indexed: the record's own `cites`, or those found in its text.
      row.cites = split_values(doc.get_value(cites_slot));
      std::string index = doc.get_value(schema::kSlotTextKeyIndex);
      if (with_text && !index.empty())
        row.json = join_text(row.json, text_store::StoredText(doc.get_value(schema::kSlotText)).all(), std::stoi(index));
      rows.push_back(std::move(row));
    }
    return rows;
  });
}

namespace {

Cell cell_of(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return std::monostate{};
    case Json::value_t::boolean: return v.get<bool>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return v.get<long long>();
    case Json::value_t::number_float: return v.get<double>();
    case Json::value_t::string: return v.get<std::string>();
    case Json::value_t::array:
      if (std::all_of(v.begin(), v.end(), [](const Json& x) { return x.is_string(); }))
        return v.get<std::vector<std::string>>();
      return v.dump();
    default: return v.dump();
  }
}

}  // namespace

Columns Searcher::columns(const SearchRequest& request, bool with_text) const {
  Columns out;
  std::map<std::string, size_t> position;
  auto column = [&](const std::string& name) -> std::vector<Cell>& {
    auto [it, added] = position.emplace(name, out.names.size());
    if (added) {
      out.names.push_back(name);
      out.cells.emplace_back(out.ids.size() - 1);  // empty for the rows before this one
    }
    return out.cells[it->second];
  };
  for (MatchRow& row : matches(request, with_text)) {
    out.ids.push_back(row.id);
    out.scores.push_back(row.score);
    Json record = Json::parse(row.json, nullptr, false);
    if (!record.is_object()) continue;
    // Nested objects (source, financial_benefit) become dotted columns, as pandas.json_normalize.
    for (auto& [key, value] : record.items()) {
      if (value.is_object()) {
        for (auto& [sub, inner] : value.items()) column(key + "." + sub).push_back(cell_of(inner));
      } else if (key != "cites") {
        column(key).push_back(cell_of(value));
      }
    }
    if (!row.cites.empty()) column("cites").push_back(row.cites);
    for (auto& c : out.cells) c.resize(out.ids.size());  // missing fields are empty cells
  }
  return out;
}

Crosstab Searcher::crosstab(const SearchRequest& request, const std::string& rows, const std::string& cols) const {
  const FacetField& r = facet_or_throw(rows);
  const FacetField& c = facet_or_throw(cols);
  std::lock_guard<std::mutex> lock(impl_->analysis);
  return with_reopen(impl_->db, [&] {
    QueryBuilder builder(impl_->db, impl_->vocabulary, impl_->analyzer, impl_->concept_matcher());
    Xapian::Query query = build_query(builder, request).combined;
    const Xapian::valueno row_slot = schema::facet_slot(r), col_slot = schema::facet_slot(c);
    Crosstab out;
    if (auto columns = impl_->facet_columns({row_slot, col_slot}); !columns.empty()) {
      ColumnCrosstabSpy spy(columns[0], columns[1]);
      spy_on_all(impl_->db, query, {&spy});
      return spy.result();
    }
    if (!impl_->remote) {
      CrosstabSpy spy(row_slot, col_slot, out);
      spy_on_all(impl_->db, query, {&spy});
      return out;
    }
    // xapian-tcpsrv runs only Xapian's own spies: count rows and columns, then the columns of
    // the records having each row value (one pass per row value).
    Xapian::ValueCountMatchSpy rows(row_slot), cols(col_slot);
    out.total = spy_on_all(impl_->db, query, {&rows, &cols});
    for (const auto& [value, n] : split_counts(cols)) out.col_totals[value] = n;
    for (const auto& [row, n] : split_counts(rows)) {
      out.row_totals[row] = n;
      Xapian::ValueCountMatchSpy in_row(col_slot);
      spy_on_all(impl_->db, Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(schema::facet_term(r, row))), {&in_row});
      for (const auto& [col, k] : split_counts(in_row)) out.cells[{row, col}] = k;
    }
    return out;
  });
}

SearchResults Searcher::search(const SearchRequest& request) const {
  if (request.sort != "relevance" && request.sort != "date" && request.sort != "-date")
    throw QueryError("sort must be 'relevance', 'date' or '-date', not '" + request.sort + "'");
  std::vector<Xapian::valueno> slots;
  for (const auto& name : request.facets) slots.push_back(schema::facet_slot(facet_or_throw(name)));
  std::lock_guard<std::mutex> lock(impl_->analysis);
  return with_reopen(impl_->db, [&] {
    QueryBuilder builder(impl_->db, impl_->vocabulary, impl_->analyzer, impl_->concept_matcher());
    SearchResults out;
    BuiltQuery built = build_query(builder, request, &out.concepts);
    const Xapian::Query& query = built.combined;

    Xapian::Enquire enquire(impl_->db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(ranking());
    sort_by_date(enquire, request.sort);
    // Facets are counted in a relevance-ordered pass: with a sort by value, remote shards
    // (Xapian 1.4) report some matches to the spies twice.
    Xapian::Enquire counting(impl_->db);
    bool separate_count = !slots.empty() && request.sort != "relevance";
    if (separate_count) counting.set_query(query), counting.set_weighting_scheme(Xapian::BoolWeight());
    Xapian::Enquire& counted = separate_count ? counting : enquire;
    std::optional<ColumnCountSpy> column_spy;
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> xapian_spies;
    if (auto columns = impl_->facet_columns(slots); !columns.empty()) {
      counted.add_matchspy(&column_spy.emplace(std::move(columns)));
    } else {
      for (Xapian::valueno slot : slots)
        counted.add_matchspy(xapian_spies.emplace_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot)).get());
    }
    if (separate_count) counting.get_mset(0, 0, impl_->db.get_doccount());
    // Exact counts (facets, exact_total) visit every match in the ranked pass. Otherwise totals
    // look a little past the page (exact on small indexes, large ones fast), and the page is
    // ranked with Xapian's pruning (it skips what cannot reach the page) and the matches counted
    // apart, unweighted: weighing every match to count it was half the time of a search without
    // snippets. Not for phrases: checking their positions twice costs more than the weights.
    const bool exact = !slots.empty() || request.exact_total;
    const auto page_end = static_cast<Xapian::doccount>(request.offset + request.limit);
    const bool count_apart = !exact && !has_positional(query);
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(request.offset),
                                         static_cast<Xapian::doccount>(request.limit),
                                         exact ? impl_->db.get_doccount() : count_apart ? page_end : page_end + 1000);
    // The page's documents in one go: one round trip per remote shard, not one per hit. (Xapian
    // 1.4's MSet::fetch() without arguments crashes on a page past the first: give the range.)
    mset.fetch(mset.begin(), mset.end());

    out.total = mset.get_matches_estimated();
    out.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    if (!out.total_exact && count_apart) {
      Xapian::Enquire count(impl_->db);
      count.set_query(query);
      count.set_weighting_scheme(Xapian::BoolWeight());
      Xapian::MSet counted = count.get_mset(0, 0, page_end + 1000);
      out.total = counted.get_matches_estimated();
      out.total_exact = counted.get_matches_lower_bound() == counted.get_matches_upper_bound();
    }
    out.suggestion = builder.suggestion(request.query);
    out.query_description = query.get_description();
    MatchedTerms terms = matched_terms(built.text);
    SnippetStyle style{request.mark_start, request.mark_end, request.html, request.snippet_bytes, request.snippets};
    std::optional<SnippetWords> words;
    if (style.enabled) words.emplace(impl_->db, terms, impl_->analyzer);
    for (auto it = mset.begin(); it != mset.end(); ++it)
      out.hits.push_back(make_hit(it, words ? &*words : nullptr, style, impl_->analyzer));
    for (size_t i = 0; i < request.facets.size(); ++i)
      out.facets.emplace_back(request.facets[i], column_spy ? column_spy->counts(i) : split_counts(*xapian_spies[i]));
    return out;
  });
}

SearchResults Searcher::similar(const std::string& id, size_t limit,
                                const std::map<std::string, std::vector<std::string>>& filters, bool expand) const {
  std::lock_guard<std::mutex> lock(impl_->analysis);
  return with_reopen(impl_->db, [&] {
    std::string id_term = schema::kIdPrefix + id;
    Xapian::PostingIterator p = impl_->db.postlist_begin(id_term);
    if (p == impl_->db.postlist_end(id_term)) throw QueryError("no record with id '" + id + "'");
    // The record's most distinctive stems, by wdf x idf over the whole (possibly sharded) index:
    // computed from the record and global term counts only, so shards give what one index does.
    // Very short or very common stems ("the", "de", "of") say nothing about what it is about.
    // Stems find records in the record's language; its concepts, weighted as a query's are, find
    // the others.
    Xapian::Document doc = impl_->db.get_document(*p);
    const double n = impl_->db.get_doccount();
    const std::string concept_prefix = ConceptMatcher::term("");
    std::vector<std::pair<double, std::string>> scored;
    std::vector<Xapian::Query> concepts;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::string& term = *t;
      const bool concept = term.compare(0, concept_prefix.size(), concept_prefix) == 0;
      // Stems of all fields ("Z" + stem); field stems ("ZS", "ZXM") would count words twice.
      const bool stem = term.size() > 4 && term[0] == 'Z' && !std::isupper(static_cast<unsigned char>(term[1]));
      if (!(stem || (concept && expand))) continue;
      double df = impl_->db.get_termfreq(term);
      if (df * 2 >= n) continue;
      if (concept)
        concepts.emplace_back(term);
      else
        scored.emplace_back(t.get_wdf() * std::log(n / df), term);
    }
    std::sort(scored.begin(), scored.end(), [](auto& a, auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    if (scored.size() > 30) scored.resize(30);
    Xapian::Enquire enquire(impl_->db);
    std::vector<Xapian::Query> terms;
    for (const auto& [_, term] : scored) terms.emplace_back(term);
    Xapian::Query like(Xapian::Query::OP_OR, terms.begin(), terms.end());
    if (!concepts.empty())
      like = Xapian::Query(Xapian::Query::OP_OR, like,
                           Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                         Xapian::Query(Xapian::Query::OP_OR, concepts.begin(), concepts.end()), kConceptWeight));
    Xapian::Query query(Xapian::Query::OP_AND_NOT, like, Xapian::Query(id_term));
    QueryBuilder builder(impl_->db, impl_->vocabulary, impl_->analyzer, impl_->concept_matcher());
    Xapian::Query filter = builder.filter(filters, {});
    if (!filter.empty()) query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
    enquire.set_query(query);
    enquire.set_weighting_scheme(ranking());
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
    mset.fetch(mset.begin(), mset.end());
    SearchResults out;
    out.total = mset.get_matches_estimated();
    out.query_description = query.get_description();
    MatchedTerms matched = matched_terms(like);
    SnippetWords words(impl_->db, matched, impl_->analyzer);
    for (auto it = mset.begin(); it != mset.end(); ++it)
      out.hits.push_back(make_hit(it, &words, SnippetStyle{}, impl_->analyzer));
    return out;
  });
}

SearchResults Searcher::cited_by(const std::string& cite, size_t limit) const {
  SearchRequest request;
  request.filters["cites"] = {cite};
  request.sort = "-date";
  request.limit = limit;
  request.exact_total = true;
  return search(request);
}

std::optional<std::string> Searcher::get(const std::string& id) const {
  return with_reopen(impl_->db, [&]() -> std::optional<std::string> {
    std::string id_term = schema::kIdPrefix + id;
    Xapian::PostingIterator p = impl_->db.postlist_begin(id_term);
    if (p == impl_->db.postlist_end(id_term)) return std::nullopt;
    Xapian::Document doc = impl_->db.get_document(*p);
    std::string index = doc.get_value(schema::kSlotTextKeyIndex);
    if (index.empty()) return doc.get_data();
    return join_text(doc.get_data(), text_store::StoredText(doc.get_value(schema::kSlotText)).all(), std::stoi(index));
  });
}

FacetCounts Searcher::facet_counts(const std::string& facet) const {
  const FacetField* f = &facet_or_throw(facet);
  return with_reopen(impl_->db, [&] {
    // Each facet value is a boolean term, so its term frequency is its exact count.
    std::string prefix = schema::facet_prefix(*f);
    FacetCounts out;
    for (auto t = impl_->db.allterms_begin(prefix); t != impl_->db.allterms_end(prefix); ++t)
      out.emplace_back((*t).substr(prefix.size()), t.get_termfreq());
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    return out;
  });
}

size_t Searcher::size() const {
  return with_reopen(impl_->db, [&] { return static_cast<size_t>(impl_->db.get_doccount()); });
}

std::vector<std::string> Searcher::languages() const {
  return with_reopen(impl_->db, [&] { return indexed_languages(impl_->db); });
}

const Vocabulary& Searcher::vocabulary() const { return impl_->vocabulary; }

void Searcher::reopen() {
  try {
    impl_->db.reopen();
  } catch (const Xapian::Error& e) {
    throw Error("cannot reopen '" + impl_->path + "': " + e.get_description());
  }
}

}  // namespace jurisdex
