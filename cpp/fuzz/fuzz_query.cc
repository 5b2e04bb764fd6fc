// libFuzzer target: the query language, end to end (QueryBuilder's rewrite, Xapian's
// QueryParser, facet values, ranges, the match, facet counts and snippets).
//
// A small index is built once, in a temporary folder, from a few records of the shipped corpus
// (in several languages, so the query is parsed once per stemmer); each input is then searched
// as query text. A search may return results or throw QueryError; anything else (another
// exception, a crash, a sanitizer report) is a finding.
//
// Build: cmake -DJURISDEX_BUILD_FUZZERS=ON -DCMAKE_CXX_COMPILER=clang++ (see CMakeLists.txt).
// Run:   fuzz_query cpp/fuzz/seeds/query -max_total_time=60
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "jurisdex/jurisdex.h"

#ifndef JURISDEX_SOURCE_DIR
#error "JURISDEX_SOURCE_DIR must name the source tree (for corpus/)"
#endif

using namespace jurisdex;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<Searcher> searcher;
fs::path index_dir;

[[noreturn]] void finding(const std::string& what) {
  std::cerr << "FINDING: " << what << "\n";
  std::abort();
}

// The first @p n lines of a corpus file, as a JSON array.
std::string first_records(const std::string& file, size_t n) {
  std::ifstream in(std::string(JURISDEX_SOURCE_DIR) + "/corpus/" + file);
  if (!in) finding("cannot read corpus/" + file);
  std::string line, out = "[";
  for (size_t i = 0; i < n && std::getline(in, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) out += (i++ ? "," : "") + line;
  return out + "]";
}

void remove_index() {
  std::error_code ec;
  if (!index_dir.empty()) fs::remove_all(index_dir, ec);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Vocabulary vocabulary = Vocabulary::from_file(std::string(JURISDEX_SOURCE_DIR) + "/corpus/vocabulary.json");
  index_dir = fs::temp_directory_path() / ("jurisdex-fuzz-query-" + std::to_string(::getpid()));
  remove_index();
  {
    Indexer indexer(index_dir.string(), vocabulary, true);
    // Cases in several languages, legislation and documents: 12 records, 5+ languages.
    indexer.add_json(first_records("cases.jsonl", 8), "cases.jsonl");
    indexer.add_json(first_records("legislation.jsonl", 2), "legislation.jsonl");
    indexer.add_json(first_records("documents.jsonl", 2), "documents.jsonl");
    indexer.commit();
  }
  searcher = std::make_unique<Searcher>(index_dir.string());
  std::atexit(remove_index);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  SearchRequest request;
  request.query.assign(reinterpret_cast<const char*>(data), size);
  // Vary the options with the input, deterministically.
  request.default_op = size % 2 ? "and" : "or";
  request.sort = size % 3 == 0 ? "relevance" : size % 3 == 1 ? "date" : "-date";
  if (size % 5 == 0) request.facets = {"country", "offences", "keywords"};
  request.limit = 5;
  try {
    SearchResults results = searcher->search(request);
    if (results.hits.size() > request.limit) finding("more hits than the limit");
    if (results.total > searcher->size()) finding("more matches than records");
    for (const Hit& hit : results.hits)
      if (hit.id.empty() || !searcher->get(hit.id)) finding("a hit that is not a stored record");
  } catch (const QueryError&) {
    // a bad query, reported as such: fine
  } catch (const std::exception& e) {
    finding(std::string("search threw something other than QueryError: ") + e.what());
  }
  return 0;
}
