// The controlled vocabulary of docs/records.md (codes with labels and synonyms per language), and the
// country, region and language names that come from ICU's locale data.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace jurisdex {

/// Codes per field ("offences", "aggravations", "outcome", ...), loaded from vocabulary.json, and
/// its thesaurus: concepts that are not facet codes ("topic:boat", and "country:LBY" for what ICU's
/// country names miss: "libyan", "libysch"), found in text by their synonyms like the codes are.
class Vocabulary {
 public:
  /// A thesaurus entry: "concepts" -> field -> code in vocabulary.json.
  struct Concept {
    std::string field, code;
    std::map<std::string, std::vector<std::string>> synonyms;  // per language
  };

  /// Parses the vocabulary file's text. @throws Error if it is not a valid vocabulary.
  static Vocabulary from_json(const std::string& text);
  /// Reads and parses a vocabulary file. @throws Error naming the path when it cannot be read.
  static Vocabulary from_file(const std::string& path);

  /// The fields that have codes, sorted.
  std::vector<std::string> fields() const;
  /// True when @p field has the code @p code.
  bool has(const std::string& field, const std::string& code) const;
  /// The codes of @p field, sorted. @throws Error for an unknown field.
  const std::vector<std::string>& codes(const std::string& field) const;
  /// The code of @p field nearest to @p code by edit distance, or "" when none is close.
  std::string nearest(const std::string& field, const std::string& code) const;
  /// The label of a code (or of a thesaurus concept) in @p lang, falling back to English, then to
  /// the code itself.
  std::string label(const std::string& field, const std::string& code, const std::string& lang) const;
  /// Synonyms of a code per language ("en" -> {...}).
  const std::map<std::string, std::vector<std::string>>& synonyms(const std::string& field,
                                                                   const std::string& code) const;
  /// The thesaurus, in file order.
  const std::vector<Concept>& thesaurus() const;
  /// True when @p folded is listed as an ordinary word of @p lang ("fines" in Spanish, "car" in
  /// French): a false friend that must not name a concept through another language's synonym.
  bool is_ordinary_word(const std::string& folded, const std::string& lang) const;
  /// The text it was loaded from (stored in each index, so an index describes itself).
  const std::string& source_text() const;

 private:
  struct Data;
  std::shared_ptr<const Data> data_;
};

/// Levenshtein distance between two strings, counted in code points.
size_t edit_distance(const std::string& a, const std::string& b);

// ---- Geography and languages, from ICU ----

/// True for "INT", "EUR" (the European Union) and for ISO 3166-1 alpha-3 codes of territories
/// ICU knows (XKX for Kosovo too).
bool is_country_code(const std::string& alpha3);
/// The ISO 3166-1 alpha-3 codes of every territory ICU knows.
std::vector<std::string> country_codes();
/// UN M49 code of the continent-level region ("150" Europe, "002" Africa, "019" Americas,
/// "142" Asia, "009" Oceania) of an alpha-3 country, or "" (for "INT" and unknown codes).
std::string region_of(const std::string& alpha3);
/// The alpha-3 code of a country written as a name or an adjective in one of the vocabulary's
/// languages ("Spain", "Espagne", "spanisch" -> "ESP"), or "".
std::string country_code_named(const std::string& name, const Vocabulary& vocabulary);
/// Display name of a country (alpha-3), a region (M49 code) or "INT", in language @p lang.
std::string place_name(const std::string& code, const std::string& lang = "en");
/// True for ISO 639-1 codes that ICU knows.
bool is_language_code(const std::string& iso639_1);
/// Display name of a language code in language @p lang.
std::string language_name(const std::string& code, const std::string& lang = "en");

}  // namespace jurisdex
