// How records map onto the index: the facet fields (filterable, countable), the text fields
// (searchable with field:word), and the value slots used for sorting and ranges.
#pragma once

#include <string>
#include <vector>

namespace jurisdex {

/// A field that can filter searches (`country="ITA"`) and be counted (`facets=["country"]`).
struct FacetField {
  std::string name;        ///< name in the API, the CLI and QueryParser (`country:ITA`)
  std::string vocabulary;  ///< vocabulary field its codes come from; "" when free or checked otherwise
  bool multi;              ///< whether a record can hold several values (offences, aggravations)
  bool derived;            ///< computed by the indexer (year, region), not read from the record
};

/// A text field searchable on its own (`title:passeur`).
struct TextField {
  std::string name;
};

/// Every facet field, in display order.
const std::vector<FacetField>& facet_fields();
/// The facet field called @p name, or nullptr.
const FacetField* find_facet(const std::string& name);
/// The text fields: title, summary, text.
const std::vector<TextField>& text_fields();
/// The facet names joined by ", " (for error messages).
std::string facet_names();

}  // namespace jurisdex
