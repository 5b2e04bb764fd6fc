#include "jurisdex/indexer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "concepts.h"
#include "jurisdex/analyzer.h"
#include "jurisdex/searcher.h"
#include "reader.h"
#include "schema_internal.h"
#include "searcher_view.h"
#include "text_store.h"
#include "xapian_util.h"

namespace jurisdex {

namespace {

constexpr Xapian::termpos kFieldGap = 100;  // keeps phrases from matching across fields

// Xapian's QueryParser stems a word only when it starts with a letter that is not upper case
// (its should_stem): numbers such as "1324" are searched unstemmed, so their stem terms would
// be dead weight (4% of indexing time on statutes).
bool parser_stems(const std::string& word) {
  UChar32 first;
  int32_t i = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(word.data()), i, static_cast<int32_t>(word.size()), first);
  switch (u_charType(first)) {
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return true;
    default:
      return false;
  }
}

// Adds a text field's words with positions, and their stems in the record's language, under the
// field's prefix and, for titles and summaries, also unprefixed: unprefixed terms are all of a
// record's words, so a free-text word has one document frequency (one idf) whatever field holds
// it, as in SQLite FTS5 or Lucene's default field. Returns the words and appends the stems to
// @p stems (for concepts and citations).
std::vector<Token> index_text(Xapian::Document& doc, Analyzer& analyzer, const std::string& text,
                              const std::string& prefix, const std::string& lang, Xapian::termpos& pos,
                              std::vector<std::string>& stems) {
  std::vector<Token> tokens = analyzer.tokenize(text);
  const bool field = prefix != schema::kAllPrefix;
  for (const Token& t : tokens) {
    stems.push_back(analyzer.stem(t.term, lang));
    doc.add_posting(t.term, ++pos);
    const bool stemmed = parser_stems(t.term);
    if (stemmed) doc.add_term(schema::kStemMark + stems.back());
    if (field) {
      doc.add_posting(prefix + t.term, pos);
      if (stemmed) doc.add_term(schema::kStemMark + prefix + stems.back());
    }
  }
  pos += kFieldGap;
  return tokens;
}

// Words of titles and summaries feed Xapian's spelling dictionary ("did you mean").
void add_spellings(Xapian::WritableDatabase& db, const std::vector<Token>& tokens) {
  for (const Token& t : tokens)
    if (t.term.size() > 3 && !std::isdigit(static_cast<unsigned char>(t.term[0]))) db.add_spelling(t.term);
}

// "2015-03" -> "20150300": sorts by date with unknown parts first.
std::string sortable_date(const std::string& date) {
  std::string out;
  for (char c : date)
    if (c != '-') out.push_back(c);
  out.resize(8, '0');
  return out;
}

Xapian::Document make_document(const Record& r, Analyzer& analyzer, const ConceptMatcher& concepts,
                               Xapian::WritableDatabase* spelling) {
  Xapian::Document doc;
  doc.set_data(r.json);
  doc.add_boolean_term(schema::kIdPrefix + r.id);

  Xapian::termpos pos = 0;
  std::vector<std::string> stems;
  text_store::Layout layout;
  std::vector<Token> title = index_text(doc, analyzer, r.title, schema::kTitlePrefix, r.language, pos, stems);
  layout.summary_base = pos + 1;
  std::vector<Token> summary = index_text(doc, analyzer, r.summary, schema::kSummaryPrefix, r.language, pos, stems);
  layout.text_base = pos + 1;
  std::vector<Token> text = index_text(doc, analyzer, r.text, schema::kAllPrefix, r.language, pos, stems);
  layout.checkpoints = text_store::checkpoints_of(text);
  doc.add_value(schema::kSlotLayout, text_store::pack_layout(layout));
  if (spelling) add_spellings(*spelling, title), add_spellings(*spelling, summary);

  // Concepts: synonyms and country names mentioned in the record's own language, and its coded
  // facet values (worth two mentions), as weighted terms that queries in any language reach.
  std::vector<Token> all = std::move(title);
  all.insert(all.end(), summary.begin(), summary.end());
  all.insert(all.end(), text.begin(), text.end());
  std::map<std::string, unsigned> mentioned = concepts.find(all, stems, r.language);
  // Keywords are labels an editor chose, in whatever language: a concept one names counts as a
  // facet code does.
  for (const auto& keyword : r.values("keywords"))
    for (const auto& [concept, _] : concepts.find_any_language(keyword, analyzer)) mentioned[concept] += 2;
  auto facets = r.facets;
  for (const auto& [field, value] : r.facets)
    if (std::string concept = ConceptMatcher::of_facet(field->name, value); !concept.empty()) mentioned[concept] += 2;
  for (const auto& [concept, n] : mentioned) doc.add_term(ConceptMatcher::term(concept), n);

  // Provisions cited: as given, or found in the text when the record gives none.
  if (r.values("cites").empty()) {
    const FacetField* cites = find_facet("cites");
    for (auto& cite : extract_citations(all))
      facets.emplace_back(cites, cite);
  }

  std::map<Xapian::valueno, std::string> slots;
  for (const auto& [field, value] : facets) {
    doc.add_boolean_term(schema::facet_term(*field, value));
    std::string& slot = slots[schema::facet_slot(*field)];
    if (!slot.empty()) slot.push_back(schema::kValueSeparator);
    slot += value;
  }
  for (const auto& [slot, value] : slots) doc.add_value(slot, value);
  if (r.text_key_index >= 0) {
    doc.add_value(schema::kSlotText, text_store::pack(r.text));
    doc.add_value(schema::kSlotTextKeyIndex, std::to_string(r.text_key_index));
  }
  const std::vector<std::string> country = r.values("country");
  doc.add_value(schema::kSlotHit,
                schema::pack_hit({r.id, r.title, country.empty() ? "" : country.front(), r.date, r.language, r.summary}));
  doc.add_value(schema::kSlotDateUndatedLast, r.date.empty() ? "~" : sortable_date(r.date));
  if (!r.date.empty()) {
    doc.add_value(schema::kSlotDate, sortable_date(r.date));
    doc.add_value(schema::kSlotYear, Xapian::sortable_serialise(std::stoi(r.date.substr(0, 4))));
  }
  return doc;
}

Rejection rejection(const RecordError& e) { return Rejection{e.where(), e.field(), e.problem(), e.what()}; }

// Reads every record of the inputs, calling @p on_valid for each valid one.
IngestReport scan(const std::vector<InputFile>& inputs, const Vocabulary& vocabulary, const IngestOptions& options,
                  const std::function<void(Record&&)>& on_valid) {
  IngestReport report;
  Progress progress;
  for (const auto& f : inputs) progress.bytes_total += f.size;
  uint64_t done_before = 0;
  for (const auto& file : inputs) {
    read_records(
        file,
        [&](Json&& value, Location where) {
          try {
            Record r = record_from_json(value, where, vocabulary);
            if (!r.warnings.empty()) {
              Location at = where;
              at.record_id = r.id;
              if (options.strict) {  // one rejection for the record, naming every unknown field
                std::string problem = r.warnings.front().second;
                for (size_t i = 1; i < r.warnings.size(); ++i)
                  problem += "; field '" + r.warnings[i].first + "': " + r.warnings[i].second;
                report.rejected.push_back(rejection(RecordError(at, r.warnings.front().first, problem)));
                return void(++progress.records);
              }
              for (const auto& [field, problem] : r.warnings) report.warnings.push_back(rejection(RecordError(at, field, problem)));
            }
            on_valid(std::move(r));
          } catch (const RecordError& e) {
            report.rejected.push_back(rejection(e));
          }
          ++progress.records;
        },
        [&](const RecordError& e) {
          report.rejected.push_back(rejection(e));
          ++progress.records;
        },
        [&](uint64_t bytes) {
          progress.bytes_done = done_before + bytes;
          if (options.progress) options.progress(progress);
        });
    done_before += file.size;
  }
  report.bytes = progress.bytes_total;
  return report;
}

}  // namespace

IngestReport validate_files(const std::vector<std::string>& paths, const Vocabulary& vocabulary,
                            const IngestOptions& options) {
  return scan(expand_inputs(paths), vocabulary, options, [](Record&&) {});
}

// A record for a worker, and whether the index already holds its id.
struct IngestJob {
  Record record;
  bool in_index = false;
};

// A bounded queue of jobs from the reading thread to one worker.
class JobQueue {
 public:
  explicit JobQueue(size_t capacity) : capacity_(capacity) {}
  void push(IngestJob&& job) {
    std::unique_lock<std::mutex> lock(mutex_);
    room_.wait(lock, [&] { return items_.size() < capacity_ || closed_; });
    if (closed_) return;
    items_.push_back(std::move(job));
    ready_.notify_one();
  }
  bool pop(IngestJob& out) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return false;
    out = std::move(items_.front());
    items_.pop_front();
    room_.notify_one();
    return true;
  }
  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    ready_.notify_all();
    room_.notify_all();
  }

 private:
  size_t capacity_;
  std::deque<IngestJob> items_;
  bool closed_ = false;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
};

struct Indexer::Impl {
  std::string path;
  Vocabulary vocabulary;
  Xapian::WritableDatabase db;
  Analyzer analyzer;
  std::shared_ptr<const ConceptMatcher> concepts;  // taken at the first record (see concept_matcher)

  const ConceptMatcher& concept_matcher() {
    if (!concepts) concepts = ConceptMatcher::shared(vocabulary);
    return *concepts;
  }
};

Indexer::Indexer(const std::string& path, const Vocabulary& vocabulary, bool create) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->vocabulary = vocabulary;
  namespace fs = std::filesystem;
  std::error_code ec;
  // A parallel ingest killed between its two renames leaves the index as PATH.old: put it back.
  if (!fs::exists(path, ec) && fs::exists(path + ".old", ec)) fs::rename(path + ".old", path, ec);
  if (!create && !fs::exists(fs::path(path) / "iamglass", ec))
    throw IndexNotFoundError(path, fs::exists(path, ec) ? "not a jurisdex index" : "no such folder");
  try {
    if (fs::exists(path, ec) && !fs::is_directory(path, ec)) throw IndexNotFoundError(path, "not a folder");
    impl_->db = Xapian::WritableDatabase(path, (create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN) |
                                                   Xapian::DB_BACKEND_GLASS);  // a writer writes one folder, never a stub
    std::string format = impl_->db.get_metadata(schema::kMetaFormat);
    if (format.empty() && impl_->db.get_doccount() > 0)
      throw IndexNotFoundError(path, "a Xapian database, but not one jurisdex made");
    if (!format.empty() && format != schema::kFormatVersion)
      throw Error("index '" + path + "' has format " + format + ", this jurisdex reads format " + schema::kFormatVersion);
    impl_->db.set_metadata(schema::kMetaFormat, schema::kFormatVersion);
    impl_->db.set_metadata(schema::kMetaVocabulary, vocabulary.source_text());
    impl_->db.commit();
  } catch (const Xapian::Error& e) {
    throw_open_error(e, path);
  }
}

Indexer::~Indexer() = default;
Indexer::Indexer(Indexer&&) noexcept = default;
Indexer& Indexer::operator=(Indexer&&) noexcept = default;

bool Indexer::add(const Record& record) {
  try {
    std::string id_term = schema::kIdPrefix + record.id;
    bool exists = impl_->db.term_exists(id_term);
    impl_->db.replace_document(id_term, make_document(record, impl_->analyzer, impl_->concept_matcher(), &impl_->db));
    return exists;
  } catch (const Xapian::Error& e) {
    throw Error("cannot add record '" + record.id + "' to '" + impl_->path + "': " + e.get_description());
  }
}

IngestReport Indexer::add_json(const std::string& json_text, const std::string& source) {
  Location where{source, 0, -1, ""};
  Json value = parse_json_text(json_text, where);
  std::vector<Record> records;
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i)
      records.push_back(record_from_json(value[i], Location{source, 0, static_cast<long>(i), ""}, impl_->vocabulary));
  } else {
    records.push_back(record_from_json(value, where, impl_->vocabulary));
  }
  IngestReport report;
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    for (const auto& [field, problem] : r.warnings)
      report.warnings.push_back(rejection(RecordError(
          Location{source, 0, value.is_array() ? static_cast<long>(i) : -1, r.id}, field, problem)));
  }
  for (const auto& r : records) (add(r) ? report.replaced : report.added)++;
  return report;
}

std::string shard_path(const std::filesystem::path& work, long k) {
  return (work / ("shard-" + std::to_string(k))).string();
}

// Parallel ingest: the calling thread reads and validates, N workers each analyse their share
// (split by id, so a repeated id always meets its earlier copy) into a shard of their own, and
// the shards are merged with the index by Xapian's compaction, which is a sequential merge.
IngestReport Indexer::add_files_in_shards(const std::vector<InputFile>& inputs, const IngestOptions& options) {
  namespace fs = std::filesystem;
  const size_t jobs = options.jobs;
  fs::path work = fs::path(impl_->path + ".ingest");
  fs::remove_all(work);
  fs::create_directories(work);
  std::vector<Xapian::WritableDatabase> shards;
  std::vector<std::unique_ptr<JobQueue>> queues;
  for (size_t k = 0; k < jobs; ++k) {
    // Shards are scratch (a failed ingest removes them and leaves the index as it was), so they
    // are written in place and never fsynced: bulk-load settings Xapian offers for exactly this.
    shards.emplace_back(shard_path(work, static_cast<long>(k)),
                        Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS);
    shards.back().set_metadata(schema::kMetaFormat, schema::kFormatVersion);
    shards.back().set_metadata(schema::kMetaVocabulary, impl_->vocabulary.source_text());
    queues.push_back(std::make_unique<JobQueue>(256));
  }
  std::vector<std::exception_ptr> failures(jobs);
  std::vector<IngestReport> counts(jobs);  // each worker's added and replaced
  std::shared_ptr<const ConceptMatcher> shared_concepts = ConceptMatcher::shared(impl_->vocabulary);
  std::vector<std::thread> workers;
  for (size_t k = 0; k < jobs; ++k) {
    workers.emplace_back([&, k] {
      try {
        Analyzer analyzer;
        const ConceptMatcher& concepts = *shared_concepts;
        size_t pending_bytes = 0, pending = 0;
        IngestJob job;
        while (queues[k]->pop(job)) {
          const Record& r = job.record;
          // A repeated id always meets its earlier copy in this shard (records go by id).
          std::string id_term = schema::kIdPrefix + r.id;
          (job.in_index || shards[k].term_exists(id_term) ? counts[k].replaced : counts[k].added)++;
          shards[k].replace_document(id_term, make_document(r, analyzer, concepts, &shards[k]));
          pending_bytes += r.json.size() + r.text.size();
          if (++pending >= options.batch_size || pending_bytes * jobs >= options.batch_bytes)
            shards[k].commit(), pending = 0, pending_bytes = 0;
        }
        shards[k].commit();
      } catch (...) {
        failures[k] = std::current_exception();
        queues[k]->close();  // unblocks the reader
      }
    });
  }
  IngestReport report;
  std::vector<std::string> existing;  // ids the index already holds: replaced by the merge
  try {
    report = scan(inputs, impl_->vocabulary, options, [&](Record&& r) {
      bool in_index = impl_->db.term_exists(schema::kIdPrefix + r.id);
      if (in_index) existing.push_back(r.id);
      size_t worker = std::hash<std::string>{}(r.id) % jobs;
      queues[worker]->push(IngestJob{std::move(r), in_index});
    });
  } catch (...) {
    for (auto& q : queues) q->close();
    for (auto& w : workers) w.join();
    fs::remove_all(work);
    throw;
  }
  for (auto& q : queues) q->close();
  for (auto& w : workers) w.join();
  for (auto& f : failures)
    if (f) fs::remove_all(work), std::rethrow_exception(f);

  // Merge: drop the records being replaced, and compact index + shards into the index.
  for (const auto& id : existing) impl_->db.delete_document(schema::kIdPrefix + id);
  impl_->db.commit();
  std::vector<std::string> shard_paths;
  for (auto& shard : shards) shard.close(), shard_paths.push_back(shard_path(work, &shard - &shards[0]));
  compact_with(shard_paths, work);
  fs::remove_all(work);
  for (const auto& c : counts) report.added += c.added, report.replaced += c.replaced;
  return report;
}

// Compacts the committed index, with @p shards merged in, into a new database under @p work and
// puts it in the index's place (the old one is kept as PATH.old until the new one is in place).
void Indexer::compact_with(const std::vector<std::string>& shards, const std::filesystem::path& work) {
  namespace fs = std::filesystem;
  Xapian::Database all(impl_->path);
  for (const std::string& shard : shards) all.add_database(Xapian::Database(shard));
  fs::path merged = work / "merged";
  all.compact(merged.string(), Xapian::Compactor::FULL);  // items split where it saves space, as xapian-compact does
  all.close();
  impl_->db.close();
  fs::path old = fs::path(impl_->path + ".old");
  fs::remove_all(old);
  fs::rename(impl_->path, old);
  fs::rename(merged, impl_->path);
  fs::remove_all(old);
  impl_->db = Xapian::WritableDatabase(impl_->path, Xapian::DB_OPEN);
}

IngestReport Indexer::add_files(const std::vector<std::string>& paths, const IngestOptions& options) {
  auto inputs = expand_inputs(paths);
  if (options.strict) {
    IngestOptions silent = options;
    silent.progress = nullptr;
    IngestReport check = scan(inputs, impl_->vocabulary, silent, [](Record&&) {});
    if (!check.rejected.empty()) {
      const Rejection& first = check.rejected.front();
      throw RecordError(first.where, first.field,
                        first.problem + " (strict mode: nothing indexed; " + std::to_string(check.rejected.size()) +
                            " bad record(s) in all)");
    }
  }
  if (options.jobs > 1) {
    try {
      return add_files_in_shards(inputs, options);
    } catch (const Xapian::Error& e) {
      throw Error("parallel indexing into '" + impl_->path + "' failed: " + e.get_description());
    }
  }
  size_t pending = 0, pending_bytes = 0;
  IngestReport counts;
  IngestReport report = scan(inputs, impl_->vocabulary, options, [&](Record&& r) {
    (add(r) ? counts.replaced : counts.added)++;
    pending_bytes += r.json.size() + r.text.size();
    if (++pending >= options.batch_size || pending_bytes >= options.batch_bytes) commit(), pending = 0, pending_bytes = 0;
  });
  commit();
  report.added = counts.added;
  report.replaced = counts.replaced;
  // Records written one by one leave the B-trees' blocks part full (an index about twice the
  // size of a compacted one): when this call wrote most of the index, compact it, as the
  // parallel path does. Cheap beside the indexing (2 s for 10,000 records that took 95 s); not
  // worth a rewrite for a few hundred records.
  constexpr size_t kCompactFrom = 1000;
  const size_t written = counts.added + counts.replaced;
  if (written >= kCompactFrom && 2 * written >= impl_->db.get_doccount()) {
    namespace fs = std::filesystem;
    fs::path work = fs::path(impl_->path + ".ingest");
    fs::remove_all(work);
    fs::create_directories(work);
    try {
      compact_with({}, work);
    } catch (const Xapian::Error& e) {
      fs::remove_all(work);
      throw Error("compacting '" + impl_->path + "' after indexing failed: " + e.get_description() +
                  " (the records are committed: the index is usable as it is)");
    }
    fs::remove_all(work);
  }
  return report;
}

bool Indexer::remove(const std::string& id) {
  try {
    std::string id_term = schema::kIdPrefix + id;
    if (!impl_->db.term_exists(id_term)) return false;
    impl_->db.delete_document(id_term);
    return true;
  } catch (const Xapian::Error& e) {
    throw Error("cannot delete '" + id + "' from '" + impl_->path + "': " + e.get_description());
  }
}

void Indexer::commit() {
  try {
    impl_->db.commit();
  } catch (const Xapian::Error& e) {
    throw Error("cannot commit '" + impl_->path + "': " + e.get_description());
  }
}

size_t Indexer::size() const { return impl_->db.get_doccount(); }
const std::string& Indexer::path() const { return impl_->path; }
const Vocabulary& Indexer::vocabulary() const { return impl_->vocabulary; }

Searcher Indexer::searcher() const { return searcher_over(impl_->db, impl_->vocabulary, impl_->path); }

void throw_open_error(const Xapian::Error& e, const std::string& path) {
  // Xapian's errors have no virtual functions to dynamic_cast on; they name their type.
  std::string type = e.get_type();
  if (type == "DatabaseLockError") throw IndexLockedError(path);
  if (type == "DatabaseNotFoundError" || type == "DatabaseOpeningError" || type == "DatabaseVersionError")
    throw IndexNotFoundError(path, e.get_msg());
  throw Error("cannot open index '" + path + "': " + e.get_description());
}

}  // namespace jurisdex
