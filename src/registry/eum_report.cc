#include "registry/eum_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "domain/envelope.h"
#include "util/text_table.h"

namespace accord::registry {
namespace {

using nlohmann::json;
using storage::RowCondition;
using storage::RowValue;

// Days since 1970-01-01 of a "YYYY-MM-DD" the rules have validated (H.
// Hinnant's days_from_civil); fast enough for millions of rows.
int64_t DayNumber(std::string_view d) {
  if (d.size() < 10) return 0;
  auto num = [&](size_t at, size_t n) {
    int64_t v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (d[i] - '0');
    return v;
  };
  int64_t y = num(0, 4), m = num(5, 2), day = num(8, 2);
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string DayString(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return buf;
}

const std::string& Text(const RowValue& v) {
  static const std::string kEmpty;
  const auto* s = std::get_if<std::string>(&v);
  return s ? *s : kEmpty;
}
int64_t Int(const RowValue& v) {
  const auto* i = std::get_if<int64_t>(&v);
  return i ? *i : 0;
}
bool IsNull(const RowValue& v) {
  return std::holds_alternative<std::monostate>(v);
}

// One monitored item as of the day, with its obligations evaluated.
struct ItemStatus {
  const std::vector<RowValue>* row = nullptr;  // the eum_items columns of kItemColumns
  std::string unit, location;
  int64_t due = 0;        // current due day
  int64_t last = -1;      // last inventory day, -1: none
  bool assessed = false;  // an obligation fell due or was met
  bool late = false;      // some obligation was met late or is overdue
  bool delinquent = false;
  int64_t days_overdue = 0;
};

const std::vector<std::string> kItemColumns = {
    "item",   "agreement", "supplier",     "recipient",   "product",
    "serial", "received",  "initial_days", "period_days", "left_on"};
enum ItemCol {
  kItem,
  kAgreement,
  kSupplier,
  kRecipient,
  kProduct,
  kSerial,
  kReceived,
  kInitial,
  kPeriod,
  kLeftOn
};

// A cursor that can look at its current row before consuming it.
class Peeking {
 public:
  explicit Peeking(std::unique_ptr<storage::RowCursor> c) : cursor_(std::move(c)) {}
  Status Advance() {
    ASSIGN_OR_RETURN(has_, cursor_->Next(row_));
    return Status::Ok();
  }
  bool has() const { return has_; }
  const std::vector<RowValue>& row() const { return row_; }

 private:
  std::unique_ptr<storage::RowCursor> cursor_;
  std::vector<RowValue> row_;
  bool has_ = false;
};

// Calls fn for every item monitored as of `day`, merging the item,
// inventory and unit tables, all ordered by item.
Status WalkItems(storage::EntityStore& store, const std::string& as_of,
                 const std::function<void(const ItemStatus&)>& fn) {
  const int64_t day = DayNumber(as_of);
  ASSIGN_OR_RETURN(auto items, store.OpenRows("eum_items", kItemColumns,
                                              {{"enhanced", RowCondition::Op::kEq, int64_t{1}},
                                               {"received", RowCondition::Op::kLe, as_of}}));
  ASSIGN_OR_RETURN(auto inv_cursor, store.OpenRows("eum_inventories", {"item", "date"},
                                                   {{"date", RowCondition::Op::kLe, as_of}}));
  ASSIGN_OR_RETURN(auto unit_cursor,
                   store.OpenRows("eum_units", {"item", "date", "unit", "location"},
                                  {{"date", RowCondition::Op::kLe, as_of}}));
  Peeking inv(std::move(inv_cursor)), units(std::move(unit_cursor));
  RETURN_IF_ERROR(inv.Advance());
  RETURN_IF_ERROR(units.Advance());
  std::vector<RowValue> row;
  std::vector<int64_t> dates;
  ItemStatus st;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, items->Next(row));
    if (!more) break;
    const std::string& id = Text(row[kItem]);
    dates.clear();
    while (inv.has() && Text(inv.row()[0]) < id) RETURN_IF_ERROR(inv.Advance());
    while (inv.has() && Text(inv.row()[0]) == id) {
      dates.push_back(DayNumber(Text(inv.row()[1])));
      RETURN_IF_ERROR(inv.Advance());
    }
    st = ItemStatus{};
    int64_t unit_day = INT64_MIN;
    while (units.has() && Text(units.row()[0]) < id) RETURN_IF_ERROR(units.Advance());
    while (units.has() && Text(units.row()[0]) == id) {
      int64_t d = DayNumber(Text(units.row()[1]));
      if (d >= unit_day) {  // rows come in log order: a later row wins a tie
        unit_day = d;
        st.unit = Text(units.row()[2]);
        st.location = Text(units.row()[3]);
      }
      RETURN_IF_ERROR(units.Advance());
    }
    if (!IsNull(row[kLeftOn]) && DayNumber(Text(row[kLeftOn])) <= day) continue;
    st.row = &row;
    const int64_t received = DayNumber(Text(row[kReceived]));
    st.due = received + Int(row[kInitial]);
    std::sort(dates.begin(), dates.end());
    for (int64_t m : dates) {
      if (m < received) continue;
      st.assessed = true;
      if (m > st.due) st.late = true;
      st.due = m + Int(row[kPeriod]);
      st.last = m;
    }
    if (st.due < day) {
      st.delinquent = st.assessed = st.late = true;
      st.days_overdue = day - st.due;
    } else if (st.due == day) {
      st.assessed = true;  // due today: the obligation has fallen due, not yet missed
    }
    fn(st);
  }
  return Status::Ok();
}

EumDueItem DueItem(const ItemStatus& st, int64_t days) {
  const auto& r = *st.row;
  return EumDueItem{Text(r[kItem]),
                    Text(r[kProduct]),
                    Text(r[kSerial]),
                    Text(r[kAgreement]),
                    Text(r[kSupplier]),
                    Text(r[kRecipient]),
                    st.unit,
                    st.location,
                    DayString(st.due),
                    st.last >= 0 ? DayString(st.last) : "",
                    days};
}

void SortDue(std::vector<EumDueItem>& v) {
  std::sort(v.begin(), v.end(), [](const EumDueItem& a, const EumDueItem& b) {
    return std::tie(a.recipient, a.unit, a.due, a.item) <
           std::tie(b.recipient, b.unit, b.due, b.item);
  });
}

Status CheckDate(const std::string& as_of) {
  if (!domain::ParseDate(as_of).ok()) {
    return Status::InvalidArgument("as-of date \"" + as_of + "\": expected YYYY-MM-DD");
  }
  return Status::Ok();
}

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", 100.0 * static_cast<double>(part) / whole);
  return buf;
}

json PercentJson(int64_t part, int64_t whole) {
  if (whole == 0) return nullptr;
  // One decimal, as the table and CSV print it.
  return std::stod(Percent(part, whole));
}

}  // namespace

Result<std::string> ParseAsOfDate(const std::string& text) {
  if (text.size() == 10) {
    if (domain::ParseDate(text).ok()) return text;
  } else {
    auto t = domain::ParseRfc3339(text);
    if (t.ok()) return domain::FormatDate(*t);
  }
  return Status::InvalidArgument("as-of \"" + text +
                                 "\": expected a date YYYY-MM-DD or an RFC 3339 date-time such "
                                 "as 2026-11-28T09:00:00+05:00 (taken as its UTC date)");
}

Result<EumDue> ComputeEumDue(storage::EntityStore& store, const std::string& as_of,
                             int64_t within_days) {
  RETURN_IF_ERROR(CheckDate(as_of));
  if (within_days < 0 || within_days > 3650) {
    return Status::InvalidArgument("within: expected 0 to 3650 days, not " +
                                   std::to_string(within_days));
  }
  EumDue out;
  out.as_of = as_of;
  out.within_days = within_days;
  const int64_t day = DayNumber(as_of);
  RETURN_IF_ERROR(WalkItems(store, as_of, [&](const ItemStatus& st) {
    ++out.items_monitored;
    if (st.delinquent) {
      out.delinquent.push_back(DueItem(st, st.days_overdue));
    } else if (st.due <= day + within_days) {
      out.due.push_back(DueItem(st, st.due - day));
    }
  }));
  SortDue(out.delinquent);
  SortDue(out.due);
  return out;
}

Result<EumCompliance> ComputeEumCompliance(storage::EntityStore& store, const std::string& as_of) {
  RETURN_IF_ERROR(CheckDate(as_of));
  const int64_t day = DayNumber(as_of);
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, EumComplianceRow> rows;
  auto at = [&](const std::string& a, const std::string& s, const std::string& r) -> auto& {
    EumComplianceRow& row = rows[Key{a, s, r}];
    row.agreement = a;
    row.supplier = s;
    row.recipient = r;
    return row;
  };
  // Consecutive items mostly share their group: look it up only on a change.
  EumComplianceRow* last = nullptr;
  RETURN_IF_ERROR(WalkItems(store, as_of, [&](const ItemStatus& st) {
    const auto& r = *st.row;
    if (last == nullptr || last->agreement != Text(r[kAgreement]) ||
        last->supplier != Text(r[kSupplier]) || last->recipient != Text(r[kRecipient])) {
      last = &at(Text(r[kAgreement]), Text(r[kSupplier]), Text(r[kRecipient]));
    }
    EumComplianceRow& row = *last;
    ++row.items_monitored;
    if (st.assessed) ++row.items_assessed;
    if (st.assessed && !st.late) ++row.items_on_time;
    if (st.delinquent) {
      ++row.items_delinquent;
      row.max_days_overdue = std::max(row.max_days_overdue, st.days_overdue);
    }
  }));

  ASSIGN_OR_RETURN(auto access, store.OpenRows("eum_access",
                                               {"agreement", "supplier", "recipient", "requested",
                                                "deadline", "answered"},
                                               {{"requested", RowCondition::Op::kLe, as_of}}));
  std::vector<RowValue> a;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, access->Next(a));
    if (!more) break;
    EumComplianceRow& row = at(Text(a[0]), Text(a[1]), Text(a[2]));
    ++row.access_requests;
    const std::string& deadline = Text(a[4]);
    if (!IsNull(a[5]) && Text(a[5]) <= as_of) {
      (Text(a[5]) <= deadline ? row.access_in_time : row.access_late)++;
    } else if (deadline < as_of) {
      ++row.access_unanswered;
    } else {
      ++row.access_pending;
    }
  }

  ASSIGN_OR_RETURN(auto cases, store.OpenRows("eum_cases",
                                              {"case_id", "agreement", "supplier", "recipient",
                                               "date", "status"},
                                              {{"date", RowCondition::Op::kLe, as_of}}));
  // Rows come by case, then by sequence: the last row of a case before D is
  // its status as of D; the first is its opening.
  std::vector<RowValue> c;
  std::string current, status, opened;
  EumComplianceRow* row = nullptr;
  auto flush = [&] {
    if (row == nullptr) return;
    if (status == "open") {
      ++row->cases_open;
      int64_t age = day - DayNumber(opened);
      row->cases_open_by_age[age <= 30 ? 0 : age <= 90 ? 1 : age <= 365 ? 2 : 3]++;
    } else if (status == "resolved") {
      ++row->cases_resolved;
    } else if (status == "confirmed_violation") {
      ++row->violations_confirmed;
    }
  };
  for (;;) {
    ASSIGN_OR_RETURN(bool more, cases->Next(c));
    if (!more) break;
    if (Text(c[0]) != current) {
      flush();
      current = Text(c[0]);
      opened = Text(c[4]);
      row = &at(Text(c[1]), Text(c[2]), Text(c[3]));
    }
    status = Text(c[5]);
  }
  flush();

  EumCompliance out;
  out.as_of = as_of;
  for (auto& [key, r] : rows) out.rows.push_back(std::move(r));
  return out;
}

std::string EumDueJson(const EumDue& due, bool with_total) {
  // Grouped per recipient unit, in the order of the sorted lists.
  json units = json::array();
  std::map<std::pair<std::string, std::string>, size_t> where;
  auto unit = [&](const EumDueItem& i) -> json& {
    auto key = std::make_pair(i.recipient, i.unit);
    auto it = where.find(key);
    if (it == where.end()) {
      it = where.emplace(key, units.size()).first;
      units.push_back({{"recipient", i.recipient},
                       {"unit", i.unit},
                       {"delinquent", json::array()},
                       {"due", json::array()}});
    }
    return units[it->second];
  };
  auto item = [](const EumDueItem& i, const char* days_key) {
    json j = {{"item", i.item},         {"product", i.product},
              {"serial", i.serial},     {"agreement", i.agreement},
              {"supplier", i.supplier}, {"location", i.location},
              {"due", i.due},           {days_key, i.days}};
    j["last_inventory"] = i.last_inventory.empty() ? json(nullptr) : json(i.last_inventory);
    return j;
  };
  for (const auto& i : due.delinquent) unit(i)["delinquent"].push_back(item(i, "days_overdue"));
  for (const auto& i : due.due) unit(i)["due"].push_back(item(i, "days_left"));
  std::sort(units.begin(), units.end(), [](const json& a, const json& b) {
    return std::tie(a["recipient"].get_ref<const std::string&>(),
                    a["unit"].get_ref<const std::string&>()) <
           std::tie(b["recipient"].get_ref<const std::string&>(),
                    b["unit"].get_ref<const std::string&>());
  });
  json j = {{"report", "eum-due"},
            {"as_of", due.as_of},
            {"within_days", due.within_days},
            {"delinquent", due.delinquent.size()},
            {"due", due.due.size()},
            {"units", units}};
  if (with_total) j["items_monitored"] = due.items_monitored;
  return j.dump(2) + "\n";
}

std::string EumDueTable(const EumDue& due) {
  std::ostringstream out;
  out << "Inventory obligations as of " << due.as_of << ": " << due.items_monitored
      << " items under enhanced monitoring, " << due.delinquent.size() << " delinquent, "
      << due.due.size() << " due within " << due.within_days << " days\n";
  auto section = [&](const std::vector<EumDueItem>& list, const char* title, const char* days) {
    if (list.empty()) return;
    out << "\n" << title << "\n";
    TextTable t(
        {"recipient", "unit", "item", "agreement", "due", days, "last inventory", "location"});
    for (const auto& i : list) {
      t.Add({i.recipient, i.unit, i.item, i.agreement, i.due, std::to_string(i.days),
             i.last_inventory.empty() ? "-" : i.last_inventory, i.location});
    }
    out << t.Render();
  };
  section(due.delinquent, "Delinquent (inventory overdue):", "days overdue");
  section(due.due, "Due:", "days left");
  return out.str();
}

std::string EumComplianceJson(const EumCompliance& report) {
  json rows = json::array();
  for (const auto& r : report.rows) {
    rows.push_back(
        {{"agreement", r.agreement},
         {"supplier", r.supplier},
         {"recipient", r.recipient},
         {"inventory",
          {{"items_monitored", r.items_monitored},
           {"items_assessed", r.items_assessed},
           {"items_on_time", r.items_on_time},
           {"on_time_percent", PercentJson(r.items_on_time, r.items_assessed)},
           {"items_delinquent", r.items_delinquent},
           {"max_days_overdue", r.max_days_overdue}}},
         {"access",
          {{"requests", r.access_requests},
           {"answered_in_time", r.access_in_time},
           {"answered_late", r.access_late},
           {"unanswered_past_deadline", r.access_unanswered},
           {"pending", r.access_pending},
           {"in_time_percent", PercentJson(r.access_in_time, r.access_in_time + r.access_late +
                                                                 r.access_unanswered)}}},
         {"cases",
          {{"open", r.cases_open},
           {"open_by_age",
            {{"0-30", r.cases_open_by_age[0]},
             {"31-90", r.cases_open_by_age[1]},
             {"91-365", r.cases_open_by_age[2]},
             {"over-365", r.cases_open_by_age[3]}}},
           {"resolved", r.cases_resolved},
           {"confirmed_violations", r.violations_confirmed}}}});
  }
  json j = {{"report", "eum"}, {"as_of", report.as_of}, {"rows", rows}};
  return j.dump(2) + "\n";
}

std::string EumComplianceCsv(const EumCompliance& report) {
  std::string out =
      "as_of,agreement,supplier,recipient,items_monitored,items_assessed,items_on_time,"
      "on_time_percent,items_delinquent,max_days_overdue,access_requests,access_in_time,"
      "access_late,access_unanswered,access_pending,access_in_time_percent,cases_open,"
      "cases_open_0_30,cases_open_31_90,cases_open_91_365,cases_open_over_365,cases_resolved,"
      "violations_confirmed\n";
  for (const auto& r : report.rows) {
    std::vector<std::string> f = {
        report.as_of,
        r.agreement,
        r.supplier,
        r.recipient,
        std::to_string(r.items_monitored),
        std::to_string(r.items_assessed),
        std::to_string(r.items_on_time),
        Percent(r.items_on_time, r.items_assessed),
        std::to_string(r.items_delinquent),
        std::to_string(r.max_days_overdue),
        std::to_string(r.access_requests),
        std::to_string(r.access_in_time),
        std::to_string(r.access_late),
        std::to_string(r.access_unanswered),
        std::to_string(r.access_pending),
        Percent(r.access_in_time, r.access_in_time + r.access_late + r.access_unanswered),
        std::to_string(r.cases_open),
        std::to_string(r.cases_open_by_age[0]),
        std::to_string(r.cases_open_by_age[1]),
        std::to_string(r.cases_open_by_age[2]),
        std::to_string(r.cases_open_by_age[3]),
        std::to_string(r.cases_resolved),
        std::to_string(r.violations_confirmed)};
    for (size_t i = 0; i < f.size(); ++i) out += (i ? "," : "") + CsvField(f[i]);
    out += "\n";
  }
  return out;
}

std::string EumComplianceTable(const EumCompliance& report) {
  std::string out = "End-use monitoring compliance as of " + report.as_of + "\n";
  if (report.rows.empty()) return out + "\nNothing is monitored yet.\n";
  TextTable t({"agreement", "supplier", "recipient", "monitored", "on time", "delinquent",
               "access in time", "open cases (0-30/31-90/91-365/>365)", "resolved", "violations"});
  auto share = [](int64_t part, int64_t whole) {
    std::string p = Percent(part, whole);
    return std::to_string(part) + "/" + std::to_string(whole) + (p.empty() ? "" : " (" + p + "%)");
  };
  for (const auto& r : report.rows) {
    int64_t decided = r.access_in_time + r.access_late + r.access_unanswered;
    std::string delinquent = std::to_string(r.items_delinquent);
    if (r.items_delinquent) delinquent += " (max " + std::to_string(r.max_days_overdue) + " d)";
    t.Add({r.agreement, r.supplier, r.recipient, std::to_string(r.items_monitored),
           share(r.items_on_time, r.items_assessed), delinquent,
           share(r.access_in_time, decided) +
               (r.access_pending ? ", " + std::to_string(r.access_pending) + " pending" : ""),
           std::to_string(r.cases_open) + " (" + std::to_string(r.cases_open_by_age[0]) + "/" +
               std::to_string(r.cases_open_by_age[1]) + "/" +
               std::to_string(r.cases_open_by_age[2]) + "/" +
               std::to_string(r.cases_open_by_age[3]) + ")",
           std::to_string(r.cases_resolved), std::to_string(r.violations_confirmed)});
  }
  return out + "\n" + t.Render();
}

}  // namespace accord::registry
