#include "api/disclosure.h"

#include "domain/entity_kinds.h"
#include "domain/envelope.h"
#include "merkle/hasher.h"
#include "registry/doc_fields.h"
#include "util/encoding.h"

namespace accord::api {
namespace {

using nlohmann::json;
using registry::DocText;

// Whether `p` (an officer or inspector) may see every personal-data entry
// that `event` names, as the redacted document of its subject would show it.
// An entry whose subject or record is missing is not shown (fail closed).
Result<bool> SeesPersonalData(const Principal& p, const json& event, const EntityLookup& lookup) {
  std::string subject = DocText(event, "subject");
  size_t slash = subject.find('/');
  if (slash == std::string::npos) return true;
  std::string kind = subject.substr(0, slash), id = subject.substr(slash + 1);
  const domain::EntityKind* k = domain::FindKind(kind);
  if (k == nullptr || k->personal.empty()) return true;
  auto body = event.find("body");
  if (body == event.end() || !body->is_object()) return true;
  for (const domain::PersonalData& pd : k->personal) {
    std::string key_field(pd.event_key), owner(pd.owner_field), entry_party(pd.entry_party);
    std::string key = DocText(*body, key_field.c_str());
    if (key.empty()) continue;
    ASSIGN_OR_RETURN(std::optional<json> doc, lookup(kind, id));
    if (!doc) return false;
    if (DocText(*doc, owner.c_str()) == p.party) continue;
    std::string party;
    auto all = doc->find(std::string(pd.field));
    if (all != doc->end() && all->is_object() && all->contains(key)) {
      party = DocText(all->at(key), entry_party.c_str());
    }
    if (party.empty() || party != p.party) return false;
  }
  return true;
}

}  // namespace

json RedactEntity(const Principal& p, std::string_view kind, json doc) {
  const domain::EntityKind* k = domain::FindKind(kind);
  if (k == nullptr || p.role == Role::kAdmin || p.role == Role::kAuditor) return doc;
  for (const domain::PersonalData& pd : k->personal) {
    std::string field(pd.field), owner(pd.owner_field), entry_party(pd.entry_party);
    if (DocText(doc, owner.c_str()) == p.party) continue;
    if (!doc.is_object() || !doc.contains(field)) continue;
    const json& all = doc.at(field);
    if (!all.is_object()) continue;
    json kept = json::object();
    for (const auto& [key, entry] : all.items()) {
      if (entry.is_object() && DocText(entry, entry_party.c_str()) == p.party) kept[key] = entry;
    }
    json out = json::object();
    for (const auto& [key, value] : doc.items()) out[key] = key == field ? kept : value;
    doc = std::move(out);
  }
  return doc;
}

Result<std::optional<json>> DiscloseEntity(const Principal& p, std::string_view kind, json doc,
                                           const EntityLookup& lookup) {
  ASSIGN_OR_RETURN(bool visible, CanReadEntity(p, kind, doc, lookup));
  if (!visible) return std::optional<json>();
  return std::optional<json>(RedactEntity(p, kind, std::move(doc)));
}

Result<bool> CanReadEvent(const Principal& p, std::string_view party, std::string_view subject,
                          const EntityLookup& lookup) {
  if (!Authorize(p, Action::kReadLogEntries).ok()) return false;
  if (p.role == Role::kAdmin || p.role == Role::kNode) return true;
  if ((p.role == Role::kOfficer || p.role == Role::kInspector) && party == p.party) return true;
  size_t slash = subject.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view kind = subject.substr(0, slash), id = subject.substr(slash + 1);
  ASSIGN_OR_RETURN(std::optional<json> doc, lookup(kind, id));
  if (!doc) return false;
  return CanReadEntity(p, kind, *doc, lookup);
}

Result<EventForm> DiscloseEvent(const Principal& p, const json& event, const EntityLookup& lookup) {
  std::string party = DocText(event, "party");
  ASSIGN_OR_RETURN(bool readable, CanReadEvent(p, party, DocText(event, "subject"), lookup));
  if (!readable) return EventForm::kWithheld;
  // Admins, nodes and auditors see personal data whole (RedactEntity), and
  // a party sees the events it recorded itself.
  if (p.role != Role::kOfficer && p.role != Role::kInspector) return EventForm::kWhole;
  if (party == p.party) return EventForm::kWhole;
  ASSIGN_OR_RETURN(bool sees, SeesPersonalData(p, event, lookup));
  return sees ? EventForm::kWhole : EventForm::kWithheld;
}

Result<json> EntryJson(const Principal& p, uint64_t index, std::string_view leaf,
                       const EntityLookup& lookup, EventForm* form) {
  std::string leaf_hash = Base64Encode(AsBytes(merkle::LeafHash(leaf)));
  ASSIGN_OR_RETURN(domain::Leaf parsed, domain::ParseLeaf(leaf));
  ASSIGN_OR_RETURN(EventForm f, DiscloseEvent(p, parsed.event, lookup));
  if (form != nullptr) *form = f;
  if (f == EventForm::kWhole) {
    return json{{"index", index}, {"leaf", std::string(leaf)}, {"leaf_hash", leaf_hash}};
  }
  return json{{"index", index}, {"withheld", true}, {"leaf_hash", leaf_hash}};
}

}  // namespace accord::api
