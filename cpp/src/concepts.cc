#include "concepts.h"

#include <unicode/regex.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "jurisdex/vocabulary.h"
#include "substring_set.h"

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
// Fields whose synonyms serve coding help only: searching for "appeal" must not reach every
// appeal judgment as a concept.
const std::pair<const char*, const char*> kCodingFields[] = {
    {"court_level", "court_level"},
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

std::shared_ptr<const ConceptMatcher> ConceptMatcher::shared(const Vocabulary& vocabulary) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const ConceptMatcher>> built;  // by vocabulary text
  std::lock_guard<std::mutex> lock(mutex);
  for (auto it = built.begin(); it != built.end();) it = it->second.expired() ? built.erase(it) : std::next(it);
  auto& slot = built[vocabulary.source_text()];
  if (auto matcher = slot.lock()) return matcher;
  Analyzer analyzer;
  auto matcher = std::make_shared<const ConceptMatcher>(vocabulary, analyzer);
  slot = matcher;
  return matcher;
}

ConceptMatcher::ConceptMatcher(const Vocabulary& vocabulary, Analyzer& analyzer) {
  auto add = [&](const std::string& lang, const std::string& text, const std::string& concept, bool searched = true) {
    std::vector<Token> tokens = analyzer.tokenize(text);
    if (tokens.empty()) return;
    Phrase p{stems_of(tokens, 0, tokens.size(), lang, analyzer), {}, concept, searched};
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
  for (const auto& [field, facet] : kCodingFields) {
    const auto fields = vocabulary.fields();
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) continue;
    for (const auto& code : vocabulary.codes(field))
      for (const auto& [lang, synonyms] : vocabulary.synonyms(field, code))
        for (const auto& synonym : synonyms) add(lang, synonym, std::string(facet) + ":" + code, false);
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
      if (p.searched && i + p.stems.size() <= stems.size() && same(p, i)) ++found[p.code];
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

std::vector<ConceptMatcher::Match> ConceptMatcher::matches(const std::vector<Token>& tokens, Analyzer& analyzer) const {
  std::vector<Match> out;
  for (const auto& [lang, by_stem] : phrases_) {
    std::vector<std::string> stems = stems_of(tokens, 0, tokens.size(), lang, analyzer);
    for (size_t i = 0; i < stems.size(); ++i) {
      auto candidates = by_stem.find(stems[i]);
      if (candidates == by_stem.end()) continue;
      for (const Phrase& p : candidates->second) {
        if (!p.searched || i + p.stems.size() > stems.size()) continue;
        bool same = true;
        for (size_t k = 0; k < p.stems.size() && same; ++k)
          same = p.stems[k] == stems[i + k] && (p.exact[k].empty() || inflects(p.exact[k], tokens[i + k].term));
        if (same) out.push_back({p.code, lang, i, i + p.stems.size()});
      }
    }
  }
  return out;
}

std::vector<ConceptMatcher::Match> ConceptMatcher::coding_matches(const std::vector<Token>& words,
                                                                  const std::vector<std::string>& stems,
                                                                  const std::string& lang) const {
  std::vector<Match> out;
  auto by_lang = phrases_.find(lang);
  if (by_lang == phrases_.end()) return out;
  for (size_t i = 0; i < stems.size(); ++i) {
    auto candidates = by_lang->second.find(stems[i]);
    if (candidates == by_lang->second.end()) continue;
    for (const Phrase& p : candidates->second) {
      if (i + p.stems.size() > stems.size()) continue;
      if (p.code.compare(0, 6, "topic:") == 0 || p.code.compare(0, 8, "country:") == 0) continue;
      bool same = true;
      for (size_t k = 0; k < p.stems.size() && same; ++k)
        same = p.stems[k] == stems[i + k] && (p.exact[k].empty() || inflects(p.exact[k], words[i + k].term));
      if (same) out.push_back({p.code, lang, i, i + p.stems.size()});
    }
  }
  return out;
}

// ---- Citations ----

namespace {

// Patterns over folded text (lower case, no accents, punctuation gone: "8 U.S.C. § 1324" reads
// "8 u s c 1324"). Each gives a format where $1, $2... are the pattern's groups.
struct CitationPattern {
  const char* regex;
  const char* format;
  // The regex runs only on texts holding one of these. Words are joined by single spaces (and
  // the text ends with one), so " lei " is the word "lei": an anchor that every match of the
  // regex holds changes no result, and the tighter it is, the fewer texts the regex reads.
  std::vector<const char*> anchors;
};

const CitationPattern kPatterns[] = {
    // 8 U.S.C. § 1324, 18 USC 1591, 18 U.S.C. 1593A
    {"\\b(8|18) u ?s ?c (?:sec |section |ss )?(\\d{3,4}[a-z]?)\\b", "USA:$1-USC:$2", {" u s c ", " usc "}},
    // art. 197a Sr, artikel 273f van het Wetboek van Strafrecht, 197b Sr
    {"\\b(?:art|artikel|article|arts|artikelen) (\\d{2,3}[a-z]?) (?:lid \\d+ )?(?:van het )?(?:sr|wetboek van strafrecht|wvsr)\\b",
     "NLD:SR:$1", {" sr", "strafrecht"}},
    {"\\b(\\d{3}[a-z]?) sr\\b", "NLD:SR:$1", {" sr "}},
    // § 96 AufenthG, § 232a Abs. 1 StGB
    {"\\b(\\d{2,3}[a-z]?) (?:abs \\d+ )?(?:satz \\d+ )?(?:nr \\d+ )?(aufenthg|stgb)\\b", "DEU:$2:$1", {"aufenthg", "stgb"}},
    // article L823-1 du CESEDA, art. L. 823-3 CESEDA
    {"\\b(?:articles?|art) l ?(\\d{3}) (\\d{1,2}) (?:du |de |of the )?(?:ceseda|code de l entree)", "FRA:CESEDA:L$1-$2", {"ceseda", "code de l entree"}},
    // article 225-4-1 du code pénal
    {"\\b(?:articles?|art) (\\d{3}) (\\d{1,2}) (\\d{1,2}) (?:du |of the )?(?:code penal|french criminal code|cp)\\b",
     "FRA:CP:$1-$2-$3", {"code penal", "criminal code", " cp"}},
    // art. 12 d.lgs. 286/1998, articolo 12-bis del decreto legislativo n. 286 del 1998
    {"\\b(?:art|articolo|article) (\\d{1,3})(?: (bis|ter|quater))? (?:comma \\d+ )?(?:del |of )?(?:d ?lgs|decreto legislativo|legislative decree)(?: n)? 286(?: del| of)? (?:1998)?",
     "ITA:DLGS-286-1998:$1-$2", {" 286 "}},
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
    // National instruments of corpus/legislation.jsonl. Where an id ends in a capital letter
    // ("233A"), a pattern per letter gives it literally: folded text is lower case.
    {"\\b(?:art|arts|articulo|articulos|article|articles) (318|177) ?bis\\b",
     "ESP:CP:$1bis", {" cp ", "codigo penal", "c penal", "criminal code"}},
    {"\\b(?:s|section|sections|ss) (25)(?: \\d{1,2})?(?: [a-z])?(?: of the| of)? (?:immigration act 1971|1971 act)\\b",
     "GBR:IA-1971:$1", {"immigration act 1971", "1971 act"}},
    {"\\b(?:s|section|sections|ss) ([12])(?: \\d{1,2})?(?: [a-z])?(?: of the| of)? modern slavery act(?: 2015)?\\b",
     "GBR:MSA-2015:$1", {"modern slavery act"}},
    {"\\b(?:art|arts|article|articles|arthro|αρθρο|αρθρου)s? (\\d{1,3})(?: (?:par|para|paragraph|παρ) \\d+)?(?: (?:of|του))?(?: (?:law|l|n|ν|greek law))? (3386|4251|5038) (2005|2014|2023)\\b",
     "GRC:L-$2-$3:$1", {"3386", "4251", "5038"}},
    {"\\b(?:s|section|sections|ss) (11[78]|37)(?: \\d)?(?: [a-z])?(?: of the)? (?:immigration and refugee protection act|irpa)\\b",
     "CAN:IRPA:$1", {"refugee protection act", "irpa"}},
    {"\\birpa (?:s|section|ss) (\\d{1,3})\\b",
     "CAN:IRPA:$1", {"irpa"}},
    {"\\b233a\\b",
     "AUS:MIGRATION-ACT-1958:233A", {"migration act"}},
    {"\\b233b\\b",
     "AUS:MIGRATION-ACT-1958:233B", {"migration act"}},
    {"\\b233c\\b",
     "AUS:MIGRATION-ACT-1958:233C", {"migration act"}},
    {"\\b(?:art|artikel|article|artikelen|articles) (77) ?(bis|ter|quater|quinquies)\\b(?: \\d)*(?: (?:van de|de la|of the))? (?:vreemdelingenwet|wet van 15 december 1980|loi du 15 decembre 1980|aliens act)\\b",
     "BEL:VW-1980:$1$2", {"vreemdelingenwet", "15 december 1980", "15 decembre 1980", "aliens act"}},
    {"\\b(?:art|artikel|article) (433) ?(quinquies|sexies|septies|octies)\\b(?: \\d)*(?: (?:van het|du))? (?:strafwetboek|sw|code penal|cp)\\b",
     "BEL:SW:$1$2", {"433"}},
    {"\\b(?:art|artt|articolo|articoli|article) (600|601|602)(?: (bis|ter))?(?: \\d{3}(?: bis| ter)?)*(?: e \\d+(?: bis| ter)?)*(?: (?:del|of the))? (?:c p|cp|codice penale|criminal code)\\b(?! c\\b)",
     "ITA:CP:$1-$2", {"c p", " cp", "codice penale"}},
    {"\\b(?:art|arts|articulo|articulos|article|articles) (116|117|118|119|120|121)\\b(?: (?:inc|inciso) [a-z0-9]+)?(?: en funcion del(?: art)? 1[12]\\d)?(?: (?:de la|del))? ley(?: n| nro| no)? 25 ?871\\b",
     "ARG:LEY-25871:$1", {"25 871", "25871"}},
    {"\\b(?:art|arts|articulo|articulos|article|articles) (145|127) ?(bis|ter)\\b",
     "ARG:CP:$1$2", {"codigo penal", " cp ", "26 842", "26 364", "25 087"}},
    {"\\b(114|115|116|117|118|119|120)(?: (?:abs|z|satz|ziff|lit) [0-9a-z]+)*(?: (?:des|of the))? (?:fpg|fremdenpolizeigesetz|fremdenpolizeigesetzes)\\b",
     "AUT:FPG:$1", {"fpg", "fremdenpolizeigesetz"}},
    {"\\b(?:art|articulo|articulos) 188\\b(?: (?:inc|numeral|num) \\d+)*(?: del)? (?:codigo penal|c p|cp)\\b(?: colombiano)?",
     "COL:CP:188", {"colombia"}},
    {"\\b(?:art|articulo|articulos) 188 ?a\\b(?: (?:inc|numeral|num) \\d+)*(?: del)? (?:codigo penal|c p|cp)\\b(?: colombiano)?",
     "COL:CP:188A", {"colombia"}},
    {"\\b(?:art|articulo|articulos) 188 ?b\\b(?: (?:inc|numeral|num) \\d+)*(?: del)? (?:codigo penal|c p|cp)\\b(?: colombiano)?",
     "COL:CP:188B", {"colombia"}},
    {"\\b(?:art|articulo|articulos) 303 ?a\\b(?: (?:inc|inciso) \\d+)?(?: del)? (?:codigo penal|c p|cp)\\b",
     "PER:CP:303-A", {"codigo penal", " cp "}},
    {"\\b(?:art|articulo|articulos) 303 ?b\\b(?: (?:inc|inciso) \\d+)?(?: del)? (?:codigo penal|c p|cp)\\b",
     "PER:CP:303-B", {"codigo penal", " cp "}},
    {"\\b(?:art|artigo) 232 ?a\\b(?: \\d+ ?o?)?(?: [ivx]+)?(?: do)? (?:codigo penal|cp)\\b",
     "BRA:CP:232-A", {"codigo penal", " cp "}},
    {"\\b(?:art|artikel|article|articolo) (11[5-8])(?: (?:abs|al|cpv|para) \\d+)?(?: (?:lit|let) [a-z](?: bis)?)?(?: i v m abs \\d+)? (?:aig|aug|lei|letr|lstri|lstr)\\b",
     "CHE:AIG:$1", {" aig ", " aug ", " lei ", " letr ", " lstr ", " lstri "}},
    {"\\b(340|341)(?: odst \\d+(?: \\d+)*)?(?: pism [a-z])?(?: (?:tr zakoniku|trestniho zakoniku|trestniho zakona))\\b",
     "CZE:TZ:$1", {"tr zakoniku", "trestniho zakonik"}},
    {"\\b(355|356)(?: ods \\d+(?: pism [a-z])?)*(?: (?:tr zak|tr zakona|trestneho zakona))\\b",
     "SVK:TZ:$1", {"tr zak", "trestneho zakona"}},
    {"\\b(?:s|section|sec)? ?(259)(?: \\d)?(?: (?:of the estonian penal code|of the penal code|karistusseadustiku|ksp?))\\b",
     "EST:KARS:$1", {"estonia", "karistusseadustik"}},
    {"\\b(?:art|article|artikel|articolo|articulo|articles)s? (\\d)(?: \\d)?(?: [a-z])? (?:of |de la |del |van |der |della |de )?(?:council )?(?:directive|richtlijn|richtlinie|directiva|direttiva) (?:no )?2002 90\\b",
     "EUR:DIR-2002-90:$1", {"2002 90"}},
    {"\\b(?:s|section|sections) (\\d{1,2})(?: \\d+)*(?: of the)? human trafficking act 2005 (?:act 694|of ghana)\\b",
     "GHA:HTA-2005:$1", {"act 694", "of ghana"}},
    {"\\b(?:s|section|sections|ss) 37d\\b",
     "HKG:IO-CAP115:37D", {"immigration ordinance", "cap 115"}},
    {"\\bbtk (353)\\b",
     "HUN:BTK:$1", {"btk"}},
    {"\\b(353)(?: (?:ods|bekezdes|pont|pism|[a-z]|\\d+))* (?:btk|madarskeho trestneho zakona|hungarian criminal code)\\b",
     "HUN:BTK:$1", {"btk", "madarskeho", "hungarian"}},
    {"\\b(?:s|section|sections|u s|us) (370)\\b(?: \\d+)?(?: of the)? (?:ipc|indian penal code)\\b",
     "IND:IPC:$1", {"ipc", "indian penal code"}},
    {"\\b(?:s|section) (2)(?: \\d)?(?: of the)? illegal immigrants trafficking act\\b",
     "IRL:IITA-2000:$1", {"illegal immigrants trafficking act"}},
    {"\\b(?:art|article|articles) (382) (\\d)(?: (?:du|of the))? (?:code penal|criminal code)\\b",
     "LUX:CP:$1-$2", {"382 1", "382 2"}},
    {"\\b(?:section|sect|s|art|article) (285)(?: \\d)?(?: of the)? (?:criminal law|latvian criminal law)\\b",
     "LVA:KL:$1", {"criminal law"}},
    {"\\bkriminallikuma (285) pant",
     "LVA:KL:$1", {"kriminallikuma"}},
    {"\\b(?:art|article|articles) (5[0-9])(?: et 5\\d)?(?: (?:de la|of))? (?:loi|law)(?: n| no)? 0?2 03\\b",
     "MAR:LOI-02-03:$1", {"02 03"}},
    {"\\b(?:art|articolul|articolului|article) (362) ?1\\b(?: alin \\d+)?(?: (?:din|of the))? (?:codul penal|cod penal|cp|criminal code)\\b",
     "MDA:CP:362-1", {" 362 1 ", " 3621 "}},
    {"\\b(?:s|section|sections) 26a\\b",
     "MYS:ATIPSOM-2007:26A", {"anti smuggling of migrants", "atipsom"}},
    {"\\b(?:s|section|sections) 26b\\b",
     "MYS:ATIPSOM-2007:26B", {"anti smuggling of migrants", "atipsom"}},
    {"\\b(?:s|section|sections) (\\d{1,2})(?: \\d+| [a-z])*(?: and \\d+)?(?: of the)? (?:trafficking in persons prohibition enforcement and administration act|tippea act)\\b",
     "NGA:TIPPEA-2015:$1", {"administration act", "tippea"}},
    {"\\butlendingsloven (?:av 15 mai 2008 nr 35 )?(108)\\b",
     "NOR:UTLL:$1", {"utlendingsloven"}},
    {"\\b(108)(?: (?:forste|annet|tredje|fjerde|femte|sjette) ledd)?(?: bokstav [a-z])?(?: (?:i|jf))? utlendingsloven\\b",
     "NOR:UTLL:$1", {"utlendingsloven"}},
    {"\\b(?:s|section|sections) (\\d{1,2})(?: \\d+)*(?: of the)? human trafficking and transportation control act\\b",
     "NPL:HTTCA-2064:$1", {"human trafficking and transportation"}},
    {"\\b(?:s|section) 98c\\b",
     "NZL:CRIMES-ACT-1961:98C", {"crimes act 1961"}},
    {"\\b(?:s|sec|section) (\\d{1,2})(?: [a-z])?(?: of)? (?:ra|r a|republic act)(?: no)? 9208\\b",
     "PHL:RA-9208:$1", {"9208"}},
    {"\\b(?:art|arts|artigo|artigos) (\\d{2,3})(?: ?o)?\\b(?: [a-z0-9]+){0,12}? da lei(?: n ?o)? 23 2007\\b",
     "PRT:LEI-23-2007:$1", {"23 2007"}},
    {"\\b(?:s|section|ss) (?:2 )?(57)(?: \\d+)?(?: [a-z]{1,3})?(?: of the)? immigration act(?: cap 133| 1959)\\b",
     "SGP:IA-1959:$1", {"cap 133", "immigration act 1959"}},
    {"\\bclan[au]? (\\d{1,3})(?: stav \\d+)?(?: u vezi (?:stava|clana) \\d+)? (?:krivicnog zakonika|kz)\\b",
     "SRB:KZ:$1", {"krivicn", " kz"}},
    {"\\b(20) kap (\\d{1,2})(?: (?:forsta|andra|tredje) stycket)?(?: \\d+ p)? utlanningslagen\\b",
     "SWE:UTLL-2005-716:$1-$2", {"utlanningslagen"}},
    {"\\b(?:s|section) (\\d{1,2}) of the anti trafficking in persons act(?: b ?e)? (?:2551|2008)\\b",
     "THA:ATIPA-2008:$1", {"anti trafficking in persons act"}},
    {"\\btck(?: n[ıi]n)? (\\d{1,3}) madde",
     "TUR:TCK:$1", {"tck"}},
    {"\\b(?:s|section|sections) (\\d{1,2})(?: \\d+)?(?: [a-z])?(?: and \\d+(?: [a-z])?)?(?: of the)? (?:prevention of trafficking in persons act|ptip act)\\b",
     "UGA:PTIPA-2009:$1", {"prevention of trafficking in persons act", "ptip"}},
    {"\\b[dđ]ieu (\\d{3})(?: khoan \\d+)?(?: [dđ]iem [a-zđ])?(?: cua)? bo luat hinh su\\b",
     "VNM:BLHS-2015:$1", {"bo luat hinh su"}},
    {"\\b(?:s|section|sections|ss) (\\d{1,2})(?: \\d+| [a-z]| and| read with ss| read with s)*(?: of the)? prevention and combating of trafficking in persons act\\b",
     "ZAF:PACOTIP-2013:$1", {"prevention and combating of trafficking"}},
    {"\\b(?:art|articulo) (249)(?: ?(bis))?\\b(?: (?:de la|del))? (?:ley general de migracion|ley 8764|lgme)\\b",
     "CRI:LGME-8764:$1$2", {"ley general de migracion", "8764"}},
    {"\\b(?:art|articulo) (297)\\b(?: del)? (?:codigo penal|cp)\\b",
     "HND:CP:$1", {"honduras"}},
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
  // Every pattern's anchors, looked for in one pass: one std::string::find per anchor (117 of
  // them) was a sixth of an ingest's instructions. Anchor n is pattern_of[n]'s.
  struct Anchors {
    SubstringSet set;
    std::vector<size_t> pattern_of;
  };
  static const Anchors anchors = [] {
    std::vector<std::string> needles;
    std::vector<size_t> pattern_of;
    for (size_t i = 0; i < std::size(kPatterns); ++i)
      for (const char* a : kPatterns[i].anchors) needles.emplace_back(a), pattern_of.push_back(i);
    return Anchors{SubstringSet(needles), std::move(pattern_of)};
  }();
  std::string folded8;
  for (const Token& w : words) (folded8 += w.term) += ' ';
  std::vector<bool> anchored(compiled.size(), false);
  std::vector<bool> occurring = anchors.set.occurring(folded8);
  for (size_t n = 0; n < occurring.size(); ++n)
    if (occurring[n]) anchored[anchors.pattern_of[n]] = true;
  if (std::find(anchored.begin(), anchored.end(), true) == anchored.end()) return {};

  icu::UnicodeString folded = icu::UnicodeString::fromUTF8(folded8);
  std::set<std::string> found;
  for (size_t i = 0; i < compiled.size(); ++i) {
    if (!compiled[i] || !anchored[i]) continue;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> m(compiled[i]->matcher(folded, status));
    if (U_FAILURE(status)) continue;
    m->setTimeLimit(200, status);  // bounded work per pattern, whatever the text
    while (m->find(status) && U_SUCCESS(status)) found.insert(normalise(fill(kPatterns[i].format, *m)));
  }
  return {found.begin(), found.end()};
}

}  // namespace jurisdex
