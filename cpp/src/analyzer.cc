#include "jurisdex/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "jurisdex/error.h"

namespace jurisdex {

namespace {

constexpr size_t kMaxTermBytes = 64;  // longer "words" are noise (hashes, runs of symbols)

bool is_word_char(UChar32 c) {
  int8_t type = u_charType(c);
  return u_isalnum(c) || type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
}

// Default-ignorable code points: no glyph, and removed by NFKC_Casefold.
bool is_invisible(UChar32 c) { return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT); }

// Accents are dropped from scripts where readers treat them as optional (é = e); in other
// scripts (Devanagari, Thai...) combining marks are part of the letter and are kept.
bool accent_is_optional(UChar32 base) {
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(base, &status)) {
    case USCRIPT_LATIN:
    case USCRIPT_GREEK:
    case USCRIPT_CYRILLIC:
    case USCRIPT_ARABIC:
    case USCRIPT_HEBREW:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct Analyzer::Impl {
  std::unique_ptr<icu::BreakIterator> words;
  const icu::Normalizer2* nfkc_casefold = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;
  // A stemmer per language, with the stems it gave: a text repeats its words, and Snowball
  // costs more than a hash lookup (stemming was a fifth of indexing time before this cache).
  struct Stemmer {
    Xapian::Stem stem;
    std::unordered_map<std::string, std::string> known;
  };
  static constexpr size_t kMaxKnownStems = 1 << 15;  // ~3 MB a language: bounds memory on any corpus
  std::map<std::string, Stemmer> stemmers;
  icu::UnicodeString text;            // the text being analysed, as UTF-16
  std::vector<uint32_t> byte_offset;  // UTF-16 index -> byte offset in the UTF-8 input

  Impl() {
    UErrorCode status = U_ZERO_ERROR;
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    nfd = icu::Normalizer2::getNFDInstance(status);
    nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || !words) throw Error(std::string("ICU initialisation failed: ") + u_errorName(status));
  }

  // Decodes @p utf8 into `text` in one pass, noting each UTF-16 unit's byte offset.
  void load(std::string_view utf8) {
    byte_offset.clear();
    const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
    int32_t length = static_cast<int32_t>(utf8.size()), i = 0, n = 0;
    UChar* out = text.getBuffer(length + 1);  // UTF-16 never has more units than UTF-8 has bytes
    if (!out) throw Error("text too long to analyse (out of memory)");
    while (i < length) {
      int32_t start = i;
      UChar32 c;
      U8_NEXT(s, i, length, c);
      if (c < 0) c = 0xFFFD;
      U16_APPEND_UNSAFE(out, n, c);
      byte_offset.push_back(start);
      if (c > 0xFFFF) byte_offset.push_back(start);  // the low surrogate
    }
    text.releaseBuffer(n);
    byte_offset.push_back(static_cast<uint32_t>(length));
  }

  // Folds one run of word characters: ASCII by table, the rest by NFKC_Casefold, then dropping
  // optional accents (NFD, remove marks, NFC).
  std::string fold_run(int32_t begin, int32_t end) {
    bool ascii = true;
    for (int32_t i = begin; i < end && ascii; ++i) ascii = text.charAt(i) < 0x80;
    std::string out;
    if (ascii) {
      out.reserve(end - begin);
      for (int32_t i = begin; i < end; ++i) {
        char c = static_cast<char>(text.charAt(i));
        out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      return out;
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString run(text, begin, end - begin);
    icu::UnicodeString folded = nfkc_casefold->normalize(run, status);
    icu::UnicodeString decomposed = nfd->normalize(folded, status);
    icu::UnicodeString kept;
    UChar32 base = 0;
    for (int32_t i = 0; i < decomposed.length(); i = decomposed.moveIndex32(i, 1)) {
      UChar32 c = decomposed.char32At(i);
      if (u_charType(c) == U_NON_SPACING_MARK && accent_is_optional(base)) continue;
      if (u_charType(c) != U_NON_SPACING_MARK) base = c;
      kept.append(c);
    }
    icu::UnicodeString composed = nfc->normalize(kept, status);
    if (U_FAILURE(status)) composed = run;
    composed.toUTF8String(out);
    return out;
  }

  // Splits an ICU word at characters that are not letters, digits or marks (apostrophes,
  // periods, underscores), so "l'entrée" gives "l" and "entree" on both index and query side.
  void emit(int32_t begin, int32_t end, std::vector<Token>& out) {
    int32_t i = begin;
    while (i < end) {
      while (i < end && !is_word_char(text.char32At(i))) i = text.moveIndex32(i, 1);
      int32_t run_start = i;
      // Invisible characters inside a word (soft hyphen, zero-width joiner and non-joiner, word
      // joiner, variation selectors) do not split it: "pas\u00ADseur" is "passeur", as NFKC
      // case folding drops them.
      while (i < end && (is_word_char(text.char32At(i)) || is_invisible(text.char32At(i)))) i = text.moveIndex32(i, 1);
      if (run_start == i) continue;
      std::string term = fold_run(run_start, i);
      if (term.empty() || term.size() > kMaxTermBytes) continue;
      out.push_back(Token{std::move(term), byte_offset[run_start], byte_offset[i]});
    }
  }
};

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

std::vector<Token> Analyzer::tokenize(std::string_view utf8) {
  std::vector<Token> out;
  if (utf8.size() > UINT32_MAX) throw Error("text too long to analyse (over 4 GB)");
  // ASCII text gives what ICU gives, without it: ICU never breaks inside a run of ASCII
  // letters and digits, and emit() splits its words at every other character.
  if (std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
    for (size_t i = 0; i < utf8.size();) {
      while (i < utf8.size() && !alnum(utf8[i])) ++i;
      size_t start = i;
      while (i < utf8.size() && alnum(utf8[i])) ++i;
      if (start == i || i - start > kMaxTermBytes) continue;
      std::string term(utf8.substr(start, i - start));
      for (char& c : term)
        if (c >= 'A' && c <= 'Z') c += 32;
      out.push_back(Token{std::move(term), static_cast<uint32_t>(start), static_cast<uint32_t>(i)});
    }
    return out;
  }
  Impl& m = *impl_;
  m.load(utf8);
  m.words->setText(m.text);
  int32_t start = m.words->first();
  for (int32_t end = m.words->next(); end != icu::BreakIterator::DONE; start = end, end = m.words->next()) {
    if (m.words->getRuleStatus() == UBRK_WORD_NONE) continue;  // spaces and punctuation
    m.emit(start, end, out);
  }
  return out;
}

std::string Analyzer::fold(std::string_view text) {
  std::string out;
  for (const Token& t : tokenize(text)) {
    if (!out.empty()) out.push_back(' ');
    out += t.term;
  }
  return out;
}

std::string Analyzer::stem(const std::string& word, const std::string& lang) {
  auto it = impl_->stemmers.find(lang);
  if (it == impl_->stemmers.end()) {
    Impl::Stemmer stemmer;  // the "none" stemmer returns words unchanged
    if (has_stemmer(lang)) stemmer.stem = Xapian::Stem(lang);
    it = impl_->stemmers.emplace(lang, std::move(stemmer)).first;
  }
  auto& [stem, known] = it->second;
  if (auto hit = known.find(word); hit != known.end()) return hit->second;
  if (known.size() >= Impl::kMaxKnownStems) known.clear();
  return known.emplace(word, stem(word)).first->second;
}

bool Analyzer::has_stemmer(const std::string& lang) {
  if (lang.empty() || lang == "none") return false;
  try {
    Xapian::Stem probe(lang);
    return !probe.is_none();
  } catch (const Xapian::Error&) {
    return false;
  }
}

}  // namespace jurisdex
