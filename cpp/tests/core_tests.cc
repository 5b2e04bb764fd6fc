// Tests of the C++ core without Python: analysis, records, indexing, search, errors.
// Usage: jurisdex_core_tests VOCABULARY_JSON   (prints "N passed, M failed")
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>

#include <unistd.h>

#include <xapian.h>

#include "jurisdex/jurisdex.h"
#include "../src/substring_set.h"

using namespace jurisdex;
namespace fs = std::filesystem;

static int passed = 0, failed = 0;

#define CHECK(cond)                                                               \
  do {                                                                            \
    if (cond) {                                                                   \
      ++passed;                                                                   \
    } else {                                                                      \
      ++failed;                                                                   \
      std::cerr << __FILE__ << ":" << __LINE__ << ": CHECK failed: " #cond "\n"; \
    }                                                                             \
  } while (0)

template <class E, class F>
static bool throws(F&& f, const std::string& needle = "") {
  try {
    f();
  } catch (const E& e) {
    return std::string(e.what()).find(needle) != std::string::npos;
  } catch (...) {
  }
  return false;
}

static std::string record(const std::string& id, const std::string& country, const std::string& offences,
                          const std::string& summary, const std::string& lang = "en") {
  return R"({"id":")" + id + R"(","type":"case","title":"Case )" + id + R"(","country":")" + country +
         R"(","language":")" + lang + R"(","date":"2019-05-02","summary":")" + summary + R"(","offences":)" +
         offences + R"(,"source":{"citation":"test"}})";
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: jurisdex_core_tests VOCABULARY_JSON\n";
    return 2;
  }
  Vocabulary vocabulary = Vocabulary::from_file(argv[1]);

  // Analysis
  Analyzer analyzer;
  CHECK(analyzer.fold("ÊTRES êtres etres") == "etres etres etres");
  CHECK(analyzer.fold("人口贩卖") == "人口 贩卖");
  CHECK(analyzer.stem("passeurs", "fr") == analyzer.stem("passeur", "fr"));
  CHECK(Analyzer::has_stemmer("nl") && !Analyzer::has_stemmer("zz"));

  // The substring set finds what std::string::find finds: needles inside, overlapping, ending
  // or starting other needles, at either end of the text, bytes beyond ASCII.
  {
    SubstringSet set({"he", "she", "his", "hers", "", " cp ", "c", "\xce\xb1\xcf\x81"});
    auto found = set.occurring("ushers ");
    CHECK(found == (std::vector<bool>{true, true, false, true, true, false, false, false}));
    CHECK(set.occurring("art \xce\xb1\xcf\x81 cp ")[5] && set.occurring("art \xce\xb1\xcf\x81 cp ")[7]);
    CHECK(!set.occurring("")[0] && set.occurring("")[4]);

    std::mt19937 random(15);
    auto text_of = [&](size_t length) {
      std::string out;
      for (size_t i = 0; i < length; ++i) out.push_back("ab c\xce"[random() % 5]);
      return out;
    };
    int disagreements = 0;
    for (int round = 0; round < 200; ++round) {
      std::vector<std::string> needles;
      for (int n = 0; n < 12; ++n) needles.push_back(text_of(1 + random() % 5));
      SubstringSet many(needles);
      std::string text = text_of(random() % 40);
      auto got = many.occurring(text);
      for (size_t n = 0; n < needles.size(); ++n)
        disagreements += got[n] != (text.find(needles[n]) != std::string::npos);
    }
    CHECK(disagreements == 0);
  }

  // Vocabulary and ICU data
  CHECK(vocabulary.has("offences", "smuggling_of_migrants"));
  CHECK(vocabulary.nearest("aggravations", "deth") == "death");
  CHECK(region_of("ITA") == "150" && region_of("INT").empty());
  CHECK(place_name("DEU", "fr") == "Allemagne");
  CHECK(is_country_code("XKX") && !is_country_code("XYZ"));

  // Records
  Record r = parse_record(record("a", "ITA", R"(["smuggling_of_migrants","money_laundering"])", "Boats."),
                          Location{"t.jsonl", 3, -1, ""}, vocabulary);
  CHECK(r.values("offences").size() == 2 && r.values("region") == std::vector<std::string>{"150"});
  CHECK(throws<RecordError>([&] { parse_record(record("b", "ITA", R"(["smugling"])", "x"), Location{"t.jsonl", 7, -1, ""}, vocabulary); },
                            "t.jsonl:7 (id 'b'): field 'offences[0]': unknown code 'smugling' (did you mean"));
  CHECK(throws<RecordError>([&] { parse_record("{\"id\": ", Location{}, vocabulary); }, "invalid JSON"));
  CHECK(!is_valid_date("2019-02-29") && is_valid_date("2020-02-29"));

  // Indexing and search
  fs::path dir = fs::temp_directory_path() / ("jurisdex-core-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    Indexer indexer(dir.string(), vocabulary, true);
    IngestReport added = indexer.add_json("[" + record("a", "ITA", R"(["smuggling_of_migrants","money_laundering"])", "The boat was smuggling 12 migrants.") + "," +
                                          record("b", "GRC", R"(["smuggling_of_migrants"])", "Smuggled migrants on a boat.") + "," +
                                          record("c", "FRA", R"(["trafficking_in_persons"])", "Des passeurs condamnés.", "fr") + "]");
    CHECK(added.added == 3);
    CHECK(indexer.add_json(record("c", "FRA", R"(["trafficking_in_persons"])", "Les passeurs ont été condamnés.", "fr")).replaced == 1);
    indexer.commit();
    CHECK(throws<IndexLockedError>([&] { Indexer second(dir.string(), vocabulary, false); }, "locked"));

    Searcher searcher(dir.string());
    CHECK(searcher.size() == 3);
    SearchRequest request;
    request.query = "smuggled";
    request.facets = {"offences", "country"};
    SearchResults results = searcher.search(request);
    CHECK(results.total == 2 && results.total_exact);
    CHECK(results.facets[0].second == (FacetCounts{{"smuggling_of_migrants", 2}, {"money_laundering", 1}}));
    request.query = "passeur";  // the French word, stemmed in French (without its concepts)
    request.expand = false;
    CHECK(searcher.search(request).hits.at(0).id == "c");
    request.expand = true;
    request.query = "";
    request.filters = {{"country", {"ita", "GRC"}}};
    CHECK(searcher.search(request).total == 2);
    request.filters = {{"offences", {"smugling"}}};
    CHECK(throws<QueryError>([&] { searcher.search(request); }, "did you mean 'smuggling_of_migrants'"));
    CHECK(searcher.facet_counts("country").size() == 3);
    CHECK(searcher.get("a").has_value() && !searcher.get("zz").has_value());
    request.filters = {};
    request.query = "12";  // numbers are searched unstemmed, as Xapian's QueryParser does...
    CHECK(searcher.search(request).hits.at(0).id == "a");
    Xapian::Database db(dir.string());  // ...so they get no stem term
    CHECK(db.term_exists("12") && !db.term_exists("Z12") && db.term_exists("Zboat"));
    CHECK(indexer.remove("a") && !indexer.remove("a"));
  }
  CHECK(throws<IndexNotFoundError>([&] { Searcher s((dir / "missing").string()); }, "no jurisdex index"));
  {  // an index of another format is refused at open, by readers as by writers
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_OPEN);
    db.set_metadata("jurisdex:format", "1");
    db.commit();
  }
  CHECK(throws<Error>([&] { Searcher s(dir.string()); }, "has format 1"));
  fs::remove_all(dir);

  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
