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
//
// This file holds the checks the monitoring rule files share, consent and
// declarations; inspections and cases have their own files, the eum_*
// records eum_records.cc.
#include <cctype>
#include <map>
#include <set>

#include "domain/eum_support.h"

namespace accord::domain::internal {

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

std::vector<FieldSpec> ItemRefs() {
  return {Str("product"), Str("serial")};
}

namespace {

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
      const auto& h = ev["sha256"].get_ref<const std::string&>();
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
  changes.reserve(items.size());
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
}  // namespace

void AddEumRules(RuleTable& r) {
  AddInspectionRules(r);
  AddCaseRules(r);
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
