#include "query.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include "jurisdex/error.h"
#include "jurisdex/record.h"
#include "schema_internal.h"

namespace jurisdex {

namespace {

bool is_operator(const std::string& w) {
  static const std::set<std::string> ops = {"AND", "OR", "NOT", "XOR", "SYN", "NEAR", "ADJ"};
  if (ops.count(w)) return true;
  for (const char* op : {"NEAR/", "ADJ/"}) {
    std::string p(op);
    if (w.size() > p.size() && w.compare(0, p.size(), p) == 0 &&
        std::all_of(w.begin() + p.size(), w.end(), ::isdigit))
      return true;
  }
  return false;
}

// Bounds on a query's size. Xapian's matcher is superlinear in the number of terms, wildcards
// and nested brackets (20,000 words, 200 wildcards or 20,000 nested ORs take minutes), so, like
// Lucene's maxClauseCount, larger queries are refused with a QueryError.
constexpr size_t kMaxQueryWords = 1024;
constexpr size_t kMaxQueryWildcards = 16;
constexpr size_t kMaxQueryDepth = 32;

// Checks the rewritten query (words folded, phrases quoted) against those bounds.
void check_query_size(const std::string& rewritten) {
  size_t words = 0, wildcards = 0, depth = 0, deepest = 0;
  bool in_word = false;
  for (char c : rewritten) {
    bool separator = c == ' ' || c == '"' || c == '(' || c == ')';
    if (!separator && !in_word) ++words;
    in_word = !separator;
    if (c == '*') ++wildcards;
    if (c == '(') deepest = std::max(deepest, ++depth);
    if (c == ')' && depth > 0) --depth;
  }
  if (words > kMaxQueryWords)
    throw QueryError("query too long: " + std::to_string(words) + " words, at most " + std::to_string(kMaxQueryWords));
  if (wildcards > kMaxQueryWildcards)
    throw QueryError("too many wildcards: " + std::to_string(wildcards) + ", at most " +
                     std::to_string(kMaxQueryWildcards));
  if (deepest > kMaxQueryDepth)
    throw QueryError("brackets nested too deep: " + std::to_string(deepest) + " levels, at most " +
                     std::to_string(kMaxQueryDepth));
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const std::vector<std::string>& m49_continents() {
  static const std::vector<std::string> codes = {"002", "009", "019", "142", "150"};
  return codes;
}

std::string field_names() {
  std::string out = "title, summary, text, date";
  for (const auto& f : facet_fields()) out += ", " + f.name;
  return out;
}

// "2015" / "2015-03" / "2015-03-01" -> "YYYYMMDD" bounds for the date slot.
std::string date_bound(const std::string& raw, bool upper) {
  if (raw.empty()) return "";
  if (!is_valid_date(raw)) throw QueryError("bad date '" + raw + "' in range (expected YYYY, YYYY-MM or YYYY-MM-DD)");
  std::string out;
  for (char c : raw)
    if (c != '-') out.push_back(c);
  out.resize(8, upper ? '9' : '0');
  return out;
}

Xapian::Query value_range(Xapian::valueno slot, const std::string& lo, const std::string& hi) {
  if (lo.empty() && hi.empty()) return Xapian::Query::MatchAll;
  if (lo.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
  if (hi.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
}

double parse_year(const std::string& raw) {
  if (raw.size() != 4 || !std::all_of(raw.begin(), raw.end(), ::isdigit))
    throw QueryError("bad year '" + raw + "' in range (expected four digits, e.g. 2015)");
  return std::stoi(raw);
}

// A processor that QueryParser calls must not throw through it (Xapian 1.4's parser then leaks
// its state): range and facet processors keep the first error, and the builder throws it after
// parsing.
class CheckedRange : public Xapian::RangeProcessor {
 public:
  CheckedRange(Xapian::valueno slot, const std::string& field, std::string& error)
      : Xapian::RangeProcessor(slot, field), error_(error) {}
  Xapian::Query operator()(const std::string& begin, const std::string& end) override {
    try {
      return range(begin, end);
    } catch (const QueryError& e) {
      if (error_.empty()) error_ = e.what();
      return Xapian::Query::MatchNothing;
    }
  }

 protected:
  virtual Xapian::Query range(const std::string& begin, const std::string& end) = 0;

 private:
  std::string& error_;
};

// date:2015..2016-06 -> a range on the date slot.
class DateRange : public CheckedRange {
 public:
  explicit DateRange(std::string& error) : CheckedRange(schema::kSlotDate, "date:", error) {}
  Xapian::Query range(const std::string& begin, const std::string& end) override {
    return value_range(slot, date_bound(begin, false), date_bound(end, true));
  }
};

// year:2015..2020 -> a range on the year slot, with a clear error for anything but years.
class YearRange : public CheckedRange {
 public:
  explicit YearRange(std::string& error) : CheckedRange(schema::kSlotYear, "year:", error) {}
  Xapian::Query range(const std::string& begin, const std::string& end) override {
    std::string lo = begin.empty() ? "" : Xapian::sortable_serialise(parse_year(begin));
    std::string hi = end.empty() ? "" : Xapian::sortable_serialise(parse_year(end));
    return value_range(slot, lo, hi);
  }
};

// Words in more than 40% of the summaries of a language's records ("the", "und", "de") say
// little about what a record is about, and in a multilingual index their global frequency hides
// that: they are dropped from the query (not from phrases), as a stop list would, but measured
// on the index itself and per language.
class FrequentWords : public Xapian::Stopper {
 public:
  FrequentWords(const Xapian::Database& db, Xapian::doccount records_in_language,
                std::unordered_map<std::string, Xapian::doccount>& counts)
      : db_(db), limit_(std::max<Xapian::doccount>(5, records_in_language * 2 / 5)), counts_(counts) {}
  bool operator()(const std::string& word) const override {
    // Counted once per query, not once per language's parse (a round trip on remote shards).
    auto [it, added] = counts_.try_emplace(word, 0);
    if (added) it->second = db_.get_termfreq(schema::kSummaryPrefix + word);
    return it->second > limit_;
  }

 private:
  Xapian::Database db_;
  Xapian::doccount limit_;
  std::unordered_map<std::string, Xapian::doccount>& counts_;
};

// facet:value in query text. QueryParser cannot carry our exception through its parser, so the
// processor keeps the first error and the builder throws it after parsing.
class FacetProcessor : public Xapian::FieldProcessor {
 public:
  FacetProcessor(const QueryBuilder& builder, const FacetField& field, std::string& error)
      : builder_(builder), field_(field), error_(error) {}
  Xapian::Query operator()(const std::string& raw) override {
    try {
      return Xapian::Query(schema::facet_term(field_, builder_.facet_value(field_, raw)));
    } catch (const QueryError& e) {
      if (error_.empty()) error_ = e.what();
      return Xapian::Query::MatchNothing;
    }
  }

 private:
  const QueryBuilder& builder_;
  const FacetField& field_;
  std::string& error_;
};

}  // namespace

std::vector<std::string> indexed_languages(const Xapian::Database& db) {
  std::string prefix = schema::facet_prefix(*find_facet("language"));
  std::vector<std::string> out;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) out.push_back((*t).substr(prefix.size()));
  return out;
}

QueryBuilder::QueryBuilder(const Xapian::Database& db, const Vocabulary& vocabulary, Analyzer& analyzer,
                           const ConceptMatcher* concepts)
    : db_(db), vocabulary_(vocabulary), analyzer_(analyzer), concepts_(concepts) {}

std::string QueryBuilder::suggestion(const std::string& text) {
  // Only plain words are respelt (not operators, field names or facet values), in place, so
  // the suggestion keeps the query's syntax. A word is unknown when no text field holds it.
  std::string out = text;
  bool changed = false;
  std::vector<Token> tokens = analyzer_.tokenize(text);
  for (auto t = tokens.rbegin(); t != tokens.rend(); ++t) {  // from the end: offsets stay valid
    std::string original = text.substr(t->start, t->end - t->start);
    bool field_name = t->end < text.size() && text[t->end] == ':';
    bool facet_value = t->start > 0 && text[t->start - 1] == ':' &&
                       !(t->start >= 6 && text.compare(t->start - 6, 6, "title:") == 0);
    if (field_name || facet_value || is_operator(original) || t->term.size() <= 3) continue;
    const std::string& word = t->term;
    if (db_.term_exists(word)) continue;
    std::string better;
    try {
      better = db_.get_spelling_suggestion(word, 2);
    } catch (const Xapian::UnimplementedError&) {  // remote shards keep no spelling data here
      return "";
    }
    if (better.empty()) continue;
    out.replace(t->start, t->end - t->start, better);
    changed = true;
  }
  return changed ? out : "";
}

std::string QueryBuilder::facet_value(const FacetField& f, const std::string& raw) const {
  std::string v = trim(raw);
  auto bad = [&](const std::string& expected) -> QueryError {
    return QueryError("unknown value '" + v + "' for facet '" + f.name + "' (" + expected + ")");
  };
  if (v.empty()) throw QueryError("empty value for facet '" + f.name + "'");
  if (f.name == "country") {
    std::string up = v;
    for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!is_country_code(up)) throw bad("expected an ISO 3166-1 alpha-3 code such as ITA, or INT");
    return up;
  }
  if (f.name == "region") {
    for (const auto& code : m49_continents())
      if (v == code || lower(v) == lower(place_name(code, "en"))) return code;
    throw bad("expected Africa, Americas, Asia, Europe, Oceania or their UN M49 codes");
  }
  if (f.name == "language") {
    std::string l = lower(v);
    if (!is_language_code(l)) throw bad("expected an ISO 639-1 code such as fr");
    return l;
  }
  if (f.name == "year") {
    parse_year(v);
    return v;
  }
  if (f.name == "benefit_required") {
    std::string l = lower(v);
    if (l != "true" && l != "false") throw bad("expected true or false");
    return l;
  }
  if (!f.vocabulary.empty()) {
    if (vocabulary_.has(f.vocabulary, v)) return v;
    std::string code = lower(v);
    std::replace(code.begin(), code.end(), ' ', '_');
    if (vocabulary_.has(f.vocabulary, code)) return code;
    std::string hint = vocabulary_.nearest(f.vocabulary, code);
    throw bad(hint.empty() ? "see the vocabulary's '" + f.vocabulary + "' codes" : "did you mean '" + hint + "'?");
  }
  return v;  // free values (court, cites, keywords...) match exactly
}

std::string QueryBuilder::rewrite_chunk(const std::string& chunk, bool quote_follows) {
  if (is_operator(chunk)) return structured_ = true, chunk;
  std::string sign;
  std::string body = chunk;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) sign = body.substr(0, 1), body = body.substr(1), structured_ = true;

  // field:value
  size_t colon = body.find(':');
  // "word:" with nothing after it is prose ("mensenhandel: risico"), not a field.
  if (colon != std::string::npos && colon + 1 == body.size() && !quote_follows) {
    std::string folded = analyzer_.fold(body);
    plain_words_ += " " + folded;
    return folded.empty() ? "" : sign + folded;
  }
  if (colon != std::string::npos && colon > 0 &&
      std::all_of(body.begin(), body.begin() + colon, [](char c) { return std::islower(static_cast<unsigned char>(c)) || c == '_'; })) {
    std::string name = body.substr(0, colon), value = body.substr(colon + 1);
    structured_ = true;
    bool is_text = name == "title" || name == "summary" || name == "text";
    if (value.find("..") != std::string::npos && (name == "year" || name == "date")) return sign + body;
    if (name == "date") return sign + "date:" + value + ".." + value;
    if (find_facet(name)) return sign + body;  // the FacetProcessor checks and normalises the value
    if (is_text) {
      if (value.empty()) return quote_follows ? sign + name + ":" : "";
      bool wildcard = value.back() == '*';
      std::string folded = analyzer_.fold(value);
      if (folded.empty()) return "";
      if (folded.find(' ') != std::string::npos) return sign + name + ":\"" + folded + "\"";
      return sign + name + ":" + folded + (wildcard ? "*" : "");
    }
    std::string hint;
    size_t best = 3;
    for (const auto& candidate : {std::string("title"), std::string("summary"), std::string("text"), std::string("date")})
      if (size_t d = edit_distance(name, candidate); d < best) best = d, hint = candidate;
    for (const auto& f : facet_fields())
      if (size_t d = edit_distance(name, f.name); d < best) best = d, hint = f.name;
    throw QueryError("unknown field '" + name + "' in query" +
                     (hint.empty() ? "" : " (did you mean '" + hint + "'?)") + "; fields are: " + field_names());
  }
  bool wildcard = !body.empty() && body.back() == '*';
  std::string folded = analyzer_.fold(body);
  if (folded.empty()) return "";
  if (wildcard) structured_ = true;
  plain_words_ += " " + folded;
  if (folded.find(' ') != std::string::npos) return sign + "\"" + folded + "\"";  // "l'entrée", CJK runs
  return sign + folded + (wildcard ? "*" : "");
}

std::string QueryBuilder::rewrite(const std::string& q) {
  plain_words_.clear();
  structured_ = false;
  std::string out;
  size_t i = 0, n = q.size();
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < n) {
    char c = q[i];
    if (is_space(c)) {
      out.push_back(' ');
      ++i;
    } else if (c == '(' || c == ')') {
      out.push_back(c);
      structured_ = true;
      ++i;
    } else if (c == '"') {
      structured_ = true;
      size_t close = q.find('"', i + 1);
      size_t end = close == std::string::npos ? n : close;
      std::string phrase = analyzer_.fold(q.substr(i + 1, end - i - 1));
      plain_words_ += " " + phrase;
      out += "\"" + phrase + "\"";
      i = close == std::string::npos ? n : close + 1;
    } else {
      size_t j = i;
      while (j < n && !is_space(q[j]) && q[j] != '(' && q[j] != ')' && q[j] != '"') ++j;
      out += rewrite_chunk(q.substr(i, j - i), j < n && q[j] == '"');
      i = j;
    }
  }
  return out;
}

Xapian::Query QueryBuilder::parse_in(const std::string& rewritten, const std::string& stem_lang,
                                     const std::string& default_op) {
  Xapian::QueryParser qp;
  qp.set_database(db_);
  qp.add_prefix("", schema::kAllPrefix);
  qp.add_prefix("title", schema::kTitlePrefix);
  qp.add_prefix("summary", schema::kSummaryPrefix);
  qp.add_prefix("text", schema::kAllPrefix);
  // Only the fields the text names: registering every facet for every language's parse was a
  // fifth of a short query's cost, and a field the text does not name cannot change the parse.
  auto named = [&](const std::string& field) { return rewritten.find(field + ":") != std::string::npos; };
  std::string processor_error;
  for (const auto& f : facet_fields())
    if (named(f.name)) qp.add_boolean_prefix(f.name, (new FacetProcessor(*this, f, processor_error))->release());
  if (named("year")) qp.add_rangeprocessor((new YearRange(processor_error))->release());
  if (named("date")) qp.add_rangeprocessor((new DateRange(processor_error))->release());
  qp.set_default_op(default_op == "and" ? Xapian::Query::OP_AND : Xapian::Query::OP_OR);
  qp.set_max_expansion(1000, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  const FacetField& language = *find_facet("language");
  Xapian::doccount in_language =
      stem_lang.empty() ? db_.get_doccount() : db_.get_termfreq(schema::facet_term(language, stem_lang));
  qp.set_stopper((new FrequentWords(db_, in_language, summary_counts_))->release());
  if (Analyzer::has_stemmer(stem_lang)) {
    qp.set_stemmer(Xapian::Stem(stem_lang));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  } else {
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
  }
  unsigned flags = Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PHRASE |
                   Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
                   Xapian::QueryParser::FLAG_PURE_NOT;
  Xapian::Query q;
  try {
    q = qp.parse_query(rewritten, flags);
  } catch (const Xapian::QueryParserError& e) {
    throw QueryError("cannot parse query: " + e.get_msg());
  } catch (const QueryError&) {
    throw;
  } catch (const Xapian::Error& e) {
    throw QueryError("cannot parse query: " + e.get_description());
  }
  if (!processor_error.empty()) throw QueryError(processor_error);
  return q;
}

Xapian::Query QueryBuilder::parse(const std::string& text, const std::string& lang, const std::string& default_op,
                                  bool expand, std::vector<std::string>* concepts_found) {
  Xapian::Query q = parse_text(text, lang, default_op);
  if (!expand || !concepts_ || q.empty() || trim(text).empty()) return q;
  std::vector<Xapian::Query> concepts;
  for (const auto& [code, _] : concepts_->find_any_language(plain_words_, analyzer_)) {
    concepts.emplace_back(ConceptMatcher::term(code));
    if (concepts_found) concepts_found->push_back(code);
  }
  if (concepts.empty()) return q;
  Xapian::Query named(Xapian::Query::OP_OR, concepts.begin(), concepts.end());
  named = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, named, kConceptWeight);
  // Free text ranks and also matches by concept; a precise query (operators, phrases, fields,
  // or all words required) keeps its matches and only ranks by concept.
  bool precise = structured_ || default_op == "and";
  return Xapian::Query(precise ? Xapian::Query::OP_AND_MAYBE : Xapian::Query::OP_OR, q, named);
}


Xapian::Query QueryBuilder::parse_text(const std::string& text, const std::string& lang, const std::string& default_op) {
  if (default_op != "or" && default_op != "and") throw QueryError("default_op must be 'or' or 'and', not '" + default_op + "'");
  if (trim(text).empty()) return Xapian::Query::MatchAll;
  std::string rewritten = rewrite(text);
  if (trim(rewritten).empty()) return Xapian::Query::MatchNothing;  // only punctuation
  check_query_size(rewritten);
  if (!lang.empty()) {
    if (!is_language_code(lang)) throw QueryError("unknown language '" + lang + "' (expected an ISO 639-1 code)");
    return parse_in(rewritten, lang, default_op);
  }
  // One parse per stemmer, each limited to the records of its languages; languages without a
  // stemmer share one unstemmed parse. Languages whose parses give the same query share one
  // branch ("boat" is "boat" in English and Dutch), and a parse that every language shares needs
  // no filter at all: fewer posting lists to walk for the same matches and weights.
  const FacetField& language = *find_facet("language");
  struct Branch {
    Xapian::Query query;
    std::vector<Xapian::Query> languages;
  };
  std::map<std::string, Branch> branches;  // by the query's description
  std::optional<Xapian::Query> unstemmed;
  for (const auto& l : indexed_languages(db_)) {
    Xapian::Query q;
    if (Analyzer::has_stemmer(l)) {
      q = parse_in(rewritten, l, default_op);
    } else {
      if (!unstemmed) unstemmed = parse_in(rewritten, "", default_op);
      q = *unstemmed;
    }
    Branch& branch = branches[q.get_description()];
    if (branch.languages.empty()) branch.query = q;
    branch.languages.emplace_back(schema::facet_term(language, l));
  }
  if (branches.empty()) return parse_in(rewritten, "", default_op);
  if (branches.size() == 1) return branches.begin()->second.query;
  std::vector<Xapian::Query> parts;
  for (const auto& [_, b] : branches)
    parts.emplace_back(Xapian::Query::OP_FILTER, b.query,
                       Xapian::Query(Xapian::Query::OP_OR, b.languages.begin(), b.languages.end()));
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

Xapian::Query QueryBuilder::filter(const std::map<std::string, std::vector<std::string>>& filters,
                                   const std::map<std::string, std::pair<std::string, std::string>>& ranges) {
  std::vector<Xapian::Query> parts;
  for (const auto& [name, values] : filters) {
    const FacetField* f = find_facet(name);
    if (!f) throw QueryError("unknown facet '" + name + "' (facets are: " + facet_names() + ")");
    if (values.empty()) continue;
    std::vector<Xapian::Query> any;
    for (const auto& v : values) any.emplace_back(schema::facet_term(*f, facet_value(*f, v)));
    parts.emplace_back(Xapian::Query::OP_OR, any.begin(), any.end());
  }
  for (const auto& [name, range] : ranges) {
    if (name == "year") {
      std::string lo = range.first.empty() ? "" : Xapian::sortable_serialise(parse_year(range.first));
      std::string hi = range.second.empty() ? "" : Xapian::sortable_serialise(parse_year(range.second));
      parts.push_back(value_range(schema::kSlotYear, lo, hi));
    } else if (name == "date") {
      parts.push_back(value_range(schema::kSlotDate, date_bound(range.first, false), date_bound(range.second, true)));
    } else {
      throw QueryError("ranges work on 'year' and 'date', not '" + name + "'");
    }
  }
  if (parts.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

MatchedTerms matched_terms(const Xapian::Query& query) {
  MatchedTerms out;
  auto strip_field = [](const std::string& t) -> std::string {
    if (t.compare(0, schema::kSummaryPrefix.size(), schema::kSummaryPrefix) == 0) return t.substr(schema::kSummaryPrefix.size());
    if (t.compare(0, schema::kTitlePrefix.size(), schema::kTitlePrefix) == 0) return t.substr(schema::kTitlePrefix.size());
    return t;
  };
  for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
    const std::string& t = *it;
    if (t.empty() || t[0] == 'Q') continue;
    if (t[0] == 'X' && t.size() > 1 && std::isupper(static_cast<unsigned char>(t[1])) && t.compare(0, 2, "XM") != 0) continue;
    if (t[0] == 'Z') out.stems.insert(strip_field(t.substr(1)));
    else out.words.insert(strip_field(t));
  }
  return out;
}

}  // namespace jurisdex
