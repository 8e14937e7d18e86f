// Who may do what through the API: the one place where role x party x action
// is decided. docs/API.md documents the same matrix as a table; the tests
// assert every cell.
//
//   action              officer      inspector        auditor        observer  admin
//   health, openapi     yes          yes              yes            yes       yes
//   log checkpoint,     yes          yes              yes            yes       yes
//     proofs
//   log entries**       own party's  own party's      assigned       no        all
//                       events and   events and       agreements'
//                       readable     readable         events
//                       subjects     subjects
//   read entities       own party's  own party's      assigned       no        all
//                       agreements*  agreements*      agreements*
//                       and cooperation activities
//                       their party takes part in***
//   record events       party = own  party = own and  no             no        party =
//                                    monitoring type                           "registry"
//   reports, by what they disclose (registry::Disclosure):
//     aggregate         full         full             full           full      full
//     party values      full if the  full if the      public form    public    full
//                       party is     party is                        form
//                       own, else    own, else
//                       public form  public form
//     detailed          full if the  full if the      no             no        full
//                       party is own party is own
//
//   * plus the reference kinds (parties, bodies, products), which belong to
//     no agreement. How each kind finds its agreement and its parties is a
//     column of the entity kinds table (domain/entity_kinds.h).
//   ** an entry the caller may not read is withheld: its index and leaf hash
//     only, so that proofs still verify.
//   *** a course's trainees are shown to the course's host party in full and
//     to another party only its own trainees; the events about another
//     party's trainee are withheld.
//   What of one entity or event a caller sees (whole, redacted, withheld) is
//   decided in api/disclosure.h, on every read path.
//
// The role `node` (a peer node: a mirror, a party node) reads what a copy of
// the log needs and nothing else: checkpoint, proofs, every log entry (as an
// admin does) and the tlog-tiles entry bundles. No entities, no recording;
// reports in their public form. Entry bundles (GET /tlog/tile/entries/...)
// are for admin and node only. The checkpoints (GET /v1/log/checkpoint,
// /v1/log/checkpoints/<size>, /tlog/checkpoint) and the hash tiles need no
// token at all: hashes disclose nothing.
//
// With `accord serve --public-reports`, a request without a token is an
// anonymous observer for the report endpoints (and only for them).
//
// Monitoring types are the event types whose noun is a kind of the monitoring
// family (domain::IsMonitoringType: inspection.*, case.*, consent.*,
// declaration.*). Whether the inspector's party is the supplier of the
// contract concerned is a domain rule, checked by the registry when the event
// is decided.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/reports.h"
#include "util/status.h"

namespace accord::api {

// kNode is a peer node (a mirror or a party node): it reads the whole log
// (entry bundles under /tlog, entries under /v1/log) and nothing else.
enum class Role { kOfficer, kInspector, kAuditor, kObserver, kAdmin, kNode };

std::string_view RoleName(Role role);
Result<Role> ParseRole(std::string_view name);

// The authenticated caller.
struct Principal {
  std::string user;
  std::string party;
  Role role = Role::kObserver;
  std::vector<std::string> agreements;  // auditors only
  bool anonymous = false;               // no token (--public-reports): an observer
};

enum class Action {
  kReadLogProofs,     // checkpoint, inclusion and consistency proofs, openapi
  kReadLogEntries,    // the full events in the log
  kReadEntities,      // list/get of projections (filtered by CanReadEntity)
  kRecordEvents,      // POST /v1/events (each event checked by CanRecord)
  kReadReports,       // GET /v1/reports/* (each report checked by CanReadReport)
  kReadEntryBundles,  // GET /tlog/tile/entries/*: every leaf, whole (admin and node only)
};

// PermissionDenied with a message naming role and action, or OK.
Status Authorize(const Principal& p, Action action);

// Whether `p` may record an event of `party` with `type`.
Status CanRecord(const Principal& p, std::string_view party, std::string_view type);

// Looks up an entity document (kind, id); nullopt if it does not exist.
using EntityLookup =
    std::function<Result<std::optional<nlohmann::json>>(std::string_view, std::string_view)>;

// The agreements an entity belongs to (empty for reference kinds), found as
// its row of domain::EntityKinds() says: its own field, or following its
// contract (for repairs, its items' contracts) with `lookup`. A kind not in
// the table is followed through its contract.
Result<std::vector<std::string>> EntityAgreements(std::string_view kind, const nlohmann::json& doc,
                                                  const EntityLookup& lookup);

// The parties an entity names as taking part (its row's `parties`): a
// course's host and every party with seats; an exercise's participants; a
// visit's host and visiting party; a consultation's requesting party; a
// monitoring document's supplier and recipient. Empty for other kinds.
std::vector<std::string> EntityParties(std::string_view kind, const nlohmann::json& doc);

// Whether `p` may read entity `doc` of `kind`.
Result<bool> CanReadEntity(const Principal& p, std::string_view kind, const nlohmann::json& doc,
                           const EntityLookup& lookup);

// Whether `p` may read a monitored item's due date and serial (GET
// /v1/eum/due): admins all; auditors those of their assigned agreements;
// officers and inspectors those their party supplied or received. Observers
// none (checked by Authorize(kReadEntities) first).
bool CanReadMonitoredItem(const Principal& p, std::string_view agreement, std::string_view supplier,
                          std::string_view recipient);

// The form of report `spec` that `p` may read with `params` (the report's
// checked parameters), or PermissionDenied.
Result<registry::ReportForm> CanReadReport(const Principal& p, const registry::ReportSpec& spec,
                                           const registry::ReportParams& params);

}  // namespace accord::api
