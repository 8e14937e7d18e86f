// Rules of inspections by the supplier: scheduling (scope of items, units,
// locations), access requested and answered within the agreement's
// deadline, and completion with findings per serial and a physical-security
// checklist. A serial sighted during a completed inspection is an inventory.
#include <map>
#include <set>

#include "domain/eum_support.h"

namespace accord::domain::internal {
namespace {

const std::vector<std::string> kFindingResults = {"sighted", "not_sighted", "wrong_location",
                                                  "unauthorized_use", "damaged_or_tampered"};
const std::vector<std::string> kSecurityChecks = {
    "perimeter",         "access_control",    "locks_and_keys",    "intrusion_detection",
    "inventory_records", "personnel_vetting", "storage_conditions"};

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
    if ((result == "not_sighted" && !declared) || result == "unauthorized_use") {
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
}  // namespace

void AddInspectionRules(RuleTable& r) {
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
}

}  // namespace accord::domain::internal
