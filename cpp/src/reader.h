// Reading records from .json/.jsonl files and folders (internal).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "record_json.h"

namespace jurisdex {

struct InputFile {
  std::string path;
  uint64_t size = 0;
};

/// Expands folders (recursively, sorted) into their .json/.jsonl files.
/// @throws Error naming a path that does not exist or is not a .json/.jsonl file or a folder.
std::vector<InputFile> expand_inputs(const std::vector<std::string>& paths);

/// Reads one file, calling @p on_record for each parsed JSON value, @p on_error for each record
/// that is not valid JSON, and @p on_bytes with the bytes read so far in this file.
/// @throws Error when the file cannot be read.
void read_records(const InputFile& file, const std::function<void(Json&&, Location)>& on_record,
                  const std::function<void(const RecordError&)>& on_error,
                  const std::function<void(uint64_t)>& on_bytes);

}  // namespace jurisdex
