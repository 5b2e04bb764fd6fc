#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <vector>

#include "record_json.h"
#include "schema_internal.h"

namespace jurisdex {

namespace {

// The key parse_json_text adds to an object that has a duplicate key. Its 0xFF byte is never
// valid UTF-8, so no key of a parsed text can be the same.
const std::string kDuplicateKeyMark = "\xFF" "duplicate key";

// Xapian's limit on the length of a term (glass backend).
constexpr size_t kMaxTermBytes = 245;

const char* type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    case Json::value_t::discarded: return "invalid JSON";
    default: return "a number";
  }
}

// An id as errors name it: an overlong one (a valid id has at most 200 bytes) is cut at a
// character boundary and marked, so a 10 MB "id" does not make a 10 MB message.
std::string readable_id(const std::string& id) {
  constexpr size_t kShownId = 60;
  if (id.size() <= 200) return id;
  size_t cut = kShownId;
  while (cut > 0 && (static_cast<unsigned char>(id[cut]) & 0xC0) == 0x80) --cut;
  return id.substr(0, cut) + "...";
}

std::string shown(const std::string& s) {
  constexpr size_t kShown = 60;
  return "'" + (s.size() > kShown ? s.substr(0, kShown) + "..." : s) + "'";
}

// Validation of one record; each check throws a RecordError naming the field.
class Checker {
 public:
  Checker(const Json& value, Location where, const Vocabulary& vocabulary)
      : value_(value), where_(std::move(where)), vocabulary_(vocabulary) {}

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw RecordError(where_, field, problem);
  }

  // The field's value, or nullptr when it is absent or null (null counts as absent).
  const Json* get(const std::string& field) const {
    auto it = value_.find(field);
    return (it == value_.end() || it->is_null()) ? nullptr : &*it;
  }

  static bool has_control(const std::string& s, bool allow_newlines) {
    for (unsigned char c : s)
      if ((c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f) return true;
    return false;
  }

  std::string string(const std::string& field, bool required, bool multiline = false) const {
    const Json* v = get(field);
    if (!v) {
      if (required) fail(field, "required string is missing");
      return "";
    }
    if (!v->is_string()) fail(field, std::string("expected a string, got ") + type_name(*v));
    std::string s = v->get<std::string>();
    if (required && s.find_first_not_of(" \t\r\n") == std::string::npos) fail(field, "must not be empty");
    if (has_control(s, multiline)) fail(field, "contains control characters");
    return s;
  }

  std::string code(const std::string& field, const std::string& vocab_field, const std::string& value) const {
    if (vocabulary_.has(vocab_field, value)) return value;
    std::string hint = vocabulary_.nearest(vocab_field, value);
    std::string problem = "unknown code " + shown(value);
    if (!hint.empty()) problem += " (did you mean '" + hint + "'?)";
    else problem += " (expected one of the '" + vocab_field + "' codes of the vocabulary)";
    fail(field, problem);
  }

  std::vector<std::string> strings(const std::string& field, bool required) const {
    const Json* v = get(field);
    if (!v) {
      if (required) fail(field, "required array is missing");
      return {};
    }
    if (!v->is_array()) fail(field, std::string("expected an array of strings, got ") + type_name(*v));
    std::vector<std::string> out;
    for (size_t i = 0; i < v->size(); ++i) {
      const Json& item = (*v)[i];
      std::string where = field + "[" + std::to_string(i) + "]";
      if (!item.is_string()) fail(where, std::string("expected a string, got ") + type_name(item));
      std::string s = item.get<std::string>();
      if (s.empty() || has_control(s, false)) fail(where, "must be a non-empty single-line string");
      out.push_back(std::move(s));
    }
    return out;
  }

  std::vector<std::string> codes(const std::string& field, const std::string& vocab_field, bool required) const {
    auto values = strings(field, required);
    for (size_t i = 0; i < values.size(); ++i)
      code(field + "[" + std::to_string(i) + "]", vocab_field, values[i]);
    return values;
  }

  std::string enum_value(const std::string& field, const std::string& vocab_field) const {
    std::string s = string(field, false);
    return s.empty() ? s : code(field, vocab_field, s);
  }

  bool number(const std::string& field, bool integer, double& out) const {
    const Json* v = get(field);
    if (!v) return false;
    if (!v->is_number()) fail(field, std::string("expected a number, got ") + type_name(*v));
    out = v->get<double>();
    if (!std::isfinite(out) || out < 0) fail(field, "expected a non-negative number");
    if (integer && out != std::floor(out)) fail(field, "expected a whole number");
    return true;
  }

 private:
  const Json& value_;
  Location where_;
  const Vocabulary& vocabulary_;
};

bool is_cite(const std::string& s) {
  // COUNTRY:INSTRUMENT:ARTICLE, e.g. INT:SOM-PROTOCOL:6, NLD:SR:197a, FRA:CESEDA:L823-1
  size_t first = s.find(':'), second = s.find(':', first + 1);
  if (first != 3 || second == std::string::npos || second == first + 1 || second + 1 >= s.size()) return false;
  for (size_t i = 0; i < 3; ++i)
    if (s[i] < 'A' || s[i] > 'Z') return false;
  for (size_t i = first + 1; i < second; ++i)
    if (!(std::isupper(static_cast<unsigned char>(s[i])) || std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '-'))
      return false;
  for (size_t i = second + 1; i < s.size(); ++i)
    if (!(std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == '.' || s[i] == '(' || s[i] == ')'))
      return false;
  return true;
}

}  // namespace

bool is_valid_date(const std::string& d) {
  auto digits = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i)
      if (i >= d.size() || d[i] < '0' || d[i] > '9') return false;
    return true;
  };
  if (!(d.size() == 4 || d.size() == 7 || d.size() == 10) || !digits(0, 4)) return false;
  int year = std::stoi(d.substr(0, 4));
  if (year < 1000) return false;
  if (d.size() == 4) return true;
  if (d[4] != '-' || !digits(5, 2)) return false;
  int month = std::stoi(d.substr(5, 2));
  if (month < 1 || month > 12) return false;
  if (d.size() == 7) return true;
  if (d[7] != '-' || !digits(8, 2)) return false;
  int day = std::stoi(d.substr(8, 2));
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int last = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day >= 1 && day <= last;
}

std::string join_text(const std::string& json, const std::string& text, int text_key_index) {
  if (text_key_index < 0) return json;
  Json value = Json::parse(json, nullptr, false);
  if (!value.is_object()) return json;
  Json whole = Json::object();
  int i = 0;
  for (auto& [key, v] : value.items()) {
    if (i++ == text_key_index) whole["text"] = text;
    whole[key] = v;
  }
  if (!whole.contains("text")) whole["text"] = text;
  return whole.dump(-1, ' ', false, Json::error_handler_t::strict);
}

std::vector<std::string> Record::values(const std::string& facet) const {
  std::vector<std::string> out;
  for (const auto& [field, value] : facets)
    if (field->name == facet) out.push_back(value);
  return out;
}

// Every field of docs/records.md, at the top level of a record.
const std::vector<std::string>& record_fields() {
  static const std::vector<std::string> fields = {
      "id", "type", "title", "country", "language", "date", "summary", "text", "offences", "aggravations",
      "financial_benefit", "keywords", "cites", "related", "source", "court", "court_level", "outcome",
      "sentence_months", "life_sentence", "sentence_suspended", "defendants", "migrants_or_victims", "deaths",
      "instrument", "article", "benefit_required", "humanitarian_exemption", "penalty", "penalty_max_months",
      "author", "document_kind"};
  return fields;
}

namespace {

std::string nearest_of(const std::string& key, const std::vector<std::string>& names) {
  std::string hint;
  size_t best = std::max<size_t>(3, key.size() / 3) + 1;
  for (const auto& n : names)
    if (size_t d = edit_distance(key, n); d < best) best = d, hint = n;
  return hint;
}

std::string unknown_key(const std::string& key, const std::vector<std::string>& names) {
  std::string hint = nearest_of(key, names);
  return "unknown field, kept but not indexed" + (hint.empty() ? std::string() : " (did you mean '" + hint + "'?)");
}

}  // namespace

Record record_from_json(const Json& value, Location where, const Vocabulary& vocabulary) {
  if (!value.is_object()) throw RecordError(where, "", std::string("expected a JSON object, got ") + type_name(value));
  if (auto id = value.find("id"); id != value.end() && id->is_string()) where.record_id = readable_id(id->get<std::string>());
  if (auto dup = value.find(kDuplicateKeyMark); dup != value.end())
    throw RecordError(where, dup->get<std::string>(), "key given twice in one object");
  Checker check(value, where, vocabulary);
  Record r;
  // Each field is checked on its own, so one pass reports every bad field of a record.
  std::vector<std::pair<std::string, std::string>> errors;
  auto attempt = [&](const auto& checks) {
    try {
      checks();
    } catch (const RecordError& e) {
      errors.emplace_back(e.field(), e.problem());
    }
  };

  // Each facet value becomes a Xapian term, and Xapian refuses terms over 245 bytes: a longer
  // free value (court, instrument, author, keyword, cite) is the record's error, not the index's.
  auto add = [&](const char* facet, const std::string& v, const std::string& field = "") {
    if (v.empty()) return;
    const FacetField* f = find_facet(facet);
    std::string term = schema::facet_term(*f, v);
    if (term.size() > kMaxTermBytes)
      check.fail(field.empty() ? facet : field,
                 "longer than " + std::to_string(kMaxTermBytes - schema::facet_prefix(*f).size()) + " bytes (" +
                     std::to_string(v.size()) + " bytes)");
    r.facets.emplace_back(f, v);
  };
  auto boolean = [&](const char* field, const char* facet) {
    const Json* b = check.get(field);
    if (!b) return false;
    if (!b->is_boolean()) check.fail(field, std::string("expected true or false, got ") + type_name(*b));
    if (facet) add(facet, b->get<bool>() ? "true" : "false");
    return b->get<bool>();
  };

  attempt([&] {
    r.id = check.string("id", true);
    if (r.id.size() > 200) check.fail("id", "longer than 200 bytes");
    if (r.id.find_first_of(" \t\r\n") != std::string::npos) check.fail("id", "must not contain spaces");
  });
  attempt([&] {
    r.type = check.string("type", true);
    if (r.type != "case" && r.type != "legislation" && r.type != "document")
      check.fail("type", "expected \"case\", \"legislation\" or \"document\", got " + shown(r.type));
    add("type", r.type);
  });
  attempt([&] { r.title = check.string("title", true); });
  attempt([&] { r.summary = check.string("summary", true, true); });
  attempt([&] { r.text = check.string("text", false, true); });

  attempt([&] {
    std::string country = check.string("country", true);
    if (!is_country_code(country)) {
      std::string named = country_code_named(country, vocabulary);
      check.fail("country", "expected an ISO 3166-1 alpha-3 code (\"ITA\") or \"INT\", got " + shown(country) +
                                (named.empty() ? "" : " (did you mean '" + named + "'?)"));
    }
    add("country", country);
    add("region", region_of(country));
  });
  attempt([&] {
    r.language = check.string("language", true);
    if (!is_language_code(r.language))
      check.fail("language", "expected an ISO 639-1 code (\"en\", \"fr\"), got " + shown(r.language));
    add("language", r.language);
  });
  attempt([&] {
    // A record whose source states no date leaves it out: dates are never guessed.
    r.date = check.string("date", false);
    if (!r.date.empty() && !is_valid_date(r.date))
      check.fail("date", "expected a real date as YYYY, YYYY-MM or YYYY-MM-DD, got " + shown(r.date));
    if (!r.date.empty()) add("year", r.date.substr(0, 4));
  });

  attempt([&] {
    auto offences = check.codes("offences", "offences", true);
    if (offences.empty() && r.type == "case") check.fail("offences", "a case needs at least one offence code");
    for (auto& o : offences) add("offences", o);
  });
  attempt([&] {
    for (auto& a : check.codes("aggravations", "aggravations", false)) add("aggravations", a);
  });
  attempt([&] {
    const Json* fb = check.get("financial_benefit");
    if (!fb) return;
    if (!fb->is_object()) check.fail("financial_benefit", std::string("expected an object, got ") + type_name(*fb));
    Checker inner(*fb, where, vocabulary);
    auto prefixed = [&](const std::string& f) { return "financial_benefit." + f; };
    static const std::vector<std::string> keys = {"element", "kinds", "amount", "currency"};
    for (auto& [key, _] : fb->items())
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) r.warnings.emplace_back(prefixed(key), unknown_key(key, keys));
    try {
      std::string element = inner.string("element", true);
      add("financial_benefit", inner.code("element", "financial_benefit.element", element));
      for (auto& k : inner.codes("kinds", "financial_benefit.kinds", false)) add("benefit_kinds", k);
      double amount;
      inner.number("amount", false, amount);
      std::string currency = inner.string("currency", false);
      if (!currency.empty() && (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(), [](char c) {
                                  return c >= 'A' && c <= 'Z';
                                })))
        inner.fail("currency", "expected an ISO 4217 code such as \"EUR\", got " + shown(currency));
    } catch (const RecordError& e) {
      check.fail(prefixed(e.field()), e.problem());
    }
  });

  attempt([&] {
    auto keywords = check.strings("keywords", false);
    for (size_t i = 0; i < keywords.size(); ++i) add("keywords", keywords[i], "keywords[" + std::to_string(i) + "]");
  });
  attempt([&] {
    auto cites = check.strings("cites", false);
    for (size_t i = 0; i < cites.size(); ++i) {
      if (!is_cite(cites[i]))
        check.fail("cites[" + std::to_string(i) + "]",
                   "expected COUNTRY:INSTRUMENT:ARTICLE such as \"INT:SOM-PROTOCOL:6\", got " + shown(cites[i]));
      add("cites", cites[i], "cites[" + std::to_string(i) + "]");
    }
  });
  attempt([&] {
    auto related = check.strings("related", false);
    for (size_t i = 0; i < related.size(); ++i)
      if (related[i].size() > 200 || related[i].find_first_of(" \t") != std::string::npos)
        check.fail("related[" + std::to_string(i) + "]", "expected a record id, got " + shown(related[i]));
  });

  attempt([&] {
    const Json* source = check.get("source");
    if (!source) check.fail("source", "required object is missing");
    if (!source->is_object()) check.fail("source", std::string("expected an object, got ") + type_name(*source));
    Checker inner(*source, where, vocabulary);
    static const std::vector<std::string> keys = {"citation", "url", "licence", "retrieved_from", "published",
                                                  "page_kind", "repository", "commit", "chunks", "note"};
    for (auto& [key, _] : source->items())
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) r.warnings.emplace_back("source." + key, unknown_key(key, keys));
    try {
      std::string citation = inner.string("citation", false), url = inner.string("url", false);
      inner.string("licence", false);
      inner.string("retrieved_from", false);
      std::string published = inner.string("published", false);
      if (!published.empty() && !is_valid_date(published))
        inner.fail("published", "expected the source's own date as YYYY, YYYY-MM or YYYY-MM-DD, got " + shown(published));
      if (!published.empty()) add("published_year", published.substr(0, 4));
      if (citation.empty() && url.empty()) inner.fail("", "needs a \"citation\" or a \"url\"");
    } catch (const RecordError& e) {
      check.fail(e.field().empty() ? "source" : "source." + e.field(), e.problem());
    }
  });

  // Fields of cases, legislation and documents (accepted on any type, checked the same way).
  double number;
  attempt([&] { add("court", check.string("court", false)); });
  attempt([&] { add("court_level", check.enum_value("court_level", "court_level")); });
  attempt([&] { add("outcome", check.enum_value("outcome", "outcome")); });
  bool months = false, life = false;
  attempt([&] { months = check.number("sentence_months", false, number); });
  attempt([&] { life = boolean("life_sentence", "life_sentence"); });
  if (months && life)
    errors.emplace_back("life_sentence", "a life sentence has no sentence_months: give one or the other");
  attempt([&] { boolean("sentence_suspended", "sentence_suspended"); });
  for (const char* count : {"defendants", "migrants_or_victims", "deaths"})
    attempt([&] { check.number(count, true, number); });
  attempt([&] { add("instrument", check.string("instrument", false)); });
  attempt([&] { check.string("article", false); });
  attempt([&] { boolean("benefit_required", "benefit_required"); });
  attempt([&] { boolean("humanitarian_exemption", "humanitarian_exemption"); });
  attempt([&] { check.string("penalty", false); });
  attempt([&] { check.number("penalty_max_months", false, number); });
  attempt([&] { add("author", check.string("author", false)); });
  attempt([&] { add("document_kind", check.enum_value("document_kind", "document_kind")); });

  if (!errors.empty()) {
    std::string problem = errors.front().second;
    for (size_t i = 1; i < errors.size(); ++i)
      problem += "; " + (errors[i].first.empty() ? std::string() : "field '" + errors[i].first + "': ") + errors[i].second;
    throw RecordError(where, errors.front().first, problem);
  }
  for (auto& [key, _] : value.items())
    if (std::find(record_fields().begin(), record_fields().end(), key) == record_fields().end())
      r.warnings.emplace_back(key, unknown_key(key, record_fields()));

  // The full text is kept apart (Record::text), so reading a hit's fields never parses it.
  if (auto text = value.find("text"); text != value.end() && text->is_string()) {
    r.text_key_index = static_cast<int>(std::distance(value.begin(), text));
    Json rest = value;
    rest.erase("text");
    r.json = rest.dump(-1, ' ', false, Json::error_handler_t::strict);
  } else {
    r.json = value.dump(-1, ' ', false, Json::error_handler_t::strict);
  }
  return r;
}

size_t json_depth(std::string_view text, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Json parse_json_text(std::string_view text, const Location& where) {
  if (json_depth(text, kMaxJsonDepth) > kMaxJsonDepth)
    throw RecordError(where, "", "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  // A key given twice in one object is ambiguous (nlohmann keeps the last one silently): the
  // callback marks the record holding it, and record_from_json rejects it, naming the key.
  struct OpenObject {
    std::set<std::string> keys;
    std::string key;        // the key being read
    std::string duplicate;  // path of the first duplicate key in this object or below
  };
  std::vector<OpenObject> open;
  Json::parser_callback_t spot_duplicates = [&open](int, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        open.emplace_back();
        break;
      case Json::parse_event_t::key:
        if (!open.empty() && parsed.is_string()) {
          OpenObject& o = open.back();
          o.key = parsed.get<std::string>();
          if (!o.keys.insert(o.key).second && o.duplicate.empty()) o.duplicate = o.key;
        }
        break;
      case Json::parse_event_t::object_end:
        if (open.empty()) break;
        if (!open.back().duplicate.empty()) {
          if (parsed.is_object()) parsed[kDuplicateKeyMark] = open.back().duplicate;
          if (open.size() > 1 && open[open.size() - 2].duplicate.empty())
            open[open.size() - 2].duplicate = open[open.size() - 2].key + "." + open.back().duplicate;
        }
        open.pop_back();
        break;
      default:
        break;
    }
    return true;
  };
  Json value = Json::parse(text, spot_duplicates, /*allow_exceptions=*/false);
  if (!value.is_discarded()) return value;
  // Parse again with exceptions on, only to get nlohmann's description of the error.
  std::string why = "invalid JSON";
  try {
    value = Json::parse(text);
  } catch (const Json::exception& e) {
    std::string what = e.what();
    auto pos = what.find("syntax error");
    why += ": " + (pos == std::string::npos ? what : what.substr(pos));
  }
  throw RecordError(where, "", why);
}

Record parse_record(std::string_view text, Location where, const Vocabulary& vocabulary) {
  return record_from_json(parse_json_text(text, where), std::move(where), vocabulary);
}

}  // namespace jurisdex
