// Snippets: the passage of a text where a query's words are densest, words marked (internal).
#pragma once

#include <string>

#include "jurisdex/analyzer.h"
#include "query.h"

namespace jurisdex {

struct SnippetStyle {
  std::string mark_start = "<mark>", mark_end = "</mark>";
  bool html = true;  // escape &, <, > in the text (not in the marks)
  size_t bytes = 240;
  bool enabled = true;
};

/// A passage of @p text of about style.bytes, with the words matching @p terms marked.
/// @p matched is set when at least one word matched.
std::string make_snippet(const std::string& text, const std::string& lang, const MatchedTerms& terms,
                         Analyzer& analyzer, const SnippetStyle& style, bool* matched = nullptr);

}  // namespace jurisdex
