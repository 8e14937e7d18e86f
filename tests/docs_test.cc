// Documents generated from code stay true: docs/EVENTS.md is what
// `accord events --markdown` prints.
#include <gtest/gtest.h>

#include "test_util.h"

namespace accord {
namespace {

TEST(Docs, EventsReferenceMatchesTheRules) {
  auto r = testing::Accord({"events", "--markdown"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string doc = testing::ReadFile(std::string(ACCORD_SOURCE_DIR) + "/docs/EVENTS.md");
  EXPECT_EQ(doc, r.out) << "docs/EVENTS.md is stale: regenerate it with "
                           "`build/accord events --markdown > docs/EVENTS.md`";
}

TEST(Docs, EveryEventTypeIsListed) {
  auto r = testing::Accord({"events"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* type : {"agreement.ratified", "contract.signed", "shipment.received",
                           "repair.completed", "licence.issued", "party.key_registered"}) {
    EXPECT_NE(r.out.find(type), std::string::npos) << type;
  }
}

}  // namespace
}  // namespace accord
