// libFuzzer target: records from arbitrary bytes.
//
// Each input is read three ways: as one record (parse_record), as the lines of a .jsonl file and
// as a .json file (validate_files, i.e. the reader). Every outcome but a RecordError for a bad
// record is a finding, and so is a valid record that does not survive a round trip through its
// stored JSON, or that the index refuses (every valid record is added to a scratch index, under
// one id, so it keeps one document). The analyzer also runs on the raw bytes (invalid UTF-8
// included) and on the text fields of valid records.
//
// Build: cmake -DJURISDEX_BUILD_FUZZERS=ON -DCMAKE_CXX_COMPILER=clang++ (see CMakeLists.txt).
// Run:   fuzz_record cpp/fuzz/seeds/record -max_total_time=60
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "jurisdex/jurisdex.h"
#include "record_json.h"  // join_text: the stored record

#ifndef JURISDEX_SOURCE_DIR
#error "JURISDEX_SOURCE_DIR must name the source tree (for corpus/vocabulary.json)"
#endif

using namespace jurisdex;
namespace fs = std::filesystem;

namespace {

const Vocabulary& vocabulary() {
  static const Vocabulary v = Vocabulary::from_file(std::string(JURISDEX_SOURCE_DIR) + "/corpus/vocabulary.json");
  return v;
}

Analyzer& analyzer() {
  static Analyzer a;
  return a;
}

const fs::path& scratch() {
  // Under $TMPDIR; removed at exit (after the scratch index, which is created later).
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("jurisdex-fuzz-record-" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(fs::temp_directory_path() / ("jurisdex-fuzz-record-" + std::to_string(::getpid())), ec);
    });
    return d;
  }();
  return dir;
}

Indexer& indexer() {
  static Indexer ix((scratch() / "index").string(), vocabulary(), true);
  return ix;
}

[[noreturn]] void finding(const std::string& what) {
  std::cerr << "FINDING: " << what << "\n";
  std::abort();
}

void check_tokens(const std::string& text) {
  for (const Token& t : analyzer().tokenize(text)) {
    if (t.start > t.end || t.end > text.size()) finding("token span outside the text");
    if (t.term.empty() || t.term.size() > 64) finding("empty or overlong term");
  }
}

void one_record(const std::string& text) {
  Record r;
  try {
    r = parse_record(text, Location{"fuzz.jsonl", 1, -1, ""}, vocabulary());
  } catch (const RecordError& e) {
    if (std::string(e.what()).find("fuzz.jsonl:1") != 0) finding(std::string("unlocated error: ") + e.what());
    return;
  }
  // A valid record round-trips: what the index stores parses back to the same record.
  std::string stored = join_text(r.json, r.text, r.text_key_index);
  Record again;
  try {
    again = parse_record(stored, Location{"stored", 0, -1, ""}, vocabulary());
  } catch (const RecordError& e) {
    finding(std::string("stored JSON of a valid record is invalid: ") + e.what());
  }
  if (again.id != r.id || again.text != r.text || again.summary != r.summary || again.facets.size() != r.facets.size() ||
      join_text(again.json, again.text, again.text_key_index) != stored)
    finding("record changed in a round trip through its stored JSON");
  check_tokens(r.title);
  check_tokens(r.summary);
  r.id = "fuzz";
  try {
    indexer().add(r);
  } catch (const Error& e) {
    finding(std::string("the index refused a valid record: ") + e.what());
  }
}

void as_file(const std::string& text, const char* name) {
  fs::path path = scratch() / name;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  try {
    IngestReport report = validate_files({path.string()}, vocabulary());
    for (const Rejection& r : report.rejected)
      if (r.where.source != path.string() || r.message.find(path.string()) != 0)
        finding("rejection not located in its file: " + r.message);
  } catch (const RecordError& e) {
    finding(std::string("validate_files threw for a bad record: ") + e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  one_record(text);
  as_file(text, "records.jsonl");
  as_file(text, "records.json");
  check_tokens(text);
  (void)valid_utf8(text);
  return 0;
}
