// Rules of shipments: dispatch under a valid licence and permit, custody
// transferred along the way, and receipt serial by serial, which opens a
// case on any discrepancy and records the delivery's TIV.
#include <cctype>
#include <iterator>
#include <map>
#include <set>

#include "domain/delivery_support.h"

namespace accord::domain::internal {
namespace {

std::string LineKey(const json& line) {
  return std::to_string(line.get<int64_t>());
}

int64_t Count(const json& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? 0 : it->get<int64_t>();
}

// The contract's line with number `n`, or null.
const json* ContractLine(const json& contract, int64_t n) {
  for (const auto& l : contract["lines"]) {
    if (l["line"] == n) return &l;
  }
  return nullptr;
}

// ---- TIV of Accord's own deliveries ----------------------------------------------

// SIPRI's status factors, in thousandths: new 1, second hand 0.4, second hand
// significantly modernized 0.66.
int64_t StatusFactorMilli(const std::string& status) {
  if (status == "second_hand") return 400;
  if (status == "second_hand_modernized") return 660;
  return 1000;
}

// "armoured_vehicles" -> "Armoured vehicles", as SIPRI names its categories.
std::string SipriCategoryName(std::string category) {
  for (char& ch : category) {
    if (ch == '_') ch = ' ';
  }
  if (!category.empty()) category[0] = static_cast<char>(std::toupper(category[0]));
  return category;
}

// One row of the typed table tiv_deliveries (dataset "accord") per contract
// line received in this receipt: the items received (damaged ones count, as
// delivered) times the product's TIV per unit and SIPRI's status factor, in
// the year of receipt. `accord report tiv --dataset accord` sums them.
Result<std::vector<Row>> TivRows(
    const Call& c, const json& contract,
    const std::map<std::string, std::pair<std::string, int64_t>>& manifest,
    const std::map<std::string, std::string>& condition, const std::string& date) {
  std::map<int64_t, int64_t> received;  // line -> items
  for (const auto& [id, pl] : manifest) {
    if (condition.contains(id)) ++received[pl.second];
  }
  auto name = [&](const std::string& code) {
    const CountryInfo* country = c.ctx.ref->FindCountry(code);
    return country ? country->name : code;
  };
  std::vector<Row> rows;
  for (const auto& [line_no, n] : received) {
    const json* line = ContractLine(contract, line_no);
    if (line == nullptr) continue;
    ASSIGN_OR_RETURN(json product, c.Need("product", (*line)["product"], "contract.lines"));
    // Per unit < 2^53 thousandths, items < 10^7, factor <= 1000: 128 bits.
    __extension__ using Wide = __int128;
    Wide tiv = static_cast<Wide>(product.value("tiv_per_unit_milli", int64_t{0})) * n *
               StatusFactorMilli(line->value("status", std::string("new"))) / 1000;
    rows.push_back(
        Row{"tiv_deliveries",
            {std::string("accord"), "shipment/" + c.id + "/line/" + std::to_string(line_no),
             name(contract["supplier"]), name(contract["recipient"]),
             static_cast<int64_t>(std::stoi(date.substr(0, 4))),
             SipriCategoryName(product["sipri_category"]), n, static_cast<int64_t>(tiv)}});
  }
  return rows;
}

// Checks that `licence_id` is a licence of `kind` for `contract`, valid on
// `date`; returns it.
Result<json> ValidLicence(const Call& c, const std::string& licence_id, const std::string& kind,
                          const std::string& contract_id, const std::string& date,
                          const std::string& field) {
  ASSIGN_OR_RETURN(json licence, c.Need("licence", licence_id, field));
  if (licence["kind"] != kind) {
    return Refuse(
        "shipment." + kind + "_licence", field,
        licence_id + " is a " + licence["kind"].get<std::string>() + " licence, not " + kind);
  }
  if (licence["contract"] != contract_id) {
    return Refuse("shipment.licence_of_contract", field, licence_id + " is for another contract");
  }
  if (date < licence["valid_from"].get<std::string>() ||
      date > licence["valid_to"].get<std::string>()) {
    return Refuse("shipment.licence_valid", field,
                  licence_id + " is valid " + licence["valid_from"].get<std::string>() + " to " +
                      licence["valid_to"].get<std::string>() + ", not on " + date);
  }
  return licence;
}

// ---- Shipments ---------------------------------------------------------------------

}  // namespace

Result<json> DispatchLines(const Call& c, json& contract, json& licence,
                           const std::string& licence_field) {
  json lines = json::array();
  std::map<std::string, int64_t> per_product;
  std::set<std::string> seen;
  json in_transit = contract.value("in_transit", json::object());
  json delivered = contract.value("delivered", json::object());
  for (size_t i = 0; i < c.body["lines"].size(); ++i) {
    const json& l = c.body["lines"][i];
    std::string field = "body.lines[" + std::to_string(i) + "]";
    const json* cl = ContractLine(contract, l["line"]);
    if (cl == nullptr)
      return Refuse("shipment.contract_line", field + ".line", "contract has no such line");
    std::string product = (*cl)["product"];
    auto n = static_cast<int64_t>(l["serials"].size());
    std::string key = LineKey(l["line"]);
    int64_t outstanding =
        (*cl)["quantity"].get<int64_t>() - Count(delivered, key) - Count(in_transit, key);
    if (n > outstanding) {
      return Refuse("shipment.within_contract", field + ".serials",
                    std::to_string(n) + " items exceed the " + std::to_string(outstanding) +
                        " still outstanding on line " + key);
    }
    for (size_t k = 0; k < l["serials"].size(); ++k) {
      std::string serial = l["serials"][k];
      std::string sfield = field + ".serials[" + std::to_string(k) + "]";
      if (!seen.insert(ItemId(product, serial)).second) {
        return Refuse("item.serial_unique", sfield,
                      "serial " + serial + " appears twice in this shipment");
      }
      ASSIGN_OR_RETURN(std::optional<json> existing, c.Find("item", ItemId(product, serial)));
      if (existing) {
        return Refuse("item.serial_unique", sfield,
                      "serial " + serial + " of " + product + " is already recorded (shipment " +
                          (*existing)["shipment"].get<std::string>() + ")");
      }
    }
    per_product[product] += n;
    in_transit[key] = Count(in_transit, key) + n;
    // Enhanced monitoring: the contract line's override, else the catalogue's flag.
    bool enhanced = false;
    if (cl->contains("enhanced_monitoring")) {
      enhanced = (*cl)["enhanced_monitoring"].get<bool>();
    } else {
      ASSIGN_OR_RETURN(json p, c.Need("product", product, field + ".line"));
      enhanced = p.value("enhanced_monitoring", false);
    }
    lines.push_back({{"line", l["line"]},
                     {"product", product},
                     {"enhanced", enhanced},
                     {"serials", l["serials"]}});
  }
  // Licence drawdown: never beyond the licensed quantity.
  std::map<std::string, int64_t> licensed;
  for (const auto& l : licence["lines"]) licensed[l["product"]] += l["quantity"].get<int64_t>();
  for (const auto& [product, n] : per_product) {
    int64_t drawn = Count(licence["drawn"], product);
    if (!licensed.contains(product)) {
      return Refuse("licence.covers_product", licence_field,
                    licence["id"].get<std::string>() + " does not cover " + product);
    }
    if (drawn + n > licensed[product]) {
      return Refuse("licence.drawdown", licence_field,
                    "shipping " + std::to_string(n) + " " + product + " would draw " +
                        std::to_string(drawn + n) + " on " + licence["id"].get<std::string>() +
                        ", licensed for " + std::to_string(licensed[product]) + " (" +
                        std::to_string(drawn) + " already drawn)");
    }
    licence["drawn"][product] = drawn + n;
  }
  contract["in_transit"] = in_transit;
  return lines;
}

std::vector<Change> DispatchedItems(const Call& c, const json& contract, const json& lines,
                                    const json& carrier) {
  std::vector<Change> changes;
  for (const auto& l : lines) {
    for (const auto& s : l["serials"]) {
      std::string serial = s;
      std::string product = l["product"];
      changes.push_back({"item",
                         ItemId(product, serial),
                         {{"id", ItemId(product, serial)},
                          {"product", product},
                          {"serial", serial},
                          {"contract", contract["id"]},
                          {"agreement", contract["agreement"]},
                          {"line", l["line"]},
                          {"enhanced_monitoring", l["enhanced"]},
                          {"shipment", c.id},
                          {"supplier", contract["supplier"]},
                          {"recipient", contract["recipient"]},
                          {"state", "in_transit"},
                          {"holder", carrier},
                          {"history", {HistoryEntry(c, "dispatched", {{"to", carrier}})}}}});
    }
  }
  return changes;
}

namespace {

Result<std::vector<Change>> ShipmentDispatched(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("shipment"));
  ASSIGN_OR_RETURN(json contract, c.Need("contract", c.body["contract"], "body.contract"));
  std::string contract_id = contract["id"];
  RETURN_IF_ERROR(NeedContractParty(c, contract, "supplier", "shipment.by_supplier"));
  if (contract["status"] != "in_force") {
    return Refuse("shipment.contract_in_force", "body.contract",
                  contract_id + " is " + contract["status"].get<std::string>() + ", not in force");
  }
  std::string date = c.body["date"];
  RETURN_IF_ERROR(
      c.NotBefore("body.date", date, contract["in_force_from"], "the contract's entry into force"));
  if (contract.value("certificates", json::array()).empty()) {
    return Refuse("shipment.end_user_certificate", "body.contract",
                  "no end-user certificate has been issued for " + contract_id +
                      "; the recipient must issue one before the first shipment");
  }
  ASSIGN_OR_RETURN(json licence,
                   ValidLicence(c, c.body["licence"], "export", contract_id, date, "body.licence"));
  std::vector<Change> changes;
  if (c.body.contains("import_permit")) {
    ASSIGN_OR_RETURN(json permit, ValidLicence(c, c.body["import_permit"], "import", contract_id,
                                               date, "body.import_permit"));
    (void)permit;
  }
  // Every transit state on the route needs a transit permit.
  std::set<std::string> permitted;
  json transit_ids = c.body.value("transit_permits", json::array());
  for (size_t i = 0; i < transit_ids.size(); ++i) {
    ASSIGN_OR_RETURN(json permit, ValidLicence(c, transit_ids[i], "transit", contract_id, date,
                                               "body.transit_permits[" + std::to_string(i) + "]"));
    permitted.insert(permit["transit_state"].get<std::string>());
  }
  const json& route = c.body["route"];
  if (!route.empty() &&
      (route.front() != contract["supplier"] || route.back() != contract["recipient"])) {
    return Refuse("shipment.route_ends", "body.route",
                  "a route runs from the supplier " + contract["supplier"].get<std::string>() +
                      " to the recipient " + contract["recipient"].get<std::string>());
  }
  for (size_t i = 0; i < route.size(); ++i) {
    std::string state = route[i];
    if (state == contract["supplier"] || state == contract["recipient"]) continue;
    if (!permitted.contains(state)) {
      return Refuse("shipment.transit_permit", "body.route[" + std::to_string(i) + "]",
                    "no transit permit for " + state + " is given in body.transit_permits");
    }
  }

  ASSIGN_OR_RETURN(json lines, DispatchLines(c, contract, licence, "body.licence"));
  json shipments = contract.value("shipments", json::array());
  shipments.push_back(c.id);
  contract["shipments"] = shipments;

  json shipment = {{"id", c.id},
                   {"contract", contract_id},
                   {"supplier", contract["supplier"]},
                   {"recipient", contract["recipient"]},
                   {"licence", c.body["licence"]},
                   {"dispatched", date},
                   {"dispatch_index", c.index},
                   {"carrier", c.body["carrier"]},
                   {"mode", c.body["mode"]},
                   {"route", c.body["route"]},
                   {"seals", c.body.value("seals", json::array())},
                   {"lines", json::array()},
                   {"status", "in_transit"},
                   {"custody",
                    {{{"index", c.index},
                      {"date", date},
                      {"from", contract["supplier_body"]},
                      {"to", c.body["carrier"]},
                      {"place", c.body["place"]},
                      {"seals_intact", true}}}}};
  for (const char* k : {"import_permit", "transit_permits"}) {
    if (c.body.contains(k)) shipment[k] = c.body[k];
  }
  // A serial list in several events: this one and parts 2..N (shipment.dispatch_part).
  if (c.body.value("parts", int64_t{1}) > 1) {
    shipment["parts"] = c.body["parts"];
    shipment["parts_recorded"] = 1;
  }
  for (const auto& l : lines) {
    shipment["lines"].push_back(
        {{"line", l["line"]}, {"product", l["product"]}, {"serials", l["serials"]}});
  }
  changes.push_back({"shipment", c.id, shipment});
  changes.push_back({"licence", licence["id"], licence});
  changes.push_back({"contract", contract_id, contract});
  std::vector<Change> items = DispatchedItems(c, contract, lines, c.body["carrier"]);
  std::move(items.begin(), items.end(), std::back_inserter(changes));
  return changes;
}

Result<std::vector<Change>> ShipmentCustodyTransferred(const Call& c) {
  ASSIGN_OR_RETURN(json shipment, c.Self("shipment"));
  if (c.e.party != shipment["supplier"] && c.e.party != shipment["recipient"]) {
    return Refuse("shipment.by_party", "party",
                  Quote(c.e.party) + " is not a party to this shipment");
  }
  if (shipment["status"] != "in_transit") {
    return Refuse("shipment.in_transit", "subject",
                  "shipment " + c.id + " is " + shipment["status"].get<std::string>());
  }
  RETURN_IF_ERROR(NeedAllParts(c, shipment, false));
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], shipment["custody"].back()["date"],
                              "the last custody step"));
  std::string last_holder = shipment["custody"].back()["to"];
  if (c.body["from"] != last_holder) {
    return Refuse("custody.chain", "body.from",
                  "custody passes from the current holder " + Quote(last_holder) + ", not from " +
                      c.body["from"].dump());
  }
  json step = c.body;
  step["index"] = c.index;
  shipment["custody"].push_back(step);
  std::vector<Change> changes;
  if (!c.body["seals_intact"].get<bool>()) {
    shipment["seals_broken"] = true;
    std::string case_id = c.id + "-seal-" + std::to_string(c.index);
    ASSIGN_OR_RETURN(json contract, c.Need("contract", shipment["contract"], "shipment.contract"));
    ASSIGN_OR_RETURN(
        Change opened,
        DeliveryCase(
            c, case_id, "shipment/" + c.id, contract, c.body["date"],
            {{{"kind", "broken_seal"}, {"place", c.body["place"]}, {"date", c.body["date"]}}}));
    changes.push_back(std::move(opened));
    json cases = shipment.value("cases", json::array());
    cases.push_back(case_id);
    shipment["cases"] = cases;
  }
  changes.insert(changes.begin(), Change{"shipment", c.id, shipment});
  for (const auto& l : shipment["lines"]) {
    for (const auto& s : l["serials"]) {
      std::string id = ItemId(l["product"], s);
      ASSIGN_OR_RETURN(json item, c.Need("item", id, "shipment.lines"));
      item["holder"] = c.body["to"];
      item["history"].push_back(HistoryEntry(
          c, "custody",
          {{"from", c.body["from"]}, {"to", c.body["to"]}, {"place", c.body["place"]}}));
      changes.push_back({"item", id, item});
    }
  }
  return changes;
}

// Reconciles the shipment's manifest with `receipt` (a shipment.received body)
// and the items marked by earlier shipment.items_received events, serial by
// serial, as of this event: items received or missing, the contract's
// deliveries, TIV rows, the shipment closed with a DVC or received with
// discrepancies (and a case).
Result<std::vector<Change>> ReconcileReceipt(const Call& c, json shipment, const json& receipt) {
  std::string date = receipt["date"];
  ASSIGN_OR_RETURN(json contract, c.Need("contract", shipment["contract"], "shipment.contract"));

  // Reconcile serial by serial.
  std::map<std::string, std::pair<std::string, int64_t>> manifest;  // item id -> (product, line)
  for (const auto& l : shipment["lines"]) {
    for (const auto& s : l["serials"])
      manifest[ItemId(l["product"], s)] = {l["product"], l["line"]};
  }
  // Extras received by shipment.items_received events come first.
  json differences = shipment.value("receipt_extras", json::array());
  std::set<std::string> extras;
  for (const auto& d : differences) extras.insert(ItemId(d["product"], d["serial"]));
  std::map<std::string, std::string> condition;  // item id -> good|damaged
  std::map<std::string, size_t> in_body;         // item id -> index in body.items
  for (size_t i = 0; i < receipt["items"].size(); ++i) {
    const json& it = receipt["items"][i];
    std::string id = ItemId(it["product"], it["serial"]);
    if (condition.contains(id) || extras.contains(id)) {
      return Refuse("item.serial_unique", "body.items[" + std::to_string(i) + "]",
                    "serial received twice");
    }
    condition[id] = it.value("condition", "good");
    in_body[id] = i;
    if (!manifest.contains(id)) {
      differences.push_back(
          {{"kind", "extra"}, {"product", it["product"]}, {"serial", it["serial"]}});
    } else if (condition[id] == "damaged") {
      differences.push_back(
          {{"kind", "damaged"}, {"product", it["product"]}, {"serial", it["serial"]}});
    }
  }
  std::vector<Change> changes;
  json delivered = contract.value("delivered", json::object());
  json in_transit = contract.value("in_transit", json::object());
  ASSIGN_OR_RETURN(json agreement,
                   c.Need("agreement", contract["agreement"], "contract.agreement"));
  const int64_t initial_days = agreement.value("inventory_initial_days", int64_t{90});
  const int64_t period_days = agreement.value("inventory_period_days", int64_t{365});
  json part_damaged = json::array(), missing = json::array();
  for (const auto& [id, pl] : manifest) {
    std::string key = std::to_string(pl.second);
    in_transit[key] = Count(in_transit, key) - 1;
    ASSIGN_OR_RETURN(json item, c.Need("item", id, "shipment.lines"));
    if (item.contains("receipt_pending")) {  // received by a shipment.items_received
      if (condition.contains(id)) {
        return Refuse("item.serial_unique", "body.items[" + std::to_string(in_body[id]) + "]",
                      "serial received twice (already at index " +
                          item["receipt_pending"]["index"].dump() + ")");
      }
      condition[id] = item["receipt_pending"]["condition"];
      if (condition[id] == "damaged") {
        part_damaged.push_back({{"kind", "damaged"},
                                {"product", pl.first},
                                {"serial", id.substr(pl.first.size() + 1)}});
      }
      item.erase("receipt_pending");
    }
    if (condition.contains(id)) {
      delivered[key] = Count(delivered, key) + 1;
      item["state"] = receipt.value("state", "in_service");
      item["holder"] = receipt["unit"];
      item["unit"] = receipt["unit"];
      item["location"] = receipt["location"];
      item["received"] = date;
      item["located_since"] = date;
      item["condition"] = condition[id];
      item["history"].push_back(HistoryEntry(c, "received",
                                             {{"unit", receipt["unit"]},
                                              {"location", receipt["location"]},
                                              {"condition", condition[id]}}));
      if (item.value("enhanced_monitoring", false)) {
        item["inventory_initial_days"] = initial_days;
        item["inventory_period_days"] = period_days;
        item["inventory_due"] = AddDays(date, initial_days);
      }
      std::vector<Row> rows = {EumItemRow(item), EumUnitRow(c, item, date)};
      changes.push_back({"item", id, std::move(item), std::move(rows)});
      continue;
    }
    missing.push_back(
        {{"kind", "missing"}, {"product", pl.first}, {"serial", id.substr(pl.first.size() + 1)}});
    item["missing_at_receipt"] = true;
    item["history"].push_back(HistoryEntry(c, "not received"));
    changes.push_back({"item", id, item});
  }
  for (auto& d : part_damaged) differences.push_back(std::move(d));
  for (auto& d : missing) differences.push_back(std::move(d));
  if (!receipt["seals_intact"].get<bool>()) differences.push_back({{"kind", "broken_seal"}});
  shipment.erase("receipt_started");
  shipment.erase("receipt_extras");
  contract["delivered"] = delivered;
  contract["in_transit"] = in_transit;
  ASSIGN_OR_RETURN(std::vector<Row> tiv_rows, TivRows(c, contract, manifest, condition, date));

  json step = {{"index", c.index},
               {"date", date},
               {"from", shipment["custody"].back()["to"]},
               {"to", receipt["unit"]},
               {"place", receipt["location"]},
               {"seals_intact", receipt["seals_intact"]}};
  shipment["custody"].push_back(step);
  shipment["received"] = date;
  shipment["receipt_index"] = c.index;
  shipment["unit"] = receipt["unit"];
  if (differences.empty() && !shipment.value("seals_broken", false)) {
    shipment["status"] = "closed";
    json indexes = json::array();
    for (const auto& s : shipment["custody"]) indexes.push_back(s["index"]);
    shipment["dvc"] = {{"issued", date}, {"items", manifest.size()}, {"indexes", indexes}};
  } else {
    shipment["status"] = "received_with_discrepancies";
    shipment["differences"] = differences;
    if (!differences.empty()) {
      std::string case_id = c.id + "-receipt";
      ASSIGN_OR_RETURN(Change opened,
                       DeliveryCase(c, case_id, "shipment/" + c.id, contract, date, differences));
      changes.push_back(std::move(opened));
      json cases = shipment.value("cases", json::array());
      cases.push_back(case_id);
      shipment["cases"] = cases;
    }
  }
  changes.insert(changes.begin(), Change{"contract", contract["id"], contract});
  changes.insert(changes.begin(), Change{"shipment", c.id, shipment, std::move(tiv_rows)});
  return changes;
}

Result<std::vector<Change>> ShipmentReceived(const Call& c) {
  ASSIGN_OR_RETURN(json shipment, c.Self("shipment"));
  if (c.e.party != shipment["recipient"]) {
    return Refuse(
        "shipment.received_by_recipient", "party",
        "only the recipient " + shipment["recipient"].get<std::string>() + " records the receipt");
  }
  if (shipment["status"] != "in_transit") {
    return Refuse("shipment.in_transit", "subject",
                  "shipment " + c.id + " is already " + shipment["status"].get<std::string>());
  }
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], shipment["custody"].back()["date"],
                              "the last custody step"));
  ASSIGN_OR_RETURN(json unit, c.Need("body", c.body["unit"], "body.unit"));
  if (unit["party"] != shipment["recipient"]) {
    return Refuse("shipment.unit_of_recipient", "body.unit",
                  "the receiving unit must belong to the recipient");
  }
  RETURN_IF_ERROR(NeedAllParts(c, shipment, true));
  return ReconcileReceipt(c, std::move(shipment), c.body);
}

}  // namespace

void AddShipmentRules(RuleTable& r) {
  r["shipment.dispatched"] = {
      "shipment",
      {Str("contract"), Str("licence"), Str("import_permit", false),
       ArrayOf("transit_permits", FieldType::kString, 0, 50, false), Date("date"), Str("carrier"),
       Enum("mode", {"air", "sea", "rail", "road", "multimodal"}), Str("place"),
       ArrayOf("route", FieldType::kCountry, 0, 50),
       ArrayOf("seals", FieldType::kString, 0, 1000, false), Int("parts", 1, 1000, false),
       ArrayOfObjects("lines",
                      {Int("line", 1, 100000), ArrayOf("serials", FieldType::kString, 1, 200000)},
                      1, 1000)},
      ShipmentDispatched};
  r["shipment.custody_transferred"] = {
      "shipment",
      {Str("from"), Str("to"), Str("place"), Date("date"), Bool("seals_intact")},
      ShipmentCustodyTransferred};
  r["shipment.received"] = {
      "shipment",
      {Date("date"), Str("unit"), Str("location"), Bool("seals_intact"),
       Enum("state", {"in_service", "in_storage"}, false),
       ArrayOfObjects(
           "items", {Str("product"), Str("serial"), Enum("condition", {"good", "damaged"}, false)},
           0, 200000)},
      ShipmentReceived};
  AddShipmentPartRules(r);
}

}  // namespace accord::domain::internal
