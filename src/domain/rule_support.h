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

using Handler = std::function<Result<std::vector<Change>>(const Call&)>;

struct Rule {
  std::string subject_kind;
  std::vector<FieldSpec> body;
  Handler decide;
};

using RuleTable = std::map<std::string, Rule>;

// Each rule file adds its rules.
void AddTreatyRules(RuleTable& table);       // rules.cc
void AddDeliveryRules(RuleTable& table);     // delivery_rules.cc
void AddCooperationRules(RuleTable& table);  // cooperation_rules.cc
void AddHistoryRules(RuleTable& table);      // history_rules.cc

}  // namespace accord::domain::internal
