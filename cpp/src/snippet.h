// Snippets: the passage of a text where a query's words are densest, words marked (internal).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "jurisdex/analyzer.h"

namespace jurisdex {

struct SnippetStyle {
  std::string mark_start = "<mark>", mark_end = "</mark>";
  bool html = true;  // escape &, <, > in the text (not in the marks)
  size_t bytes = 240;
  bool enabled = true;
};

/// A passage of @p text of about style.bytes where the words of @p marked (sorted: the words a
/// query matched in the record's language, found beforehand) are densest, marked, starting at a
/// sentence's first word when one starts shortly before the first match.
/// @p matched is set when at least one word matched. @p more_before and @p more_after say that
/// @p text is a piece of a longer text (an ellipsis marks that side even at the piece's edge).
std::string make_snippet(std::string_view text, const std::vector<std::string>& marked, Analyzer& analyzer,
                         const SnippetStyle& style, bool* matched = nullptr, bool more_before = false,
                         bool more_after = false);

}  // namespace jurisdex
