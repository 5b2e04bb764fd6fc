// Where an index's bytes go (issue 15): each Xapian table's file, and per term family the
// postings, the positions and the term bytes; per value slot the bytes; the stored records.
//
//   g++ -O2 -std=c++17 bench/index_bytes.cc -o /tmp/index_bytes $(pkg-config --cflags --libs xapian-core)
//   /tmp/index_bytes PATH/TO/INDEX
//
// Postings and positions are counts: glass stores a posting in about 1-2 bytes (docid delta and
// wdf) and a position in about 1-1.5 (interpolative coding), so the counts say which family
// fills the postlist and position tables.
#include <xapian.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

namespace {

std::string family(const std::string& t) {
  if (t.empty()) return "(empty)";
  if (t[0] == 'Q') return "Q id";
  if (t.compare(0, 2, "XC") == 0) return "XC concepts";
  if (t.compare(0, 3, "ZXM") == 0) return "ZXM summary stems";
  if (t.compare(0, 2, "ZS") == 0) return "ZS title stems";
  if (t[0] == 'Z') return "Z stems (all fields)";
  if (t.compare(0, 2, "XM") == 0) return "XM summary words";
  if (t[0] == 'S') return "S title words";
  if (t[0] == 'X') return "X facets";
  if (std::isupper(static_cast<unsigned char>(t[0]))) return "other prefixed";
  return "words (all fields)";
}

struct Counts {
  unsigned long long terms = 0, postings = 0, wdf = 0, positions = 0, term_bytes = 0, same_as_word = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s INDEX\n", argv[0]);
    return 2;
  }
  namespace fs = std::filesystem;
  std::printf("| table | MB |\n|---|---:|\n");
  for (const auto& f : fs::directory_iterator(argv[1]))
    if (f.is_regular_file()) std::printf("| %s | %.1f |\n", f.path().filename().c_str(), f.file_size() / 1e6);

  Xapian::Database db(argv[1]);
  std::map<std::string, Counts> counts;
  for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
    const std::string term = *t;
    Counts& c = counts[family(term)];
    ++c.terms;
    c.term_bytes += term.size();
    c.postings += t.get_termfreq();
    c.wdf += db.get_collection_freq(term);
    if (term[0] == 'Z' && term.size() > 1 && !std::isupper(static_cast<unsigned char>(term[1])) &&
        db.term_exists(term.substr(1)))
      ++c.same_as_word;  // a stem that is also a word (often of the same records)
  }
  // Positions: every word of every field is positioned; add_posting counts one wdf per position.
  std::printf("\n| term family | terms | term MB | postings (M) | wdf (M) | stems also a word |\n|---|---:|---:|---:|---:|---:|\n");
  for (const auto& [name, c] : counts)
    std::printf("| %s | %llu | %.1f | %.2f | %.2f | %llu |\n", name.c_str(), c.terms, c.term_bytes / 1e6, c.postings / 1e6,
                c.wdf / 1e6, c.same_as_word);

  std::map<Xapian::valueno, unsigned long long> slot_bytes;
  unsigned long long data_bytes = 0, docs = 0;
  for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
    Xapian::Document doc = db.get_document(*p);
    data_bytes += doc.get_data().size();
    ++docs;
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) slot_bytes[v.get_valueno()] += (*v).size();
  }
  std::printf("\n| stored | MB (uncompressed) |\n|---|---:|\n| records' JSON (docdata) | %.1f |\n", data_bytes / 1e6);
  for (const auto& [slot, bytes] : slot_bytes) std::printf("| value slot %u | %.1f |\n", slot, bytes / 1e6);
  std::printf("\n%llu documents\n", docs);
  return 0;
}
