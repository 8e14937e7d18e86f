// What the rule files share: the call context of one rule, refusals, and the
// table every rule file adds its rules to. Internal to src/domain.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "domain/envelope.h"
#include "domain/rules.h"
#include "domain/schema.h"
#include "domain/state.h"

namespace accord::domain::internal {

using nlohmann::json;

// A well-formed event that a rule refuses: "rule <rule>: <field>: <why>".
inline Status Refuse(const std::string& rule, const std::string& field, const std::string& why) {
  return Status::FailedPrecondition("rule " + rule + ": " + field + ": " + why);
}

inline std::string Quote(const std::string& s) {
  return "\"" + s + "\"";
}

inline bool Contains(const json& array, const std::string& v) {
  for (const auto& x : array) {
    if (x.is_string() && x.get_ref<const std::string&>() == v) return true;
  }
  return false;
}

// One call of a rule: the event and everything it may consult.
struct Call {
  const RuleContext& ctx;
  StateReader& state;
  const Event& e;
  const json& body;
  std::string id;      // the subject's id
  std::string date;    // the event's date, YYYY-MM-DD (UTC)
  uint64_t index = 0;  // the log index the event will have

  bool by_registry() const { return e.party == kRegistryParty; }

  // The entity `kind/id`, or a refusal naming `field`.
  Result<json> Need(const std::string& kind, const std::string& ref_id,
                    const std::string& field) const {
    ASSIGN_OR_RETURN(std::optional<json> doc, state.Get(kind, ref_id));
    if (!doc) return Refuse(kind + ".exists", field, "no " + kind + " " + Quote(ref_id));
    return *doc;
  }
  Result<std::optional<json>> Find(const std::string& kind, const std::string& ref_id) const {
    return state.Get(kind, ref_id);
  }
  Result<json> Self(const std::string& kind) const { return Need(kind, id, "subject"); }
  Status MustBeNew(const std::string& kind) const {
    ASSIGN_OR_RETURN(std::optional<json> doc, state.Get(kind, id));
    if (doc) return Refuse(kind + ".unique", "subject", kind + " " + Quote(id) + " already exists");
    return Status::Ok();
  }
  // The acting party must be `party` (or the registry, if allowed).
  Status ActsFor(const std::string& party, const std::string& rule, bool registry_ok) const {
    if (e.party == party || (registry_ok && by_registry())) return Status::Ok();
    return Refuse(rule, "party",
                  Quote(e.party) + " may not do this; only " + Quote(party) +
                      (registry_ok ? " or the registry" : "") + " may");
  }
  Status NotBefore(const std::string& field, const std::string& value, const std::string& earliest,
                   const std::string& what) const {
    if (value < earliest) {
      return Refuse("dates.order", field, value + " is before " + what + " (" + earliest + ")");
    }
    return Status::Ok();
  }
  std::vector<Change> Set(const std::string& kind, json doc) const {
    return {Change{kind, id, std::move(doc)}};
  }
};

// ---- Shared by the delivery and end-use monitoring rules (eum_records.cc) ----

// An item's id: "<product>/<serial>".
inline std::string ItemId(const std::string& product, const std::string& serial) {
  return product + "/" + serial;
}

// One entry of an item's history: the step's log index, date and event.
json HistoryEntry(const Call& c, const std::string& what, json detail = json::object());

// `date` (YYYY-MM-DD) plus `days`; whole days between two dates (b - a).
std::string AddDays(const std::string& date, int64_t days);
int64_t DaysBetween(const std::string& a, const std::string& b);

// What a new case is about. Cases are opened automatically (delivery
// discrepancies, inspection findings, late or refused access, declarations)
// or by hand (case.opened); all share one document shape and one row per
// status change in eum_cases.
struct CaseSpec {
  std::string id;
  std::string kind;    // discrepancy | inspection_finding | access | declaration | manual
  std::string source;  // e.g. "shipment/S1", "inspection/I1"
  std::string agreement, contract, supplier, recipient;
  std::string severity;  // low | medium | high | critical
  std::string assigned;  // the party that must act
  std::string deadline;  // YYYY-MM-DD; empty: the agreement's case deadline
  std::string date;      // the day it is opened
  std::string opened_by;
  json differences = json::array();
  std::string summary;
};
Result<Change> OpenCase(const Call& c, CaseSpec spec);
// A case the rules open themselves ("registry (automatic)") about `about`, a
// document naming its agreement, supplier and recipient (a contract, an
// inspection, a declaration); the deadline is the agreement's.
Result<Change> OpenAutomaticCase(const Call& c, const std::string& id, const std::string& kind,
                                 const std::string& source, const json& about,
                                 const std::string& severity, const std::string& assigned,
                                 const std::string& date, json differences);

// Rows of the end-use monitoring tables (see EumRowTables()).
// eum_items: one row per item received (from its document: designation,
// receipt, inventory periods), replaced when it leaves monitoring.
Row EumItemRow(const json& item);
// eum_units: where an item was from `date` on (receipt, relocation, return).
Row EumUnitRow(const Call& c, const json& item, const std::string& date);
// The latest date on record of an item (receipt, last inventory, last move:
// "located_since"); later events about it may not be dated before it.
std::string LastDatedFact(const json& item);
// eum_inventories: the serial was sighted on `date` (`by`: "inspection/I1",
// "repair/R1").
Row EumInventoryRow(const Call& c, const json& item, const std::string& date,
                    const std::string& by);

using Handler = std::function<Result<std::vector<Change>>(const Call&)>;

struct Rule {
  std::string subject_kind;
  std::vector<FieldSpec> body;
  Handler decide;
};

using RuleTable = std::map<std::string, Rule>;

// Each rule file adds its rules.
void AddTreatyRules(RuleTable& table);       // treaty_rules.cc
void AddContractRules(RuleTable& table);     // contract_rules.cc
void AddDeliveryRules(RuleTable& table);     // delivery_rules.cc
void AddCooperationRules(RuleTable& table);  // cooperation_rules.cc
void AddHistoryRules(RuleTable& table);      // history_rules.cc
void AddEumRules(RuleTable& table);          // eum_rules.cc

// The typed projection tables of end-use monitoring (eum_records.cc).
std::vector<RowTableSpec> EumRowTables();

}  // namespace accord::domain::internal
