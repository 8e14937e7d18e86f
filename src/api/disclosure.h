// What of the registry a caller may see: the one disclosure decision every
// read path of the API goes through. authz.h says who may perform which
// action; this file says, for one entity or one event, what of it the
// caller is shown.
//
//   an entity   nothing (answered 404, exactly as a missing one), or its
//               document with the personal data of other parties removed
//               (RedactEntity), or whole
//   an event    whole (its signed leaf, byte for byte), or withheld (its
//               index and leaf hash only)
//
// Read paths and where they decide:
//   GET /v1/{collection}, /v1/{collection}/{id}   DiscloseEntity
//   GET /v1/log/entries                          EntryJson (withheld entries keep their place)
//   GET /v1/log/history?subject=                 EntryJson (withheld entries are left out)
//   GET /tlog/tile/entries/...                   whole leaves, roles admin and node only
//                                                (Action::kReadEntryBundles)
//   GET /v1/reports/*, /v1/eum/due               authz.h (CanReadReport, CanReadMonitoredItem):
//                                                counts and serials, no personal data
//
// There is no partly redacted event. A log entry is a signed leaf: a client
// checks its Ed25519 signature and its leaf hash against inclusion proofs,
// and an edited copy would fail both or, worse, invite a client to trust an
// unverifiable text. So an event whose content the caller may not see in
// full is withheld: the leaf hash alone still proves, with an inclusion
// proof, that the log holds *an* entry there. Whoever may read the full leaf
// (its own party's events, an auditor of the agreement, admin, node) gets it
// unchanged and verifies it as before.
//
// An event is whole for `p` when p may read it (CanReadEvent) and it names
// no personal-data entry that RedactEntity would remove for p: an event
// about a course's trainee (body.trainee) is whole for the trainee's party,
// the course's host, auditors, admins and nodes, and withheld for every
// other party (its type, time, date, reason and qualification would tell
// what the redacted course document hides). A withheld entry carries no
// reason, so it does not tell a trainee event from one the caller may not
// read for another reason.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "api/authz.h"
#include "util/status.h"

namespace accord::api {

enum class EventForm { kWhole, kWithheld };

// The document as `p` may see it (call after CanReadEntity): the personal
// data of its row (a course's trainees) of other parties is removed unless
// `p` is of the owning (host) party, an auditor or an admin.
nlohmann::json RedactEntity(const Principal& p, std::string_view kind, nlohmann::json doc);

// Entity `doc` of `kind` as `p` may see it: nullopt when p may not read it
// at all (CanReadEntity), else RedactEntity's document.
Result<std::optional<nlohmann::json>> DiscloseEntity(const Principal& p, std::string_view kind,
                                                     nlohmann::json doc,
                                                     const EntityLookup& lookup);

// Whether `p` may read the events recorded by `party` about `subject`
// ("kind/id") at all: admins and nodes all; officers and inspectors the
// events of their own party and those whose subject entity they may read;
// auditors those whose subject entity they may read. Observers none.
Result<bool> CanReadEvent(const Principal& p, std::string_view party, std::string_view subject,
                          const EntityLookup& lookup);

// The form in which `p` sees event `event` (the "e" of a leaf): whole if
// CanReadEvent allows it and, unless `p` recorded it (its own party) or is
// an admin, auditor or node, every personal-data entry it names is one the
// redacted subject document would show `p`; withheld otherwise.
Result<EventForm> DiscloseEvent(const Principal& p, const nlohmann::json& event,
                                const EntityLookup& lookup);

// Log entry `index` with leaf text `leaf` as `p` sees it, in the shape of
// /v1/log/entries: {"index","leaf","leaf_hash"} when whole, or
// {"index","withheld":true,"leaf_hash"}. `form`, if given, receives the
// decision. An unparsable leaf is an error (the log is corrupt).
Result<nlohmann::json> EntryJson(const Principal& p, uint64_t index, std::string_view leaf,
                                 const EntityLookup& lookup, EventForm* form = nullptr);

}  // namespace accord::api
