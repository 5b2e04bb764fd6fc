// How a record's text is stored in its value slots (internal): compressed in independent blocks,
// so a snippet reads the few kilobytes around its words and not the whole statute, and with a
// table of where every kCheckpointTokens-th word starts, so the words' positions (which the index
// keeps for phrase search) say where in the text to look without analysing what comes before.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "jurisdex/analyzer.h"

namespace jurisdex::text_store {

/// Bytes of text per compressed block: a snippet decompresses one or two (docs/performance.md).
constexpr size_t kBlockBytes = 32768;
/// A checkpoint every this many words of the text.
constexpr uint32_t kCheckpointTokens = 32;

/// @p text as stored: a header (sizes of the text and of each block) and the zstd frames.
std::string pack(std::string_view text);

/// A stored text, decompressed a block at a time as parts are read.
class StoredText {
 public:
  explicit StoredText(std::string packed);
  /// Bytes of the text.
  size_t size() const { return size_; }
  /// Bytes [@p begin, @p end) of the text (clipped to its size).
  std::string read(size_t begin, size_t end) const;
  /// The whole text.
  std::string all() const { return read(0, size_); }

 private:
  std::string packed_;
  size_t size_ = 0;
  std::vector<size_t> frame_start_;  // offset in packed_ of each block's frame, and of the end
};

/// Where each field's words stand: positions of the summary's and the text's first words, and
/// the byte offset of the text's words number 0, kCheckpointTokens, 2 * kCheckpointTokens...
struct Layout {
  Xapian::termpos summary_base = 0, text_base = 0;
  uint32_t every = kCheckpointTokens;  // words between checkpoints (stored: readers use the index's)
  std::vector<uint32_t> checkpoints;
};
std::string pack_layout(const Layout& layout);
/// @throws Error when @p value is not a layout.
Layout unpack_layout(std::string_view value);
/// The checkpoints of @p tokens (the text's words).
std::vector<uint32_t> checkpoints_of(const std::vector<Token>& tokens);

}  // namespace jurisdex::text_store
