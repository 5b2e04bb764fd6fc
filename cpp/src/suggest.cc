#include "jurisdex/suggest.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "concepts.h"
#include "jurisdex/analyzer.h"
#include "jurisdex/error.h"

namespace jurisdex {

namespace {

using WordSet = std::unordered_set<std::string>;

// ---- Words of each language (folded: lower case, no accents) ----

// Common words, to tell a text's language.
const std::map<std::string, WordSet> kCommon = {
    {"en", {"the", "of", "and", "to", "in", "was", "were", "for", "with", "that", "by", "his", "he", "court", "had"}},
    {"fr", {"le", "la", "les", "des", "du", "et", "en", "un", "une", "pour", "dans", "par", "a", "au", "qui", "est"}},
    {"es", {"el", "la", "los", "las", "del", "y", "en", "un", "una", "por", "para", "con", "que", "se", "fue"}},
    {"de", {"der", "die", "das", "und", "zu", "den", "von", "mit", "ein", "eine", "wurde", "im", "fur", "auf", "sich"}},
    {"it", {"il", "la", "di", "e", "che", "per", "un", "una", "del", "della", "dei", "con", "sono", "nel", "gli"}},
    {"nl", {"de", "het", "een", "van", "en", "in", "dat", "op", "voor", "met", "werd", "zijn", "hij", "door", "niet"}},
};

// Words that deny what follows them within a few words ("no organised group", "sin ánimo de lucro").
const std::map<std::string, WordSet> kNegations = {
    {"en", {"not", "no", "none", "nobody", "without", "neither", "nor", "never", "lack", "absence", "rejected", "dropped"}},
    {"fr", {"pas", "ni", "sans", "aucun", "aucune", "non", "absence", "ecarte", "ecartee", "ecarta", "rejete", "rejeta"}},
    {"es", {"no", "ni", "sin", "ningun", "ninguna", "nunca", "descarto", "descartada", "descarta", "ausencia", "rechazo"}},
    {"de", {"nicht", "kein", "keine", "keinen", "keiner", "keinem", "ohne", "weder", "verneinte", "fehlte"}},
    {"it", {"non", "senza", "nessun", "nessuna", "mai", "ne", "escluso", "esclusa", "escluse", "esclude"}},
    {"nl", {"niet", "geen", "zonder", "noch", "nooit", "verworpen"}},
};

// Number words 0-99 of each language, generated from their parts.
std::unordered_map<std::string, double> number_words(const std::string& lang) {
  std::unordered_map<std::string, double> w;
  auto units = [&](std::vector<const char*> names, int from) {
    for (size_t i = 0; i < names.size(); ++i) w[names[i]] = from + static_cast<int>(i);
  };
  if (lang == "en") {
    units({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
           "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}, 1);
    units({"twenty"}, 20), units({"thirty"}, 30), units({"forty"}, 40), units({"fifty"}, 50), units({"sixty"}, 60);
    units({"seventy"}, 70), units({"eighty"}, 80), units({"ninety"}, 90);
    w["a"] = w["an"] = w["single"] = 1;  // "a year", only before a unit (see read_number)
    w["hundred"] = 100;
  } else if (lang == "fr") {
    units({"un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze", "treize",
           "quatorze", "quinze", "seize"}, 1);
    w["une"] = 1, w["vingt"] = 20, w["trente"] = 30, w["quarante"] = 40, w["cinquante"] = 50, w["soixante"] = 60;
    w["cent"] = 100;
  } else if (lang == "es") {
    units({"uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce", "trece",
           "catorce", "quince", "dieciseis", "diecisiete", "dieciocho", "diecinueve", "veinte"}, 1);
    w["un"] = w["una"] = 1;
    const char* u[] = {"uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"};
    for (int i = 0; i < 9; ++i) w[std::string("veinti") + u[i]] = 21 + i;
    w["veintiun"] = 21;
    w["treinta"] = 30, w["cuarenta"] = 40, w["cincuenta"] = 50, w["sesenta"] = 60, w["cien"] = w["ciento"] = 100;
  } else if (lang == "it") {
    units({"uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci", "undici", "dodici",
           "tredici", "quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove"}, 1);
    w["un"] = w["una"] = 1;
    const std::pair<const char*, int> tens[] = {{"venti", 20}, {"trenta", 30}, {"quaranta", 40}, {"cinquanta", 50}, {"sessanta", 60}};
    const char* u[] = {"uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"};
    for (const auto& [t, v] : tens) {
      w[t] = v;
      std::string stem(t);
      for (int i = 0; i < 9; ++i) {
        std::string unit(u[i]);
        w[(unit[0] == 'u' || unit[0] == 'o' ? stem.substr(0, stem.size() - 1) : stem) + unit] = v + i + 1;
      }
    }
    w["cento"] = 100;
  } else if (lang == "de") {
    units({"eins", "zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwolf", "dreizehn",
           "vierzehn", "funfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"}, 1);
    for (const char* one : {"ein", "eine", "einem", "einen", "einer", "eines"}) w[one] = 1;
    const std::pair<const char*, int> tens[] = {{"zwanzig", 20}, {"dreissig", 30}, {"vierzig", 40}, {"funfzig", 50}, {"sechzig", 60}};
    const char* u[] = {"ein", "zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun"};
    for (const auto& [t, v] : tens) {
      w[t] = v;
      for (int i = 0; i < 9; ++i) w[std::string(u[i]) + "und" + t] = v + i + 1;
    }
    // "zweieinhalb" (2.5), "anderthalb" (1.5)
    w["anderthalb"] = w["eineinhalb"] = 1.5;
    for (int i = 1; i < 9; ++i) w[std::string(u[i]) + "einhalb"] = i + 1.5;
    w["hundert"] = 100;
  } else if (lang == "nl") {
    units({"een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf", "dertien",
           "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien"}, 1);
    const std::pair<const char*, int> tens[] = {{"twintig", 20}, {"dertig", 30}, {"veertig", 40}, {"vijftig", 50}, {"zestig", 60}};
    const char* u[] = {"een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"};
    for (const auto& [t, v] : tens) {
      w[t] = v;
      for (int i = 0; i < 9; ++i) w[std::string(u[i]) + "en" + t] = v + i + 1;
    }
    w["anderhalf"] = 1.5;
    for (int i = 1; i < 9; ++i) w[std::string(u[i]) + "enhalf"] = i + 1.5;
    w["honderd"] = 100;
  }
  return w;
}

// "and", joining tens and units written apart ("twenty-one" is two words, "vingt et un" three).
const WordSet kAnd = {"and", "et", "y", "e", "und", "en"};
// "and a half" after a number or its unit, as words of each language.
const std::vector<std::vector<std::string>> kHalf = {
    {"and", "a", "half"}, {"et", "demi"}, {"et", "demie"}, {"y", "medio"}, {"y", "media"}, {"e", "mezzo"}, {"e", "mezza"},
    {"en", "een", "half"}, {"und", "ein", "halb"}, {"und", "einhalb"}};

// Units of time, in months.
const std::unordered_map<std::string, double> kUnits = {
    {"year", 12}, {"years", 12}, {"yr", 12}, {"yrs", 12}, {"an", 12}, {"ans", 12}, {"annee", 12}, {"annees", 12},
    {"ano", 12}, {"anos", 12}, {"jahr", 12}, {"jahre", 12}, {"jahren", 12}, {"jahres", 12}, {"anno", 12}, {"anni", 12},
    {"jaar", 12}, {"jaren", 12},
    {"month", 1}, {"months", 1}, {"mois", 1}, {"mes", 1}, {"meses", 1}, {"monat", 1}, {"monate", 1}, {"monaten", 1},
    {"monats", 1}, {"mese", 1}, {"mesi", 1}, {"maand", 1}, {"maanden", 1},
    {"week", 12.0 / 52}, {"weeks", 12.0 / 52}, {"semaine", 12.0 / 52}, {"semaines", 12.0 / 52}, {"semana", 12.0 / 52},
    {"semanas", 12.0 / 52}, {"woche", 12.0 / 52}, {"wochen", 12.0 / 52}, {"settimana", 12.0 / 52},
    {"settimane", 12.0 / 52}, {"weken", 12.0 / 52},
    {"day", 1.0 / 30}, {"days", 1.0 / 30}, {"jours", 1.0 / 30}, {"dias", 1.0 / 30}, {"tage", 1.0 / 30},
    {"tagen", 1.0 / 30}, {"giorni", 1.0 / 30}, {"dagen", 1.0 / 30},
};

// Words of a custodial sentence near its length ("sentenced", "emprisonnement", "prisión").
const std::vector<std::string> kSentenceCues = {
    // en
    "sentenc", "imprison", "prison", "jail", "custod", "incarcerat", "gaol", "received", "term",
    // fr
    "emprisonnement", "peine", "condamn", "reclusion", "detention", "ferme", "ecope", "ecopa", "ecoper",
    // es
    "prision", "pena", "condena", "conden", "carcel", "presidio", "privacion", "privativa",
    // de
    "freiheitsstrafe", "haft", "gefangnis", "verurteil", "strafe", "jugendstrafe", "zuchthaus",
    // it
    "reclusione", "carcere", "condann", "arresto", "detenzione",
    // nl
    "gevangenisstraf", "celstraf", "jeugddetentie", "veroordeel", "gevangenis", "detentie", "kreeg", "kregen"};
// Words under which a length is not a sentence pronounced: a maximum the law sets, what the
// prosecution asked, a ban or an expulsion, an age ("25 years old"), a time ago.
const WordSet kNotPronounced = {
    // en
    "up", "maximum", "max", "punishable", "faces", "facing", "face", "faced", "risk", "sought", "requested", "demanded",
    "seeking", "ban", "banned", "expulsion", "expelled", "exclusion", "probation", "prosecutors", "prosecutor", "minimum",
    "carries", "carry", "provides",
    // fr
    "jusqu", "passible", "encourt", "encourait", "encouru", "requis", "requiert", "requerait", "reclame", "reclamait",
    "interdiction", "expulsion", "minimale", "maximale",
    // es
    "hasta", "maxima", "maximo", "castigado", "castiga", "solicitaba", "solicito", "solicitud", "pedia", "pidio",
    "prohibicion", "expulsion", "minima", "minimo",
    // de
    "bis", "hochstens", "hochststrafe", "drohen", "droht", "drohte", "drohten", "beantragt", "beantragte", "forderte",
    "gefordert", "einreiseverbot", "ausweisung", "verbot", "mindestens", "mindeststrafe",
    // it
    "fino", "massimo", "chiesto", "chiesti", "richiesta", "richiesto", "espulsione", "divieto", "rischia", "rischiano",
    "minimo",
    // nl
    "maximaal", "hoogste", "maximum", "eiste", "geeist", "eis", "inreisverbod", "verbod", "uitzetting", "minimaal"};
const WordSet kAfterNotPronounced = {"old", "ago", "earlier", "later", "before", "after", "trial", "investigation",
                                     "period", "long", "plus", "auparavant", "plus", "tot", "alt", "fa", "oud", "antes",
                                     "despues", "apres", "dopo", "nach", "spater"};
// A life sentence, as words of each language.
const std::vector<std::vector<std::string>> kLife = {
    {"life", "imprisonment"}, {"life", "sentence"}, {"life", "sentences"}, {"life", "in", "prison"}, {"to", "life"},
    {"imprisonment", "for", "life"}, {"perpetuite"}, {"cadena", "perpetua"}, {"prision", "permanente"},
    {"lebenslang"}, {"lebenslange"}, {"lebenslanger"}, {"lebenslangen"}, {"lebenslanglich"}, {"ergastolo"},
    {"ergastoli"}, {"levenslang"}, {"levenslange"}};

// Nouns counted: defendants, migrants or victims, the dead.
const WordSet kDefendantNouns = {
    "defendants", "accused", "appellants", "offenders", "perpetrators", "co", "prevenus", "accuses", "condamnes",
    "acusados", "procesados", "imputados", "condenados", "encausados", "angeklagte", "angeklagten", "beschuldigte",
    "beschuldigten", "verurteilte", "taeter", "tater", "imputati", "condannati", "accusati", "indagati",
    "verdachten", "veroordeelden", "defendant", "prevenu", "acusado", "procesado", "imputado", "angeklagter",
    "imputato", "verdachte", "smugglers", "traffickers", "passeurs", "trafiquants", "traficantes", "schleuser",
    "schlepper", "scafisti", "trafficanti", "passatori", "smokkelaars", "mensenhandelaars", "members", "membres",
    "miembros", "mitglieder", "membri", "leden"};
const WordSet kSingularDefendant = {"defendant", "accused", "appellant", "prevenu", "acusado", "procesado", "imputado",
                                    "angeklagte", "angeklagter", "imputato", "verdachte", "beklaagde"};
const WordSet kPeopleNouns = {
    "migrants", "people", "persons", "victims", "passengers", "women", "girls", "refugees", "foreigners", "nationals",
    "workers", "children", "minors", "aliens", "immigrants", "individuals", "asylum", "men",
    "personnes", "victimes", "passagers", "femmes", "etrangers", "refugies", "ressortissants", "travailleurs",
    "enfants", "mineurs", "clandestins", "exiles",
    "migrantes", "personas", "victimas", "pasajeros", "mujeres", "extranjeros", "inmigrantes", "trabajadores",
    "menores", "ninos", "nacionales",
    "migranten", "menschen", "personen", "opfer", "fluchtlinge", "frauen", "auslander", "geschleuste",
    "geschleusten", "arbeiter", "arbeitnehmer", "kinder", "minderjahrige",
    "migranti", "persone", "vittime", "passeggeri", "donne", "stranieri", "profughi", "clandestini", "lavoratori",
    "minori", "bambini", "cittadini",
    "mensen", "slachtoffers", "vreemdelingen", "vluchtelingen", "vrouwen", "staatsburgers", "werknemers", "kinderen",
    "minderjarigen", "illegalen"};
const WordSet kDeathWords = {
    "dead", "deaths", "died", "drowned", "perished", "bodies", "fatalities", "killed", "morts", "deces", "decedes",
    "noyes", "peri", "perirent", "muertos", "fallecidos", "murieron", "fallecieron", "ahogados", "muertes", "tote",
    "toten", "starben", "ertranken", "leichen", "todesopfer", "ertrunkene", "ertrunken", "morti", "deceduti",
    "morirono", "annegati", "cadaveri", "doden", "overleden", "verdronken", "stierven", "lichamen", "omgekomen"};
const WordSet kDeathOf = {"death", "deaths", "mort", "deces", "muerte", "muertes", "tod", "morte", "dood", "overlijden"};

bool starts_with_any(const std::string& word, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes)
    if (word.compare(0, p.size(), p) == 0) return true;
  return false;
}

// ---- A field's text, analysed ----

struct Text {
  std::string field;  // "title", "summary", "text", "court"
  std::string raw;
  std::vector<Token> words;
  std::vector<std::string> stems;
};

Evidence evidence_of(const Text& t, size_t from, size_t to) {
  Evidence e;
  e.field = t.field;
  e.start = t.words[from].start;
  e.end = t.words[to - 1].end;
  e.words = t.raw.substr(e.start, e.end - e.start);
  return e;
}

bool is_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A number at word @p i: digits ("38", "3,5" in the languages writing a decimal comma, "1.000"
// as a thousand), or number words ("twenty five", "vingt et un", "dreieinhalb").
// Sets @p next to the first word after it. Returns < 0 when there is none.
double read_number(const Text& t, size_t i, const std::unordered_map<std::string, double>& words,
                   const std::string& lang, size_t& next) {
  const auto& w = t.words;
  if (i >= w.size()) return -1;
  if (is_digits(w[i].term)) {
    double v = std::stod(w[i].term.substr(0, 9));
    next = i + 1;
    // "3,5" or "2.47" (a decimal) and "1.000" (a thousand): words joined by one mark in the text.
    if (next < w.size() && is_digits(w[next].term) && w[next].start == w[i].end + 1) {
      char mark = t.raw[w[i].end];
      bool thousands = w[next].term.size() == 3 && (mark == '.' || mark == ',' || mark == ' ');
      if (thousands && !(lang == "en" ? mark == '.' : mark == ',')) {
        v = v * 1000 + std::stod(w[next].term);
        ++next;
      } else if (mark == (lang == "en" ? '.' : ',')) {
        v += std::stod("0." + w[next].term.substr(0, 6));
        ++next;
      }
    }
    return v;
  }
  auto it = words.find(w[i].term);
  if (it == words.end()) return -1;
  double v = it->second;
  next = i + 1;
  // "a"/"an"/"un" alone are numbers only before a unit (checked by the caller's use).
  // tens + units written apart: "twenty five", "vingt et un", "treinta y cinco".
  if (v >= 20 && v < 100 && std::fmod(v, 10) == 0 && next < w.size()) {
    size_t k = next;
    if (kAnd.count(w[k].term) && k + 1 < w.size()) ++k;
    auto unit = words.find(w[k].term);
    if (unit != words.end() && unit->second >= 1 && unit->second <= 9 && is_digits(w[k].term) == false) {
      v += unit->second;
      next = k + 1;
    }
  }
  // "dix sept" (17), "soixante dix" (70)
  if (lang == "fr" && v >= 10 && next < w.size() && (w[next].term == "sept" || w[next].term == "huit" || w[next].term == "neuf") && v == 10) {
    v += words.at(w[next].term);
    ++next;
  }
  return v;
}

// "and a half" at word @p i: the number of words it spans, or 0.
size_t half_at(const Text& t, size_t i) {
  for (const auto& h : kHalf) {
    if (i + h.size() > t.words.size()) continue;
    bool same = true;
    for (size_t k = 0; k < h.size() && same; ++k) same = t.words[i + k].term == h[k];
    if (same) return h.size();
  }
  return 0;
}

bool phrase_at(const Text& t, size_t i, const std::vector<std::string>& phrase) {
  if (i + phrase.size() > t.words.size()) return false;
  for (size_t k = 0; k < phrase.size(); ++k)
    if (t.words[i + k].term != phrase[k]) return false;
  return true;
}

// A length of time in months at word @p i ("seven years and six months", "4 ans", "dreieinhalb
// Jahren", "two and a half years"), spanning [i, end).
bool read_duration(const Text& t, size_t i, const std::unordered_map<std::string, double>& words,
                   const std::string& lang, double& months, size_t& end) {
  size_t k = 0;
  double n = read_number(t, i, words, lang, k);
  if (n <= 0 || k >= t.words.size()) return false;
  size_t half = half_at(t, k);  // "two and a half years"
  if (half) n += 0.5, k += half;
  if (k >= t.words.size()) return false;
  auto unit = kUnits.find(t.words[k].term);
  if (unit == kUnits.end()) return false;
  months = n * unit->second;
  end = k + 1;
  if ((half = half_at(t, end))) months += 0.5 * unit->second, end += half;  // "deux ans et demi"
  // "and six months" after years: "seven years and six months", "dos años y seis meses", "3 Jahre, 6 Monate"
  if (unit->second == 12) {
    size_t j = end;
    if (j < t.words.size() && kAnd.count(t.words[j].term)) ++j;
    size_t after = 0;
    double m = read_number(t, j, words, lang, after);
    if (m > 0 && after < t.words.size()) {
      auto small = kUnits.find(t.words[after].term);
      if (small != kUnits.end() && small->second < 12) months += m * small->second, end = after + 1;
    }
  }
  return true;
}

struct Found {
  double value = 0;
  double confidence = 0;
  Evidence evidence;
};

}  // namespace

const std::vector<std::string>& suggestible_fields() {
  static const std::vector<std::string> fields = {
      "offences", "aggravations", "financial_benefit.element", "financial_benefit.kinds", "outcome", "court_level",
      "sentence_months", "life_sentence", "defendants", "migrants_or_victims", "deaths"};
  return fields;
}

struct Suggester::Impl {
  Vocabulary vocabulary;
  std::shared_ptr<const ConceptMatcher> concepts;
  mutable std::mutex mutex;
  mutable Analyzer analyzer;
  std::map<std::string, std::unordered_map<std::string, double>> numbers;  // by language
  unsigned large_group = kDefaultLargeGroup;

  Text analyse(const std::string& field, const std::string& raw, const std::string& lang) const {
    Text t{field, raw, analyzer.tokenize(raw), {}};
    for (const Token& w : t.words) t.stems.push_back(analyzer.stem(w.term, lang));
    return t;
  }

  bool negated(const Text& t, size_t at, const std::string& lang) const {
    auto neg = kNegations.find(lang);
    if (neg == kNegations.end()) return false;
    for (size_t k = at >= 4 ? at - 4 : 0; k < at; ++k)
      if (neg->second.count(t.words[k].term)) return true;
    return false;
  }

  std::vector<Suggestion> suggest(const std::vector<Text>& texts, const std::string& lang) const;
  void concepts_of(const std::vector<Text>& texts, const std::string& lang, std::vector<Suggestion>& out) const;
  void numbers_of(const std::vector<Text>& texts, const std::string& lang, std::vector<Suggestion>& out) const;
};

namespace {

// Codes whose field takes one value, and how much a mention in each field counts.
bool single_valued(const std::string& field) {
  return field != "offences" && field != "aggravations" && field != "financial_benefit.kinds";
}

// Facet names of the matcher's concepts -> record fields.
std::string record_field(const std::string& facet) {
  if (facet == "financial_benefit") return "financial_benefit.element";
  if (facet == "benefit_kinds") return "financial_benefit.kinds";
  return facet;
}

}  // namespace

void Suggester::Impl::concepts_of(const std::vector<Text>& texts, const std::string& lang,
                                  std::vector<Suggestion>& out) const {
  // field -> code -> (probability that no mention is right, evidence)
  std::map<std::string, std::map<std::string, std::pair<double, std::vector<Evidence>>>> found;
  for (const Text& t : texts) {
    std::vector<ConceptMatcher::Match> matches = concepts->coding_matches(t.words, t.stems, lang);
    // A mention inside a longer one of the same field counts once ("court of appeal" is not
    // also "appeal").
    for (const auto& m : matches) {
      size_t colon = m.code.find(':');
      std::string field = record_field(m.code.substr(0, colon)), code = m.code.substr(colon + 1);
      if (field == "financial_benefit.element" && code == "unknown") continue;
      bool inside = false;
      for (const auto& other : matches)
        inside |= &other != &m && other.from <= m.from && other.to >= m.to && other.to - other.from > m.to - m.from &&
                  record_field(other.code.substr(0, other.code.find(':'))) == field;
      bool repeated = false;  // two synonyms with the same stems ("condamné", "condamne")
      for (const auto& other : matches) {
        if (&other == &m) break;
        repeated |= other.code == m.code && other.from == m.from && other.to == m.to;
      }
      if (inside || repeated) continue;
      // Denied facts are no evidence of an aggravation, of the benefit or of its kind; an
      // offence is coded when charged, even if the court rejects it.
      if (field != "offences" && field != "outcome" && field != "court_level" && negated(t, m.from, lang)) continue;
      double p = m.to - m.from > 1 ? 0.7 : 0.55;
      if (t.field == "court" && field == "court_level") p = 0.9;
      if (t.field == "title") p = std::min(0.9, p + 0.15);
      auto& slot = found[field][code];
      if (slot.second.empty()) slot.first = 1.0;
      slot.first *= 1 - p;
      slot.second.push_back(evidence_of(t, m.from, m.to));
    }
  }
  for (const auto& field : suggestible_fields()) {
    auto it = found.find(field);
    if (it == found.end()) continue;
    std::vector<Suggestion> mine;
    for (const auto& [code, slot] : it->second)
      mine.push_back({field, code, 0, 1 - slot.first, slot.second});
    std::stable_sort(mine.begin(), mine.end(), [](const Suggestion& a, const Suggestion& b) {
      return a.confidence != b.confidence ? a.confidence > b.confidence : a.evidence.size() > b.evidence.size();
    });
    if (single_valued(field) && mine.size() > 1) {
      // Rivals lower the winner's confidence: "convicted" and "acquitted" in one summary.
      double rival = mine[1].confidence;
      mine.resize(1);
      mine[0].confidence *= 1 - 0.5 * rival;
    }
    out.insert(out.end(), mine.begin(), mine.end());
  }
}

void Suggester::Impl::numbers_of(const std::vector<Text>& texts, const std::string& lang,
                                 std::vector<Suggestion>& out) const {
  static const std::unordered_map<std::string, double> none;
  auto nw = numbers.find(lang);
  const auto& words = nw == numbers.end() ? none : nw->second;
  Found sentence, life, defendants, people, deaths, one_defendant;
  auto keep_max = [](Found& slot, double value, double confidence, Evidence e) {
    if (value > slot.value || (value == slot.value && confidence > slot.confidence)) slot = {value, confidence, std::move(e)};
  };
  auto not_pronounced = [&](const Text& t, size_t from) {
    for (size_t k = from >= 5 ? from - 5 : 0; k < from; ++k) {
      const std::string& w = t.words[k].term;
      if (!kNotPronounced.count(w)) continue;
      // "zwei bis drei Jahre", "from two to three years": a range, not a maximum
      size_t ignored = 0;
      if (w == "bis" && k > 0 && read_number(t, k - 1, words, lang, ignored) > 0) continue;
      return true;
    }
    return false;
  };
  for (const Text& t : texts) {
    if (t.field == "court") continue;
    const auto& w = t.words;
    for (size_t i = 0; i < w.size(); ++i) {
      // Life sentences.
      for (const auto& phrase : kLife)
        if (phrase_at(t, i, phrase) && !not_pronounced(t, i)) keep_max(life, 1, 0.85, evidence_of(t, i, i + phrase.size()));
      // Sentence lengths: a length of time with a word of sentencing near it.
      double months = 0;
      size_t end = 0;
      if (read_duration(t, i, words, lang, months, end)) {
        bool cue = false;
        for (size_t k = i >= 8 ? i - 8 : 0; k < std::min(w.size(), end + 6) && !cue; ++k)
          cue = starts_with_any(w[k].term, kSentenceCues);
        bool after_ok = end >= w.size() || !kAfterNotPronounced.count(w[end].term);
        // An age in apposition ("Mirkhan R., 26 ans, ...") or named ("aged 26 years", "de 70 ans").
        bool comma_before = i > 0 && t.raw.find(',', w[i - 1].end) < w[i].start;
        bool comma_after = end < w.size() && t.raw.find(',', w[end - 1].end) < w[end].start;
        static const WordSet kAge = {"aged", "age", "agee", "agees", "ages", "edad", "alter", "alt", "alters", "eta", "leeftijd", "oud"};
        bool age = (comma_before && comma_after) || (i > 0 && kAge.count(w[i - 1].term)) ||
                   (i > 1 && kAge.count(w[i - 2].term)) || (end < w.size() && kAge.count(w[end].term));
        if (cue && after_ok && !age && !not_pronounced(t, i) && months >= 0.5 && months < 12 * 5000)
          keep_max(sentence, std::round(months), 0.85, evidence_of(t, i, end));
        i = end - 1;
        continue;
      }
      // Counts: "39 defendants", "267 migrants", "43 women and girls", "drei Tote".
      size_t next = 0;
      double n = read_number(t, i, words, lang, next);
      if (n >= 1 && n == std::floor(n) && next < w.size() && !(is_digits(w[i].term) && n >= 1900 && n <= 2100 && w[i].term.size() == 4)) {
        bool article = words.count(w[i].term) && words.at(w[i].term) == 1 && !is_digits(w[i].term);
        if (article) continue;  // "a", "un", "een": an article far more often than a count
        for (size_t k = next; k < std::min(w.size(), next + 3); ++k) {
          const std::string& noun = w[k].term;
          if (kAnd.count(noun) || kUnits.count(noun)) break;  // "10,000 euros and died": not a count of the dead
          if (kDeathWords.count(noun)) {
            keep_max(deaths, n, 0.8, evidence_of(t, i, k + 1));
            break;
          }
          if (kDefendantNouns.count(noun)) {
            keep_max(defendants, n, 0.75, evidence_of(t, i, k + 1));
            break;
          }
          if (kPeopleNouns.count(noun)) {
            // "43 migrants died", "12 persons drowned": the dead
            if (k + 1 < w.size() && kDeathWords.count(w[k + 1].term)) keep_max(deaths, n, 0.8, evidence_of(t, i, k + 2));
            else if (k + 1 < w.size() && kDefendantNouns.count(w[k + 1].term)) keep_max(defendants, n, 0.6, evidence_of(t, i, k + 2));
            else keep_max(people, n, 0.7, evidence_of(t, i, k + 1));
            break;
          }
        }
      }
      // "the death of 39", "la mort de 12"
      if (kDeathOf.count(w[i].term) && i + 2 < w.size()) {
        size_t at = i + 2, after = 0;
        double d = read_number(t, at, words, lang, after);
        if (d >= 2 && d == std::floor(d) && d < 10000) keep_max(deaths, d, 0.7, evidence_of(t, i, after));
      }
      // One defendant named as such ("the defendant", "el acusado"): one, unless a count says more.
      if (kSingularDefendant.count(w[i].term) && i > 0 && one_defendant.evidence.words.empty()) {
        const std::string& before = w[i - 1].term;
        static const WordSet articles = {"the", "le", "la", "l", "el", "der", "die", "il", "lo", "de", "het"};
        if (articles.count(before)) one_defendant = {1, 0.5, evidence_of(t, i - 1, i + 1)};
      }
    }
  }
  auto emit = [&](const char* field, const Found& f) {
    if (f.evidence.words.empty()) return;
    Suggestion s;
    s.field = field;
    s.number = f.value;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", f.value);
    s.value = std::string(field) == "life_sentence" ? "true" : std::string(buf);
    s.confidence = f.confidence;
    s.evidence.push_back(f.evidence);
    out.push_back(std::move(s));
  };
  if (life.value > 0) sentence = {};  // a life sentence has no months
  emit("sentence_months", sentence);
  emit("life_sentence", life);
  emit("defendants", defendants.value > 0 ? defendants : one_defendant);
  emit("migrants_or_victims", people);
  emit("deaths", deaths);
  // Aggravations the counts show: people died; a large group carried or exploited.
  auto aggravation = [&](const char* code, const Found& f, double confidence) {
    for (auto& s : out)
      if (s.field == "aggravations" && s.value == code) {
        s.confidence = 1 - (1 - s.confidence) * (1 - confidence);
        s.evidence.push_back(f.evidence);
        return;
      }
    out.push_back({"aggravations", code, 0, confidence, {f.evidence}});
  };
  if (deaths.value >= 1) aggravation("death", deaths, deaths.confidence);
  if (large_group > 0 && people.value >= large_group)
    aggravation("large_number_of_persons", people, people.value >= 2 * large_group ? 0.85 : 0.7);
}

std::vector<Suggestion> Suggester::Impl::suggest(const std::vector<Text>& texts, const std::string& lang) const {
  std::vector<Suggestion> out;
  concepts_of(texts, lang, out);
  numbers_of(texts, lang, out);
  // Reported in the order of suggestible_fields().
  const auto& order = suggestible_fields();
  std::stable_sort(out.begin(), out.end(), [&](const Suggestion& a, const Suggestion& b) {
    return std::find(order.begin(), order.end(), a.field) < std::find(order.begin(), order.end(), b.field);
  });
  return out;
}

Suggester::Suggester(const Vocabulary& vocabulary, unsigned large_group) : impl_(std::make_unique<Impl>()) {
  impl_->vocabulary = vocabulary;
  impl_->large_group = large_group;
  impl_->concepts = ConceptMatcher::shared(vocabulary);
  for (const char* lang : {"en", "fr", "es", "de", "it", "nl"}) impl_->numbers[lang] = number_words(lang);
}
Suggester::~Suggester() = default;
Suggester::Suggester(Suggester&&) noexcept = default;
Suggester& Suggester::operator=(Suggester&&) noexcept = default;

std::string Suggester::guess_language(const std::string& text) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::map<std::string, size_t> hits;
  for (const Token& w : impl_->analyzer.tokenize(text))
    for (const auto& [lang, common] : kCommon) hits[lang] += common.count(w.term);
  std::string best = "en";
  size_t most = 0;
  for (const auto& [lang, n] : hits)
    if (n > most) best = lang, most = n;
  return best;
}

std::vector<Suggestion> Suggester::suggest_text(const std::string& text, const std::string& lang) const {
  std::string language = lang.empty() ? guess_language(text) : lang;
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->suggest({impl_->analyse("text", text, language)}, language);
}

std::vector<Suggestion> Suggester::suggest_record(const std::string& json, const std::string& lang) const {
  nlohmann::json record;
  try {
    record = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("suggest: the record is not valid JSON: ") + e.what());
  }
  if (!record.is_object()) throw Error("suggest: a record is a JSON object");
  auto text_of = [&](const char* key) {
    auto it = record.find(key);
    return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string language = lang.empty() ? text_of("language") : lang;
  std::string all = text_of("title") + "\n" + text_of("summary") + "\n" + text_of("text");
  if (language.empty()) language = guess_language(all);
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::vector<Text> texts;
  for (const char* field : {"court", "title", "summary", "text"})
    if (std::string raw = text_of(field); !raw.empty()) texts.push_back(impl_->analyse(field, raw, language));
  return impl_->suggest(texts, language);
}

}  // namespace jurisdex
