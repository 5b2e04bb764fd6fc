#include "snippet.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <string_view>

namespace jurisdex {

namespace {

void append_text(std::string& out, std::string_view text, size_t from, size_t to, bool html) {
  for (size_t i = from; i < to; ++i) {
    char c = text[i];
    if (html && c == '&') out += "&amp;";
    else if (html && c == '<') out += "&lt;";
    else if (html && c == '>') out += "&gt;";
    else if (c == '\n' || c == '\r' || c == '\t') out.push_back(' ');
    else out.push_back(c);
  }
}

// Whether a sentence starts at byte @p at of @p text: after ". ", "! ", "? " (the next letter
// not lower case, so "art. 117" and "U.S.C. § 1324" run on... but "No. 5" would not), after a
// line break, or after a full stop of another script ("。", "؟", "।"), spaced or not.
bool sentence_starts_at(std::string_view text, size_t at) {
  if (at == 0) return true;
  size_t i = at;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i;
  if (i == 0) return true;
  if (text[i - 1] == '\n' || text[i - 1] == '\r') return true;
  if (i == at) {  // no space before the word: only an ideographic, Arabic or Devanagari full stop
    UChar32 c;
    int32_t j = static_cast<int32_t>(i);
    U8_PREV(reinterpret_cast<const uint8_t*>(text.data()), 0, j, c);
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0x061F || c == 0x06D4 || c == 0x0964;
  }
  char end = text[i - 1];
  if (end != '.' && end != '!' && end != '?') {
    UChar32 c;
    int32_t j = static_cast<int32_t>(i);
    U8_PREV(reinterpret_cast<const uint8_t*>(text.data()), 0, j, c);
    if (c != 0x061F && c != 0x06D4 && c != 0x0964 && c != 0x3002) return false;
  }
  UChar32 next;
  int32_t k = static_cast<int32_t>(at);
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), k, static_cast<int32_t>(text.size()), next);
  return !u_islower(next);
}

}  // namespace

std::string make_snippet(std::string_view text, const std::vector<std::string>& marked, Analyzer& analyzer,
                         const SnippetStyle& style, bool* matched, bool more_before, bool more_after) {
  // Long texts (whole statutes run to megabytes) are read in pieces, stopping at the first
  // piece with a match, so a snippet costs about the same whatever the text's length.
  constexpr size_t kPiece = 16384;
  if (text.size() > 2 * kPiece) {
    auto piece_end = [&](size_t begin) {
      size_t end = begin + kPiece >= text.size() ? text.size() : text.find_first_of(" \n\t", begin + kPiece);
      return end == std::string::npos ? text.size() : end;
    };
    for (size_t begin = 0; begin < text.size();) {
      size_t end = piece_end(begin);
      bool found = false;
      std::string piece = make_snippet(text.substr(begin, end - begin), marked, analyzer, style, &found,
                                       more_before || begin > 0, more_after || end < text.size());
      if (found) {
        if (matched) *matched = true;
        return piece;
      }
      begin = end;
    }
    if (matched) *matched = false;
    return make_snippet(text.substr(0, piece_end(0)), marked, analyzer, style, nullptr, more_before, true);
  }
  std::vector<Token> tokens = analyzer.tokenize(text);
  std::vector<bool> hit(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) hit[i] = std::binary_search(marked.begin(), marked.end(), tokens[i].term);

  // The window of tokens, at most style.bytes long, holding the most matched words.
  size_t best_first = 0, best_last = 0, best_count = 0, count = 0, first = 0;
  for (size_t last = 0; last < tokens.size(); ++last) {
    count += hit[last];
    while (tokens[last].end - tokens[first].start > style.bytes && first < last) count -= hit[first++];
    if (count > best_count) best_count = count, best_first = first, best_last = last;
  }
  if (matched) *matched = best_count > 0;
  if (tokens.empty()) return "";
  if (best_count > 0)
    while (!hit[best_first]) ++best_first;  // the window's first match

  // Give the first match some words of context before it, as long as the last still fits.
  size_t span = best_count > 0 ? tokens[best_last].end - tokens[best_first].start : 0;
  size_t context = std::min(style.bytes / 4, style.bytes - std::min(style.bytes, span));
  size_t start_token = best_first;
  while (start_token > 0 && tokens[best_first].start - tokens[start_token - 1].start <= context) --start_token;
  // Within that context, start at a sentence's first word where there is one.
  for (size_t i = best_first; i > start_token; --i)
    if (sentence_starts_at(text, tokens[i].start)) {
      start_token = i;
      break;
    }
  size_t begin = start_token == 0 ? 0 : tokens[start_token].start;
  size_t end_token = start_token;
  while (end_token + 1 < tokens.size() && tokens[end_token + 1].end - begin <= style.bytes) ++end_token;
  size_t end = end_token + 1 == tokens.size() ? text.size() : tokens[end_token].end;

  std::string out;
  if (begin > 0 || more_before) out += "…";
  size_t at = begin;
  for (size_t i = start_token; i <= end_token; ++i) {
    if (!hit[i]) continue;
    append_text(out, text, at, tokens[i].start, style.html);
    out += style.mark_start;
    append_text(out, text, tokens[i].start, tokens[i].end, style.html);
    out += style.mark_end;
    at = tokens[i].end;
  }
  append_text(out, text, at, end, style.html);
  if (end < text.size() || more_after) out += "…";
  return out;
}

}  // namespace jurisdex
