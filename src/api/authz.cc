#include "api/authz.h"

#include <algorithm>

#include "domain/entity_kinds.h"
#include "registry/doc_fields.h"

namespace accord::api {
namespace {

using registry::DocText;

using nlohmann::json;

constexpr std::string_view kRoleNames[] = {"officer",  "inspector", "auditor",
                                           "observer", "admin",     "node"};

constexpr std::string_view kRegistryParty = "registry";

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kReadLogProofs:
      return "read the log's checkpoint and proofs";
    case Action::kReadLogEntries:
      return "read log entries";
    case Action::kReadEntities:
      return "read registry entities";
    case Action::kRecordEvents:
      return "record events";
    case Action::kReadReports:
      return "read reports";
    case Action::kReadEntryBundles:
      return "read the log's entry bundles (roles admin and node only)";
  }
  return "?";
}

// The coarse matrix: may this role perform this action at all?
bool Allowed(Role role, Action action) {
  switch (action) {
    case Action::kReadLogProofs:
      return true;
    case Action::kReadLogEntries:
      return role != Role::kObserver;
    case Action::kReadEntities:
      return role != Role::kObserver && role != Role::kNode;
    case Action::kRecordEvents:
      return role == Role::kOfficer || role == Role::kInspector || role == Role::kAdmin;
    case Action::kReadReports:
      return true;
    case Action::kReadEntryBundles:
      return role == Role::kAdmin || role == Role::kNode;
  }
  return false;
}

bool IsReferenceKind(std::string_view kind) {
  const domain::EntityKind* k = domain::FindKind(kind);
  return k != nullptr && k->family == domain::KindFamily::kReference;
}

Result<std::string> ContractAgreement(const std::string& contract, const EntityLookup& lookup) {
  if (contract.empty()) return std::string();
  ASSIGN_OR_RETURN(std::optional<json> c, lookup("contract", contract));
  return c ? DocText(*c, "agreement") : std::string();
}

}  // namespace

std::string_view RoleName(Role role) {
  return kRoleNames[static_cast<int>(role)];
}

Result<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < std::size(kRoleNames); ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return Status::InvalidArgument(
      "role \"" + std::string(name) +
      "\" is not one of officer, inspector, auditor, observer, admin, node");
}

Status Authorize(const Principal& p, Action action) {
  if (p.anonymous && action != Action::kReadReports) {
    return Status::Unauthenticated("missing bearer token (Authorization: Bearer <token>)");
  }
  if (Allowed(p.role, action)) return Status::Ok();
  return Status::PermissionDenied("role " + std::string(RoleName(p.role)) + " may not " +
                                  std::string(ActionName(action)));
}

Status CanRecord(const Principal& p, std::string_view party, std::string_view type) {
  RETURN_IF_ERROR(Authorize(p, Action::kRecordEvents));
  auto deny = [&](const std::string& why) {
    return Status::PermissionDenied("user " + p.user + " (" + std::string(RoleName(p.role)) +
                                    " of " + p.party + ") may not record " + std::string(type) +
                                    " for " + std::string(party) + ": " + why);
  };
  switch (p.role) {
    case Role::kAdmin:
      if (party != kRegistryParty) return deny("admins record only \"registry\" events");
      return Status::Ok();
    case Role::kOfficer:
      if (party != p.party) return deny("officers record events of their own party only");
      return Status::Ok();
    case Role::kInspector:
      if (party != p.party) return deny("inspectors record events of their own party only");
      if (!domain::IsMonitoringType(type)) {
        return deny("inspectors record monitoring events only (" + domain::MonitoringTypesText() +
                    ")");
      }
      return Status::Ok();
    default:
      return deny("role may not record");
  }
}

Result<std::vector<std::string>> EntityAgreements(std::string_view kind, const json& doc,
                                                  const EntityLookup& lookup) {
  std::vector<std::string> out;
  auto add = [&](std::string_view a) {
    if (!a.empty() && std::find(out.begin(), out.end(), a) == out.end()) out.emplace_back(a);
  };
  const domain::EntityKind* k = domain::FindKind(kind);
  using domain::AgreementPath;
  switch (k ? k->agreement : AgreementPath::kContract) {
    case AgreementPath::kNone:
      break;
    case AgreementPath::kOwnId:
      add(DocText(doc, "id"));
      break;
    case AgreementPath::kField:
      add(DocText(doc, "agreement"));
      break;
    case AgreementPath::kFieldOrContract:
      if (!DocText(doc, "agreement").empty()) {
        add(DocText(doc, "agreement"));
        break;
      }
      [[fallthrough]];
    case AgreementPath::kContract: {
      ASSIGN_OR_RETURN(std::string a, ContractAgreement(DocText(doc, "contract"), lookup));
      add(a);
      break;
    }
    case AgreementPath::kItemsContracts: {
      auto items = doc.find("items");
      if (items == doc.end() || !items->is_array()) break;
      for (const json& item_id : *items) {
        if (!item_id.is_string()) continue;
        ASSIGN_OR_RETURN(std::optional<json> item, lookup("item", item_id.get<std::string>()));
        if (!item) continue;
        ASSIGN_OR_RETURN(std::string a, ContractAgreement(DocText(*item, "contract"), lookup));
        add(a);
      }
      break;
    }
  }
  return out;
}

std::vector<std::string> EntityParties(std::string_view kind, const json& doc) {
  std::vector<std::string> out;
  auto add = [&](std::string party) {
    if (!party.empty() && std::find(out.begin(), out.end(), party) == out.end()) {
      out.push_back(std::move(party));
    }
  };
  const domain::EntityKind* k = domain::FindKind(kind);
  if (k == nullptr || !doc.is_object()) return out;
  using Shape = domain::PartyField::Shape;
  for (const domain::PartyField& f : k->parties) {
    std::string field(f.field);
    switch (f.shape) {
      case Shape::kText:
        add(DocText(doc, field.c_str()));
        break;
      case Shape::kObjectKeys: {
        auto it = doc.find(field);
        if (it != doc.end() && it->is_object()) {
          for (const auto& [party, v] : it->items()) add(party);
        }
        break;
      }
      case Shape::kArrayOfObjects: {
        const json& list = doc.contains(field) ? doc.at(field) : json();
        if (list.is_array()) {
          std::string member(f.member);
          for (const json& q : list) {
            if (q.is_object()) add(DocText(q, member.c_str()));
          }
        }
        break;
      }
    }
  }
  return out;
}

Result<bool> CanReadEntity(const Principal& p, std::string_view kind, const json& doc,
                           const EntityLookup& lookup) {
  if (!Authorize(p, Action::kReadEntities).ok()) return false;
  if (p.role == Role::kAdmin) return true;
  if (IsReferenceKind(kind)) return true;
  if (p.role != Role::kAuditor) {
    std::vector<std::string> parties = EntityParties(kind, doc);
    if (std::find(parties.begin(), parties.end(), p.party) != parties.end()) return true;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> agreements, EntityAgreements(kind, doc, lookup));
  for (const std::string& a : agreements) {
    if (p.role == Role::kAuditor) {
      if (std::find(p.agreements.begin(), p.agreements.end(), a) != p.agreements.end()) {
        return true;
      }
      continue;
    }
    // Officers and inspectors: agreements their party is a party to.
    ASSIGN_OR_RETURN(std::optional<json> agreement, lookup("agreement", a));
    if (!agreement) continue;
    auto parties = agreement->find("parties");
    if (parties == agreement->end() || !parties->is_array()) continue;
    for (const json& party : *parties) {
      if (party.is_string() && party.get<std::string>() == p.party) return true;
    }
  }
  return false;
}

bool CanReadMonitoredItem(const Principal& p, std::string_view agreement, std::string_view supplier,
                          std::string_view recipient) {
  if (!Authorize(p, Action::kReadEntities).ok()) return false;
  if (p.role == Role::kAdmin) return true;
  if (p.role == Role::kAuditor) {
    return std::find(p.agreements.begin(), p.agreements.end(), agreement) != p.agreements.end();
  }
  return supplier == p.party || recipient == p.party;
}

Result<registry::ReportForm> CanReadReport(const Principal& p, const registry::ReportSpec& spec,
                                           const registry::ReportParams& params) {
  RETURN_IF_ERROR(Authorize(p, Action::kReadReports));
  using registry::Disclosure;
  using registry::ReportForm;
  auto it = params.find(spec.party_param);
  bool own_party = (p.role == Role::kOfficer || p.role == Role::kInspector) && !p.anonymous &&
                   it != params.end() && it->second == p.party;
  switch (spec.disclosure) {
    case Disclosure::kAggregate:
      return ReportForm::kFull;
    case Disclosure::kPartyValues:
      return p.role == Role::kAdmin || own_party ? ReportForm::kFull : ReportForm::kPublic;
    case Disclosure::kDetailed:
      if (p.role == Role::kAdmin || own_party) return ReportForm::kFull;
      return Status::PermissionDenied(
          (p.anonymous
               ? std::string("an anonymous reader")
               : "user " + p.user + " (" + std::string(RoleName(p.role)) + " of " + p.party + ")") +
          " may not read report " + spec.name +
          ": it discloses serial numbers or personal data; only admins and officers or "
          "inspectors of the party it is about may");
  }
  return Status::PermissionDenied("unknown disclosure of report " + spec.name);
}

}  // namespace accord::api
