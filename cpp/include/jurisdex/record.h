// A record of docs/records.md, validated: its text fields, its facet values (derived ones included)
// and its JSON as given, which the index stores and returns intact.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jurisdex/error.h"
#include "jurisdex/schema.h"
#include "jurisdex/vocabulary.h"

namespace jurisdex {

struct Record {
  std::string id;
  std::string type;      ///< "case", "legislation" or "document"
  std::string language;  ///< ISO 639-1 code of summary and text
  std::string date;      ///< "YYYY", "YYYY-MM", "YYYY-MM-DD", or "" (a case whose source is silent)
  std::string title;
  std::string summary;
  std::string text;
  /// (facet field, value) pairs, derived facets (year, region) included.
  std::vector<std::pair<const FacetField*, std::string>> facets;
  std::string json;         ///< the record as given, compact, key order kept, minus `text`
  int text_key_index = -1;  ///< where `text` stood among the record's keys (-1: no text)
  /// (field, problem) of what the record holds but docs/records.md does not define (an unknown key,
  /// "aggravation" for "aggravations"): kept and returned, not indexed; strict mode rejects it.
  std::vector<std::pair<std::string, std::string>> warnings;

  /// The values of one facet field.
  std::vector<std::string> values(const std::string& facet) const;
};

/// Parses and validates one record from JSON text.
/// @throws RecordError naming @p where, and every bad field with what was expected.
Record parse_record(std::string_view json_text, Location where, const Vocabulary& vocabulary);

/// The top-level fields a record may have (docs/records.md); any other key is kept, not indexed.
const std::vector<std::string>& record_fields();

/// Checks a date string of docs/records.md ("YYYY", "YYYY-MM" or "YYYY-MM-DD", a real calendar day).
bool is_valid_date(const std::string& date);

}  // namespace jurisdex
