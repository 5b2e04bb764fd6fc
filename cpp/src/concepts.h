// Concepts: the vocabulary's codes (offences, aggravations, outcomes, benefit...) and countries,
// recognised in text of any of the vocabulary's languages through their synonyms and ICU's
// country names; a concept is named "field:code" ("offences:smuggling_of_migrants",
// "country:ITA") (internal).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "jurisdex/analyzer.h"
#include "jurisdex/vocabulary.h"

namespace jurisdex {

/// Finds synonyms of concepts in folded, stemmed token sequences. One piece that indexing,
/// search and suggestion all use: build it once per vocabulary with shared(). Its lookups are
/// const and take the caller's Analyzer, so one matcher serves every thread.
class ConceptMatcher {
 public:
  /// Reads the synonyms of the vocabulary's codes and ICU's country names, stemmed per language.
  ConceptMatcher(const Vocabulary& vocabulary, Analyzer& analyzer);

  /// The matcher of @p vocabulary, built at the first call for that vocabulary (thousands of
  /// synonyms to analyse) and shared by every later caller while one holds it. Thread-safe.
  static std::shared_ptr<const ConceptMatcher> shared(const Vocabulary& vocabulary);

  /// Concepts mentioned in a text in @p lang, given its words and their stems (one per word),
  /// with mention counts.
  std::map<std::string, unsigned> find(const std::vector<Token>& words, const std::vector<std::string>& stems,
                                       const std::string& lang) const;
  /// Concepts mentioned in @p text in any of the vocabulary's languages.
  std::map<std::string, unsigned> find_any_language(const std::string& text, Analyzer& analyzer) const;

  /// One mention: a concept, the language of the synonym that named it, and the words it spans.
  struct Match {
    std::string code;
    std::string lang;
    size_t from = 0, to = 0;  ///< token positions, [from, to)
  };
  /// Every mention in @p tokens, in any of the vocabulary's languages.
  std::vector<Match> matches(const std::vector<Token>& tokens, Analyzer& analyzer) const;
  /// Every mention in @p words of language @p lang, given their stems in @p lang, including the
  /// codes of fields that are coded but not searched as concepts (court_level: "cour d'appel"),
  /// for suggesting a record's codes. Thesaurus topics and countries are left out.
  std::vector<Match> coding_matches(const std::vector<Token>& words, const std::vector<std::string>& stems,
                                    const std::string& lang) const;

  /// The weighted term of a concept ("XCoffences:smuggling_of_migrants").
  static std::string term(const std::string& concept);
  /// The concept of a facet value, or "" when that facet's values are not concepts.
  static std::string of_facet(const std::string& facet, const std::string& value);

 private:
  struct Phrase {
    std::vector<std::string> stems;
    std::vector<std::string> exact;  // per word: the word that must be there, or "" (any with the stem)
    std::string code;
    bool searched = true;  // a concept of indexing and search; false: for coding only
  };
  // language -> first stem -> phrases starting with it
  std::map<std::string, std::unordered_map<std::string, std::vector<Phrase>>> phrases_;
};

/// Provisions cited in a text, given its folded words, as COUNTRY:INSTRUMENT:ARTICLE ("USA:8-USC:1324").
std::vector<std::string> extract_citations(const std::vector<Token>& words);

}  // namespace jurisdex
