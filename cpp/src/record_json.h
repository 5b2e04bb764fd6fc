// Record validation from an already parsed JSON value (internal: keeps nlohmann out of the API).
#pragma once

#include <nlohmann/json.hpp>

#include "jurisdex/record.h"

namespace jurisdex {

using Json = nlohmann::ordered_json;

/// Validates @p value as a record. @throws RecordError.
Record record_from_json(const Json& value, Location where, const Vocabulary& vocabulary);

/// A record's JSON without its text, plus the text and where its key stood -> the whole record.
std::string join_text(const std::string& json, const std::string& text, int text_key_index);

/// Parses JSON text, refusing nesting deeper than kMaxJsonDepth.
/// @throws RecordError at @p where, with the parser's description of the syntax error.
Json parse_json_text(std::string_view text, const Location& where);

/// Deepest nesting of arrays and objects in JSON text (strings skipped), stopping at @p limit + 1.
size_t json_depth(std::string_view text, size_t limit);
constexpr size_t kMaxJsonDepth = 64;

}  // namespace jurisdex
