// The treaty's rules as pure functions: (state, event) -> changes or a clear
// error. Nothing here does I/O; the registry feeds events in log order and
// writes the changes to its projections in the append's transaction.
//
// Who may record what:
//  - "registry" events (party registration, first keys) are signed by the
//    node's own key and carry "party": "registry";
//  - every other event is signed by a key of the party in its "party" field,
//    valid on the event's date, and the rule for its type checks that this
//    party may act (e.g. only a party to an agreement may ratify it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/envelope.h"
#include "domain/reference.h"
#include "domain/state.h"

namespace accord::domain {

// The pseudo-party of events the node itself signs.
inline constexpr char kRegistryParty[] = "registry";

struct RuleContext {
  const ReferenceData* ref = nullptr;
  // Key id of the node's own key (signs "registry" events).
  uint32_t registry_key_id = 0;
  std::string registry_public_key;  // 32 bytes
};

// The public key that must have signed `event` with key `key_id`: the node's
// key for registry events, otherwise a key of event.party that is registered,
// in force on the event's date and not retired. Errors name the rule.
//
// The event's date is the signer's to choose, so retirement is also judged
// on `logged_date` (YYYY-MM-DD), the day the registry logs the event (the
// leaf's logged-at, which the sequencer sets): a key retired from a day
// signs nothing logged on or after it, whatever date the event states.
// Empty: the event's date alone (e.g. a check before a registry logs it).
Result<std::string> SignerKey(const RuleContext& ctx, StateReader& state, const Event& event,
                              uint32_t key_id, std::string_view logged_date = {});

// Validates `event` against the current state and returns the entity changes
// it causes. A refused event returns InvalidArgument (malformed: a field is
// missing, of the wrong type, unknown) or FailedPrecondition (well-formed but
// against a rule), with a message naming the rule and the field.
// `index` is the log index the event will have (rules record it, e.g. in an
// item's history, so that every step can be proved from the log).
Result<std::vector<Change>> Decide(const RuleContext& ctx, StateReader& state, const Event& event,
                                   uint64_t index = 0);

// Every event type Decide() knows, for help texts and the API document.
std::vector<std::string> KnownEventTypes();

// The body of each event type, as documentation: one line per field,
// "path: type (required|optional)", nested fields with their full path.
struct EventTypeDoc {
  std::string type;
  std::string subject_kind;
  std::vector<std::string> fields;
};
std::vector<EventTypeDoc> DescribeEventTypes();

// Derived views used by queries and reports.
// Is the agreement in force on `date` (YYYY-MM-DD)?
bool AgreementInForceOn(const nlohmann::json& agreement, const std::string& date);

}  // namespace accord::domain
