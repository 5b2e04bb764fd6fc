#include "jurisdex/error.h"

#include <unicode/utf8.h>

namespace jurisdex {

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size()), i = 0;
  while (i < length) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) out += "\xEF\xBF\xBD";  // U+FFFD
    else out.append(text.substr(start, i - start));
  }
  return out;
}

std::string Location::describe() const {
  std::string out = source.empty() ? "<input>" : source;
  if (line > 0) out += ":" + std::to_string(line);
  if (index >= 0) out += "[" + std::to_string(index) + "]";
  if (!record_id.empty()) out += " (id '" + record_id + "')";
  return out;
}

// The source is a file name, kept as the file system's bytes (the bindings decode it as Python's
// os.fsdecode does); what comes from a record's content is made valid UTF-8.
static Location with_valid_id(Location where) {
  where.record_id = valid_utf8(where.record_id);
  return where;
}

static std::string record_message(const Location& where, const std::string& field,
                                  const std::string& problem) {
  std::string out = where.describe() + ": ";
  if (!field.empty()) out += "field '" + field + "': ";
  return out + problem;
}

RecordError::RecordError(Location where, std::string field, std::string problem)
    : Error(record_message(with_valid_id(where), valid_utf8(field), valid_utf8(problem))),
      where_(with_valid_id(std::move(where))),
      field_(valid_utf8(field)),
      problem_(valid_utf8(problem)) {}

IndexLockedError::IndexLockedError(const std::string& path)
    : Error("index '" + path + "' is locked by another writer (close it, or open this one read-only)"),
      path_(path) {}

IndexNotFoundError::IndexNotFoundError(const std::string& path, const std::string& why)
    : Error("no jurisdex index at '" + path + "': " + why), path_(path) {}

}  // namespace jurisdex
