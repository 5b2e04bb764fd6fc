#include "reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace jurisdex {

namespace fs = std::filesystem;

namespace {

bool has_record_extension(const fs::path& p) {
  auto ext = p.extension().string();
  return ext == ".json" || ext == ".jsonl";
}

bool parse_json(std::string_view text, const Location& where, Json& out,
                const std::function<void(const RecordError&)>& on_error) {
  try {
    out = parse_json_text(text, where);
    return true;
  } catch (const RecordError& e) {
    on_error(e);
    return false;
  }
}

}  // namespace

std::vector<InputFile> expand_inputs(const std::vector<std::string>& paths) {
  std::vector<InputFile> out;
  for (const auto& given : paths) {
    std::error_code ec;
    fs::path p(given);
    auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) throw Error("cannot read '" + given + "': no such file or folder");
    if (fs::is_directory(status)) {
      std::vector<InputFile> found;
      for (fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec))
        // A corpus folder may carry its vocabulary.json beside the records; it is not a record file.
        if (it->is_regular_file(ec) && has_record_extension(it->path()) && it->path().filename() != "vocabulary.json")
          found.push_back({it->path().string(), static_cast<uint64_t>(it->file_size(ec))});
      if (ec) throw Error("cannot read folder '" + given + "': " + ec.message());
      std::sort(found.begin(), found.end(), [](auto& a, auto& b) { return a.path < b.path; });
      out.insert(out.end(), found.begin(), found.end());
    } else if (has_record_extension(p)) {
      out.push_back({given, static_cast<uint64_t>(fs::file_size(p, ec))});
    } else {
      throw Error("cannot read '" + given + "': expected a .json or .jsonl file, or a folder");
    }
  }
  return out;
}

void read_records(const InputFile& file, const std::function<void(Json&&, Location)>& on_record,
                  const std::function<void(const RecordError&)>& on_error,
                  const std::function<void(uint64_t)>& on_bytes) {
  std::ifstream in(file.path, std::ios::binary);
  if (!in) throw Error("cannot read '" + file.path + "'");
  bool jsonl = fs::path(file.path).extension() == ".jsonl";
  // A UTF-16 (or UTF-32) file would give one baffling JSON error per line: say what it is, once.
  char head[2] = {0, 0};
  in.read(head, 2);
  if (in.gcount() == 2 && ((head[0] == '\xFF' && head[1] == '\xFE') || (head[0] == '\xFE' && head[1] == '\xFF'))) {
    on_error(RecordError(Location{file.path, 0, -1, ""}, "",
                         "the file is UTF-16 or UTF-32 (it starts with a byte order mark for one); records must be UTF-8"));
    on_bytes(file.size);
    return;
  }
  in.clear();
  in.seekg(0);
  if (jsonl) {
    std::string line;
    uint64_t bytes = 0;
    for (long number = 1; std::getline(in, line); ++number) {
      bytes += line.size() + 1;
      std::string_view text(line);
      if (number == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // BOM
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);                 // CRLF
      if (text.find_first_not_of(" \t") == std::string_view::npos) continue;          // blank line
      Location where{file.path, number, -1, ""};
      Json value;
      if (parse_json(text, where, value, on_error)) on_record(std::move(value), where);
      if (number % 256 == 0) on_bytes(bytes);
    }
    if (in.bad()) throw Error("error reading '" + file.path + "'");
    on_bytes(file.size);
    return;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  std::string_view view(text);
  if (view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);
  Json value;
  Location where{file.path, 0, -1, ""};
  if (parse_json(view, where, value, on_error)) {
    if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i)
        on_record(std::move(value[i]), Location{file.path, 0, static_cast<long>(i), ""});
    } else {
      on_record(std::move(value), where);
    }
  }
  on_bytes(file.size);
}

}  // namespace jurisdex
