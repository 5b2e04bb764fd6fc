#include "snippet.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace jurisdex {

namespace {

void append_text(std::string& out, const std::string& text, size_t from, size_t to, bool html) {
  for (size_t i = from; i < to; ++i) {
    char c = text[i];
    if (html && c == '&') out += "&amp;";
    else if (html && c == '<') out += "&lt;";
    else if (html && c == '>') out += "&gt;";
    else if (c == '\n' || c == '\r' || c == '\t') out.push_back(' ');
    else out.push_back(c);
  }
}

}  // namespace

std::string make_snippet(const std::string& text, const std::string& lang, const MatchedTerms& terms,
                         Analyzer& analyzer, const SnippetStyle& style, bool* matched) {
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
      std::string piece = make_snippet(text.substr(begin, end - begin), lang, terms, analyzer, style, &found);
      if (found) {
        if (matched) *matched = true;
        if (begin > 0 && piece.rfind("…", 0) != 0) piece.insert(0, "…");
        return piece;
      }
      begin = end;
    }
    if (matched) *matched = false;
    return make_snippet(text.substr(0, piece_end(0)), lang, terms, analyzer, style, nullptr);
  }
  std::vector<Token> tokens = analyzer.tokenize(text);
  std::vector<bool> hit(tokens.size());
  std::unordered_map<std::string_view, bool> known;  // each distinct word is stemmed once
  for (size_t i = 0; i < tokens.size(); ++i) {
    auto [verdict, added] = known.try_emplace(tokens[i].term, false);
    if (added)
      verdict->second = terms.words.count(tokens[i].term) ||
                        (!terms.stems.empty() && terms.stems.count(analyzer.stem(tokens[i].term, lang)));
    hit[i] = verdict->second;
  }

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
  size_t begin = start_token == 0 ? 0 : tokens[start_token].start;
  size_t end_token = start_token;
  while (end_token + 1 < tokens.size() && tokens[end_token + 1].end - begin <= style.bytes) ++end_token;
  size_t end = end_token + 1 == tokens.size() ? text.size() : tokens[end_token].end;

  std::string out;
  if (begin > 0) out += "…";
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
  if (end < text.size()) out += "…";
  return out;
}

}  // namespace jurisdex
