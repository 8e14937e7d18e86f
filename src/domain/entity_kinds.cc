#include "domain/entity_kinds.h"

namespace accord::domain {
namespace {

using Shape = PartyField::Shape;

// Monitoring documents name the supplier and recipient of what they monitor.
const std::vector<PartyField> kSupplierRecipient = {{Shape::kText, "supplier"},
                                                    {Shape::kText, "recipient"}};

}  // namespace

const std::vector<EntityKind>& EntityKinds() {
  // Columns: name, plural, family, id field, state field, agreement, parties,
  // personal data, `accord show` view.
  static const std::vector<EntityKind> kKinds = {
      {"party",
       "parties",
       KindFamily::kReference,
       "code",
       "status",
       AgreementPath::kNone,
       {},
       {},
       ShowView::kRegistry},
      {"body",
       "bodies",
       KindFamily::kReference,
       "id",
       "status",
       AgreementPath::kNone,
       {},
       {},
       ShowView::kRegistry},
      {"agreement",
       "agreements",
       KindFamily::kTreaty,
       "id",
       "status",
       AgreementPath::kOwnId,
       {},
       {},
       ShowView::kRegistry},
      {"product",
       "products",
       KindFamily::kReference,
       "id",
       "status",
       AgreementPath::kNone,
       {},
       {},
       ShowView::kRegistry},
      {"contract",
       "contracts",
       KindFamily::kTreaty,
       "id",
       "status",
       AgreementPath::kField,
       {},
       {},
       ShowView::kRegistry},
      {"programme",
       "programmes",
       KindFamily::kTreaty,
       "id",
       "status",
       AgreementPath::kField,
       {},
       {},
       ShowView::kRegistry},
      {"certificate",
       "certificates",
       KindFamily::kDelivery,
       "id",
       "status",
       AgreementPath::kContract,
       {},
       {},
       ShowView::kDelivery},
      {"licence",
       "licences",
       KindFamily::kDelivery,
       "id",
       "status",
       AgreementPath::kContract,
       {},
       {},
       ShowView::kDelivery},
      {"shipment",
       "shipments",
       KindFamily::kDelivery,
       "id",
       "status",
       AgreementPath::kContract,
       {},
       {},
       ShowView::kDelivery},
      {"item",
       "items",
       KindFamily::kDelivery,
       "id",
       "state",
       AgreementPath::kContract,
       {},
       {},
       ShowView::kDelivery},
      {"repair",
       "repairs",
       KindFamily::kDelivery,
       "id",
       "status",
       AgreementPath::kItemsContracts,
       {},
       {},
       ShowView::kDelivery},
      {"course",
       "courses",
       KindFamily::kCooperation,
       "id",
       "status",
       AgreementPath::kField,
       {{Shape::kText, "host"}, {Shape::kObjectKeys, "seats"}},
       {{"trainees", "host", "party", "trainee"}},
       ShowView::kNone},
      {"exercise",
       "exercises",
       KindFamily::kCooperation,
       "id",
       "status",
       AgreementPath::kField,
       {{Shape::kArrayOfObjects, "participants", "party"}},
       {},
       ShowView::kNone},
      {"consultation",
       "consultations",
       KindFamily::kCooperation,
       "id",
       "status",
       AgreementPath::kField,
       {{Shape::kText, "requesting_party"}},
       {},
       ShowView::kNone},
      {"visit",
       "visits",
       KindFamily::kCooperation,
       "id",
       "status",
       AgreementPath::kField,
       {{Shape::kText, "host_party"}, {Shape::kText, "visiting_party"}},
       {},
       ShowView::kNone},
      {"inspection",
       "inspections",
       KindFamily::kMonitoring,
       "id",
       "status",
       AgreementPath::kField,
       kSupplierRecipient,
       {},
       ShowView::kDelivery},
      // Cases opened before cases named their agreement name only a contract.
      {"case",
       "cases",
       KindFamily::kMonitoring,
       "id",
       "status",
       AgreementPath::kFieldOrContract,
       kSupplierRecipient,
       {},
       ShowView::kDelivery},
      {"consent",
       "consents",
       KindFamily::kMonitoring,
       "id",
       "status",
       AgreementPath::kField,
       kSupplierRecipient,
       {},
       ShowView::kDelivery},
      {"declaration",
       "declarations",
       KindFamily::kMonitoring,
       "id",
       "status",
       AgreementPath::kField,
       kSupplierRecipient,
       {},
       ShowView::kDelivery},
  };
  return kKinds;
}

const EntityKind* FindKind(std::string_view name) {
  for (const EntityKind& k : EntityKinds()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

const EntityKind* FindKindByPlural(std::string_view plural) {
  for (const EntityKind& k : EntityKinds()) {
    if (k.plural == plural) return &k;
  }
  return nullptr;
}

bool IsMonitoringType(std::string_view type) {
  const EntityKind* k = FindKind(type.substr(0, type.find('.')));
  return k != nullptr && k->family == KindFamily::kMonitoring;
}

std::string MonitoringTypesText() {
  std::string out;
  for (const EntityKind& k : EntityKinds()) {
    if (k.family != KindFamily::kMonitoring) continue;
    out += (out.empty() ? "" : ", ") + std::string(k.name) + ".*";
  }
  return out;
}

}  // namespace accord::domain
