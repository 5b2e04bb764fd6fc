#include "concepts.h"

#include <unicode/regex.h>

#include <algorithm>
#include <set>

#include "jurisdex/vocabulary.h"

namespace jurisdex {

namespace {

// Vocabulary fields whose codes are concepts, and the facet holding each field's values.
const std::pair<const char*, const char*> kConceptFields[] = {
    {"offences", "offences"},
    {"aggravations", "aggravations"},
    {"outcome", "outcome"},
    {"financial_benefit.element", "financial_benefit"},
    {"financial_benefit.kinds", "benefit_kinds"},
};

std::vector<std::string> stems_of(const std::vector<Token>& tokens, size_t from, size_t to, const std::string& lang,
                                  Analyzer& analyzer) {
  std::vector<std::string> out;
  for (size_t i = from; i < to; ++i) out.push_back(analyzer.stem(tokens[i].term, lang));
  return out;
}

// @p word is @p base or @p base with an ending of one or two letters ("tote" -> "toten"):
// an inflection, where a short stem alone would also take unrelated words ("male" for "Mali").
bool inflects(const std::string& base, const std::string& word) {
  return word.size() >= base.size() && word.size() <= base.size() + 2 && word.compare(0, base.size(), base) == 0;
}

}  // namespace

std::string ConceptMatcher::term(const std::string& concept) { return "XC" + concept; }

std::string ConceptMatcher::of_facet(const std::string& facet, const std::string& value) {
  if (facet == "country") return value == "INT" ? "" : "country:" + value;
  for (const auto& [field, facet_name] : kConceptFields)
    if (facet == facet_name) return std::string(facet_name) + ":" + value;
  return "";
}

ConceptMatcher::ConceptMatcher(const Vocabulary& vocabulary, Analyzer& analyzer) {
  auto add = [&](const std::string& lang, const std::string& text, const std::string& concept) {
    std::vector<Token> tokens = analyzer.tokenize(text);
    if (tokens.empty()) return;
    Phrase p{stems_of(tokens, 0, tokens.size(), lang, analyzer), {}, concept};
    // A short stem that differs from its word is ambiguous ("Mali" and "male" are "mal" in
    // Italian, "Libia" and "Libano" both "lib"): there, only the word itself matches. Proper
    // names are held to it one letter longer ("Gambia" is "gamb", as "gambe" is).
    const size_t short_stem = concept.compare(0, 8, "country:") == 0 ? 4 : 3;
    for (size_t i = 0; i < tokens.size(); ++i)
      p.exact.push_back(p.stems[i].size() <= short_stem && p.stems[i] != tokens[i].term ? tokens[i].term : "");
    phrases_[lang][p.stems.front()].push_back(std::move(p));
  };
  std::set<std::string> languages;
  for (const auto& [field, facet] : kConceptFields) {
    const auto fields = vocabulary.fields();
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) continue;
    for (const auto& code : vocabulary.codes(field)) {
      for (const auto& [lang, synonyms] : vocabulary.synonyms(field, code)) {
        languages.insert(lang);
        for (const auto& synonym : synonyms) add(lang, synonym, std::string(facet) + ":" + code);
      }
    }
  }
  // The thesaurus: topics ("bateau", "Boot", "barca" -> topic:boat) and country adjectives.
  for (const auto& c : vocabulary.thesaurus())
    for (const auto& [lang, synonyms] : c.synonyms)
      for (const auto& synonym : synonyms) add(lang, synonym, c.field + ":" + c.code);
  // Country names in each language, from ICU ("Italie", "Italien", "Italia" -> country:ITA).
  for (const auto& alpha3 : country_codes())
    for (const auto& lang : languages) add(lang, place_name(alpha3, lang), "country:" + alpha3);
}

std::map<std::string, unsigned> ConceptMatcher::find(const std::vector<Token>& words, const std::vector<std::string>& stems,
                                                     const std::string& lang) const {
  std::map<std::string, unsigned> found;
  auto by_lang = phrases_.find(lang);
  if (by_lang == phrases_.end()) return found;
  auto same = [&](const Phrase& p, size_t at) {
    for (size_t k = 0; k < p.stems.size(); ++k)
      if (p.stems[k] != stems[at + k] || (!p.exact[k].empty() && !inflects(p.exact[k], words[at + k].term))) return false;
    return true;
  };
  for (size_t i = 0; i < stems.size(); ++i) {
    auto candidates = by_lang->second.find(stems[i]);
    if (candidates == by_lang->second.end()) continue;
    for (const Phrase& p : candidates->second)
      if (i + p.stems.size() <= stems.size() && same(p, i)) ++found[p.code];
  }
  return found;
}

std::map<std::string, unsigned> ConceptMatcher::find_any_language(const std::string& text, Analyzer& analyzer) const {
  std::vector<Token> tokens = analyzer.tokenize(text);
  std::map<std::string, unsigned> found;
  for (const auto& [lang, _] : phrases_)
    for (const auto& [code, n] : find(tokens, stems_of(tokens, 0, tokens.size(), lang, analyzer), lang)) found[code] += n;
  return found;
}

// ---- Citations ----

namespace {

// Patterns over folded text (lower case, no accents, punctuation gone: "8 U.S.C. § 1324" reads
// "8 u s c 1324"). Each gives a format where $1, $2... are the pattern's groups.
struct CitationPattern {
  const char* regex;
  const char* format;
  std::vector<const char*> anchors;  // the regex runs only on texts holding one of these
};

const CitationPattern kPatterns[] = {
    // 8 U.S.C. § 1324, 18 USC 1591, 18 U.S.C. 1593A
    {"\\b(8|18) u ?s ?c (?:sec |section |ss )?(\\d{3,4}[a-z]?)\\b", "USA:$1-USC:$2", {" u s c ", " usc "}},
    // art. 197a Sr, artikel 273f van het Wetboek van Strafrecht, 197b Sr
    {"\\b(?:art|artikel|article|arts|artikelen) (\\d{2,3}[a-z]?) (?:lid \\d+ )?(?:van het )?(?:sr|wetboek van strafrecht|wvsr)\\b",
     "NLD:SR:$1", {" sr", "strafrecht"}},
    {"\\b(\\d{3}[a-z]?) sr\\b", "NLD:SR:$1", {" sr"}},
    // § 96 AufenthG, § 232a Abs. 1 StGB
    {"\\b(\\d{2,3}[a-z]?) (?:abs \\d+ )?(?:satz \\d+ )?(?:nr \\d+ )?(aufenthg|stgb)\\b", "DEU:$2:$1", {"aufenthg", "stgb"}},
    // article L823-1 du CESEDA, art. L. 823-3 CESEDA
    {"\\b(?:articles?|art) l ?(\\d{3}) (\\d{1,2}) (?:du |de |of the )?(?:ceseda|code de l entree)", "FRA:CESEDA:L$1-$2", {"ceseda", "code de l entree"}},
    // article 225-4-1 du code pénal
    {"\\b(?:articles?|art) (\\d{3}) (\\d{1,2}) (\\d{1,2}) (?:du |of the )?(?:code penal|french criminal code|cp)\\b",
     "FRA:CP:$1-$2-$3", {"code penal", "criminal code", " cp"}},
    // art. 12 d.lgs. 286/1998, articolo 12-bis del decreto legislativo n. 286 del 1998
    {"\\b(?:art|articolo|article) (\\d{1,3})(?: (bis|ter|quater))? (?:comma \\d+ )?(?:del |of )?(?:d ?lgs|decreto legislativo|legislative decree)(?: n)? 286(?: del| of)? (?:1998)?",
     "ITA:DLGS-286-1998:$1-$2", {" 286"}},
    // article 6 of the Smuggling Protocol / du Protocole contre le trafic illicite de migrants
    {"\\b(?:article|art|articles|artikel|articolo|articulo)s? (\\d{1,2})(?: (?:paragraph|para|paragraphe|lid|comma|apartado) \\d+)?(?: [a-z])? "
     "(?:of the |du |del |van het |des |dello |de la |of )?(?:un )?(?:smuggling (?:of migrants )?protocol|migrant smuggling protocol|"
     "protocol against the smuggling of migrants|protocole contre le trafic illicite de migrants|"
     "protocolo contra el trafico ilicito de migrantes|protocollo (?:per combattere )?(?:contro )?il traffico di migranti|"
     "smokkelprotocol|protocol tegen de smokkel van migranten)",
     "INT:SOM-PROTOCOL:$1", {"protoc", "smokkelprotocol"}},
    {"\\b(?:article|art|articles|artikel|articolo|articulo)s? (\\d{1,2})(?: (?:paragraph|para|paragraphe|lid|comma|apartado) \\d+)?(?: [a-z])? "
     "(?:of the |du |del |van het |des |dello |de la |of )?(?:un )?(?:trafficking (?:in persons )?protocol|palermo protocol|"
     "protocol to prevent suppress and punish trafficking|protocole visant a prevenir reprimer et punir la traite|"
     "protocolo para prevenir reprimir y sancionar la trata|protocol inzake mensenhandel)",
     "INT:TIP-PROTOCOL:$1", {"protoc"}},
    {"\\b(?:article|art|articles|artikel|articolo|articulo)s? (\\d{1,2})(?: (?:paragraph|para|paragraphe|lid|comma|apartado) \\d+)?(?: [a-z])? "
     "(?:of the |du |del |van het |de la |of )?(?:un )?(?:untoc|palermo convention|organized crime convention|"
     "convention against transnational organi[sz]ed crime|convention contre la criminalite transnationale organisee|"
     "convencion contra la delincuencia organizada transnacional)",
     "INT:UNTOC:$1", {"untoc", "convention", "convencion"}},
};

std::string fill(const char* format, const icu::RegexMatcher& m) {
  std::string out;
  UErrorCode status = U_ZERO_ERROR;
  for (const char* p = format; *p; ++p) {
    if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
      int group = p[1] - '0';
      std::string part;
      if (group <= m.groupCount()) m.group(group, status).toUTF8String(part);
      if (part.empty() && !out.empty() && out.back() == '-') out.pop_back();  // "12-" without bis
      out += part;
      ++p;
    } else {
      out.push_back(*p);
    }
  }
  return out;
}

// Article suffixes as the instruments write them: "1593A" in the U.S. Code, "197a" in Dutch law.
std::string normalise(std::string cite) {
  if (cite.rfind("USA:", 0) == 0 && !cite.empty() && std::isalpha(static_cast<unsigned char>(cite.back())))
    cite.back() = static_cast<char>(std::toupper(static_cast<unsigned char>(cite.back())));
  if (cite.rfind("DEU:", 0) == 0) {
    size_t a = cite.find(':'), b = cite.find(':', a + 1);
    for (size_t i = a + 1; i < b; ++i) cite[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(cite[i])));
  }
  return cite;
}

}  // namespace

std::vector<std::string> extract_citations(const std::vector<Token>& words) {
  static thread_local std::vector<std::unique_ptr<icu::RegexPattern>> compiled = [] {
    std::vector<std::unique_ptr<icu::RegexPattern>> out;
    for (const auto& p : kPatterns) {
      UErrorCode status = U_ZERO_ERROR;
      UParseError where;
      out.emplace_back(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(p.regex), 0, where, status));
      if (U_FAILURE(status)) out.back().reset();
    }
    return out;
  }();
  std::string folded8;
  for (const Token& w : words) (folded8 += w.term) += ' ';
  icu::UnicodeString folded = icu::UnicodeString::fromUTF8(folded8);
  std::set<std::string> found;
  for (size_t i = 0; i < compiled.size(); ++i) {
    const auto& anchors = kPatterns[i].anchors;
    bool anchored = std::any_of(anchors.begin(), anchors.end(), [&](const char* a) { return folded8.find(a) != std::string::npos; });
    if (!compiled[i] || !anchored) continue;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> m(compiled[i]->matcher(folded, status));
    if (U_FAILURE(status)) continue;
    m->setTimeLimit(200, status);  // bounded work per pattern, whatever the text
    while (m->find(status) && U_SUCCESS(status)) found.insert(normalise(fill(kPatterns[i].format, *m)));
  }
  return {found.begin(), found.end()};
}

}  // namespace jurisdex
