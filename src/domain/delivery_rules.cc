// Rules of deliveries: end-user certificates, licences and permits, the
// serial-number inventory, and repairs at the supplier's enterprises.
// Shipments (chain of custody and serial-by-serial receipt) have their own
// file, shipment_rules.cc.
#include <cctype>
#include <map>
#include <set>

#include "domain/delivery_support.h"

namespace accord::domain::internal {

Status NeedContractParty(const Call& c, const json& contract, const std::string& who,
                         const std::string& rule) {
  std::string party = contract[who];
  if (c.e.party != party) {
    return Refuse(rule, "party",
                  Quote(c.e.party) + " may not do this; only the " + who + " " + Quote(party) +
                      " of contract " + contract["id"].get<std::string>() + " may");
  }
  return Status::Ok();
}

Result<Change> DeliveryCase(const Call& c, const std::string& id, const std::string& source,
                            const json& contract, const std::string& date, json differences) {
  ASSIGN_OR_RETURN(Change opened,
                   OpenAutomaticCase(c, id, "discrepancy", source, contract, "high",
                                     contract["supplier"], date, std::move(differences)));
  opened.doc["contract"] = contract["id"];
  return opened;
}

namespace {

// ---- End-user certificates -----------------------------------------------------

Result<std::vector<Change>> CertificateIssued(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("certificate"));
  ASSIGN_OR_RETURN(json contract, c.Need("contract", c.body["contract"], "body.contract"));
  RETURN_IF_ERROR(NeedContractParty(c, contract, "recipient", "certificate.by_recipient"));
  ASSIGN_OR_RETURN(json end_user, c.Need("body", c.body["end_user"], "body.end_user"));
  if (end_user["party"] != contract["recipient"]) {
    return Refuse("certificate.end_user_of_recipient", "body.end_user",
                  end_user["id"].get<std::string>() + " belongs to " +
                      end_user["party"].get<std::string>() + ", not to the recipient");
  }
  if (!c.body["no_reexport_without_consent"].get<bool>() || !c.body["no_wmd_use"].get<bool>()) {
    return Refuse("certificate.assurances", "body.no_reexport_without_consent",
                  "an end-user certificate must assure no re-export without the supplier's written "
                  "consent and no use for weapons of mass destruction");
  }
  RETURN_IF_ERROR(
      c.NotBefore("body.date", c.body["date"], contract["drafted"], "the contract's draft"));
  json cert = c.body;
  cert["id"] = c.id;
  cert["recipient"] = contract["recipient"];
  cert["supplier"] = contract["supplier"];
  cert["issued_index"] = c.index;
  json certs = contract.value("certificates", json::array());
  certs.push_back(c.id);
  contract["certificates"] = certs;
  return std::vector<Change>{{"certificate", c.id, cert}, {"contract", contract["id"], contract}};
}

Result<std::vector<Change>> CertificateCountersigned(const Call& c) {
  ASSIGN_OR_RETURN(json cert, c.Self("certificate"));
  if (c.e.party != cert["recipient"]) {
    return Refuse("certificate.by_recipient", "party",
                  "only the recipient's authority countersigns");
  }
  if (cert.contains("countersigned"))
    return Refuse("certificate.countersign_once", "subject", "already countersigned");
  ASSIGN_OR_RETURN(json authority, c.Need("body", c.body["authority"], "body.authority"));
  if (authority["party"] != cert["recipient"] || authority["kind"] != "government_authority") {
    return Refuse("certificate.countersigning_authority", "body.authority",
                  "must be a government_authority of " + cert["recipient"].get<std::string>());
  }
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], cert["date"], "the certificate"));
  cert["countersigned"] = {{"authority", c.body["authority"]}, {"date", c.body["date"]}};
  return c.Set("certificate", std::move(cert));
}

// ---- Licences and permits ---------------------------------------------------------

Result<std::vector<Change>> LicenceIssued(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("licence"));
  ASSIGN_OR_RETURN(json contract, c.Need("contract", c.body["contract"], "body.contract"));
  std::string kind = c.body["kind"];
  if (c.body["valid_to"].get<std::string>() < c.body["valid_from"].get<std::string>()) {
    return Refuse("dates.order", "body.valid_to", "the licence ends before it starts");
  }
  json licence = c.body;
  licence["id"] = c.id;
  licence["issued"] = c.date;
  licence["drawn"] = json::object();
  if (kind == "export" || kind == "import") {
    std::string who = kind == "export" ? "supplier" : "recipient";
    RETURN_IF_ERROR(NeedContractParty(c, contract, who, "licence." + kind + "_by_" + who));
    if (!c.body.contains("issuing_body")) {
      return Status::InvalidArgument("body.issuing_body: missing required field for an " + kind +
                                     " licence");
    }
    ASSIGN_OR_RETURN(json issuer, c.Need("body", c.body["issuing_body"], "body.issuing_body"));
    if (issuer["party"] != contract[who]) {
      return Refuse("licence.issuer_of_party", "body.issuing_body",
                    "the issuing body must belong to the " + who);
    }
    if (kind == "export" && issuer["kind"] != "export_control_authority") {
      return Refuse("licence.export_control_authority", "body.issuing_body",
                    issuer["id"].get<std::string>() + " is a " + issuer["kind"].get<std::string>() +
                        "; export licences are issued by the export_control_authority");
    }
    if (c.body.contains("transit_state")) {
      return Refuse("licence.transit_state", "body.transit_state",
                    "only transit permits name a transit state");
    }
  } else {  // transit
    if (c.e.party != contract["supplier"] && c.e.party != contract["recipient"]) {
      return Refuse("licence.transit_by_party", "party",
                    "transit permits are recorded by a party to the contract");
    }
    if (!c.body.contains("transit_state") || !c.body.contains("authority")) {
      return Status::InvalidArgument(
          "body.transit_state: a transit permit names the transit state and its authority");
    }
    std::string state = c.body["transit_state"];
    if (state == contract["supplier"] || state == contract["recipient"]) {
      return Refuse("licence.transit_state", "body.transit_state",
                    state + " is a party, not a transit state");
    }
  }
  // Licensed products must be on the contract and within its quantities.
  std::map<std::string, int64_t> ordered;
  for (const auto& l : contract["lines"]) ordered[l["product"]] += l["quantity"].get<int64_t>();
  for (size_t i = 0; i < c.body["lines"].size(); ++i) {
    const json& l = c.body["lines"][i];
    std::string field = "body.lines[" + std::to_string(i) + "]";
    auto it = ordered.find(l["product"]);
    if (it == ordered.end()) {
      return Refuse("licence.product_on_contract", field + ".product",
                    l["product"].get<std::string>() + " is not on contract " +
                        contract["id"].get<std::string>());
    }
    if (l["quantity"].get<int64_t>() > it->second) {
      return Refuse("licence.within_contract", field + ".quantity",
                    std::to_string(l["quantity"].get<int64_t>()) + " exceeds the " +
                        std::to_string(it->second) + " ordered");
    }
  }
  json ids = contract.value("licences", json::array());
  ids.push_back(c.id);
  contract["licences"] = ids;
  return std::vector<Change>{{"licence", c.id, licence}, {"contract", contract["id"], contract}};
}

// ---- Inventory ------------------------------------------------------------------------

Result<std::vector<Change>> ItemRelocated(const Call& c) {
  ASSIGN_OR_RETURN(json item, c.Self("item"));
  if (c.e.party != item["recipient"]) {
    return Refuse("item.relocated_by_recipient", "party",
                  "relocations are recorded by the recipient");
  }
  std::string state = item["state"];
  if (state != "in_service" && state != "in_storage") {
    return Refuse("item.held", "subject",
                  "item is " + state + "; only items in service or storage are relocated");
  }
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], LastDatedFact(item),
                              "the item's last dated record (receipt, inventory or move)"));
  ASSIGN_OR_RETURN(json unit, c.Need("body", c.body["unit"], "body.unit"));
  if (unit["party"] != item["recipient"]) {
    return Refuse("item.unit_of_recipient", "body.unit", "the unit must belong to the recipient");
  }
  json detail = {{"from_unit", item["unit"]},
                 {"to_unit", c.body["unit"]},
                 {"from_location", item["location"]},
                 {"to_location", c.body["location"]}};
  item["unit"] = c.body["unit"];
  item["holder"] = c.body["unit"];
  item["location"] = c.body["location"];
  item["located_since"] = c.body["date"];
  if (c.body.contains("state")) item["state"] = c.body["state"];
  item["history"].push_back(HistoryEntry(c, "relocated", detail));
  Row where = EumUnitRow(c, item, c.body["date"]);
  return std::vector<Change>{{"item", c.id, std::move(item), {std::move(where)}}};
}

// ---- Repairs ------------------------------------------------------------------------------

Result<std::vector<Change>> RepairOrdered(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("repair"));
  ASSIGN_OR_RETURN(json enterprise, c.Need("body", c.body["enterprise"], "body.enterprise"));
  if (enterprise["kind"] != "enterprise") {
    return Refuse("repair.enterprise", "body.enterprise", "repairs are done by an enterprise");
  }
  json items = json::array();
  std::string recipient, supplier;
  std::set<std::string> listed;
  for (size_t i = 0; i < c.body["items"].size(); ++i) {
    const json& it = c.body["items"][i];
    std::string field = "body.items[" + std::to_string(i) + "]";
    if (!listed.insert(ItemId(it["product"], it["serial"])).second) {
      return Refuse("item.serial_unique", field, "item listed twice in this repair order");
    }
    ASSIGN_OR_RETURN(json item, c.Need("item", ItemId(it["product"], it["serial"]), field));
    std::string state = item["state"];
    if (state != "in_service" && state != "in_storage") {
      return Refuse("repair.item_held", field, "item is " + state + ", not held by the recipient");
    }
    if (item.value("repair", std::string()) != "") {
      return Refuse("repair.one_at_a_time", field,
                    "item is already under repair order " + item["repair"].get<std::string>());
    }
    if (i > 0 && (item["recipient"] != recipient || item["supplier"] != supplier)) {
      return Refuse("repair.one_supplier_and_holder", field,
                    "the items of one repair order come from one supplier to one recipient");
    }
    recipient = item["recipient"];
    supplier = item["supplier"];
    items.push_back(item["id"]);
  }
  if (c.e.party != recipient)
    return Refuse("repair.ordered_by_holder", "party", "the holder of the items orders the repair");
  if (enterprise["party"] != supplier) {
    return Refuse("repair.supplier_enterprise", "body.enterprise",
                  "the enterprise must belong to the supplier " + supplier);
  }
  std::vector<Change> changes;
  changes.push_back({"repair",
                     c.id,
                     {{"id", c.id},
                      {"enterprise", c.body["enterprise"]},
                      {"work", c.body["work"]},
                      {"items", items},
                      {"recipient", recipient},
                      {"supplier", supplier},
                      {"ordered", c.date},
                      {"status", "ordered"},
                      {"legs", json::array()}}});
  for (const auto& id : items) {
    ASSIGN_OR_RETURN(json item, c.Need("item", id, "body.items"));
    item["repair"] = c.id;
    item["history"].push_back(HistoryEntry(c, "repair ordered", {{"repair", c.id}}));
    changes.push_back({"item", id, item});
  }
  return changes;
}

// Moves every item of the repair: new state and holder, one history entry.
Result<std::vector<Change>> RepairItems(const Call& c, json& repair, const std::string& state,
                                        const json& holder, const std::string& what,
                                        const json& detail, bool end_repair) {
  std::vector<Change> changes;
  for (const auto& id : repair["items"]) {
    ASSIGN_OR_RETURN(json item, c.Need("item", id, "repair.items"));
    if (!state.empty()) item["state"] = state;
    if (!holder.is_null()) item["holder"] = holder;
    if (end_repair) item.erase("repair");
    item["history"].push_back(HistoryEntry(c, what, detail));
    changes.push_back({"item", id, item});
  }
  changes.insert(changes.begin(), Change{"repair", c.id, repair});
  return changes;
}

Result<std::vector<Change>> RepairDispatched(const Call& c) {
  ASSIGN_OR_RETURN(json repair, c.Self("repair"));
  std::string leg = c.body["leg"];
  std::string expected = leg == "out" ? "ordered" : "completed";
  std::string who = leg == "out" ? repair["recipient"] : repair["supplier"];
  if (repair["status"] != expected) {
    return Refuse("repair.sequence", "body.leg",
                  "a " + leg + " leg follows a repair that is " + expected + "; this one is " +
                      repair["status"].get<std::string>());
  }
  if (c.e.party != who)
    return Refuse("repair.dispatched_by_holder", "party",
                  "the " + leg + " leg is dispatched by " + who);
  repair["status"] = leg == "out" ? "out_in_transit" : "back_in_transit";
  repair["legs"].push_back({{"leg", leg},
                            {"dispatched", c.date},
                            {"dispatch_index", c.index},
                            {"carrier", c.body["carrier"]},
                            {"seals", c.body.value("seals", json::array())}});
  // Out: the items go "in repair" as they leave the recipient.
  return RepairItems(c, repair, leg == "out" ? "in_repair" : "", c.body["carrier"],
                     "repair " + leg + " dispatched", {{"carrier", c.body["carrier"]}}, false);
}

Result<std::vector<Change>> RepairReceived(const Call& c) {
  ASSIGN_OR_RETURN(json repair, c.Self("repair"));
  std::string leg = c.body["leg"];
  std::string expected = leg == "out" ? "out_in_transit" : "back_in_transit";
  std::string who = leg == "out" ? repair["supplier"] : repair["recipient"];
  if (repair["status"] != expected) {
    return Refuse("repair.sequence", "body.leg", "nothing is in transit on the " + leg + " leg");
  }
  if (c.e.party != who)
    return Refuse("repair.received_by_party", "party", "the " + leg + " leg is received by " + who);
  if (leg == "back") {
    if (!c.body.contains("unit"))
      return Status::InvalidArgument("body.unit: the back leg names the receiving unit");
    ASSIGN_OR_RETURN(json unit, c.Need("body", c.body["unit"], "body.unit"));
    if (unit["party"] != repair["recipient"]) {
      return Refuse("repair.unit_of_recipient", "body.unit",
                    "the receiving unit must belong to the recipient " +
                        repair["recipient"].get<std::string>());
    }
  }
  json& last = repair["legs"].back();
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], last["dispatched"], "the dispatch"));
  last["received"] = c.body["date"];
  last["receipt_index"] = c.index;
  last["seals_intact"] = c.body["seals_intact"];
  std::vector<Change> extra;
  if (!c.body["seals_intact"].get<bool>()) {
    std::string case_id = c.id + "-" + leg + "-seal";
    ASSIGN_OR_RETURN(json first, c.Need("item", repair["items"][0], "repair.items"));
    ASSIGN_OR_RETURN(json contract, c.Need("contract", first["contract"], "item.contract"));
    ASSIGN_OR_RETURN(Change opened,
                     DeliveryCase(c, case_id, "repair/" + c.id, contract, c.body["date"],
                                  {{{"kind", "broken_seal"}, {"leg", leg}}}));
    extra.push_back(std::move(opened));
  }
  json holder = leg == "out" ? repair["enterprise"] : json(c.body.value("unit", std::string()));
  std::string state;
  if (leg == "out") {
    repair["status"] = "at_enterprise";
  } else {
    repair["status"] = "returned";
    repair["returned"] = c.body["date"];
    state = "in_service";
  }
  ASSIGN_OR_RETURN(std::vector<Change> changes,
                   RepairItems(c, repair, state, holder, "repair " + leg + " received",
                               {{"holder", holder}}, leg == "back"));
  if (leg == "back") {
    for (auto& ch : changes) {
      if (ch.kind != "item") continue;
      ch.doc["unit"] = holder;
      ch.doc["located_since"] = c.body["date"];
      ch.rows.push_back(EumUnitRow(c, ch.doc, c.body["date"]));
    }
  }
  if (leg == "out") {
    // The supplier's enterprise has the serials in hand: an inventory, so
    // that a repair does not make its items delinquent.
    for (auto& ch : changes) {
      if (ch.kind != "item" || !ch.doc.contains("received")) continue;
      const std::string date = c.body["date"];
      ch.rows.push_back(EumInventoryRow(c, ch.doc, date, "repair/" + c.id));
      if (date >= ch.doc.value("last_inventory", std::string())) {
        ch.doc["last_inventory"] = date;
        if (ch.doc.value("enhanced_monitoring", false)) {
          ch.doc["inventory_due"] =
              AddDays(date, ch.doc.value("inventory_period_days", int64_t{365}));
        }
      }
    }
  }
  changes.insert(changes.end(), extra.begin(), extra.end());
  return changes;
}

Result<std::vector<Change>> RepairCompleted(const Call& c) {
  ASSIGN_OR_RETURN(json repair, c.Self("repair"));
  if (repair["status"] != "at_enterprise") {
    return Refuse("repair.sequence", "subject", "the items are not at the enterprise");
  }
  if (c.e.party != repair["supplier"])
    return Refuse("repair.completed_by_supplier", "party",
                  "the supplier's enterprise completes the repair");
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], repair["legs"].back()["received"],
                              "the items' arrival at the enterprise"));
  repair["status"] = "completed";
  repair["completed"] = c.body["date"];
  repair["report"] = c.body["report"];
  return RepairItems(c, repair, "", json(), "repair completed", {{"report", c.body["report"]}},
                     false);
}

}  // namespace

void AddDeliveryRules(RuleTable& r) {
  AddShipmentRules(r);
  r["certificate.issued"] = {
      "certificate",
      {Str("contract"), Str("end_user"), Text("end_use"), Country("final_destination"),
       Bool("no_reexport_without_consent"), Bool("no_wmd_use"),
       Object("signatory", {Str("name"), Str("office")}), Date("date")},
      CertificateIssued};
  r["certificate.countersigned"] = {
      "certificate", {Str("authority"), Date("date")}, CertificateCountersigned};
  r["licence.issued"] = {
      "licence",
      {Enum("kind", {"export", "import", "transit"}), Str("contract"), Str("issuing_body", false),
       Country("transit_state", false), Str("authority", false),
       ArrayOfObjects("lines", {Str("product"), Int("quantity", 1, 10'000'000)}, 1, 1000),
       Date("valid_from"), Date("valid_to")},
      LicenceIssued};
  r["item.relocated"] = {"item",
                         {Str("unit"), Str("location"), Date("date"),
                          Enum("state", {"in_service", "in_storage"}, false)},
                         ItemRelocated};
  r["repair.ordered"] = {"repair",
                         {Str("enterprise"), Text("work"),
                          ArrayOfObjects("items", {Str("product"), Str("serial")}, 1, 10000)},
                         RepairOrdered};
  r["repair.dispatched"] = {"repair",
                            {Enum("leg", {"out", "back"}), Str("carrier"),
                             ArrayOf("seals", FieldType::kString, 0, 1000, false)},
                            RepairDispatched};
  r["repair.received"] = {
      "repair",
      {Enum("leg", {"out", "back"}), Date("date"), Bool("seals_intact"), Str("unit", false)},
      RepairReceived};
  r["repair.completed"] = {"repair", {Date("date"), Text("report")}, RepairCompleted};
}

}  // namespace accord::domain::internal
