// SIPRI Arms Transfers Database exports, parsed. Pure: no I/O, depends on
// util only. Two formats, recognized by their header line:
//
//  - the classic trade register ("Recipient,Supplier,Year of order, ,..."):
//    one record per deal, notes before the header (one says "Data generated:
//    <date>"), unnamed columns holding '?' that flag the value of the column
//    before them as uncertain, delivery years joined with "; ", no armament
//    category, and a few records broken by a raw line break inside Comments;
//  - the flat export ("SIPRI AT Database ID,Supplier,Recipient,..."): one
//    record per deal and delivery year, with SIPRI's stable deal id and
//    Yes/No estimate columns.
//
// TIV figures (millions) are kept as integers in thousandths ("milli"), the
// way Accord's events carry fixed-point values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace accord::sipri {

enum class Format { kClassic, kFlat };
// "classic" or "flat".
const char* FormatName(Format format);

// A rejected record: where, and what was expected there.
struct Problem {
  size_t line = 0;    // 1-based line where the record starts
  size_t column = 0;  // 1-based field number; 0 when the record as a whole is at fault
  std::string field;  // the header's name of that column ("" when column is 0)
  std::string message;
  // "line 14, column 5 (Number ordered): expected ..." (or "line 14: ...").
  std::string ToString() const;
};

// SIPRI's deal status and its TIV factor (new 100%, second hand 40%, second
// hand but modernized 66%).
enum class DealStatus { kNew, kSecondHand, kSecondHandModernized };
// "new", "second_hand", "second_hand_modernized".
const char* DealStatusCode(DealStatus status);

struct ClassicRecord {
  size_t line = 0;       // where the record starts
  size_t last_line = 0;  // where it ends (later if it was rejoined)
  std::string recipient, supplier;
  int order_year = 0;
  bool order_year_estimate = false;
  std::optional<int64_t> number_ordered;  // empty: not yet known
  bool number_ordered_estimate = false;
  std::string designation, description;
  std::optional<int64_t> number_delivered;
  bool number_delivered_estimate = false;
  std::vector<int> delivery_years;
  std::string status_text;  // as SIPRI spells it
  DealStatus status = DealStatus::kNew;
  std::string comments;
  std::optional<int64_t> tiv_per_unit_milli, tiv_order_milli, tiv_delivered_milli;
};

struct FlatRecord {
  size_t line = 0;
  int64_t deal_id = 0;  // "SIPRI AT Database ID"
  std::string supplier, recipient, designation, description, category;
  int order_year = 0;
  bool order_year_estimate = false;
  int64_t number_delivered = 0;
  bool number_delivered_estimate = false;
  int delivery_year = 0;
  bool delivery_year_estimate = false;
  std::string status_text;
  DealStatus status = DealStatus::kNew;
  std::optional<int64_t> tiv_core_milli;      // "SIPRI estimate": TIV per unit if new
  std::optional<int64_t> tiv_per_unit_milli;  // "TIV deal unit": after the status factor
  std::optional<int64_t> tiv_delivery_milli;  // "TIV delivery values": this year's volume
  bool local_production = false;
};

struct Export {
  Format format = Format::kFlat;
  std::vector<std::string> notes;  // the lines before the header
  // "Data generated: 13 Oct 2024 2:20:11 PM" as "2024-10-13T14:20:11Z" (SIPRI
  // gives no time zone; UTC is assumed); empty if the notes have no such line.
  std::string generated;
  size_t header_line = 0;
  bool latin1 = false;                 // the bytes were read as Latin-1
  std::vector<ClassicRecord> classic;  // format kClassic
  std::vector<FlatRecord> flat;        // format kFlat
  std::vector<Problem> rejected;       // in line order

  size_t accepted() const { return format == Format::kClassic ? classic.size() : flat.size(); }
};

// Lines searched for a header before the file is declared not a SIPRI export.
inline constexpr size_t kMaxNoteLines = 64;

// Parses the bytes of one export. Fails (InvalidArgument, "line L: ...") when
// the file as a whole is unusable: empty, no SIPRI header within the first
// kMaxNoteLines lines (a file of another format), or a header missing columns
// of its format. Otherwise every record that cannot be read is listed in
// `rejected` with the first thing wrong in it, and the others are returned.
// A record with too few fields is rejoined with the following one(s) when
// together they make exactly a header's worth (a raw line break inside a
// field); the joint becomes a "\n" in that field.
Result<Export> ParseExport(std::string_view bytes);

// The published SIPRI armament categories, as the flat export spells them.
const std::vector<std::string>& ArmamentCategories();

// SIPRI's own spellings of states whose ISO 3166 names differ ("Russia" ->
// "RU", "Soviet Union" -> "SU"). Other names match the ISO names; groups,
// rebels, "unknown ..." and states without an ISO code have none.
const std::map<std::string, std::string>& StateAliases();

// "11.5" -> 11500: a non-negative decimal with at most three decimals.
std::optional<int64_t> ParseMilli(std::string_view text);

}  // namespace accord::sipri
