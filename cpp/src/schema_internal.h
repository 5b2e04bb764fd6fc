// Terms and value slots behind the public schema. Internal: only the core uses these.
#pragma once

#include <xapian.h>

#include <array>
#include <string>
#include <string_view>

#include "jurisdex/schema.h"

namespace jurisdex::schema {

// Term prefixes. Folded words are lower case or caseless, so an upper-case prefix never runs
// into the word after it. Stems are "Z" + field prefix + stem (Xapian's convention).
inline const std::string kIdPrefix = "Q";       // unique id term
inline const std::string kTitlePrefix = "S";    // title words
inline const std::string kSummaryPrefix = "XM"; // summary words
inline const std::string kAllPrefix = "";       // every word of title, summary and text
inline const std::string kStemMark = "Z";

/// The boolean term of a facet value: "X" + upper-case name + ":" + value.
std::string facet_term(const FacetField& field, const std::string& value);
/// The prefix of the facet's boolean terms.
std::string facet_prefix(const FacetField& field);

// Value slots.
constexpr Xapian::valueno kSlotDate = 0;  // "YYYYMMDD" ("00" for unknown month or day): sorting
constexpr Xapian::valueno kSlotYear = 1;  // sortable_serialise(year): ranges
constexpr Xapian::valueno kSlotDateUndatedLast = 3;  // kSlotDate, or "~" when undated: oldest first, undated last
// What a hit shows (id, title, country, date, language, and the summary its snippet most often
// comes from) packed in one slot: one value read per hit, and never the stored JSON (which
// glass keeps compressed).
constexpr Xapian::valueno kSlotHit = 2;
// The record's `text`, kept out of the stored JSON, compressed in blocks (text_store.h).
constexpr Xapian::valueno kSlotText = 6;
constexpr Xapian::valueno kSlotTextKeyIndex = 7;  // where `text` stood among the keys
constexpr Xapian::valueno kSlotLayout = 8;        // where the fields' words stand (text_store::Layout)
constexpr Xapian::valueno kFirstFacetSlot = 10;
/// The slot holding a facet's values, joined by kValueSeparator.
Xapian::valueno facet_slot(const FacetField& field);
constexpr char kValueSeparator = '\x1f';

/// The kSlotHit value: each field as "<bytes>:" + its text.
enum HitField { kHitId, kHitTitle, kHitCountry, kHitDate, kHitLanguage, kHitSummary, kHitFields };
using HitFields = std::array<std::string_view, kHitFields>;
std::string pack_hit(const HitFields& fields);
/// Splits a kSlotHit value. @throws Error when it is not one (an index of another format).
HitFields unpack_hit(std::string_view value);

// Metadata keys.
inline const std::string kMetaVocabulary = "jurisdex:vocabulary";
inline const std::string kMetaFormat = "jurisdex:format";
inline const std::string kFormatVersion = "4";  // 3: text compressed in blocks, layout slot, undated-last sort slot; 4: summary in the hit

}  // namespace jurisdex::schema
