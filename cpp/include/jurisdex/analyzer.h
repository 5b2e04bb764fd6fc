// Text analysis shared by indexing and querying, so both sides make the same terms:
// ICU word breaking (every script: CJK and Thai by dictionary), NFKC, case folding and accent
// folding ("ÊTRES", "êtres" and "etres" all give "etres"), then Xapian's Snowball stemmers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace jurisdex {

/// A word of a text: its folded form and where it stands in the original UTF-8.
struct Token {
  std::string term;    ///< folded word: letters, digits and the marks a script needs
  uint32_t start = 0;  ///< byte offset of the word in the analysed text
  uint32_t end = 0;    ///< byte offset one past the word
};

/// Breaks, folds and stems text. Not thread-safe: use one Analyzer per thread.
class Analyzer {
 public:
  Analyzer();
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;

  /// The words of @p text, folded, with their byte spans. Invalid UTF-8 counts as U+FFFD.
  std::vector<Token> tokenize(std::string_view text);
  /// The folded words of @p text joined by single spaces.
  std::string fold(std::string_view text);
  /// The stem of a folded word in ISO 639-1 language @p lang; the word itself when there is no
  /// stemmer for that language.
  std::string stem(const std::string& word, const std::string& lang);

  /// True when Xapian has a Snowball stemmer for @p lang.
  static bool has_stemmer(const std::string& lang);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jurisdex
