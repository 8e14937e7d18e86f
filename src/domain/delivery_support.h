// What the delivery rule files share (delivery_rules.cc, shipment_rules.cc).
// Internal to src/domain.
#pragma once

#include <string>

#include "domain/rule_support.h"

namespace accord::domain::internal {

// The acting party must be the contract's `who` ("supplier", "recipient").
Status NeedContractParty(const Call& c, const json& contract, const std::string& who,
                         const std::string& rule);

// A case opened automatically by a delivery event: the supplier must
// account for what went wrong between dispatch and receipt.
Result<Change> DeliveryCase(const Call& c, const std::string& id, const std::string& source,
                            const json& contract, const std::string& date, json differences);

// Adds the shipment rules; AddDeliveryRules calls it.
void AddShipmentRules(RuleTable& table);  // shipment_rules.cc

}  // namespace accord::domain::internal
