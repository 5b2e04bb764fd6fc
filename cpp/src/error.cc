#include "jurisdex/error.h"

namespace jurisdex {

std::string Location::describe() const {
  std::string out = source.empty() ? "<input>" : source;
  if (line > 0) out += ":" + std::to_string(line);
  if (index >= 0) out += "[" + std::to_string(index) + "]";
  if (!record_id.empty()) out += " (id '" + record_id + "')";
  return out;
}

static std::string record_message(const Location& where, const std::string& field,
                                  const std::string& problem) {
  std::string out = where.describe() + ": ";
  if (!field.empty()) out += "field '" + field + "': ";
  return out + problem;
}

RecordError::RecordError(Location where, std::string field, std::string problem)
    : Error(record_message(where, field, problem)),
      where_(std::move(where)),
      field_(std::move(field)),
      problem_(std::move(problem)) {}

IndexLockedError::IndexLockedError(const std::string& path)
    : Error("index '" + path + "' is locked by another writer (close it, or open this one read-only)"),
      path_(path) {}

IndexNotFoundError::IndexNotFoundError(const std::string& path, const std::string& why)
    : Error("no jurisdex index at '" + path + "': " + why), path_(path) {}

}  // namespace jurisdex
