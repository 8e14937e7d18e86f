// The entity kinds, in one table: for each kind the noun its events use
// ("contract" in contract.signed, subject "contract/ID"), the plural that
// names its collection (GET /v1/contracts, `accord show contracts`), its
// family, and where a document of the kind names its agreement, its parties
// and the personal data it carries.
//
// Everything that lists or authorizes kinds reads this table: the API's
// collections and their OpenAPI paths (api/server), who may read an entity
// and who may record its events (api/authz), the `accord show` lists (cli),
// and the docs tests. A new kind is its rules (domain/*_rules.cc), one row
// here (entity_kinds.cc) and its tests.
//
// Pure data: no I/O, no state; the table is fixed at compile time and its
// order is the order of every list derived from it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace accord::domain {

enum class KindFamily {
  kReference,    // party, body, product: belong to no agreement, readable by every reader
  kTreaty,       // agreement, contract, programme
  kDelivery,     // certificate, licence, shipment, item, repair
  kMonitoring,   // end-use monitoring: inspection, case, consent, declaration
  kCooperation,  // course, exercise, consultation, visit
};

// How a document finds the agreement(s) it belongs to.
enum class AgreementPath {
  kNone,             // reference kinds
  kOwnId,            // the agreement itself: its "id"
  kField,            // its "agreement" field
  kFieldOrContract,  // "agreement", or, if absent, its "contract"'s agreement
  kContract,         // its "contract"'s agreement
  kItemsContracts,   // each of its "items" (item ids), through the item's contract
};

// Where a document names a party taking part in it.
struct PartyField {
  enum class Shape {
    kText,            // "field": "RU"
    kObjectKeys,      // "field": {"RU": ..., "UZ": ...}
    kArrayOfObjects,  // "field": [{"<member>": "RU"}, ...]
  };
  Shape shape;
  std::string_view field;
  std::string_view member = {};  // kArrayOfObjects only
};

// Personal data in a document: the entries of the object `field` are shown
// in full to the party named by `owner_field` (and to admins and auditors);
// another party sees only the entries whose `entry_party` is its own. The
// events about one entry name it by the body member `event_key` (its key in
// `field`), and are disclosed as the entry is (api/disclosure.h).
struct PersonalData {
  std::string_view field;        // e.g. "trainees"
  std::string_view owner_field;  // e.g. "host"
  std::string_view entry_party;  // e.g. "party"
  std::string_view event_key;    // e.g. "trainee": body.trainee names the entry
};

// Which `accord show` view lists the kind (cli/registry_commands.cc,
// cli/delivery_commands.cc), if any.
enum class ShowView { kNone, kRegistry, kDelivery };

struct EntityKind {
  std::string_view name;    // singular noun: event types, subjects, storage
  std::string_view plural;  // collection: /v1/<plural>, `accord show <plural>`
  KindFamily family;
  std::string_view id_field;     // the member holding the id ("code" for parties)
  std::string_view state_field;  // what the `state` filter compares ("status" unless "state")
  AgreementPath agreement;
  std::vector<PartyField> parties;          // empty: none named (read by agreement only)
  std::vector<PersonalData> personal = {};  // at most one today (course trainees)
  ShowView show = ShowView::kNone;
};

// Every kind, in table order.
const std::vector<EntityKind>& EntityKinds();

// The row of `name` ("contract"), or nullptr.
const EntityKind* FindKind(std::string_view name);
// The row whose plural is `plural` ("contracts"), or nullptr.
const EntityKind* FindKindByPlural(std::string_view plural);

// Whether events of type `type` ("inspection.planned") are monitoring events:
// their noun is a kind of the monitoring family.
bool IsMonitoringType(std::string_view type);

// "inspection.*, case.*, consent.*, declaration.*": the monitoring nouns in
// table order, for messages and docs.
std::string MonitoringTypesText();

}  // namespace accord::domain
