// Rules of end-use monitoring: inspections by the supplier (scope, access
// requested and answered within the agreement's deadline, findings per
// serial and a physical-security checklist), cases (opened automatically or
// by hand, assigned, investigated, closed as resolved or as a confirmed
// violation, reopened), consent to re-transfer to a third party, and
// declarations of loss, destruction or expenditure.
//
// Inventory obligations: an item under enhanced monitoring (the contract
// line's designation, else the product's catalogue flag) must be inventoried
// within the agreement's inventory_initial_days of receipt and then within
// inventory_period_days of its last inventory. A serial sighted during a
// completed inspection is an inventory. The typed tables eum_* keep the
// dated facts from which the monitoring figures are computed as of any date.
#include <cctype>
#include <map>
#include <set>

#include "domain/rule_support.h"

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

Row CaseRow(const json& kase) {
  const json& last = kase["status_history"].back();
  return Row{
      kEumCases,
      {kase["id"].get<std::string>(), static_cast<int64_t>(kase["status_history"].size() - 1),
       kase["agreement"].get<std::string>(), kase["supplier"].get<std::string>(),
       kase["recipient"].get<std::string>(), last["date"].get<std::string>(),
       last["status"].get<std::string>(), kase["severity"].get<std::string>()}};
}

}  // namespace

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

static bool IsAutomaticCaseId(const std::string& id) {
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

namespace {

const std::vector<std::string> kFindingResults = {"sighted", "not_sighted", "wrong_location",
                                                  "unauthorized_use", "damaged_or_tampered"};
const std::vector<std::string> kSecurityChecks = {
    "perimeter",         "access_control",    "locks_and_keys",    "intrusion_detection",
    "inventory_records", "personnel_vetting", "storage_conditions"};
const std::vector<std::string> kSeverities = {"low", "medium", "high", "critical"};

bool Held(const json& item) {
  std::string state = item.value("state", std::string());
  return state == "in_service" || state == "in_storage";
}

// The agreement `id`, with `party` and `other` both parties to it.
Result<json> AgreementOf(const Call& c, const std::string& id, const std::string& field) {
  return c.Need("agreement", id, field);
}

Status NeedPartyOf(const json& agreement, const std::string& party, const std::string& rule,
                   const std::string& field) {
  if (!Contains(agreement["parties"], party)) {
    return Refuse(
        rule, field,
        Quote(party) + " is not a party to agreement " + agreement["id"].get<std::string>());
  }
  return Status::Ok();
}

std::string ItemField(const std::string& list, size_t i) {
  return "body." + list + "[" + std::to_string(i) + "]";
}

// The items of `body[list]` ({product, serial} objects), each once, each
// existing; returns their documents in order.
Result<std::vector<json>> ListedItems(const Call& c, const std::string& list) {
  std::vector<json> out;
  std::set<std::string> seen;
  const json& items = c.body[list];
  for (size_t i = 0; i < items.size(); ++i) {
    std::string id = ItemId(items[i]["product"], items[i]["serial"]);
    if (!seen.insert(id).second) {
      return Refuse("item.serial_unique", ItemField(list, i), "item " + id + " is listed twice");
    }
    ASSIGN_OR_RETURN(json item, c.Need("item", id, ItemField(list, i)));
    out.push_back(std::move(item));
  }
  return out;
}

// Items the recipient holds (in service or storage), received on or before
// `date`, all of the same supplier.
Status CheckHeldBy(const Call& c, const std::vector<json>& items, const std::string& list,
                   const std::string& recipient, const std::string& date, const std::string& rule) {
  for (size_t i = 0; i < items.size(); ++i) {
    const json& item = items[i];
    std::string id = item["id"];
    if (item["recipient"] != recipient || !Held(item)) {
      return Refuse(rule, ItemField(list, i),
                    "item " + id + " is not held by " + recipient + " (it is " +
                        item.value("state", std::string("unknown")) + ", recipient " +
                        item["recipient"].get<std::string>() + ")");
    }
    RETURN_IF_ERROR(
        c.NotBefore("body.date", date, LastDatedFact(item),
                    "the last dated record of " + id + " (its receipt, last inventory or move)"));
    if (item["supplier"] != items[0]["supplier"]) {
      return Refuse(rule, ItemField(list, i), "the items must all come from one supplier");
    }
  }
  return Status::Ok();
}

// The item leaves the inventory obligations (transferred, lost, destroyed,
// expended) on `date`.
Change LeaveMonitoring(const Call& c, json item, const std::string& state, const std::string& date,
                       const std::string& reason, const json& detail) {
  item["state"] = state;
  item["left_monitoring"] = {{"date", date}, {"reason", reason}};
  item.erase("inventory_due");
  item["history"].push_back(HistoryEntry(c, reason, detail));
  std::vector<Row> rows;
  if (item.contains("received")) rows.push_back(EumItemRow(item));
  std::string id = item["id"];
  return Change{"item", id, std::move(item), std::move(rows)};
}

Result<json> CaseSelf(const Call& c) {
  ASSIGN_OR_RETURN(json kase, c.Self("case"));
  // Cases opened before cases kept their status changes: their opening.
  if (!kase.contains("status_history")) {
    kase["status_history"] = {{{"date", kase.value("opened", std::string())},
                               {"status", kase.value("status", std::string("open"))},
                               {"index", kase.value("opened_index", uint64_t{0})}}};
  }
  for (const char* k : {"agreement", "supplier", "recipient", "severity"}) {
    if (!kase.contains(k)) kase[k] = "";
  }
  return kase;
}

// ---- Inspections ----------------------------------------------------------------------

Result<std::vector<Change>> InspectionScheduled(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("inspection"));
  ASSIGN_OR_RETURN(json agreement, AgreementOf(c, c.body["agreement"], "body.agreement"));
  std::string recipient = c.body["recipient"];
  RETURN_IF_ERROR(NeedPartyOf(agreement, c.e.party, "inspection.by_party", "party"));
  RETURN_IF_ERROR(
      NeedPartyOf(agreement, recipient, "inspection.recipient_party", "body.recipient"));
  if (recipient == c.e.party) {
    return Refuse("inspection.recipient_party", "body.recipient",
                  "a party does not inspect itself; name the recipient of the items");
  }
  const json& scope = c.body["scope"];
  json items = scope.value("items", json::array());
  json units = scope.value("units", json::array());
  json locations = scope.value("locations", json::array());
  if (items.empty() && units.empty() && locations.empty()) {
    return Refuse("inspection.scope", "body.scope",
                  "name at least one item, unit or location to inspect");
  }
  json item_ids = json::array();
  std::set<std::string> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string field = "body.scope.items[" + std::to_string(i) + "]";
    std::string id = ItemId(items[i]["product"], items[i]["serial"]);
    if (!seen.insert(id).second) {
      return Refuse("item.serial_unique", field, "item " + id + " is listed twice");
    }
    ASSIGN_OR_RETURN(json item, c.Need("item", id, field));
    if (item["supplier"] != c.e.party || item["recipient"] != recipient) {
      return Refuse("inspection.items_supplied", field,
                    "item " + id + " was not supplied by " + c.e.party + " to " + recipient);
    }
    if (item.value("agreement", std::string()) != c.body["agreement"]) {
      return Refuse("inspection.items_of_agreement", field,
                    "item " + id + " was supplied under " +
                        item.value("agreement", std::string("another agreement")) + ", not " +
                        c.body["agreement"].get<std::string>());
    }
    if (!item.contains("received")) {
      return Refuse("inspection.items_received", field,
                    "item " + id + " has not been received by " + recipient);
    }
    item_ids.push_back(id);
  }
  // Between two parties, the supplier may inspect the recipient's units and
  // locations; under an agreement of more parties, an inspection names items
  // the inspecting party supplied (so that no party inspects another it
  // supplied nothing to).
  if (agreement["parties"].size() > 2 && item_ids.empty()) {
    return Refuse("inspection.items_supplied", "body.scope.items",
                  "under an agreement of more than two parties an inspection names the items "
                  "it covers");
  }
  for (size_t i = 0; i < units.size(); ++i) {
    std::string field = "body.scope.units[" + std::to_string(i) + "]";
    ASSIGN_OR_RETURN(json unit, c.Need("body", units[i], field));
    if (unit["party"] != recipient) {
      return Refuse("inspection.unit_of_recipient", field,
                    units[i].get<std::string>() + " is not a body of " + recipient);
    }
  }
  json doc = {{"id", c.id},
              {"agreement", c.body["agreement"]},
              {"supplier", c.e.party},
              {"recipient", recipient},
              {"kind", c.body["kind"]},
              {"scope", {{"items", item_ids}, {"units", units}, {"locations", locations}}},
              {"planned_date", c.body["planned_date"]},
              {"team_size", c.body["team_size"]},
              {"scheduled", c.date},
              {"scheduled_index", c.index},
              {"status", "scheduled"},
              {"access", json::array()}};
  if (c.body.contains("note")) doc["note"] = c.body["note"];
  return c.Set("inspection", std::move(doc));
}

Row AccessRow(const json& inspection, const json& round, int64_t number) {
  return Row{
      kEumAccess,
      {inspection["id"].get<std::string>(), number, inspection["agreement"].get<std::string>(),
       inspection["supplier"].get<std::string>(), inspection["recipient"].get<std::string>(),
       round["requested"].get<std::string>(), round["deadline"].get<std::string>(),
       TextOrNull(round, "answered"), TextOrNull(round, "answer")}};
}

Result<std::vector<Change>> InspectionAccessRequested(const Call& c) {
  ASSIGN_OR_RETURN(json insp, c.Self("inspection"));
  RETURN_IF_ERROR(c.ActsFor(insp["supplier"], "inspection.by_supplier", false));
  std::string status = insp["status"];
  if (status != "scheduled" && status != "access_refused" && status != "no_answer") {
    return Refuse("inspection.sequence", "subject",
                  "access is requested for a scheduled inspection, or again after a refusal or "
                  "no answer; this one is " +
                      status);
  }
  std::string date = c.body["date"];
  RETURN_IF_ERROR(c.NotBefore("body.date", date, insp["scheduled"], "the inspection's scheduling"));
  RETURN_IF_ERROR(c.NotBefore("body.visit_date", c.body["visit_date"], date, "the request"));
  ASSIGN_OR_RETURN(json agreement, AgreementOf(c, insp["agreement"], "inspection.agreement"));
  int64_t days = agreement.value("access_deadline_days", int64_t{30});
  json round = {{"requested", date},
                {"request_index", c.index},
                {"visit_date", c.body["visit_date"]},
                {"deadline", AddDays(date, days)}};
  insp["access"].push_back(round);
  insp["status"] = "access_requested";
  Row row = AccessRow(insp, round, static_cast<int64_t>(insp["access"].size()));
  return std::vector<Change>{{"inspection", c.id, std::move(insp), {std::move(row)}}};
}

// A case about access to an inspection, assigned to the recipient.
Result<Change> AccessCase(const Call& c, const json& insp, const std::string& suffix,
                          const std::string& severity, const std::string& date, json what) {
  const std::string id = insp["id"];
  return OpenAutomaticCase(c, id + "-" + suffix, "access", "inspection/" + id, insp, severity,
                           insp["recipient"], date, json::array({std::move(what)}));
}

Result<std::vector<Change>> InspectionAccessAnswered(const Call& c) {
  ASSIGN_OR_RETURN(json insp, c.Self("inspection"));
  RETURN_IF_ERROR(c.ActsFor(insp["recipient"], "inspection.answered_by_recipient", false));
  std::string status = insp["status"];
  if (status != "access_requested" && status != "no_answer") {
    return Refuse("inspection.sequence", "subject",
                  "there is no open access request to answer; the inspection is " + status);
  }
  std::string date = c.body["date"];
  json& round = insp["access"].back();
  RETURN_IF_ERROR(c.NotBefore("body.date", date, round["requested"], "the access request"));
  if (round.contains("missed_recorded")) {
    // The supplier has recorded that no answer had come by that day.
    RETURN_IF_ERROR(c.NotBefore("body.date", date, round["missed_recorded"],
                                "the day the supplier recorded that no answer had come"));
  }
  std::string answer = c.body["answer"];
  if (answer == "other_date" && !c.body.contains("visit_date")) {
    return Status::InvalidArgument("body.visit_date: a proposal of another date names the date");
  }
  if (answer == "refused" && !c.body.contains("reason")) {
    return Status::InvalidArgument("body.reason: a refusal of access gives its reason");
  }
  if (answer != "other_date" && c.body.contains("visit_date")) {
    return Refuse("inspection.visit_date", "body.visit_date",
                  "only a proposal of another date names a visit date");
  }
  if (c.body.contains("visit_date")) {
    RETURN_IF_ERROR(c.NotBefore("body.visit_date", c.body["visit_date"], date, "the answer"));
  }
  // The deadline day itself is in time.
  std::string deadline = round["deadline"];
  bool in_time = date <= deadline;
  round["answered"] = date;
  round["answer_index"] = c.index;
  round["answer"] = answer;
  round["in_time"] = in_time;
  if (c.body.contains("reason")) round["reason"] = c.body["reason"];
  std::vector<Change> changes;
  if (answer == "refused") {
    insp["status"] = "access_refused";
    ASSIGN_OR_RETURN(Change opened,
                     AccessCase(c, insp, "access-" + std::to_string(insp["access"].size()), "high",
                                date, {{"kind", "access_refused"}, {"reason", c.body["reason"]}}));
    changes.push_back(std::move(opened));
  } else {
    insp["status"] = "access_agreed";
    insp["visit_date"] = answer == "granted" ? round["visit_date"] : c.body["visit_date"];
    if (answer == "other_date") round["proposed_date"] = c.body["visit_date"];
  }
  if (!in_time && status == "access_requested") {
    // Late, and the supplier had not yet recorded the missed deadline: the
    // late answer is itself the finding.
    ASSIGN_OR_RETURN(
        Change opened,
        AccessCase(c, insp, "late-" + std::to_string(insp["access"].size()), "medium", date,
                   {{"kind", "late_access_answer"},
                    {"deadline", deadline},
                    {"days_late", DaysBetween(deadline, date)}}));
    changes.push_back(std::move(opened));
  }
  if (!in_time) {
    insp["access_findings"].push_back({{"kind", "late_access_answer"},
                                       {"deadline", deadline},
                                       {"answered", date},
                                       {"days_late", DaysBetween(deadline, date)}});
  }
  Row row = AccessRow(insp, round, static_cast<int64_t>(insp["access"].size()));
  changes.insert(changes.begin(), Change{"inspection", c.id, std::move(insp), {std::move(row)}});
  return changes;
}

Result<std::vector<Change>> InspectionAccessDeadlineMissed(const Call& c) {
  ASSIGN_OR_RETURN(json insp, c.Self("inspection"));
  RETURN_IF_ERROR(c.ActsFor(insp["supplier"], "inspection.by_supplier", true));
  if (insp["status"] != "access_requested") {
    return Refuse("inspection.sequence", "subject",
                  "no access request is awaiting an answer; the inspection is " +
                      insp["status"].get<std::string>());
  }
  json& round = insp["access"].back();
  std::string deadline = round["deadline"];
  std::string date = c.body["date"];
  if (date <= deadline) {
    return Refuse("inspection.deadline_passed", "body.date",
                  "the recipient may answer until " + deadline +
                      " inclusive; a missed deadline is recorded from the day after");
  }
  round["missed_recorded"] = date;
  insp["status"] = "no_answer";
  insp["access_findings"].push_back(
      {{"kind", "no_answer_by_deadline"}, {"deadline", deadline}, {"recorded", date}});
  ASSIGN_OR_RETURN(Change opened,
                   AccessCase(c, insp, "no-answer-" + std::to_string(insp["access"].size()), "high",
                              date, {{"kind", "no_answer_by_deadline"}, {"deadline", deadline}}));
  return std::vector<Change>{{"inspection", c.id, std::move(insp)}, std::move(opened)};
}

// An inspection's scope, as sets.
struct Scope {
  std::set<std::string> items, units, locations;
  explicit Scope(const json& scope) {
    for (const auto& x : scope["items"]) items.insert(x.get<std::string>());
    for (const auto& x : scope["units"]) units.insert(x.get<std::string>());
    for (const auto& x : scope["locations"]) locations.insert(x.get<std::string>());
  }
  bool Covers(const json& item) const {
    return items.contains(item["id"].get<std::string>()) ||
           (item.contains("unit") && units.contains(item["unit"].get<std::string>())) ||
           (item.contains("location") && locations.contains(item["location"].get<std::string>()));
  }
};

Result<std::vector<Change>> InspectionCompleted(const Call& c) {
  ASSIGN_OR_RETURN(json insp, c.Self("inspection"));
  RETURN_IF_ERROR(c.ActsFor(insp["supplier"], "inspection.by_supplier", false));
  if (insp["status"] != "access_agreed") {
    return Refuse("inspection.sequence", "subject",
                  "an inspection is completed after access is agreed; this one is " +
                      insp["status"].get<std::string>());
  }
  std::string date = c.body["date"];
  RETURN_IF_ERROR(c.NotBefore("body.date", date, insp["visit_date"], "the agreed visit date"));
  std::vector<Change> changes;
  const Scope scope(insp["scope"]);
  json findings = json::array();
  json adverse = json::array();
  std::map<std::string, int64_t> counts;
  std::set<std::string> seen;
  std::string severity;
  auto raise = [&](const std::string& s) {
    auto rank = [](const std::string& v) {
      return v == "high" ? 3 : v == "medium" ? 2 : v == "low" ? 1 : 0;
    };
    if (rank(s) > rank(severity)) severity = s;
  };
  for (size_t i = 0; i < c.body["findings"].size(); ++i) {
    const json& f = c.body["findings"][i];
    std::string field = ItemField("findings", i);
    std::string id = ItemId(f["product"], f["serial"]);
    if (!seen.insert(id).second) {
      return Refuse("item.serial_unique", field, "item " + id + " has two findings");
    }
    ASSIGN_OR_RETURN(json item, c.Need("item", id, field));
    if (item["recipient"] != insp["recipient"] || item["supplier"] != insp["supplier"] ||
        !scope.Covers(item)) {
      return Refuse(
          "inspection.finding_in_scope", field,
          "item " + id + " is outside this inspection's scope (its items, units and locations)");
    }
    if (!item.contains("received")) {
      return Refuse("inspection.items_received", field, "item " + id + " was never received");
    }
    RETURN_IF_ERROR(c.NotBefore("body.date", date, item["received"], "the receipt of " + id));
    std::string result = f["result"];
    // An inspection recorded after the item left monitoring (e.g. an
    // inventory report filed late) still speaks of the item as it was then.
    const bool left = item.contains("left_monitoring");
    const bool declared = left && date >= item["left_monitoring"]["date"].get<std::string>();
    const bool held = left ? !declared : Held(item);
    json stored = {{"item", id}, {"result", result}};
    for (const char* k : {"location", "note"}) {
      if (f.contains(k)) stored[k] = f[k];
    }
    if (result == "wrong_location" && !f.contains("location")) {
      return Status::InvalidArgument(field +
                                     ".location: a wrong-location finding says where the "
                                     "item was found");
    }
    ++counts[result];
    std::vector<Row> rows;
    if (result != "not_sighted") {
      if (declared) {
        // Sighted although declared gone (or transferred): that declaration is in doubt.
        stored["declared"] = item["left_monitoring"];
        adverse.push_back(stored);
        raise("high");
      } else if (held) {
        rows.push_back(EumInventoryRow(c, item, date, "inspection/" + c.id));
        if (date >= item.value("last_inventory", std::string())) {
          item["last_inventory"] = date;
          if (item.value("enhanced_monitoring", false) && !left) {
            item["inventory_due"] =
                AddDays(date, item.value("inventory_period_days", int64_t{365}));
          }
          item.erase("not_sighted_since");
        }
      }
    } else if (!declared && !item.contains("not_sighted_since")) {
      item["not_sighted_since"] = date;
    }
    if (result == "not_sighted" && !declared) {
      adverse.push_back(stored);
      raise("high");
    } else if (result == "unauthorized_use") {
      adverse.push_back(stored);
      raise("high");
    } else if (result == "wrong_location" || result == "damaged_or_tampered") {
      adverse.push_back(stored);
      raise("medium");
    }
    item["history"].push_back(
        HistoryEntry(c, "inspected", {{"inspection", c.id}, {"result", result}}));
    findings.push_back(std::move(stored));
    changes.push_back({"item", id, std::move(item), std::move(rows)});
  }
  json security = c.body.value("security", json::array());
  std::set<std::string> checks;
  for (size_t i = 0; i < security.size(); ++i) {
    if (!checks.insert(security[i]["check"].get<std::string>()).second) {
      return Refuse("inspection.security_once", ItemField("security", i),
                    "check " + security[i]["check"].get<std::string>() + " is listed twice");
    }
    if (security[i]["result"] == "not_met") {
      adverse.push_back({{"security_check", security[i]["check"]}, {"result", "not_met"}});
      raise("low");
    }
  }
  insp["status"] = "completed";
  insp["completed"] = date;
  insp["completed_index"] = c.index;
  insp["findings"] = findings;
  insp["security"] = security;
  insp["counts"] = counts;
  if (c.body.contains("summary")) insp["summary"] = c.body["summary"];
  if (!adverse.empty()) {
    ASSIGN_OR_RETURN(Change opened, OpenAutomaticCase(c, c.id + "-findings", "inspection_finding",
                                                      "inspection/" + c.id, insp, severity,
                                                      insp["recipient"], date, adverse));
    insp["case"] = opened.id;
    changes.push_back(std::move(opened));
  }
  changes.insert(changes.begin(), Change{"inspection", c.id, std::move(insp)});
  return changes;
}

// ---- Cases ----------------------------------------------------------------------------

Result<std::vector<Change>> CaseOpened(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("case"));
  if (IsAutomaticCaseId(c.id)) {
    return Refuse("case.id_reserved", "subject",
                  Quote(c.id) +
                      " has the form of the ids the registry gives the cases it opens itself "
                      "(…-receipt, …-findings, …-late-N, …); choose another id");
  }
  ASSIGN_OR_RETURN(json agreement, AgreementOf(c, c.body["agreement"], "body.agreement"));
  std::string supplier = c.body["supplier"], recipient = c.body["recipient"];
  RETURN_IF_ERROR(NeedPartyOf(agreement, supplier, "case.parties", "body.supplier"));
  RETURN_IF_ERROR(NeedPartyOf(agreement, recipient, "case.parties", "body.recipient"));
  if (supplier == recipient) {
    return Refuse("case.parties", "body.recipient", "supplier and recipient must differ");
  }
  if (!c.by_registry() && c.e.party != supplier && c.e.party != recipient) {
    return Refuse("case.by_party", "party",
                  Quote(c.e.party) + " is neither the supplier nor the recipient");
  }
  std::string assigned = c.body["assigned"];
  if (assigned != supplier && assigned != recipient) {
    return Refuse("case.assigned_party", "body.assigned",
                  "a case is assigned to its supplier or its recipient");
  }
  std::string date = c.body["date"];
  RETURN_IF_ERROR(c.NotBefore("body.deadline", c.body["deadline"], date, "the opening"));
  json differences = json::array();
  if (c.body.contains("items")) {
    ASSIGN_OR_RETURN(std::vector<json> items, ListedItems(c, "items"));
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i]["supplier"] != supplier || items[i]["recipient"] != recipient) {
        return Refuse("case.items_of_parties", ItemField("items", i),
                      "item " + items[i]["id"].get<std::string>() + " was not supplied by " +
                          supplier + " to " + recipient);
      }
      differences.push_back({{"item", items[i]["id"]}});
    }
  }
  CaseSpec spec;
  spec.id = c.id;
  spec.kind = "manual";
  spec.source = "case/" + c.id;
  spec.agreement = c.body["agreement"];
  spec.supplier = supplier;
  spec.recipient = recipient;
  spec.severity = c.body["severity"];
  spec.assigned = assigned;
  spec.deadline = c.body["deadline"];
  spec.date = date;
  spec.opened_by = c.e.party;
  spec.differences = std::move(differences);
  spec.summary = c.body["summary"];
  ASSIGN_OR_RETURN(Change opened, OpenCase(c, std::move(spec)));
  return std::vector<Change>{std::move(opened)};
}

Status CaseParty(const Call& c, const json& kase, bool registry_ok) {
  if (c.e.party == kase["supplier"] || c.e.party == kase["recipient"] ||
      (registry_ok && c.by_registry())) {
    return Status::Ok();
  }
  return Refuse("case.by_party", "party",
                Quote(c.e.party) + " is not a party to case " + kase["id"].get<std::string>());
}

Status CaseOpen(const json& kase, const std::string& what) {
  if (kase["status"] != "open") {
    return Refuse("case.open", "subject",
                  "case " + kase["id"].get<std::string>() + " is " +
                      kase["status"].get<std::string>() + "; " + what + " an open case");
  }
  return Status::Ok();
}

Status CaseDate(const Call& c, const json& kase) {
  return c.NotBefore("body.date", c.body["date"], kase["status_history"].back()["date"],
                     "the case's last status change");
}

Result<std::vector<Change>> CaseAssigned(const Call& c) {
  ASSIGN_OR_RETURN(json kase, CaseSelf(c));
  if (c.e.party != kase["supplier"] && !c.by_registry()) {
    return Refuse("case.assigned_by_supplier", "party",
                  "the supplier (the monitoring party) or the registry assigns cases");
  }
  RETURN_IF_ERROR(CaseOpen(kase, "only assign"));
  RETURN_IF_ERROR(CaseDate(c, kase));
  std::string assigned = c.body["assigned"];
  if (assigned != kase["supplier"] && assigned != kase["recipient"]) {
    return Refuse("case.assigned_party", "body.assigned",
                  "a case is assigned to its supplier or its recipient");
  }
  RETURN_IF_ERROR(
      c.NotBefore("body.deadline", c.body["deadline"], c.body["date"], "the assignment"));
  kase["assigned"] = assigned;
  kase["deadline"] = c.body["deadline"];
  kase["notes"].push_back(
      {{"date", c.body["date"]},
       {"index", c.index},
       {"party", c.e.party},
       {"note", "assigned to " + assigned + " until " + c.body["deadline"].get<std::string>()}});
  return c.Set("case", std::move(kase));
}

Result<std::vector<Change>> CaseNoteAdded(const Call& c) {
  ASSIGN_OR_RETURN(json kase, CaseSelf(c));
  RETURN_IF_ERROR(CaseParty(c, kase, true));
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], kase["opened"], "the case's opening"));
  kase["notes"].push_back({{"date", c.body["date"]},
                           {"index", c.index},
                           {"party", c.e.party},
                           {"note", c.body["note"]}});
  return c.Set("case", std::move(kase));
}

Result<std::vector<Change>> CaseActionRecorded(const Call& c) {
  ASSIGN_OR_RETURN(json kase, CaseSelf(c));
  RETURN_IF_ERROR(CaseParty(c, kase, false));
  RETURN_IF_ERROR(CaseOpen(kase, "corrective actions are recorded on"));
  RETURN_IF_ERROR(CaseDate(c, kase));
  json action = {{"date", c.body["date"]},
                 {"index", c.index},
                 {"party", c.e.party},
                 {"action", c.body["action"]}};
  if (c.body.contains("due")) {
    RETURN_IF_ERROR(c.NotBefore("body.due", c.body["due"], c.body["date"], "the action's date"));
    action["due"] = c.body["due"];
  }
  kase["actions"].push_back(std::move(action));
  return c.Set("case", std::move(kase));
}

Result<std::vector<Change>> CaseClosed(const Call& c) {
  ASSIGN_OR_RETURN(json kase, CaseSelf(c));
  if (c.e.party != kase["supplier"] && !c.by_registry()) {
    return Refuse("case.closed_by_supplier", "party",
                  "the supplier (the monitoring party) or the registry closes a case; " +
                      Quote(c.e.party) + " may add notes and corrective actions");
  }
  RETURN_IF_ERROR(CaseOpen(kase, "only close"));
  RETURN_IF_ERROR(CaseDate(c, kase));
  std::string outcome = c.body["outcome"];
  kase["status"] = outcome;
  kase["closed"] = c.body["date"];
  kase["closing_summary"] = c.body["summary"];
  kase["status_history"].push_back(
      {{"date", c.body["date"]}, {"status", outcome}, {"index", c.index}});
  Row row = CaseRow(kase);
  return std::vector<Change>{{"case", c.id, std::move(kase), {std::move(row)}}};
}

Result<std::vector<Change>> CaseReopened(const Call& c) {
  ASSIGN_OR_RETURN(json kase, CaseSelf(c));
  if (c.e.party != kase["supplier"] && !c.by_registry()) {
    return Refuse("case.reopened_by_supplier", "party",
                  "the supplier (the monitoring party) or the registry reopens a case, as it "
                  "closes one");
  }
  if (kase["status"] == "open") {
    return Refuse("case.closed", "subject",
                  "case " + c.id + " is open; only a closed case reopens");
  }
  RETURN_IF_ERROR(CaseDate(c, kase));
  kase["status"] = "open";
  kase.erase("closed");
  kase["status_history"].push_back({{"date", c.body["date"]},
                                    {"status", "open"},
                                    {"index", c.index},
                                    {"reason", c.body["reason"]}});
  Row row = CaseRow(kase);
  return std::vector<Change>{{"case", c.id, std::move(kase), {std::move(row)}}};
}

// ---- Re-transfer consent ----------------------------------------------------------------

Result<std::vector<Change>> ConsentRequested(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("consent"));
  ASSIGN_OR_RETURN(std::vector<json> items, ListedItems(c, "items"));
  std::string date = c.body["date"];
  RETURN_IF_ERROR(CheckHeldBy(c, items, "items", c.e.party, date, "consent.items_held"));
  std::string supplier = items[0]["supplier"];
  std::string third = c.body["third_party"];
  if (third == supplier || third == c.e.party) {
    return Refuse("consent.third_party", "body.third_party",
                  third + " is a party to the original transfer, not a third party");
  }
  json ids = json::array();
  for (const json& item : items) ids.push_back(item["id"]);
  json doc = {{"id", c.id},
              {"agreement", items[0].value("agreement", std::string())},
              {"supplier", supplier},
              {"recipient", c.e.party},
              {"third_party", third},
              {"end_user", c.body["end_user"]},
              {"purpose", c.body["purpose"]},
              {"items", ids},
              {"requested", date},
              {"status", "requested"},
              {"transferred", json::array()}};
  return c.Set("consent", std::move(doc));
}

Result<std::vector<Change>> ConsentDecided(const Call& c, bool granted) {
  ASSIGN_OR_RETURN(json consent, c.Self("consent"));
  RETURN_IF_ERROR(c.ActsFor(consent["supplier"], "consent.by_supplier", false));
  if (consent["status"] != "requested") {
    return Refuse("consent.decide_once", "subject",
                  "consent " + c.id + " is already " + consent["status"].get<std::string>());
  }
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], consent["requested"], "the request"));
  consent["status"] = granted ? "granted" : "denied";
  consent["decided"] = c.body["date"];
  consent["decided_index"] = c.index;
  for (const char* k : {"conditions", "reason"}) {
    if (c.body.contains(k)) consent[k] = c.body[k];
  }
  return c.Set("consent", std::move(consent));
}

Result<std::vector<Change>> ConsentGranted(const Call& c) {
  return ConsentDecided(c, true);
}
Result<std::vector<Change>> ConsentDenied(const Call& c) {
  return ConsentDecided(c, false);
}

Result<std::vector<Change>> ConsentTransferRecorded(const Call& c) {
  ASSIGN_OR_RETURN(json consent, c.Self("consent"));
  RETURN_IF_ERROR(c.ActsFor(consent["recipient"], "retransfer.by_recipient", false));
  if (consent["status"] != "granted") {
    return Refuse("retransfer.consent_granted", "subject",
                  "no transfer without the supplier's consent: consent " + c.id + " is " +
                      consent["status"].get<std::string>());
  }
  std::string date = c.body["date"];
  RETURN_IF_ERROR(c.NotBefore("body.date", date, consent["decided"], "the consent"));
  ASSIGN_OR_RETURN(std::vector<json> items, ListedItems(c, "items"));
  std::vector<Change> changes;
  std::set<std::string> consented;
  for (const auto& x : consent["items"]) consented.insert(x.get<std::string>());
  for (size_t i = 0; i < items.size(); ++i) {
    std::string id = items[i]["id"];
    if (!consented.contains(id)) {
      return Refuse("retransfer.items_consented", ItemField("items", i),
                    "no transfer without the supplier's consent: item " + id +
                        " is not covered by consent " + c.id);
    }
  }
  RETURN_IF_ERROR(
      CheckHeldBy(c, items, "items", consent["recipient"], date, "retransfer.items_held"));
  for (json& item : items) {
    std::string id = item["id"];
    consent["transferred"].push_back(id);
    item["holder"] = consent["third_party"];
    changes.push_back(
        LeaveMonitoring(c, std::move(item), "retransferred", date, "retransferred",
                        {{"consent", c.id}, {"third_party", consent["third_party"]}}));
  }
  consent["status"] =
      consent["transferred"].size() == consent["items"].size() ? "transferred" : "granted";
  changes.insert(changes.begin(), Change{"consent", c.id, std::move(consent)});
  return changes;
}

// ---- Declarations of loss, destruction, expenditure -----------------------------------

Result<std::vector<Change>> DeclarationFiled(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("declaration"));
  ASSIGN_OR_RETURN(std::vector<json> items, ListedItems(c, "items"));
  std::string kind = c.body["kind"];
  std::string date = c.body["date"];
  for (size_t i = 0; i < c.body["evidence"].size(); ++i) {
    const json& ev = c.body["evidence"][i];
    if (ev.contains("sha256")) {
      const std::string& h = ev["sha256"].get_ref<const std::string&>();
      bool hex = h.size() == 64;
      for (char ch : h)
        hex = hex && std::isxdigit(static_cast<unsigned char>(ch)) &&
              !std::isupper(static_cast<unsigned char>(ch));
      if (!hex) {
        return Status::InvalidArgument(ItemField("evidence", i) +
                                       ".sha256: expected 64 lower-case hex digits");
      }
    }
  }
  // Who answers for the items: the recipient for items it holds; the
  // supplier for items that never arrived (missing at receipt, lost in
  // transit).
  std::string responsible;
  for (size_t i = 0; i < items.size(); ++i) {
    const json& item = items[i];
    std::string field = ItemField("items", i);
    std::string who;
    if (Held(item)) {
      who = item["recipient"];
      // Not before what is already on record of the item: a backdated
      // declaration would erase inventories and moves from the figures.
      RETURN_IF_ERROR(c.NotBefore("body.date", date, LastDatedFact(item),
                                  "the last dated record of " + item["id"].get<std::string>() +
                                      " (its receipt, last inventory or move)"));
    } else if (item["state"] == "in_transit" && item.value("missing_at_receipt", false)) {
      if (kind != "loss") {
        return Refuse("declaration.items_held", field,
                      "item " + item["id"].get<std::string>() +
                          " never arrived; only its loss can be declared");
      }
      who = item["supplier"];
    } else {
      return Refuse("declaration.items_held", field,
                    "item " + item["id"].get<std::string>() + " is " +
                        item["state"].get<std::string>() +
                        "; declarations cover items held, or missing at receipt");
    }
    if (!responsible.empty() && who != responsible) {
      return Refuse("declaration.items_held", field,
                    "one declaration covers items answered for by one party");
    }
    responsible = who;
  }
  if (c.e.party != responsible) {
    return Refuse("declaration.by_holder", "party",
                  "these items are answered for by " + responsible + ", not " + c.e.party);
  }
  const std::string state = kind == "loss"          ? "lost"
                            : kind == "destruction" ? "destroyed"
                                                    : "expended";
  json ids = json::array();
  for (const json& item : items) ids.push_back(item["id"]);
  json doc = {{"id", c.id},
              {"kind", kind},
              {"agreement", items[0].value("agreement", std::string())},
              {"supplier", items[0]["supplier"]},
              {"recipient", items[0]["recipient"]},
              {"declared_by", c.e.party},
              {"date", date},
              {"filed_index", c.index},
              {"circumstances", c.body["circumstances"]},
              {"evidence", c.body["evidence"]},
              {"items", ids},
              {"status", "open_to_verification"}};
  std::vector<Change> changes;
  for (json& item : items) {
    changes.push_back(LeaveMonitoring(c, std::move(item), state, date, "declared " + state,
                                      {{"declaration", c.id}}));
  }
  if (kind == "loss") {
    json lost = json::array();
    for (const auto& id : ids) lost.push_back({{"kind", "declared_lost"}, {"item", id}});
    ASSIGN_OR_RETURN(Change opened,
                     OpenAutomaticCase(c, c.id + "-loss", "declaration", "declaration/" + c.id, doc,
                                       "high", c.e.party, date, std::move(lost)));
    doc["case"] = opened.id;
    changes.push_back(std::move(opened));
  }
  changes.insert(changes.begin(), Change{"declaration", c.id, std::move(doc)});
  return changes;
}

Result<std::vector<Change>> DeclarationVerified(const Call& c) {
  ASSIGN_OR_RETURN(json decl, c.Self("declaration"));
  RETURN_IF_ERROR(c.ActsFor(decl["supplier"], "declaration.verified_by_supplier", false));
  if (decl["status"] != "open_to_verification") {
    return Refuse("declaration.verify_once", "subject",
                  "declaration " + c.id + " is already " + decl["status"].get<std::string>());
  }
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], decl["date"], "the declaration"));
  if (c.body.contains("inspection")) {
    ASSIGN_OR_RETURN(json insp, c.Need("inspection", c.body["inspection"], "body.inspection"));
    if (insp["status"] != "completed" || insp["agreement"] != decl["agreement"]) {
      return Refuse(
          "declaration.inspection", "body.inspection",
          "must be a completed inspection under agreement " + decl["agreement"].get<std::string>());
    }
  }
  std::string outcome = c.body["outcome"];
  decl["status"] = outcome;
  decl["verified"] = {{"date", c.body["date"]}, {"index", c.index}, {"note", c.body["note"]}};
  if (c.body.contains("inspection")) decl["verified"]["inspection"] = c.body["inspection"];
  std::vector<Change> changes;
  if (outcome == "not_confirmed") {
    ASSIGN_OR_RETURN(
        Change opened,
        OpenAutomaticCase(c, c.id + "-not-confirmed", "declaration", "declaration/" + c.id, decl,
                          "high", decl["declared_by"], c.body["date"],
                          {{{"kind", "declaration_not_confirmed"}, {"note", c.body["note"]}}}));
    changes.push_back(std::move(opened));
  }
  changes.insert(changes.begin(), Change{"declaration", c.id, std::move(decl)});
  return changes;
}

std::vector<FieldSpec> ItemRefs() {
  return {Str("product"), Str("serial")};
}

}  // namespace

void AddEumRules(RuleTable& r) {
  r["inspection.scheduled"] = {
      "inspection",
      {Str("agreement"), Country("recipient"),
       Enum("kind", {"routine", "enhanced_inventory", "compliance_visit"}),
       Object("scope", {ArrayOfObjects("items", ItemRefs(), 0, 100000, false),
                        ArrayOf("units", FieldType::kString, 0, 1000, false),
                        ArrayOf("locations", FieldType::kString, 0, 1000, false)}),
       Date("planned_date"), Int("team_size", 1, 100), Text("note", false)},
      InspectionScheduled};
  r["inspection.access_requested"] = {
      "inspection", {Date("date"), Date("visit_date")}, InspectionAccessRequested};
  r["inspection.access_answered"] = {
      "inspection",
      {Date("date"), Enum("answer", {"granted", "other_date", "refused"}),
       Date("visit_date", false), Text("reason", false)},
      InspectionAccessAnswered};
  r["inspection.access_deadline_missed"] = {
      "inspection", {Date("date")}, InspectionAccessDeadlineMissed};
  r["inspection.completed"] = {
      "inspection",
      {Date("date"),
       ArrayOfObjects("findings",
                      {Str("product"), Str("serial"), Enum("result", kFindingResults),
                       Str("location", false), Text("note", false)},
                      0, 100000),
       ArrayOfObjects("security",
                      {Enum("check", kSecurityChecks),
                       Enum("result", {"met", "not_met", "not_applicable"}), Text("note", false)},
                      0, 50, false),
       Text("summary", false)},
      InspectionCompleted};
  r["case.opened"] = {
      "case",
      {Str("agreement"), Country("supplier"), Country("recipient"), Enum("severity", kSeverities),
       Text("summary"), Country("assigned"), Date("deadline"), Date("date"),
       ArrayOfObjects("items", ItemRefs(), 1, 10000, false)},
      CaseOpened};
  r["case.assigned"] = {
      "case", {Country("assigned"), Date("deadline"), Date("date")}, CaseAssigned};
  r["case.note_added"] = {"case", {Date("date"), Text("note")}, CaseNoteAdded};
  r["case.action_recorded"] = {
      "case", {Date("date"), Text("action"), Date("due", false)}, CaseActionRecorded};
  r["case.closed"] = {
      "case",
      {Date("date"), Enum("outcome", {"resolved", "confirmed_violation"}), Text("summary")},
      CaseClosed};
  r["case.reopened"] = {"case", {Date("date"), Text("reason")}, CaseReopened};
  r["consent.requested"] = {"consent",
                            {Date("date"), Country("third_party"), Text("end_user"),
                             Text("purpose"), ArrayOfObjects("items", ItemRefs(), 1, 100000)},
                            ConsentRequested};
  r["consent.granted"] = {"consent", {Date("date"), Text("conditions", false)}, ConsentGranted};
  r["consent.denied"] = {"consent", {Date("date"), Text("reason")}, ConsentDenied};
  r["consent.transfer_recorded"] = {"consent",
                                    {Date("date"), ArrayOfObjects("items", ItemRefs(), 1, 100000)},
                                    ConsentTransferRecorded};
  r["declaration.filed"] = {
      "declaration",
      {Enum("kind", {"loss", "destruction", "expenditure"}), Date("date"), Text("circumstances"),
       ArrayOfObjects("items", ItemRefs(), 1, 100000),
       ArrayOfObjects(
           "evidence",
           {Enum("kind", {"document", "photograph", "certificate", "witness_statement", "other"}),
            Str("reference"), Str("sha256", false)},
           1, 100)},
      DeclarationFiled};
  r["declaration.verified"] = {"declaration",
                               {Date("date"), Enum("outcome", {"confirmed", "not_confirmed"}),
                                Str("inspection", false), Text("note")},
                               DeclarationVerified};
}

}  // namespace accord::domain::internal
