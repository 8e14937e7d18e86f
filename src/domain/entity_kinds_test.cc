#include "domain/entity_kinds.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "domain/rules.h"

namespace accord::domain {
namespace {

TEST(EntityKinds, NamesAndPluralsAreUniqueAndFound) {
  std::set<std::string_view> names, plurals;
  for (const EntityKind& k : EntityKinds()) {
    EXPECT_TRUE(names.insert(k.name).second) << k.name;
    EXPECT_TRUE(plurals.insert(k.plural).second) << k.plural;
    EXPECT_FALSE(k.id_field.empty()) << k.name;
    EXPECT_FALSE(k.state_field.empty()) << k.name;
    EXPECT_EQ(FindKind(k.name), &k);
    EXPECT_EQ(FindKindByPlural(k.plural), &k);
    // Reference kinds are read by everyone because they belong to no
    // agreement; every other kind must say how it finds its agreement.
    EXPECT_EQ(k.family == KindFamily::kReference, k.agreement == AgreementPath::kNone) << k.name;
    for (const PartyField& f : k.parties) {
      EXPECT_EQ(f.shape == PartyField::Shape::kArrayOfObjects, !f.member.empty()) << k.name;
    }
  }
  EXPECT_EQ(FindKind("contracts"), nullptr);
  EXPECT_EQ(FindKindByPlural("contract"), nullptr);
  EXPECT_EQ(FindKind("party")->id_field, "code");
  EXPECT_EQ(FindKind("item")->state_field, "state");
}

// Every noun the rules record events about has a row, so that the API serves
// it and authorization knows how to read it; the SIPRI import's own subjects
// are reported, not served as collections.
TEST(EntityKinds, EveryEventSubjectHasARow) {
  const std::set<std::string> not_served = {"sipri_deal", "sipri_delivery"};
  for (const EventTypeDoc& d : DescribeEventTypes()) {
    if (not_served.count(d.subject_kind) != 0) continue;
    EXPECT_NE(FindKind(d.subject_kind), nullptr)
        << d.type << ": subject kind " << d.subject_kind << " has no row in domain/entity_kinds.cc";
  }
}

// Cases are monitoring documents like inspections, consents and declarations:
// inspectors record case.* events, and their supplier and recipient read
// them. Only the way they find their agreement differs (older cases name
// only a contract).
TEST(EntityKinds, MonitoringFamily) {
  EXPECT_TRUE(IsMonitoringType("inspection.planned"));
  EXPECT_TRUE(IsMonitoringType("case.opened"));
  EXPECT_TRUE(IsMonitoringType("consent.requested"));
  EXPECT_TRUE(IsMonitoringType("declaration.filed"));
  EXPECT_FALSE(IsMonitoringType("contract.signed"));
  EXPECT_FALSE(IsMonitoringType("cases.opened"));
  EXPECT_FALSE(IsMonitoringType(""));
  EXPECT_EQ(MonitoringTypesText(), "inspection.*, case.*, consent.*, declaration.*");
  const EntityKind* c = FindKind("case");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->family, KindFamily::kMonitoring);
  EXPECT_EQ(c->agreement, AgreementPath::kFieldOrContract);
  EXPECT_EQ(c->parties.size(), 2u);
}

}  // namespace
}  // namespace accord::domain
