// Coding help: a case's codable fields suggested from its own words, each suggestion with the
// words (and their byte offsets) that justify it. Built on the vocabulary's synonyms in six
// languages (through the same concept matcher that indexing and search use), ICU analysis and
// Snowball stems; numbers and sentences are read from the text ("seven years and six months",
// "sieben Jahre", "4 ans d'emprisonnement", "dos años y seis meses", "38 months").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "jurisdex/vocabulary.h"

namespace jurisdex {

/// Words of a record that justify a suggestion.
struct Evidence {
  std::string field;   ///< the record's field holding them: "title", "summary", "text" or "court"
  uint32_t start = 0;  ///< byte offset of the first word in that field's UTF-8 text
  uint32_t end = 0;    ///< byte offset one past the last word
  std::string words;   ///< the words as written (the field's bytes [start, end))
};

/// One suggested value of a codable field.
struct Suggestion {
  /// "offences", "aggravations", "financial_benefit.element", "financial_benefit.kinds",
  /// "outcome", "court_level", "sentence_months", "life_sentence", "defendants",
  /// "migrants_or_victims" or "deaths".
  std::string field;
  /// The vocabulary code; for numbers the value as JSON writes it ("90", "true").
  std::string value;
  double number = 0;        ///< the value of a number field (1 for life_sentence), else 0
  double confidence = 0;    ///< 0 to 1: how sure the words make it (see docs/suggest.md)
  std::vector<Evidence> evidence;  ///< never empty: a field without evidence gets no suggestion
};

/// The fields suggest() can fill, in the order it reports them.
const std::vector<std::string>& suggestible_fields();

/// The number of migrants or victims from which large_number_of_persons is suggested: the
/// threshold that best separates the shipped corpus's cases coded with it from the others
/// (bench/suggest.py learns it, leave-one-out when it scores).
constexpr unsigned kDefaultLargeGroup = 21;

/// Suggests codes for records. Thread-safe (analysis runs under a lock).
class Suggester {
 public:
  /// Uses the synonyms of @p vocabulary (the shared concept matcher of that vocabulary).
  /// @param large_group a count of migrants or victims from which large_number_of_persons is
  ///        suggested (0: never).
  explicit Suggester(const Vocabulary& vocabulary, unsigned large_group = kDefaultLargeGroup);
  ~Suggester();
  Suggester(Suggester&&) noexcept;
  Suggester& operator=(Suggester&&) noexcept;

  /// Suggestions for a record given as JSON text: its `title`, `summary`, `text` and `court`
  /// are read, in its `language` unless @p lang is given. Single-valued fields (outcome,
  /// court_level, the element and the numbers) give at most one suggestion, the best supported.
  /// @throws Error when @p json is not a JSON object.
  std::vector<Suggestion> suggest_record(const std::string& json, const std::string& lang = "") const;
  /// Suggestions for plain text (evidence field "text"), in @p lang, or in the vocabulary
  /// language whose common words it uses most when @p lang is "".
  std::vector<Suggestion> suggest_text(const std::string& text, const std::string& lang = "") const;
  /// The vocabulary language whose common words @p text uses most ("en" when none).
  std::string guess_language(const std::string& text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jurisdex
