// The records of end-use monitoring that several rule files write: the typed
// tables eum_* (items, units, inventories, access rounds, case status
// changes), an item's history entries, day arithmetic on dates, and the
// opening of cases.
#include <string_view>

#include "domain/eum_support.h"

namespace accord::domain::internal {

constexpr char kEumItems[] = "eum_items";
constexpr char kEumUnits[] = "eum_units";
constexpr char kEumInventories[] = "eum_inventories";
constexpr char kEumAccess[] = "eum_access";
constexpr char kEumCases[] = "eum_cases";

std::vector<RowTableSpec> EumRowTables() {
  return {
      {kEumItems,
       {{"item", false},
        {"agreement", false},
        {"supplier", false},
        {"recipient", false},
        {"product", false},
        {"serial", false},
        {"enhanced", true},
        {"received", false},
        {"initial_days", true},
        {"period_days", true},
        {"left_on", false},
        {"left_reason", false}},
       1},
      {kEumUnits,
       {{"item", false}, {"idx", true}, {"date", false}, {"unit", false}, {"location", false}},
       2},
      {kEumInventories, {{"item", false}, {"idx", true}, {"date", false}, {"source", false}}, 2},
      {kEumAccess,
       {{"inspection", false},
        {"round", true},
        {"agreement", false},
        {"supplier", false},
        {"recipient", false},
        {"requested", false},
        {"deadline", false},
        {"answered", false},
        {"answer", false}},
       2},
      {kEumCases,
       {{"case_id", false},
        {"seq", true},
        {"agreement", false},
        {"supplier", false},
        {"recipient", false},
        {"date", false},
        {"status", false},
        {"severity", false}},
       2}};
}

json HistoryEntry(const Call& c, const std::string& what, json detail) {
  json h = {{"index", c.index}, {"date", c.date}, {"event", c.e.type}, {"what", what}};
  if (!detail.empty()) h["detail"] = std::move(detail);
  return h;
}

std::string AddDays(const std::string& date, int64_t days) {
  auto t = ParseDate(date);
  return t.ok() ? FormatDate(*t + days * 86400) : date;
}

int64_t DaysBetween(const std::string& a, const std::string& b) {
  auto ta = ParseDate(a);
  auto tb = ParseDate(b);
  if (!ta.ok() || !tb.ok()) return 0;
  return (*tb - *ta) / 86400;
}

namespace {

RowValue TextOrNull(const json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_string()) return std::monostate{};
  return it->get<std::string>();
}

}  // namespace

Row CaseRow(const json& kase) {
  const json& last = kase["status_history"].back();
  return Row{
      kEumCases,
      {kase["id"].get<std::string>(), static_cast<int64_t>(kase["status_history"].size() - 1),
       kase["agreement"].get<std::string>(), kase["supplier"].get<std::string>(),
       kase["recipient"].get<std::string>(), last["date"].get<std::string>(),
       last["status"].get<std::string>(), kase["severity"].get<std::string>()}};
}

Row EumItemRow(const json& item) {
  bool enhanced = item.value("enhanced_monitoring", false);
  const json left = item.value("left_monitoring", json::object());
  return Row{kEumItems,
             {item["id"].get<std::string>(), TextOrNull(item, "agreement"),
              item["supplier"].get<std::string>(), item["recipient"].get<std::string>(),
              item["product"].get<std::string>(), item["serial"].get<std::string>(),
              int64_t{enhanced ? 1 : 0}, TextOrNull(item, "received"),
              item.value("inventory_initial_days", int64_t{0}),
              item.value("inventory_period_days", int64_t{0}), TextOrNull(left, "date"),
              TextOrNull(left, "reason")}};
}

Row EumInventoryRow(const Call& c, const json& item, const std::string& date,
                    const std::string& by) {
  return Row{kEumInventories,
             {item["id"].get<std::string>(), static_cast<int64_t>(c.index), date, by}};
}

std::string LastDatedFact(const json& item) {
  std::string last = item.value("received", std::string());
  for (const char* k : {"last_inventory", "located_since"}) {
    std::string d = item.value(k, std::string());
    if (d > last) last = d;
  }
  return last;
}

Row EumUnitRow(const Call& c, const json& item, const std::string& date) {
  return Row{kEumUnits,
             {item["id"].get<std::string>(), static_cast<int64_t>(c.index), date,
              TextOrNull(item, "unit"), TextOrNull(item, "location")}};
}
bool IsAutomaticCaseId(const std::string& id) {
  auto ends = [&](std::string_view suffix) { return id.ends_with(suffix); };
  if (ends("-receipt") || ends("-findings") || ends("-loss") || ends("-not-confirmed") ||
      ends("-out-seal") || ends("-back-seal")) {
    return true;
  }
  // "-late-N", "-no-answer-N", "-access-N", "-seal-N"
  size_t dash = id.rfind('-');
  if (dash == std::string::npos || dash + 1 == id.size()) return false;
  for (size_t k = dash + 1; k < id.size(); ++k) {
    if (id[k] < '0' || id[k] > '9') return false;
  }
  std::string_view head(id.data(), dash);
  return head.ends_with("-late") || head.ends_with("-no-answer") || head.ends_with("-access") ||
         head.ends_with("-seal");
}

Result<Change> OpenCase(const Call& c, CaseSpec spec) {
  ASSIGN_OR_RETURN(std::optional<json> existing, c.Find("case", spec.id));
  if (existing) {
    // Cases are never replaced (automatic ids are reserved: IsAutomaticCaseId).
    return Refuse("case.unique", "subject", "case " + Quote(spec.id) + " exists already");
  }
  if (spec.deadline.empty()) {
    int64_t days = 60;
    if (!spec.agreement.empty()) {
      ASSIGN_OR_RETURN(std::optional<json> agreement, c.Find("agreement", spec.agreement));
      if (agreement) days = agreement->value("case_deadline_days", int64_t{60});
    }
    spec.deadline = AddDays(spec.date, days);
  }
  json kase = {{"id", spec.id},
               {"kind", spec.kind},
               {"source", spec.source},
               {"agreement", spec.agreement},
               {"supplier", spec.supplier},
               {"recipient", spec.recipient},
               {"opened", spec.date},
               {"opened_index", c.index},
               {"opened_by", spec.opened_by},
               {"severity", spec.severity},
               {"assigned", spec.assigned},
               {"deadline", spec.deadline},
               {"status", "open"},
               {"status_history", {{{"date", spec.date}, {"status", "open"}, {"index", c.index}}}},
               {"differences", std::move(spec.differences)},
               {"notes", json::array()},
               {"actions", json::array()}};
  if (!spec.contract.empty()) kase["contract"] = spec.contract;
  if (!spec.summary.empty()) kase["summary"] = spec.summary;
  Row row = CaseRow(kase);
  return Change{"case", spec.id, std::move(kase), {std::move(row)}};
}

Result<Change> OpenAutomaticCase(const Call& c, const std::string& id, const std::string& kind,
                                 const std::string& source, const json& about,
                                 const std::string& severity, const std::string& assigned,
                                 const std::string& date, json differences) {
  CaseSpec spec;
  spec.id = id;
  spec.kind = kind;
  spec.source = source;
  spec.agreement = about.value("agreement", std::string());
  spec.supplier = about.value("supplier", std::string());
  spec.recipient = about.value("recipient", std::string());
  spec.severity = severity;
  spec.assigned = assigned;
  spec.date = date;
  spec.opened_by = "registry (automatic)";
  spec.differences = std::move(differences);
  return OpenCase(c, std::move(spec));
}

Row AccessRow(const json& inspection, const json& round, int64_t number) {
  return Row{
      kEumAccess,
      {inspection["id"].get<std::string>(), number, inspection["agreement"].get<std::string>(),
       inspection["supplier"].get<std::string>(), inspection["recipient"].get<std::string>(),
       round["requested"].get<std::string>(), round["deadline"].get<std::string>(),
       TextOrNull(round, "answered"), TextOrNull(round, "answer")}};
}

}  // namespace accord::domain::internal
