#include "substring_set.h"

#include <deque>

namespace jurisdex {

SubstringSet::SubstringSet(const std::vector<std::string>& needles) : needles_(needles.size()) {
  for (const auto& needle : needles)
    for (unsigned char b : needle)
      if (!byte_class_[b]) byte_class_[b] = static_cast<uint16_t>(classes_++);

  // The trie: 0 marks a missing edge (the root is never a child).
  std::vector<uint32_t> child(classes_, 0);
  ends_.emplace_back();
  for (uint32_t n = 0; n < needles.size(); ++n) {
    uint32_t state = 0;
    for (unsigned char b : needles[n]) {
      uint32_t& edge = child[state * classes_ + byte_class_[b]];
      if (!edge) {
        edge = static_cast<uint32_t>(ends_.size());
        ends_.emplace_back();
        child.resize(ends_.size() * classes_, 0);
      }
      state = child[state * classes_ + byte_class_[b]];  // re-read: resize may have moved `edge`
    }
    ends_[state].push_back(n);
  }

  // Breadth first, each state's missing edges take those of its longest proper suffix in the trie
  // (already complete, being shallower), and it inherits that suffix's needles.
  next_ = child;
  std::vector<uint32_t> suffix(ends_.size(), 0);
  std::deque<uint32_t> queue;
  for (size_t c = 0; c < classes_; ++c)
    if (uint32_t s = child[c]) queue.push_back(s);
  while (!queue.empty()) {
    uint32_t state = queue.front();
    queue.pop_front();
    const auto& inherited = ends_[suffix[state]];
    ends_[state].insert(ends_[state].end(), inherited.begin(), inherited.end());
    for (size_t c = 0; c < classes_; ++c) {
      uint32_t to = child[state * classes_ + c];
      uint32_t via_suffix = next_[suffix[state] * classes_ + c];
      if (to) {
        suffix[to] = via_suffix;
        queue.push_back(to);
      } else {
        next_[state * classes_ + c] = via_suffix;
      }
    }
  }
}

std::vector<bool> SubstringSet::occurring(std::string_view text) const {
  std::vector<bool> found(needles_, false);
  for (uint32_t n : ends_[0]) found[n] = true;  // empty needles
  uint32_t state = 0;
  for (unsigned char b : text) {
    state = next_[state * classes_ + byte_class_[b]];
    for (uint32_t n : ends_[state]) found[n] = true;
  }
  return found;
}

}  // namespace jurisdex
