#include "text_store.h"

#include <zstd.h>

#include <algorithm>

#include "jurisdex/error.h"

namespace jurisdex::text_store {

namespace {

constexpr int kLevel = 3;  // zstd's default (docs/performance.md)

// zstd contexts, one per thread and reused: creating one costs more than compressing a block.
struct Compressor {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~Compressor() { ZSTD_freeCCtx(cctx); }
};
struct Decompressor {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ~Decompressor() { ZSTD_freeDCtx(dctx); }
};

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) out.push_back(static_cast<char>(v | 0x80)), v >>= 7;
  out.push_back(static_cast<char>(v));
}

uint64_t get_varint(std::string_view s, size_t& at) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at >= s.size()) throw Error("stored text: truncated header (an index of another format?)");
    const auto byte = static_cast<unsigned char>(s[at++]);
    v |= uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80)) return v;
  }
  throw Error("stored text: bad header (an index of another format?)");
}

}  // namespace

std::string pack(std::string_view text) {
  const size_t blocks = (text.size() + kBlockBytes - 1) / kBlockBytes;
  std::string header, frames;
  put_varint(header, text.size());
  thread_local Compressor compressor;
  ZSTD_CCtx* cctx = compressor.cctx;
  std::string frame(ZSTD_compressBound(kBlockBytes), '\0');
  for (size_t b = 0; b < blocks; ++b) {
    std::string_view block = text.substr(b * kBlockBytes, kBlockBytes);
    size_t n = ZSTD_compressCCtx(cctx, frame.data(), frame.size(), block.data(), block.size(), kLevel);
    if (ZSTD_isError(n)) throw Error(std::string("cannot compress a text: ") + ZSTD_getErrorName(n));
    put_varint(header, n);
    frames.append(frame.data(), n);
  }
  return header + frames;
}

StoredText::StoredText(std::string packed) : packed_(std::move(packed)) {
  if (packed_.empty()) return;  // a record without text
  size_t at = 0;
  size_ = get_varint(packed_, at);
  const size_t blocks = (size_ + kBlockBytes - 1) / kBlockBytes;
  std::vector<size_t> lengths(blocks);
  for (auto& n : lengths) n = get_varint(packed_, at);
  frame_start_.push_back(at);
  for (size_t n : lengths) frame_start_.push_back(frame_start_.back() + n);
  if (frame_start_.back() != packed_.size()) throw Error("stored text: sizes do not add up (an index of another format?)");
}

std::string StoredText::read(size_t begin, size_t end) const {
  end = std::min(end, size_);
  if (begin >= end) return "";
  thread_local Decompressor decompressor;
  ZSTD_DCtx* dctx = decompressor.dctx;
  std::string out;
  out.reserve(end - begin);
  std::string block(kBlockBytes, '\0');
  for (size_t b = begin / kBlockBytes; b * kBlockBytes < end; ++b) {
    size_t n = ZSTD_decompressDCtx(dctx, block.data(), block.size(), packed_.data() + frame_start_[b],
                                   frame_start_[b + 1] - frame_start_[b]);
    if (ZSTD_isError(n)) throw Error(std::string("cannot decompress a stored text: ") + ZSTD_getErrorName(n));
    const size_t from = b * kBlockBytes;
    const size_t lo = std::max(begin, from) - from, hi = std::min(end, from + n) - from;
    if (lo < hi) out.append(block.data() + lo, hi - lo);
  }
  return out;
}

std::string pack_layout(const Layout& layout) {
  std::string out;
  put_varint(out, layout.summary_base);
  put_varint(out, layout.text_base);
  put_varint(out, layout.every);
  uint32_t previous = 0;
  for (uint32_t c : layout.checkpoints) put_varint(out, c - previous), previous = c;
  return out;
}

Layout unpack_layout(std::string_view value) {
  Layout out;
  size_t at = 0;
  out.summary_base = static_cast<Xapian::termpos>(get_varint(value, at));
  out.text_base = static_cast<Xapian::termpos>(get_varint(value, at));
  out.every = static_cast<uint32_t>(get_varint(value, at));
  if (out.every == 0) throw Error("stored layout: no checkpoint interval (an index of another format?)");
  uint32_t offset = 0;
  while (at < value.size()) out.checkpoints.push_back(offset += static_cast<uint32_t>(get_varint(value, at)));
  return out;
}

std::vector<uint32_t> checkpoints_of(const std::vector<Token>& tokens) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < tokens.size(); i += kCheckpointTokens) out.push_back(tokens[i].start);
  return out;
}

}  // namespace jurisdex::text_store
