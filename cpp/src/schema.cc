#include "schema_internal.h"

#include <algorithm>
#include <charconv>

#include "jurisdex/error.h"

namespace jurisdex {

const std::vector<FacetField>& facet_fields() {
  static const std::vector<FacetField> fields = {
      {"type", "type", false, false},
      {"country", "", false, false},
      {"region", "", false, true},
      {"language", "", false, false},
      {"year", "", false, true},
      {"offences", "offences", true, false},
      {"aggravations", "aggravations", true, false},
      {"financial_benefit", "financial_benefit.element", false, false},
      {"benefit_kinds", "financial_benefit.kinds", true, false},
      {"benefit_required", "", false, false},
      {"court", "", false, false},
      {"court_level", "court_level", false, false},
      {"outcome", "outcome", false, false},
      {"instrument", "", false, false},
      {"document_kind", "document_kind", false, false},
      {"author", "", false, false},
      {"cites", "", true, false},
      {"keywords", "", true, false},
      {"humanitarian_exemption", "", false, false},
      {"life_sentence", "", false, false},
      {"sentence_suspended", "", false, false},
      {"published_year", "", false, true},
  };
  return fields;
}

const FacetField* find_facet(const std::string& name) {
  for (const auto& f : facet_fields())
    if (f.name == name) return &f;
  return nullptr;
}

const std::vector<TextField>& text_fields() {
  static const std::vector<TextField> fields = {{"title"}, {"summary"}, {"text"}};
  return fields;
}

std::string facet_names() {
  std::string out;
  for (const auto& f : facet_fields()) out += (out.empty() ? "" : ", ") + f.name;
  return out;
}

namespace schema {

std::string facet_prefix(const FacetField& field) {
  std::string prefix = "X";
  for (char c : field.name) prefix.push_back(c == '_' ? '_' : static_cast<char>(c - 32 * (c >= 'a' && c <= 'z')));
  return prefix + ":";
}

std::string facet_term(const FacetField& field, const std::string& value) {
  return facet_prefix(field) + value;
}

Xapian::valueno facet_slot(const FacetField& field) {
  const auto& all = facet_fields();
  auto it = std::find_if(all.begin(), all.end(), [&](const FacetField& f) { return f.name == field.name; });
  return kFirstFacetSlot + static_cast<Xapian::valueno>(it - all.begin());
}

std::string pack_hit(const HitFields& fields) {
  std::string out;
  for (std::string_view field : fields) (out += std::to_string(field.size()) + ':') += field;
  return out;
}

HitFields unpack_hit(std::string_view value) {
  HitFields out;
  for (auto& field : out) {
    size_t colon = value.find(':');
    size_t n = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + std::min(colon, value.size()), n);
    if (colon == std::string_view::npos || error != std::errc() || end != value.data() + colon || value.size() - colon - 1 < n)
      throw Error("a record of this index has no jurisdex hit fields (an index of another format?)");
    field = value.substr(colon + 1, n);
    value.remove_prefix(colon + 1 + n);
  }
  return out;
}

}  // namespace schema
}  // namespace jurisdex
