#pragma once
// Which of a fixed set of byte strings occur in a text, in one pass over it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jurisdex {

/// An Aho-Corasick automaton compiled into a transition table over the bytes the needles use:
/// one table lookup per byte of text, however many needles there are.
class SubstringSet {
 public:
  explicit SubstringSet(const std::vector<std::string>& needles);
  /// found[i] is true when needles[i] occurs in @p text (an empty needle always does).
  std::vector<bool> occurring(std::string_view text) const;

 private:
  uint16_t byte_class_[256] = {};                // 0: a byte no needle holds
  size_t classes_ = 1;
  std::vector<uint32_t> next_;                   // state * classes_ + class -> state
  std::vector<std::vector<uint32_t>> ends_;      // state -> needles ending there
  size_t needles_ = 0;
};

}  // namespace jurisdex
