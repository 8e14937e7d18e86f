// Who may do what through the API: the one place where role x party x action
// is decided. docs/API.md documents the same matrix as a table; the tests
// assert every cell.
//
//   action              officer      inspector        auditor        observer  admin
//   health, openapi     yes          yes              yes            yes       yes
//   log checkpoint,     yes          yes              yes            yes       yes
//     proofs
//   log entries         yes          yes              no             no        yes
//   read entities       own party's  own party's      assigned       no        all
//                       agreements*  agreements*      agreements*
//   record events       party = own  party = own and  no             no        party =
//                                    monitoring type                           "registry"
//
//   * plus the reference kinds (parties, bodies, products), which belong to
//     no agreement.
//
// Monitoring types are the event types whose noun is one of
// kMonitoringNouns (inspection.*, case.*, consent.*). Whether the inspector's
// party is the supplier of the contract concerned is a domain rule, checked
// by the registry when the event is decided.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace accord::api {

enum class Role { kOfficer, kInspector, kAuditor, kObserver, kAdmin };

std::string_view RoleName(Role role);
Result<Role> ParseRole(std::string_view name);

// The authenticated caller.
struct Principal {
  std::string user;
  std::string party;
  Role role = Role::kObserver;
  std::vector<std::string> agreements;  // auditors only
};

enum class Action {
  kReadLogProofs,   // checkpoint, inclusion and consistency proofs, openapi
  kReadLogEntries,  // the full events in the log
  kReadEntities,    // list/get of projections (filtered by CanReadEntity)
  kRecordEvents,    // POST /v1/events (each event checked by CanRecord)
};

inline constexpr std::string_view kMonitoringNouns[] = {"inspection", "case", "consent"};
bool IsMonitoringType(std::string_view type);

// PermissionDenied with a message naming role and action, or OK.
Status Authorize(const Principal& p, Action action);

// Whether `p` may record an event of `party` with `type`.
Status CanRecord(const Principal& p, std::string_view party, std::string_view type);

// Looks up an entity document (kind, id); nullopt if it does not exist.
using EntityLookup =
    std::function<Result<std::optional<nlohmann::json>>(std::string_view, std::string_view)>;

// The agreements an entity belongs to (empty for reference kinds), found by
// following its contract (and for repairs, its items) with `lookup`.
Result<std::vector<std::string>> EntityAgreements(std::string_view kind, const nlohmann::json& doc,
                                                  const EntityLookup& lookup);

// Whether `p` may read entity `doc` of `kind`.
Result<bool> CanReadEntity(const Principal& p, std::string_view kind, const nlohmann::json& doc,
                           const EntityLookup& lookup);

}  // namespace accord::api
