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

struct Normalizers {
  const icu::Normalizer2 *nfkc_casefold, *nfd, *nfc;
};
const Normalizers& normalizers() {
  static const Normalizers n = [] {
    UErrorCode status = U_ZERO_ERROR;
    Normalizers out{icu::Normalizer2::getNFKCCasefoldInstance(status), icu::Normalizer2::getNFDInstance(status),
                    icu::Normalizer2::getNFCInstance(status)};
    if (U_FAILURE(status)) throw Error(std::string("ICU initialisation failed: ") + u_errorName(status));
    return out;
  }();
  return n;
}

// NFKC_Casefold, then optional accents dropped (NFD, marks removed, NFC).
std::string fold_unicode(const icu::UnicodeString& run) {
  const Normalizers& n = normalizers();
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString folded = n.nfkc_casefold->normalize(run, status);
  icu::UnicodeString decomposed = n.nfd->normalize(folded, status);
  icu::UnicodeString kept;
  UChar32 base = 0;
  for (int32_t i = 0; i < decomposed.length(); i = decomposed.moveIndex32(i, 1)) {
    UChar32 c = decomposed.char32At(i);
    if (u_charType(c) == U_NON_SPACING_MARK && accent_is_optional(base)) continue;
    if (u_charType(c) != U_NON_SPACING_MARK) base = c;
    kept.append(c);
  }
  icu::UnicodeString composed = n.nfc->normalize(kept, status);
  if (U_FAILURE(status)) composed = run;
  std::string out;
  composed.toUTF8String(out);
  return out;
}

// The letters up to U+024F (Latin-1 Supplement, Latin Extended-A and -B) folded, made once by
// ICU; "" for what is not a word character. A precomposed letter folds alone as it folds in a
// word (its accents are its own), so a word's folding is its letters' foldings joined.
constexpr UChar32 kLatinEnd = 0x250;
const std::vector<std::string>& latin_folds() {
  static const std::vector<std::string> folds = [] {
    std::vector<std::string> out(kLatinEnd);
    for (UChar32 c = 0x80; c < kLatinEnd; ++c)
      if (is_word_char(c)) out[c] = fold_unicode(icu::UnicodeString(c));
    return out;
  }();
  return folds;
}

// Text of ASCII and those letters gives what ICU gives, without ICU: ICU never breaks inside a
// run of Latin letters and digits (UAX #29), and emit() splits its words at every other
// character. False, with @p out unspecified, when the text holds anything else (other scripts,
// combining marks, invisible characters): ICU then decides.
bool tokenize_latin(std::string_view utf8, std::vector<Token>& out) {
  const std::vector<std::string>& folds = latin_folds();
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t length = static_cast<int32_t>(utf8.size());
  std::string term;
  int32_t start = -1;
  auto end_word = [&](int32_t end) {
    if (start >= 0 && term.size() <= kMaxTermBytes)
      out.push_back(Token{term, static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
    term.clear();
    start = -1;
  };
  for (int32_t i = 0; i < length;) {
    const int32_t at = i;
    UChar32 c = s[i];
    if (c < 0x80) {
      ++i;
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) term.push_back(static_cast<char>(c));
      else if (c >= 'A' && c <= 'Z') term.push_back(static_cast<char>(c + 32));
      else {
        end_word(at);
        continue;
      }
      if (start < 0) start = at;
      continue;
    }
    U8_NEXT(s, i, length, c);
    if (c >= 0 && c < kLatinEnd && !folds[c].empty()) {
      if (start < 0) start = at;
      term += folds[c];
    } else if (c < 0 || !(is_word_char(c) || is_invisible(c))) {  // ill-formed bytes are U+FFFD to ICU
      end_word(at);
    } else {
      return false;
    }
  }
  end_word(length);
  return true;
}

}  // namespace

struct Analyzer::Impl {
  std::unique_ptr<icu::BreakIterator> words;
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

  // Folds one run of word characters: ASCII by table, the rest by fold_unicode().
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
    return fold_unicode(icu::UnicodeString(text, begin, end - begin));
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
  if (tokenize_latin(utf8, out)) return out;
  out.clear();
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
