#include "jurisdex/vocabulary.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/region.h>
#include <unicode/uloc.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "jurisdex/error.h"

namespace jurisdex {

struct Vocabulary::Data {
  struct Entry {
    std::map<std::string, std::string> labels;
    std::map<std::string, std::vector<std::string>> synonyms;
  };
  std::map<std::string, std::map<std::string, Entry>> fields;
  std::map<std::string, std::vector<std::string>> codes;  // sorted, per field
  std::map<std::string, std::map<std::string, Entry>> concepts;  // thesaurus labels (synonyms: thesaurus)
  std::vector<Concept> thesaurus;
  std::map<std::string, std::set<std::string>> ordinary_words;  // per language
  std::string text;
};

Vocabulary Vocabulary::from_json(const std::string& text) {
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("fields") || !doc["fields"].is_object())
    throw Error("vocabulary: expected a JSON object with a \"fields\" object");
  auto data = std::make_shared<Data>();
  data->text = text;
  auto entries = [](const std::string& what, const nlohmann::json& codes) {
    if (!codes.is_object()) throw Error("vocabulary: " + what + " must be an object of codes");
    std::vector<std::pair<std::string, Data::Entry>> out;
    for (auto& [code, entry] : codes.items()) {
      Data::Entry e;
      if (entry.is_object()) {
        if (entry.contains("labels") && entry["labels"].is_object())
          for (auto& [lang, label] : entry["labels"].items())
            if (label.is_string()) e.labels[lang] = label.get<std::string>();
        if (entry.contains("synonyms") && entry["synonyms"].is_object())
          for (auto& [lang, list] : entry["synonyms"].items())
            if (list.is_array())
              for (auto& s : list)
                if (s.is_string()) e.synonyms[lang].push_back(s.get<std::string>());
      }
      out.emplace_back(code, std::move(e));
    }
    return out;
  };
  for (auto& [field, codes] : doc["fields"].items()) {
    for (auto& [code, e] : entries("field '" + field + "'", codes)) {
      data->fields[field].emplace(code, std::move(e));
      data->codes[field].push_back(code);
    }
    std::sort(data->codes[field].begin(), data->codes[field].end());
  }
  if (doc.contains("concepts")) {
    if (!doc["concepts"].is_object()) throw Error("vocabulary: \"concepts\" must be an object of fields");
    for (auto& [field, codes] : doc["concepts"].items()) {
      for (auto& [code, e] : entries("concepts field '" + field + "'", codes)) {
        data->thesaurus.push_back({field, code, std::move(e.synonyms)});  // synonyms here, labels below
        data->concepts[field].emplace(code, std::move(e));
      }
    }
  }
  if (doc.contains("ordinary_words")) {
    const auto& ordinary = doc["ordinary_words"];
    if (!ordinary.is_object()) throw Error("vocabulary: \"ordinary_words\" must be an object of languages");
    for (auto& [lang, words] : ordinary.items()) {
      if (!words.is_array()) throw Error("vocabulary: \"ordinary_words\" of '" + lang + "' must be a list of words");
      for (auto& w : words)
        if (w.is_string()) data->ordinary_words[lang].insert(w.get<std::string>());
    }
  }
  Vocabulary v;
  v.data_ = std::move(data);
  return v;
}

Vocabulary Vocabulary::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read vocabulary file '" + path + "'");
  std::ostringstream buf;
  buf << in.rdbuf();
  try {
    return from_json(buf.str());
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
}

std::vector<std::string> Vocabulary::fields() const {
  std::vector<std::string> out;
  for (auto& [name, _] : data_->fields) out.push_back(name);
  return out;
}

bool Vocabulary::has(const std::string& field, const std::string& code) const {
  auto f = data_->fields.find(field);
  return f != data_->fields.end() && f->second.count(code) > 0;
}

const std::vector<std::string>& Vocabulary::codes(const std::string& field) const {
  auto f = data_->codes.find(field);
  if (f == data_->codes.end()) throw Error("vocabulary has no field '" + field + "'");
  return f->second;
}

std::string Vocabulary::nearest(const std::string& field, const std::string& code) const {
  auto f = data_->codes.find(field);
  if (f == data_->codes.end() || code.empty()) return "";
  // A typo of the whole code ("smugling_of_migrants") or of its start ("smugling").
  std::string best;
  size_t best_distance = std::max<size_t>(2, code.size() / 4) + 1;
  for (const auto& candidate : f->second) {
    size_t d = edit_distance(code, candidate);
    for (size_t k = code.size() > 2 ? code.size() - 2 : 1; k <= code.size() + 2 && k < candidate.size(); ++k)
      d = std::min(d, edit_distance(code, candidate.substr(0, k)) + 1);  // +1: a prefix is a weaker match
    if (d < best_distance) best = candidate, best_distance = d;
  }
  return best;
}

std::string Vocabulary::label(const std::string& field, const std::string& code,
                              const std::string& lang) const {
  const auto& map = data_->fields.count(field) ? data_->fields : data_->concepts;
  auto f = map.find(field);
  if (f == map.end()) return code;
  auto c = f->second.find(code);
  if (c == f->second.end()) return code;
  for (const auto& l : {lang, std::string("en")}) {
    auto it = c->second.labels.find(l);
    if (it != c->second.labels.end()) return it->second;
  }
  return code;
}

const std::map<std::string, std::vector<std::string>>& Vocabulary::synonyms(
    const std::string& field, const std::string& code) const {
  static const std::map<std::string, std::vector<std::string>> none;
  auto f = data_->fields.find(field);
  if (f == data_->fields.end()) return none;
  auto c = f->second.find(code);
  return c == f->second.end() ? none : c->second.synonyms;
}

const std::vector<Vocabulary::Concept>& Vocabulary::thesaurus() const { return data_->thesaurus; }

bool Vocabulary::is_ordinary_word(const std::string& folded, const std::string& lang) const {
  auto it = data_->ordinary_words.find(lang);
  return it != data_->ordinary_words.end() && it->second.count(folded) > 0;
}

const std::string& Vocabulary::source_text() const { return data_->text; }

size_t edit_distance(const std::string& a8, const std::string& b8) {
  std::u32string a, b;
  for (auto* p : {&a8, &b8}) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(*p);
    std::u32string& out = (p == &a8) ? a : b;
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) out.push_back(u.char32At(i));
  }
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// ---- ICU locale data ----

namespace {

// Kosovo has no ISO alpha-3 code; XKX is the user-assigned code in common use (EU, IMF, UN).
std::string icu_region_code(const std::string& alpha3) { return alpha3 == "XKX" ? "XK" : alpha3; }

const icu::Region* territory(const std::string& alpha3) {
  if (alpha3.size() != 3) return nullptr;
  for (char c : alpha3)
    if (c < 'A' || c > 'Z') return nullptr;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Region* r = icu::Region::getInstance(icu_region_code(alpha3).c_str(), status);
  if (U_FAILURE(status) || r == nullptr || r->getType() != URGN_TERRITORY) return nullptr;
  return r;
}

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

}  // namespace

std::vector<std::string> country_codes() {
  std::vector<std::string> out;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> regions(icu::Region::getAvailable(URGN_TERRITORY, status));
  if (U_FAILURE(status) || !regions) return out;
  while (const char* region = regions->next(nullptr, status)) {
    const char* alpha3 = uloc_getISO3Country(("und_" + std::string(region)).c_str());
    if (alpha3 && std::strlen(alpha3) == 3 && territory(alpha3)) out.emplace_back(alpha3);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// "EUR" stands for the European Union (ISO 3166 reserves "EU" for it, with no alpha-3 code), as
// "INT" for international instruments and courts.
bool is_country_code(const std::string& alpha3) { return alpha3 == "INT" || alpha3 == "EUR" || territory(alpha3); }

std::string region_of(const std::string& alpha3) {
  if (alpha3 == "EUR") return "150";
  const icu::Region* r = territory(alpha3);
  if (!r) return "";
  const icu::Region* continent = r->getContainingRegion(URGN_CONTINENT);
  return continent ? continent->getRegionCode() : "";
}

std::string place_name(const std::string& code, const std::string& lang) {
  if (code == "INT" || code == "EUR") {
    icu::UnicodeString name;
    icu::Locale("und", code == "INT" ? "001" : "EU").getDisplayCountry(icu::Locale(lang.c_str()), name);  // "World"
    return utf8(name);
  }
  std::string region = code;
  if (const icu::Region* r = territory(code)) region = r->getRegionCode();
  icu::UnicodeString name;
  icu::Locale("und", region.c_str()).getDisplayCountry(icu::Locale(lang.c_str()), name);
  std::string out = utf8(name);
  return out.empty() ? code : out;
}

namespace {

// Lower case without accents, for comparing names as people type them.
std::string loose(const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(text), decomposed;
  if (U_FAILURE(status)) return text;
  nfd->normalize(s.foldCase(), decomposed, status);
  icu::UnicodeString out;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) out.append(c);
    i += U16_LENGTH(c);
  }
  std::string utf;
  return out.trim().toUTF8String(utf);
}

}  // namespace

std::string country_code_named(const std::string& name, const Vocabulary& vocabulary) {
  std::string wanted = loose(name);
  if (wanted.empty()) return "";
  std::vector<std::string> languages = {"en", "fr", "es", "nl", "de", "it"};
  for (const auto& code : country_codes())
    for (const auto& lang : languages)
      if (loose(place_name(code, lang)) == wanted) return code;
  for (const auto& c : vocabulary.thesaurus())  // adjectives: "spanish", "espagnol", "spanisch"
    if (c.field == "country")
      for (const auto& [lang, synonyms] : c.synonyms)
        for (const auto& s : synonyms)
          if (loose(s) == wanted) return c.code;
  return "";
}

bool is_language_code(const std::string& code) {
  if (code.size() != 2 || code[0] < 'a' || code[0] > 'z' || code[1] < 'a' || code[1] > 'z') return false;
  const char* iso3 = uloc_getISO3Language(code.c_str());
  return iso3 && *iso3;
}

std::string language_name(const std::string& code, const std::string& lang) {
  icu::UnicodeString name;
  icu::Locale(code.c_str()).getDisplayLanguage(icu::Locale(lang.c_str()), name);
  std::string out = utf8(name);
  return out.empty() ? code : out;
}

}  // namespace jurisdex
