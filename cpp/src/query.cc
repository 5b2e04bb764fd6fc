#include "query.h"

#include <algorithm>
#include <cctype>
#include <functional>
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

// xjc:N in a rewritten query: the concepts of operand N, weighted as a query's concepts are.
class ConceptProcessor : public Xapian::FieldProcessor {
 public:
  ConceptProcessor(const std::vector<std::vector<std::string>>& expansions,
                   std::function<Xapian::Query(const std::string&)> weighted)
      : expansions_(expansions), weighted_(std::move(weighted)) {}
  Xapian::Query operator()(const std::string& raw) override {
    size_t n = raw.empty() || !std::all_of(raw.begin(), raw.end(), ::isdigit) ? expansions_.size() : std::stoul(raw);
    if (n >= expansions_.size()) return Xapian::Query::MatchNothing;
    std::vector<Xapian::Query> terms;
    for (const auto& code : expansions_[n]) terms.push_back(weighted_(code));
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                         kConceptWeight);
  }

 private:
  const std::vector<std::vector<std::string>>& expansions_;
  std::function<Xapian::Query(const std::string&)> weighted_;
};

// topic:boat in query text: records naming a thesaurus topic, as Results.concepts lists them.
class TopicProcessor : public Xapian::FieldProcessor {
 public:
  TopicProcessor(const Vocabulary& vocabulary, std::string& error) : vocabulary_(vocabulary), error_(error) {}
  Xapian::Query operator()(const std::string& raw) override {
    std::string code = lower(trim(raw)), hint;
    size_t best = 4;
    for (const auto& c : vocabulary_.thesaurus()) {
      if (c.field != "topic") continue;
      if (c.code == code) return Xapian::Query(ConceptMatcher::term("topic:" + code));
      if (size_t d = edit_distance(code, c.code); d < best) best = d, hint = c.code;
    }
    if (error_.empty())
      error_ = "unknown topic '" + code + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
               "; topics are the thesaurus's codes (jurisdex.vocabulary_concepts())";
    return Xapian::Query::MatchNothing;
  }

 private:
  const Vocabulary& vocabulary_;
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
  if (f.name == "year" || f.name == "published_year") {
    parse_year(v);
    return v;
  }
  if (f.name == "benefit_required" || f.name == "humanitarian_exemption" || f.name == "life_sentence" ||
      f.name == "sentence_suspended") {
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

std::string QueryBuilder::rewrite_chunk(const std::string& chunk, bool quote_follows, bool expand) {
  if (is_operator(chunk)) return structured_ = true, chunk;
  std::string sign;
  std::string body = chunk;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) sign = body.substr(0, 1), body = body.substr(1), structured_ = true;
  if (body.empty()) return quote_follows ? sign : "";  // +"a phrase"

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
    bool is_text = name == "title" || name == "summary" || name == "text";
    // Facet and range fields filter; without signs they leave a free-text query free text.
    if (!is_text && sign.empty()) filtered_ = true;
    else structured_ = true;
    if (value.find("..") != std::string::npos && (name == "year" || name == "date")) return sign + body;
    if (name == "date") return sign + "date:" + value + ".." + value;
    if (find_facet(name) || name == "topic") return sign + body;  // a FieldProcessor checks and normalises the value
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
    for (const auto& candidate : {std::string("title"), std::string("summary"), std::string("text"), std::string("date"),
                                  std::string("topic")})
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
  if (wildcard) return sign + folded + "*";
  if (expand) {
    std::vector<std::string> named = concepts_of(folded, true);
    if (!named.empty()) return sign + "(" + folded + " OR " + expansion(named) + ")";
  }
  return sign + folded;
}

namespace {

// The query text in pieces: spaces, brackets, quoted phrases and everything else.
struct Piece {
  enum Kind { kSpace, kBracket, kPhrase, kChunk } kind;
  std::string text;
};

std::vector<Piece> pieces_of(const std::string& q) {
  std::vector<Piece> out;
  size_t i = 0, n = q.size();
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < n) {
    char c = q[i];
    if (is_space(c)) {
      out.push_back({Piece::kSpace, " "});
      ++i;
    } else if (c == '(' || c == ')') {
      out.push_back({Piece::kBracket, std::string(1, c)});
      ++i;
    } else if (c == '"') {
      size_t close = q.find('"', i + 1);
      size_t end = close == std::string::npos ? n : close;
      out.push_back({Piece::kPhrase, q.substr(i + 1, end - i - 1)});
      i = close == std::string::npos ? n : close + 1;
    } else {
      size_t j = i;
      while (j < n && !is_space(q[j]) && q[j] != '(' && q[j] != ')' && q[j] != '"') ++j;
      out.push_back({Piece::kChunk, q.substr(i, j - i)});
      i = j;
    }
  }
  return out;
}

bool is_proximity(const Piece& p) {
  return p.kind == Piece::kChunk && is_operator(p.text) && (p.text.rfind("NEAR", 0) == 0 || p.text.rfind("ADJ", 0) == 0);
}

}  // namespace

std::string QueryBuilder::rewrite(const std::string& q, bool expand) {
  plain_words_.clear();
  words_only_.clear();
  filters_only_.clear();
  structured_ = filtered_ = false;
  expansions_.clear();
  std::vector<Piece> pieces = pieces_of(q);
  // The solid (non-space) neighbours of each piece: a word beside NEAR or ADJ must stay a word.
  std::vector<size_t> solid;
  for (size_t i = 0; i < pieces.size(); ++i)
    if (pieces[i].kind != Piece::kSpace) solid.push_back(i);
  std::vector<bool> near_op(pieces.size(), false);
  for (size_t k = 0; k < solid.size(); ++k)
    near_op[solid[k]] = (k > 0 && is_proximity(pieces[solid[k - 1]])) ||
                        (k + 1 < solid.size() && is_proximity(pieces[solid[k + 1]]));
  std::string out;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece& p = pieces[i];
    std::string part;
    bool filter = false;
    if (p.kind == Piece::kSpace) {
      part = " ";
    } else if (p.kind == Piece::kBracket) {
      structured_ = true;
      part = p.text;
    } else if (p.kind == Piece::kPhrase) {
      structured_ = true;
      std::string phrase = analyzer_.fold(p.text);
      plain_words_ += " " + phrase;
      part = "\"" + phrase + "\"";
      bool after_field = i > 0 && pieces[i - 1].kind == Piece::kChunk && !pieces[i - 1].text.empty() &&
                         pieces[i - 1].text.back() == ':';
      if (expand && !after_field && !near_op[i] && !phrase.empty()) {
        std::vector<std::string> named = concepts_of(phrase, true);  // "people smuggling"
        if (!named.empty()) part = "(" + part + " OR " + expansion(named) + ")";
      }
    } else {
      bool was_filtered = filtered_, was_structured = structured_;
      filtered_ = false;
      bool quote_follows = i + 1 < pieces.size() && pieces[i + 1].kind == Piece::kPhrase;
      part = rewrite_chunk(p.text, quote_follows, expand && !near_op[i]);
      filter = filtered_ && structured_ == was_structured;
      filtered_ = filtered_ || was_filtered;
    }
    out += part;
    (filter ? filters_only_ : words_only_) += filter ? " " + part : part;
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
  // Two values of one field: OR as Xapian does by default ("country:ITA country:GRC"), but AND
  // when the caller asked for every word (an explicit AND between them is AND either way).
  bool exclusive = default_op != "and";
  for (const auto& f : facet_fields())
    if (named(f.name)) qp.add_boolean_prefix(f.name, (new FacetProcessor(*this, f, processor_error))->release(), exclusive);
  if (named("topic")) qp.add_boolean_prefix("topic", (new TopicProcessor(vocabulary_, processor_error))->release(), exclusive);
  if (named("xjc"))
    qp.add_prefix("xjc", (new ConceptProcessor(expansions_, [this](const std::string& c) { return concept_query(c); }))->release());
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
  if (default_op != "or" && default_op != "and") throw QueryError("default_op must be 'or' or 'and', not '" + default_op + "'");
  if (!lang.empty() && !is_language_code(lang)) throw QueryError("unknown language '" + lang + "' (expected an ISO 639-1 code)");
  forced_lang_ = lang;
  query_lang_.reset();
  if (trim(text).empty()) return Xapian::Query::MatchAll;
  std::string rewritten = rewrite(text, false);
  if (trim(rewritten).empty()) return Xapian::Query::MatchNothing;  // only punctuation
  check_query_size(rewritten);
  if (!expand || !concepts_) return parse_rewritten(rewritten, lang, default_op);

  if (structured_ || default_op == "and") {
    // Each word and phrase matches as itself or the concepts it names, inside the query's
    // operators: "boat AND shipwreck" finds an Italian "naufragio" of a "barcone".
    all_words_ = plain_words_;
    rewritten = rewrite(text, true);
    std::set<std::string> seen;
    for (const auto& named : expansions_)
      for (const auto& code : named)
        if (seen.insert(code).second && concepts_found) concepts_found->push_back(code);
    return parse_rewritten(rewritten, lang, default_op);
  }
  // Free text (facet and range fields aside): its words rank, and the concepts they name
  // (together: "people smuggling") match and rank too; the fields filter both.
  all_words_ = plain_words_;
  std::string words = words_only_, filters = filters_only_;
  Xapian::Query q = trim(words).empty() ? Xapian::Query::MatchAll : parse_free_text(words, lang, default_op);
  std::vector<Token> tokens = analyzer_.tokenize(all_words_);
  std::vector<ConceptMatcher::Match> mentions = concepts_->matches(tokens, analyzer_);
  std::set<std::string> codes;
  for (const auto& m : mentions)
    if (applies(m, tokens, mentions)) codes.insert(m.code);
  if (!codes.empty()) {
    std::vector<Xapian::Query> terms;
    for (const auto& code : codes) {
      terms.push_back(concept_query(code));
      if (concepts_found) concepts_found->push_back(code);
    }
    Xapian::Query named(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                        kConceptWeight);
    q = Xapian::Query(Xapian::Query::OP_OR, q, named);
  }
  if (!trim(filters).empty()) q = Xapian::Query(Xapian::Query::OP_FILTER, q, parse_in(filters, "", default_op));
  return q;
}

Xapian::Query QueryBuilder::meaning(const std::string& concept) const {
  // A case's offences are what was tried: its coding, not its words, says which it is about (a
  // goods smuggling judgment that says "smuggling" a hundred times is not a migrant smuggling
  // case). Legislation and documents discuss offences they do not code: there, their words tell.
  const std::string offence = "offences:";
  if (concept.compare(0, offence.size(), offence) != 0) return Xapian::Query(ConceptMatcher::term(concept));
  Xapian::Query coded(schema::facet_term(*find_facet("offences"), concept.substr(offence.size())));
  Xapian::Query cases(schema::facet_term(*find_facet("type"), "case"));
  return Xapian::Query(Xapian::Query::OP_OR, coded,
                       Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(ConceptMatcher::term(concept)), cases));
}

Xapian::Query QueryBuilder::concept_query(const std::string& concept) const {
  Xapian::Query term(ConceptMatcher::term(concept));
  Xapian::Query meant = meaning(concept);
  return meant.get_type() == Xapian::Query::LEAF_TERM ? term : Xapian::Query(Xapian::Query::OP_FILTER, term, meant);
}

Xapian::Query QueryBuilder::parse_free_text(const std::string& words, const std::string& lang,
                                            const std::string& default_op) {
  // A word that names concepts ("smuggling") means them: in a record that has none of them
  // (a goods smuggling judgment) the word is used in another sense, so it still matches but adds
  // no weight there. Other words, and words frequent enough to be stopped, parse together.
  std::string rest;
  std::vector<Xapian::Query> parts;
  const Xapian::doccount frequent = db_.get_doccount() * 2 / 5;
  for (const Piece& p : pieces_of(words)) {
    if (p.kind == Piece::kSpace) continue;
    std::string literal = p.kind == Piece::kPhrase ? "\"" + p.text + "\"" : p.text;
    std::vector<std::string> named;
    if (p.kind == Piece::kPhrase || db_.get_termfreq(schema::kSummaryPrefix + p.text) <= frequent)
      named = concepts_of(p.text, true);
    if (named.empty()) {
      rest += " " + literal;
      continue;
    }
    std::vector<Xapian::Query> terms;
    for (const auto& code : named) terms.push_back(meaning(code));
    Xapian::Query meant(Xapian::Query::OP_OR, terms.begin(), terms.end());
    Xapian::Query word = parse_rewritten(literal, lang, default_op);
    parts.emplace_back(Xapian::Query::OP_FILTER, word, meant);
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_AND_NOT, word, meant), 0.0);
  }
  if (parts.empty()) return parse_rewritten(words, lang, default_op);
  if (!trim(rest).empty()) parts.push_back(parse_rewritten(rest, lang, default_op));
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

std::vector<std::string> QueryBuilder::concepts_of(const std::string& folded, bool whole) {
  std::vector<Token> tokens = analyzer_.tokenize(folded);
  std::vector<ConceptMatcher::Match> mentions = concepts_->matches(tokens, analyzer_);
  std::set<std::string> codes;
  for (const auto& m : mentions)
    if ((!whole || (m.from == 0 && m.to == tokens.size())) && applies(m, tokens, mentions)) codes.insert(m.code);
  return {codes.begin(), codes.end()};
}

std::string QueryBuilder::expansion(const std::vector<std::string>& concepts) {
  expansions_.push_back(concepts);
  return "xjc:" + std::to_string(expansions_.size() - 1);
}

bool QueryBuilder::applies(const ConceptMatcher::Match& m, const std::vector<Token>& tokens,
                           const std::vector<ConceptMatcher::Match>& all) {
  if (m.lang == forced_lang_) return true;
  const std::string& lq = query_language();
  if (lq.empty() || m.lang == lq) return true;
  for (const auto& o : all)  // the same words name it in the query's language too
    if (o.code == m.code && o.lang == lq && o.from == m.from && o.to == m.to) return true;
  for (size_t i = m.from; i < m.to; ++i)
    if (!vocabulary_.is_ordinary_word(tokens[i].term, lq) && !ordinary_in(tokens[i].term, lq)) return true;
  return false;
}

const std::string& QueryBuilder::query_language() {
  if (query_lang_) return *query_lang_;
  query_lang_ = forced_lang_;
  if (!forced_lang_.empty()) return *query_lang_;
  std::set<std::string> words;
  for (const Token& t : analyzer_.tokenize(all_words_))
    if (!std::all_of(t.term.begin(), t.term.end(), ::isdigit)) words.insert(t.term);
  if (words.size() < 2) return *query_lang_;  // one word: any language may be meant ("passeur")
  size_t best = 0, second = 0;
  std::string best_lang;
  for (const auto& l : indexed_languages(db_)) {
    size_t n = 0;
    for (const auto& w : words) n += occurrences(w, l) >= 1 || vocabulary_.is_ordinary_word(w, l);
    if (n > best) second = best, best = n, best_lang = l;
    else if (n > second) second = n;
  }
  // A language only when the words clearly are in it: most of them occur in its records, and
  // more than in any other language's.
  if (best >= 2 && best > second && best * 2 >= words.size()) *query_lang_ = best_lang;
  return *query_lang_;
}

bool QueryBuilder::ordinary_in(const std::string& word, const std::string& lang) { return occurrences(word, lang) >= 2; }

unsigned QueryBuilder::occurrences(const std::string& word, const std::string& lang) {
  auto [it, added] = occurrences_.try_emplace({word, lang}, 0);
  if (!added || db_.get_termfreq(word) == 0) return it->second;
  Xapian::Enquire enquire(db_);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(word),
                                  Xapian::Query(schema::facet_term(*find_facet("language"), lang))));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::DONT_CARE);
  it->second = enquire.get_mset(0, 2).size();
  return it->second;
}

Xapian::Query QueryBuilder::parse_rewritten(const std::string& rewritten, const std::string& lang,
                                            const std::string& default_op) {
  if (!lang.empty()) return parse_in(rewritten, lang, default_op);
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
  for (const auto& [key, values] : filters) {
    // "offences:all" asks for records having every value; "offences" for any of them.
    const std::string all_suffix = ":all";
    bool all = key.size() > all_suffix.size() && key.compare(key.size() - all_suffix.size(), all_suffix.size(), all_suffix) == 0;
    std::string name = all ? key.substr(0, key.size() - all_suffix.size()) : key;
    const FacetField* f = find_facet(name);
    if (!f) {
      std::string hint;
      size_t best = 3;
      for (const auto& candidate : facet_fields())
        if (size_t d = edit_distance(name, candidate.name); d < best) best = d, hint = candidate.name;
      throw QueryError("unknown facet '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                       "; facets are: " + facet_names());
    }
    if (values.empty()) {
      if (all) throw QueryError("all_of() for '" + name + "' needs at least one value");
      continue;
    }
    std::vector<Xapian::Query> terms;
    for (const auto& v : values) terms.emplace_back(schema::facet_term(*f, facet_value(*f, v)));
    parts.emplace_back(all ? Xapian::Query::OP_AND : Xapian::Query::OP_OR, terms.begin(), terms.end());
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
