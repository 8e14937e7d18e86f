// What the delivery rule files share (delivery_rules.cc, shipment_rules.cc,
// shipment_parts.cc).
// Internal to src/domain.
#pragma once

#include <string>
#include <vector>

#include "domain/rule_support.h"

namespace accord::domain::internal {

// The acting party must be the contract's `who` ("supplier", "recipient").
Status NeedContractParty(const Call& c, const json& contract, const std::string& who,
                         const std::string& rule);

// A case opened automatically by a delivery event: the supplier must
// account for what went wrong between dispatch and receipt.
Result<Change> DeliveryCase(const Call& c, const std::string& id, const std::string& source,
                            const json& contract, const std::string& date, json differences);

// The serial lines `body.lines` of a dispatch, or of a part of one, checked
// against the contract (its lines, what is still outstanding, serials never
// recorded before nor twice here) and the licence (products covered, drawdown;
// refusals name `licence_field`). Adds them to contract.in_transit and
// licence.drawn; returns [{line, product, enhanced, serials}].
Result<json> DispatchLines(const Call& c, json& contract, json& licence,
                           const std::string& licence_field);

// The new item documents of `lines` (as DispatchLines returns them), in
// transit with `carrier`, dispatched by this event.
std::vector<Change> DispatchedItems(const Call& c, const json& contract, const json& lines,
                                    const json& carrier);

// Refuses (shipment.parts_complete) while some parts of the shipment's serial
// list are still to come; unless `closing_receipt`, also (shipment.
// receipt_in_parts) once shipment.items_received has begun its receipt:
// nothing but shipment.received moves it then.
Status NeedAllParts(const Call& c, const json& shipment,
                    bool closing_receipt);  // shipment_parts.cc

// Adds shipment.dispatch_part and shipment.items_received; AddShipmentRules calls it.
void AddShipmentPartRules(RuleTable& table);  // shipment_parts.cc

// Adds the shipment rules; AddDeliveryRules calls it.
void AddShipmentRules(RuleTable& table);  // shipment_rules.cc

}  // namespace accord::domain::internal
