// Writing an index: records in, one writer at a time, batched commits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "jurisdex/record.h"
#include "jurisdex/vocabulary.h"

namespace jurisdex {

class Searcher;
struct InputFile;

/// A record that was not indexed, and why.
struct Rejection {
  Location where;       ///< file, line or array index, id
  std::string field;    ///< offending field, "" for the record as a whole
  std::string problem;  ///< what was expected
  std::string message;  ///< the full located message
};

/// What an ingest did.
struct IngestReport {
  size_t added = 0;     ///< records whose id was new
  size_t replaced = 0;  ///< records that replaced one with the same id
  std::vector<Rejection> rejected;
  /// Records indexed with a warning (an unknown key, kept but not indexed); strict mode rejects them.
  std::vector<Rejection> warnings;
  uint64_t bytes = 0;   ///< input bytes read
};

/// Progress of a long ingest, reported every few hundred records and at the end.
struct Progress {
  uint64_t bytes_done = 0;
  uint64_t bytes_total = 0;
  size_t records = 0;
};
/// Called on the indexing thread; may throw to abort (what was committed stays committed).
using ProgressCallback = std::function<void(const Progress&)>;

struct IngestOptions {
  /// Validate everything first; index nothing if any record is bad or has an unknown key.
  bool strict = false;
  size_t batch_size = 10000;          ///< records per commit at most...
  size_t batch_bytes = 64u << 20;     ///< ...and record bytes per commit: memory stays bounded by the batch
  ProgressCallback progress;  ///< optional
  /// Worker threads. With more than one, each builds its own shard (records split by id), and
  /// the shards are then merged into the index with Xapian's compaction.
  size_t jobs = 1;
};

/// Checks files of records against docs/records.md and the vocabulary without indexing them.
/// @throws Error when a path cannot be read.
IngestReport validate_files(const std::vector<std::string>& paths, const Vocabulary& vocabulary,
                            const IngestOptions& options = {});

/// The index's only writer.
class Indexer {
 public:
  /// Opens the index at @p path for writing, creating it when @p create is true.
  /// The vocabulary is stored in the index, so readers need no vocabulary file.
  /// @throws IndexLockedError when another writer holds it; IndexNotFoundError when it does not
  ///         exist and @p create is false; Error for other failures, naming the path.
  Indexer(const std::string& path, const Vocabulary& vocabulary, bool create);
  ~Indexer();
  Indexer(Indexer&&) noexcept;
  Indexer& operator=(Indexer&&) noexcept;

  /// Adds or replaces (same id) a record. @return true when it replaced one.
  bool add(const Record& record);
  /// Parses JSON text holding one record or an array of records and adds them all, or none
  /// when one is invalid. @throws RecordError for the first invalid record.
  IngestReport add_json(const std::string& json_text, const std::string& source = "<input>");
  /// Indexes .json/.jsonl files and folders (recursively). Bad records are reported and skipped,
  /// or, when options.strict, nothing is indexed and RecordError is thrown for the first one.
  /// Commits every options.batch_size records or options.batch_bytes, and at the end. @throws Error for unreadable paths.
  IngestReport add_files(const std::vector<std::string>& paths, const IngestOptions& options = {});
  /// Removes a record. @return false when no record has that id.
  bool remove(const std::string& id);
  /// Makes all changes durable and visible to readers.
  void commit();
  /// Number of records (uncommitted ones included).
  size_t size() const;
  const std::string& path() const;
  const Vocabulary& vocabulary() const;
  /// A searcher over this index that sees this writer's uncommitted changes.
  Searcher searcher() const;

 private:
  IngestReport add_files_in_shards(const std::vector<InputFile>& inputs, const IngestOptions& options);
  void compact_with(const std::vector<std::string>& shards, const std::filesystem::path& work);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jurisdex
