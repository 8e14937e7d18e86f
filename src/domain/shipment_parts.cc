// Shipments whose serial lists arrive in several events, so that every event
// fits a log leaf (65,535 bytes): a shipment.dispatched with body.parts = N
// followed by shipment.dispatch_part 2..N, each appending serials under the
// dispatch's own rules; shipment.items_received events marking items as
// received (each on its item document, the extras on the shipment) before the
// shipment.received that reconciles them all with its own items.
#include <optional>
#include <set>

#include "domain/delivery_support.h"

namespace accord::domain::internal {

Status NeedAllParts(const Call& c, const json& shipment, bool closing_receipt) {
  if (shipment.contains("parts") &&
      shipment["parts_recorded"].get<int64_t>() < shipment["parts"].get<int64_t>()) {
    return Refuse("shipment.parts_complete", "subject",
                  "shipment " + c.id + " has " + shipment["parts_recorded"].dump() + " of the " +
                      shipment["parts"].dump() +
                      " parts of its serial list; the rest (shipment.dispatch_part) come first");
  }
  if (!closing_receipt && shipment.contains("receipt_started")) {
    return Refuse("shipment.receipt_in_parts", "subject",
                  "the receipt of shipment " + c.id + " began at index " +
                      shipment["receipt_started"].dump() +
                      " (shipment.items_received); only shipment.received may follow");
  }
  return Status::Ok();
}

namespace {

// The next part number, or a refusal naming the one expected.
Status NeedNextPart(const Call& c, int64_t recorded, int64_t parts) {
  int64_t part = c.body["part"];
  if (recorded >= parts) {
    return Refuse(
        "shipment.part_expected", "body.part",
        "all " + std::to_string(parts) + " parts of shipment " + c.id + " are already recorded");
  }
  if (part != recorded + 1) {
    return Refuse("shipment.part_order", "body.part",
                  "part " + std::to_string(part) + " of shipment " + c.id + " is not the next: " +
                      std::to_string(recorded) + " of " + std::to_string(parts) +
                      " are recorded, part " + std::to_string(recorded + 1) + " comes next");
  }
  return Status::Ok();
}

Result<std::vector<Change>> ShipmentDispatchPart(const Call& c) {
  ASSIGN_OR_RETURN(json shipment, c.Self("shipment"));
  if (c.e.party != shipment["supplier"]) {
    return Refuse("shipment.by_supplier", "party",
                  "only the supplier " + shipment["supplier"].get<std::string>() +
                      " adds parts to the shipment's serial list");
  }
  if (!shipment.contains("parts")) {
    return Refuse("shipment.part_expected", "subject",
                  "shipment " + c.id + " was dispatched in one event (without body.parts)");
  }
  const int64_t recorded = shipment["parts_recorded"];
  RETURN_IF_ERROR(NeedNextPart(c, recorded, shipment["parts"]));
  ASSIGN_OR_RETURN(json contract, c.Need("contract", shipment["contract"], "shipment.contract"));
  ASSIGN_OR_RETURN(json licence, c.Need("licence", shipment["licence"], "shipment.licence"));
  ASSIGN_OR_RETURN(json lines, DispatchLines(c, contract, licence, "shipment.licence"));
  for (const auto& l : lines) {
    shipment["lines"].push_back(
        {{"line", l["line"]}, {"product", l["product"]}, {"serials", l["serials"]}});
  }
  shipment["parts_recorded"] = recorded + 1;
  std::vector<Change> changes = {{"shipment", c.id, shipment},
                                 {"licence", licence["id"], licence},
                                 {"contract", contract["id"], contract}};
  const json carrier = shipment["custody"].front()["to"];
  for (auto& item : DispatchedItems(c, contract, lines, carrier))
    changes.push_back(std::move(item));
  return changes;
}

// Marks items of the shipment as received (receipt_pending on each item: its
// condition and this index); serials not in the manifest go to the
// shipment's receipt_extras. shipment.received then reconciles.
Result<std::vector<Change>> ShipmentItemsReceived(const Call& c) {
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
  RETURN_IF_ERROR(NeedAllParts(c, shipment, true));
  json extras = shipment.value("receipt_extras", json::array());
  std::set<std::string> seen;
  for (const auto& d : extras) seen.insert(ItemId(d["product"], d["serial"]));
  const size_t extras_before = extras.size();
  std::vector<Change> changes;
  for (size_t i = 0; i < c.body["items"].size(); ++i) {
    const json& it = c.body["items"][i];
    const std::string id = ItemId(it["product"], it["serial"]);
    const std::string field = "body.items[" + std::to_string(i) + "]";
    ASSIGN_OR_RETURN(std::optional<json> item, c.Find("item", id));
    const bool listed = item && (*item)["shipment"] == c.id;
    if (!seen.insert(id).second || (listed && item->contains("receipt_pending"))) {
      return Refuse("item.serial_unique", field,
                    "serial " + it["serial"].get<std::string>() + " of " +
                        it["product"].get<std::string>() + " is received twice in this receipt");
    }
    if (!listed) {
      extras.push_back({{"kind", "extra"}, {"product", it["product"]}, {"serial", it["serial"]}});
      continue;
    }
    (*item)["receipt_pending"] = {{"condition", it.value("condition", "good")}, {"index", c.index}};
    changes.push_back({"item", id, std::move(*item)});
  }
  if (!shipment.contains("receipt_started") || extras.size() != extras_before) {
    if (!shipment.contains("receipt_started")) shipment["receipt_started"] = c.index;
    if (!extras.empty()) shipment["receipt_extras"] = std::move(extras);
    changes.insert(changes.begin(), Change{"shipment", c.id, std::move(shipment)});
  }
  return changes;
}

}  // namespace

void AddShipmentPartRules(RuleTable& r) {
  r["shipment.dispatch_part"] = {
      "shipment",
      {Int("part", 2, 1000),
       ArrayOfObjects("lines",
                      {Int("line", 1, 100000), ArrayOf("serials", FieldType::kString, 1, 200000)},
                      1, 1000)},
      ShipmentDispatchPart};
  r["shipment.items_received"] = {
      "shipment",
      {ArrayOfObjects(
          "items", {Str("product"), Str("serial"), Enum("condition", {"good", "damaged"}, false)},
          1, 200000)},
      ShipmentItemsReceived};
}

}  // namespace accord::domain::internal
