// The errors jurisdex throws. Every error derives from jurisdex::Error, so a caller can catch
// the base; the bindings translate each type to its own Python exception class.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace jurisdex {

/// @p text with invalid UTF-8 sequences replaced by U+FFFD (messages may quote bad input).
std::string valid_utf8(std::string_view text);

/// Base class of every error the library throws (never a raw Xapian or ICU error).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where a record came from.
struct Location {
  std::string source;     ///< file path, or "<input>" for records given in memory
  long line = 0;          ///< 1-based line in a JSONL file; 0 when not from a JSONL file
  long index = -1;        ///< 0-based position in a JSON array; -1 when not from an array
  std::string record_id;  ///< the record's id, when it has a readable one

  /// "cases.jsonl:12", "laws.json[3]" or "<input>", followed by " (id 'x')" when the id is known.
  std::string describe() const;
};

/// A record that breaks the docs/records.md contract. The message names where and what.
class RecordError : public Error {
 public:
  /// @param where   source, line or array index, and id of the bad record
  /// @param field   the offending field ("" when the record as a whole is bad)
  /// @param problem what was expected and what was found
  RecordError(Location where, std::string field, std::string problem);

  const Location& where() const noexcept { return where_; }
  const std::string& field() const noexcept { return field_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  Location where_;
  std::string field_;
  std::string problem_;
};

/// A query that cannot be parsed, or names an unknown field or facet value.
class QueryError : public Error {
 public:
  using Error::Error;
};

/// Another writer holds the index's lock.
class IndexLockedError : public Error {
 public:
  explicit IndexLockedError(const std::string& path);
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

/// No index at the given path (or the path is not a jurisdex index).
class IndexNotFoundError : public Error {
 public:
  IndexNotFoundError(const std::string& path, const std::string& why);
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace jurisdex
