// Rules of cases: opened by hand (automatic ones are opened by the rules
// that find a discrepancy, see OpenCase), assigned, annotated, closed as
// resolved or as a confirmed violation, and reopened by the supplier.
#include "domain/eum_support.h"

namespace accord::domain::internal {
namespace {

const std::vector<std::string> kSeverities = {"low", "medium", "high", "critical"};

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
}  // namespace

void AddCaseRules(RuleTable& r) {
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
}

}  // namespace accord::domain::internal
