#include "sipri/register.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "sipri/csv.h"

namespace accord::sipri {
namespace {

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Quoted(std::string_view s) {
  constexpr size_t kMax = 60;
  std::string out = "\"";
  out.append(s.substr(0, kMax));
  if (s.size() > kMax) out += "...";
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out + "\"";
}

// The columns of each format, by the header's name (compared
// case-insensitively). A classic column with `flag` has an unnamed '?'
// column right after it.
struct ColumnSpec {
  const char* name;
  bool flag = false;
};

const std::vector<ColumnSpec>& ClassicColumns() {
  static const std::vector<ColumnSpec> c = {{"Recipient"},
                                            {"Supplier"},
                                            {"Year of order", true},
                                            {"Number ordered", true},
                                            {"Weapon designation"},
                                            {"Weapon description"},
                                            {"Number delivered", true},
                                            {"Year(s) of delivery"},
                                            {"status"},
                                            {"Comments"},
                                            {"SIPRI TIV per unit"},
                                            {"SIPRI TIV for total order"},
                                            {"SIPRI TIV of delivered weapons"}};
  return c;
}
enum Classic {
  kRecipient,
  kSupplier,
  kOrderYear,
  kNumberOrdered,
  kDesignation,
  kDescription,
  kNumberDelivered,
  kDeliveryYears,
  kStatus,
  kComments,
  kTivUnit,
  kTivOrder,
  kTivDelivered,
};

const std::vector<ColumnSpec>& FlatColumns() {
  static const std::vector<ColumnSpec> c = {{"SIPRI AT Database ID"},
                                            {"Supplier"},
                                            {"Recipient"},
                                            {"Designation"},
                                            {"Description"},
                                            {"Armament category"},
                                            {"Order date"},
                                            {"Order date is estimate"},
                                            {"Numbers delivered"},
                                            {"Numbers delivered is estimate"},
                                            {"Delivery year"},
                                            {"Delivery year is estimate"},
                                            {"Status"},
                                            {"SIPRI estimate"},
                                            {"TIV deal unit"},
                                            {"TIV delivery values"},
                                            {"Local production"}};
  return c;
}
enum Flat {
  kFId,
  kFSupplier,
  kFRecipient,
  kFDesignation,
  kFDescription,
  kFCategory,
  kFOrderYear,
  kFOrderYearEst,
  kFNumber,
  kFNumberEst,
  kFYear,
  kFYearEst,
  kFStatus,
  kFTivCore,
  kFTivUnit,
  kFTivDelivery,
  kFLocal,
};

// Where each spec column (and its flag) sits in the file.
struct Layout {
  std::vector<size_t> at;       // spec index -> field index
  std::vector<size_t> flag_at;  // spec index -> field index of its '?' column (classic)
  std::vector<std::string> header;
};

Result<Layout> MapHeader(const std::vector<std::string>& header,
                         const std::vector<ColumnSpec>& spec, Format format) {
  Layout layout;
  layout.header = header;
  std::map<std::string, size_t> by_name;
  std::map<size_t, size_t> flag_of;  // named field index -> its flag field index
  size_t last_named = SIZE_MAX;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name = Lower(Trim(header[i]));
    if (name.empty() || name == "?") {
      if (last_named != SIZE_MAX && !flag_of.contains(last_named)) flag_of[last_named] = i;
      continue;
    }
    by_name.emplace(name, i);
    last_named = i;
  }
  std::vector<std::string> missing;
  for (const ColumnSpec& c : spec) {
    auto it = by_name.find(Lower(c.name));
    if (it == by_name.end()) {
      missing.push_back(std::string("\"") + c.name + "\"");
      continue;
    }
    layout.at.push_back(it->second);
    if (c.flag) {
      auto f = flag_of.find(it->second);
      if (f == flag_of.end()) {
        missing.push_back(std::string("the unnamed '?' column after \"") + c.name + "\"");
        layout.flag_at.push_back(SIZE_MAX);
      } else {
        layout.flag_at.push_back(f->second);
      }
    } else {
      layout.flag_at.push_back(SIZE_MAX);
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
    std::string all;
    for (const ColumnSpec& c : spec) {
      all += (all.empty() ? "" : ", ") + std::string(c.name) + (c.flag ? ", ?" : "");
    }
    return Status::InvalidArgument(std::string("header of a ") + FormatName(format) +
                                   " export: missing column" + (missing.size() > 1 ? "s " : " ") +
                                   list + " (expected the columns " + all + ")");
  }
  return layout;
}

// Reads the fields of one record, noting the first problem.
class FieldReader {
 public:
  FieldReader(const CsvRecord& rec, const Layout& layout) : rec_(rec), layout_(layout) {}

  bool ok() const { return !problem_.has_value(); }
  const std::optional<Problem>& problem() const { return problem_; }

  std::string Text(size_t col) const { return std::string(Trim(Raw(col))); }
  std::string Required(size_t col) {
    std::string v = Text(col);
    if (v.empty()) Fail(layout_.at[col], "expected a value, found an empty field");
    return v;
  }
  int64_t Int(size_t col, int64_t min, int64_t max) {
    std::optional<int64_t> v = OptInt(col, min, max);
    if (!v && ok()) Fail(layout_.at[col], "expected a whole number, found an empty field");
    return v.value_or(0);
  }
  std::optional<int64_t> OptInt(size_t col, int64_t min, int64_t max) {
    return OptIntAt(layout_.at[col], Trim(Raw(col)), min, max);
  }
  std::optional<int64_t> Milli(size_t col) {
    std::string_view t = Trim(Raw(col));
    if (t.empty()) return std::nullopt;
    std::optional<int64_t> v = ParseMilli(t);
    if (!v) {
      Fail(layout_.at[col],
           "expected a non-negative decimal number with at most 3 decimals (TIV in millions), "
           "found " +
               Quoted(t));
    }
    return v;
  }
  // A '?' flag column: '?' or nothing.
  bool Flag(size_t col) {
    size_t at = layout_.flag_at[col];
    std::string_view t = Trim(Field(at));
    if (t.empty()) return false;
    if (t == "?") return true;
    Fail(at, "expected '?' or nothing (the uncertainty flag of \"" +
                 layout_.header[layout_.at[col]] + "\"), found " + Quoted(t));
    return false;
  }
  bool YesNo(size_t col) {
    std::string v = Lower(Trim(Raw(col)));
    if (v == "yes") return true;
    if (v == "no") return false;
    Fail(layout_.at[col], "expected Yes or No, found " + Quoted(Raw(col)));
    return false;
  }
  DealStatus Status(size_t col) {
    std::string v = Lower(Trim(Raw(col)));
    if (v == "new") return DealStatus::kNew;
    if (v == "second hand") return DealStatus::kSecondHand;
    if (v == "second hand but modernized") return DealStatus::kSecondHandModernized;
    Fail(layout_.at[col],
         "expected New, Second hand or Second hand but modernized, found " + Quoted(Raw(col)));
    return DealStatus::kNew;
  }
  // "1977; 1978" -> {1977, 1978}; empty -> {}.
  std::vector<int> Years(size_t col) {
    std::vector<int> out;
    std::string_view t = Trim(Raw(col));
    if (t.empty()) return out;
    while (ok()) {
      size_t semi = t.find(';');
      std::string_view part = Trim(t.substr(0, semi));
      std::optional<int64_t> y = OptIntAt(layout_.at[col], part, 1900, 2100);
      if (!ok()) break;
      if (!y) {
        Fail(layout_.at[col], "expected years joined with \"; \", found " + Quoted(t));
        break;
      }
      out.push_back(static_cast<int>(*y));
      if (semi == std::string_view::npos) break;
      t = t.substr(semi + 1);
    }
    return out;
  }
  void Fail(size_t field_index, std::string message) {
    if (problem_) return;
    problem_ =
        Problem{rec_.line, field_index + 1,
                field_index < layout_.header.size() ? std::string(Trim(layout_.header[field_index]))
                                                    : std::string(),
                std::move(message)};
  }

 private:
  std::string_view Field(size_t at) const {
    return at < rec_.fields.size() ? std::string_view(rec_.fields[at]) : std::string_view();
  }
  std::string_view Raw(size_t col) const { return Field(layout_.at[col]); }
  std::optional<int64_t> OptIntAt(size_t at, std::string_view t, int64_t min, int64_t max) {
    if (t.empty()) return std::nullopt;
    int64_t v = 0;
    bool digits = t.size() <= 15;
    for (char c : t) {
      if (c < '0' || c > '9') digits = false;
    }
    if (digits) {
      for (char c : t) v = v * 10 + (c - '0');
    }
    if (!digits || v < min || v > max) {
      Fail(at, "expected a whole number from " + std::to_string(min) + " to " +
                   std::to_string(max) + ", found " + Quoted(t));
      return std::nullopt;
    }
    return v;
  }

  const CsvRecord& rec_;
  const Layout& layout_;
  std::optional<Problem> problem_;
};

// "13 Oct 2024 2:20:11 PM" -> "2024-10-13T14:20:11Z".
std::string ParseGenerated(std::string_view t) {
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  int day = 0, year = 0, h = 0, m = 0, s = 0, month = 0;
  char mon[4] = {0}, ampm[3] = {0};
  std::string text(Trim(t));
  int n = std::sscanf(text.c_str(), "%d %3s %d %d:%d:%d %2s", &day, mon, &year, &h, &m, &s, ampm);
  if (n < 6) return "";
  for (int i = 0; i < 12; ++i) {
    if (Lower(mon) == kMonths[i]) month = i + 1;
  }
  std::string ap = Lower(ampm);
  if (n == 7) {
    if (ap != "am" && ap != "pm") return "";
    if (h < 1 || h > 12) return "";
    if (ap == "am" && h == 12) h = 0;
    if (ap == "pm" && h != 12) h += 12;
  }
  if (month == 0 || day < 1 || day > 31 || year < 1900 || year > 9999 || h > 23 || m > 59 ||
      s > 59 || h < 0 || m < 0 || s < 0) {
    return "";
  }
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, h, m, s);
  return buf;
}

std::string JoinFields(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + fields[i];
  return out;
}

}  // namespace

const char* FormatName(Format format) {
  return format == Format::kClassic ? "classic" : "flat";
}

const char* DealStatusCode(DealStatus status) {
  switch (status) {
    case DealStatus::kNew:
      return "new";
    case DealStatus::kSecondHand:
      return "second_hand";
    case DealStatus::kSecondHandModernized:
      return "second_hand_modernized";
  }
  return "new";
}

std::string Problem::ToString() const {
  std::string out = "line " + std::to_string(line);
  if (column > 0) {
    out += ", column " + std::to_string(column);
    if (!field.empty()) out += " (" + field + ")";
  }
  return out + ": " + message;
}

// SIPRI's own spellings of states that iso-codes names differently. Every
// other name is looked up among the ISO 3166-1 and 3166-3 names; groups
// ("NATO**"), rebels ("...*"), "unknown ..." and states without an ISO code
// (Biafra, Katanga, Kosovo, North Yemen, South Vietnam, ...) get none.
const std::map<std::string, std::string>& StateAliases() {
  static const std::map<std::string, std::string> a = {
      {"Bolivia", "BO"},
      {"Bosnia-Herzegovina", "BA"},
      {"Brunei", "BN"},
      {"Cote d'Ivoire", "CI"},
      {"Czechoslovakia", "CS"},
      {"DR Congo", "CD"},
      {"East Germany (GDR)", "DD"},
      {"eSwatini", "SZ"},
      {"Iran", "IR"},
      {"Laos", "LA"},
      {"Micronesia", "FM"},
      {"Moldova", "MD"},
      {"North Korea", "KP"},
      {"Palestine", "PS"},
      {"Russia", "RU"},
      {"Saint Vincent", "VC"},
      {"South Korea", "KR"},
      {"South Yemen", "YD"},
      {"Soviet Union", "SU"},
      {"Syria", "SY"},
      {"Taiwan", "TW"},
      {"Tanzania", "TZ"},
      {"Turkiye", "TR"},
      {"UAE", "AE"},
      {"United Arab Emirates", "AE"},
      {"Venezuela", "VE"},
      {"Viet Nam", "VN"},
      {"Yugoslavia", "YU"},
  };
  return a;
}

const std::vector<std::string>& ArmamentCategories() {
  static const std::vector<std::string> c = {"Aircraft",
                                             "Air defence systems",
                                             "Armoured vehicles",
                                             "Artillery",
                                             "Engines",
                                             "Missiles",
                                             "Naval weapons",
                                             "Other",
                                             "Satellites",
                                             "Sensors",
                                             "Ships"};
  return c;
}

std::optional<int64_t> ParseMilli(std::string_view t) {
  if (t.empty() || t.size() > 16) return std::nullopt;
  size_t dot = t.find('.');
  std::string_view whole = t.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
  if (whole.empty() || frac.size() > 3 || (dot != std::string_view::npos && frac.empty())) {
    return std::nullopt;
  }
  int64_t v = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  int64_t f = 0;
  for (size_t i = 0; i < 3; ++i) {
    char c = i < frac.size() ? frac[i] : '0';
    if (c < '0' || c > '9') return std::nullopt;
    f = f * 10 + (c - '0');
  }
  if (v > (int64_t{1} << 53) / 1000 - 1) return std::nullopt;
  return v * 1000 + f;
}

Result<Export> ParseExport(std::string_view bytes) {
  Export ex;
  std::string text = ToUtf8(bytes, &ex.latin1);
  if (Trim(text).find_first_not_of("\r\n") == std::string_view::npos) {
    return Status::InvalidArgument(
        "line 1: the file is empty (expected a SIPRI trade register export)");
  }
  std::vector<CsvRecord> recs = ReadCsv(text);

  // The header: the first record that starts like one of the two formats.
  size_t h = 0;
  bool found = false;
  for (; h < recs.size() && recs[h].line <= kMaxNoteLines; ++h) {
    const auto& f = recs[h].fields;
    if (f.empty()) continue;
    std::string first = Lower(Trim(f[0]));
    if (first == "recipient" && f.size() > 1 && Lower(Trim(f[1])) == "supplier") {
      ex.format = Format::kClassic;
      found = true;
      break;
    }
    if (first == "sipri at database id") {
      ex.format = Format::kFlat;
      found = true;
      break;
    }
  }
  if (!found) {
    return Status::InvalidArgument(
        "line 1: not a SIPRI trade register export: no header line in the first " +
        std::to_string(kMaxNoteLines) +
        " lines (expected one starting \"Recipient,Supplier,Year of order\" for the classic "
        "register or \"SIPRI AT Database ID,Supplier,Recipient\" for the flat export)");
  }
  ex.header_line = recs[h].line;
  for (size_t i = 0; i < h; ++i) {
    std::string note = JoinFields(recs[i].fields);
    if (note.starts_with("Data generated:")) {
      ex.generated = ParseGenerated(std::string_view(note).substr(15));
    }
    ex.notes.push_back(std::move(note));
  }
  const auto& spec = ex.format == Format::kClassic ? ClassicColumns() : FlatColumns();
  auto layout = MapHeader(recs[h].fields, spec, ex.format);
  if (!layout.ok()) {
    return layout.status().WithContext("line " + std::to_string(ex.header_line));
  }
  const size_t want = recs[h].fields.size();

  std::map<std::pair<int64_t, int>, size_t> seen;  // flat: (deal, year) -> line
  for (size_t i = h + 1; i < recs.size(); ++i) {
    CsvRecord rec = std::move(recs[i]);
    if (rec.blank()) continue;
    if (!rec.error.empty()) {
      ex.rejected.push_back(
          {rec.line, 0, "",
           "character " + std::to_string(rec.error_column) +
               (rec.error_line != rec.line ? " of line " + std::to_string(rec.error_line)
                                           : std::string()) +
               ": " + rec.error});
      continue;
    }
    // A raw line break inside a field splits a record in two: rejoin.
    while (rec.fields.size() < want && i + 1 < recs.size() && recs[i + 1].error.empty() &&
           recs[i + 1].fields.size() != want &&
           rec.fields.size() + recs[i + 1].fields.size() - 1 <= want) {
      CsvRecord& next = recs[++i];
      rec.fields.back() += "\n" + next.fields[0];
      for (size_t k = 1; k < next.fields.size(); ++k)
        rec.fields.push_back(std::move(next.fields[k]));
      rec.last_line = next.last_line;
      rec.unterminated = next.unterminated;
    }
    if (rec.fields.size() != want) {
      std::string msg = "expected " + std::to_string(want) + " fields as in the header, found " +
                        std::to_string(rec.fields.size());
      if (rec.fields.size() < want && i + 1 == recs.size() && rec.unterminated) {
        msg += "; the file ends inside this record (truncated?)";
      } else if (rec.fields.size() > want) {
        msg += " (an unquoted comma inside a field?)";
      }
      ex.rejected.push_back({rec.line, 0, "", msg});
      continue;
    }
    FieldReader r(rec, *layout);
    if (ex.format == Format::kClassic) {
      ClassicRecord c;
      c.line = rec.line;
      c.last_line = rec.last_line;
      c.recipient = r.Required(kRecipient);
      c.supplier = r.Required(kSupplier);
      c.order_year = static_cast<int>(r.Int(kOrderYear, 1900, 2100));
      c.order_year_estimate = r.Flag(kOrderYear);
      c.number_ordered = r.OptInt(kNumberOrdered, 0, 100'000'000);
      c.number_ordered_estimate = r.Flag(kNumberOrdered);
      c.designation = r.Required(kDesignation);
      c.description = r.Text(kDescription);
      c.number_delivered = r.OptInt(kNumberDelivered, 0, 100'000'000);
      c.number_delivered_estimate = r.Flag(kNumberDelivered);
      c.delivery_years = r.Years(kDeliveryYears);
      c.status_text = r.Text(kStatus);
      c.status = r.Status(kStatus);
      c.comments = r.Text(kComments);
      c.tiv_per_unit_milli = r.Milli(kTivUnit);
      c.tiv_order_milli = r.Milli(kTivOrder);
      c.tiv_delivered_milli = r.Milli(kTivDelivered);
      if (r.ok()) {
        ex.classic.push_back(std::move(c));
        continue;
      }
    } else {
      FlatRecord f;
      f.line = rec.line;
      f.deal_id = r.Int(kFId, 1, int64_t{1} << 40);
      f.supplier = r.Required(kFSupplier);
      f.recipient = r.Required(kFRecipient);
      f.designation = r.Required(kFDesignation);
      f.description = r.Text(kFDescription);
      f.category = r.Required(kFCategory);
      if (r.ok()) {
        const auto& cats = ArmamentCategories();
        auto it = std::find_if(cats.begin(), cats.end(),
                               [&](const std::string& c) { return Lower(c) == Lower(f.category); });
        if (it == cats.end()) {
          std::string all;
          for (const auto& c : cats) all += (all.empty() ? "" : ", ") + c;
          r.Fail(layout->at[kFCategory],
                 "expected a SIPRI armament category (" + all + "), found " + Quoted(f.category));
        } else {
          f.category = *it;
        }
      }
      f.order_year = static_cast<int>(r.Int(kFOrderYear, 1900, 2100));
      f.order_year_estimate = r.YesNo(kFOrderYearEst);
      f.number_delivered = r.Int(kFNumber, 0, 100'000'000);
      f.number_delivered_estimate = r.YesNo(kFNumberEst);
      f.delivery_year = static_cast<int>(r.Int(kFYear, 1900, 2100));
      f.delivery_year_estimate = r.YesNo(kFYearEst);
      f.status_text = r.Text(kFStatus);
      f.status = r.Status(kFStatus);
      f.tiv_core_milli = r.Milli(kFTivCore);
      f.tiv_per_unit_milli = r.Milli(kFTivUnit);
      f.tiv_delivery_milli = r.Milli(kFTivDelivery);
      f.local_production = r.YesNo(kFLocal);
      if (r.ok()) {
        auto [it, fresh] = seen.emplace(std::make_pair(f.deal_id, f.delivery_year), f.line);
        if (!fresh) {
          r.Fail(layout->at[kFYear], "deal " + std::to_string(f.deal_id) +
                                         " already has a row for " +
                                         std::to_string(f.delivery_year) + " (line " +
                                         std::to_string(it->second) + ")");
        } else {
          ex.flat.push_back(std::move(f));
          continue;
        }
      }
    }
    ex.rejected.push_back(*r.problem());
  }
  return ex;
}

}  // namespace accord::sipri
