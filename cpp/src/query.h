// From what a user types to a Xapian query (internal).
//
// The query text is folded like indexed text before Xapian's QueryParser reads it, but only
// its words: operators (AND OR NOT XOR NEAR ADJ SYN), brackets, quotes, +/-, wildcards, ranges
// and field:value pairs pass through unchanged, and facet values are checked by a
// FieldProcessor. Stemming depends on the language, so the query is parsed once per language
// in the index, each parse restricted to records of that language.
#pragma once

#include <xapian.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "concepts.h"
#include "jurisdex/analyzer.h"
#include "jurisdex/schema.h"
#include "jurisdex/vocabulary.h"

namespace jurisdex {

// How much a concept counts against words: a query's concepts against its words, a record's
// against its stems in similar(). (Tuned on bench/relevance: 3 gave the best nDCG@10 of 1, 3, 6
// and 10.)
constexpr double kConceptWeight = 3.0;

class QueryBuilder {
 public:
  QueryBuilder(const Xapian::Database& db, const Vocabulary& vocabulary, Analyzer& analyzer,
               const ConceptMatcher* concepts = nullptr);

  /// The full-text query: MatchAll for blank text. @p lang "" = every language of the index.
  /// With @p expand, concepts named by the text are added and listed in @p concepts_found: to the
  /// whole of a free-text query (weighted, not required), or, where the query has operators,
  /// phrases or signs or all words are required, to each word or phrase as an alternative
  /// ("boat AND wreck" is "(boat OR topic:boat) AND (wreck OR topic:shipwreck)"), so that every
  /// operand crosses languages and the operators keep their meaning. @throws QueryError.
  Xapian::Query parse(const std::string& text, const std::string& lang, const std::string& default_op,
                      bool expand = false, std::vector<std::string>* concepts_found = nullptr);
  /// The query with words the index does not know respelt from its spelling data, or "".
  std::string suggestion(const std::string& text);
  /// Facet filters (OR within a field, AND across) and ranges; an empty Query when none.
  /// @throws QueryError for an unknown facet or value or a bad range.
  Xapian::Query filter(const std::map<std::string, std::vector<std::string>>& filters,
                       const std::map<std::string, std::pair<std::string, std::string>>& ranges);
  /// A facet value as indexed ("ita" -> "ITA"). @throws QueryError naming the facet.
  std::string facet_value(const FacetField& facet, const std::string& raw) const;
  /// The query text with its words folded and everything else kept (exposed for tests).
  std::string rewrite(const std::string& text) { return rewrite(text, false); }

 private:
  std::string rewrite(const std::string& text, bool expand);
  std::string rewrite_chunk(const std::string& chunk, bool quote_follows, bool expand);
  Xapian::Query parse_rewritten(const std::string& rewritten, const std::string& lang, const std::string& default_op);
  Xapian::Query parse_free_text(const std::string& words, const std::string& lang, const std::string& default_op);
  /// The records that mean @p concept when their words name it (see parse_free_text()).
  Xapian::Query meaning(const std::string& concept) const;
  /// A concept as a query matches it: its weighted term, in the records that mean it.
  Xapian::Query concept_query(const std::string& concept) const;
  Xapian::Query parse_in(const std::string& rewritten, const std::string& stem_lang, const std::string& default_op);
  /// The concepts a folded word or phrase names (@p whole: only synonyms spanning all of it),
  /// false friends left out (see applies()).
  std::vector<std::string> concepts_of(const std::string& folded, bool whole);
  /// "xjc:N", the query-text handle of one operand's concepts (read back by a FieldProcessor).
  std::string expansion(const std::vector<std::string>& concepts);
  /// Whether a mention names its concept in this query: not when its synonym is of another
  /// language than the query's and its words are ordinary words of the query's language
  /// (Spanish "fines", purposes, is not the English "fines").
  bool applies(const ConceptMatcher::Match& m, const std::vector<Token>& tokens,
               const std::vector<ConceptMatcher::Match>& all);
  /// The language of the query's words (the one language in whose records most of them occur),
  /// or "" when the words do not tell.
  const std::string& query_language();
  /// Whether @p word occurs in at least two records of @p lang.
  bool ordinary_in(const std::string& word, const std::string& lang);
  /// Records of @p lang holding @p word, counted up to 2.
  unsigned occurrences(const std::string& word, const std::string& lang);

  const Xapian::Database& db_;
  const Vocabulary& vocabulary_;
  Analyzer& analyzer_;
  const ConceptMatcher* concepts_;
  // Set by rewrite(): the plain words of the query (outside fields), and whether it used any
  // syntax (operators, quotes, fields, brackets, +/-), which makes it a precise query.
  std::string plain_words_;
  bool structured_ = false;
  bool filtered_ = false;             // facet or range fields in the text
  std::string words_only_, filters_only_;  // the rewritten text split in its words and its filters
  std::string forced_lang_;           // the request's lang, when given
  std::string all_words_;             // the query's plain words, for its language
  std::vector<std::vector<std::string>> expansions_;  // the concepts of each expanded operand
  std::optional<std::string> query_lang_;
  std::map<std::pair<std::string, std::string>, unsigned> occurrences_;  // (word, lang) -> occurrences()
  std::unordered_map<std::string, Xapian::doccount> summary_counts_;  // per word, for FrequentWords
};

/// The words and stems a query matches in text fields, for marking snippets.
struct MatchedTerms {
  std::set<std::string> words;
  std::set<std::string> stems;
};
MatchedTerms matched_terms(const Xapian::Query& query);

/// The languages of the records in @p db (from the language facet's terms).
std::vector<std::string> indexed_languages(const Xapian::Database& db);

}  // namespace jurisdex
