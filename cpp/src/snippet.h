// Snippets: the passage of a text where a query's words are densest, words marked (internal).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "jurisdex/analyzer.h"
#include "query.h"

namespace jurisdex {

struct SnippetStyle {
  std::string mark_start = "<mark>", mark_end = "</mark>";
  bool html = true;  // escape &, <, > in the text (not in the marks)
  size_t bytes = 240;
  bool enabled = true;
};

/// A passage of @p text of about style.bytes, with the words matching @p terms marked, starting
/// at a sentence's first word when one starts shortly before the first match.
/// @p matched is set when at least one word matched. @p more_before and @p more_after say that
/// @p text is a piece of a longer text (an ellipsis marks that side even at the piece's edge).
/// @p marked, when given, are the words to mark, sorted (what @p terms match in the record's
/// language, found beforehand): the text's words are then not stemmed.
std::string make_snippet(std::string_view text, const std::string& lang, const MatchedTerms& terms,
                         Analyzer& analyzer, const SnippetStyle& style, bool* matched = nullptr,
                         bool more_before = false, bool more_after = false,
                         const std::vector<std::string>* marked = nullptr);

}  // namespace jurisdex
