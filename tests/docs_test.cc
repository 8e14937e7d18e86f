// Documents generated from code stay true: docs/EVENTS.md is what
// `accord events --markdown` prints; the collections of docs/API.md and the
// per-kind paths of docs/openapi.json are the rows of the entity kinds table.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "domain/entity_kinds.h"
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

// docs/openapi.json is written by hand (its summaries say what each kind
// is), so this test derives the per-kind paths from domain::EntityKinds() and
// compares: every kind has its list and get paths, in the same shape as the
// others, and every /v1/<collection> path is a kind's.
TEST(Docs, OpenApiHasThePathsOfEveryEntityKind) {
  using nlohmann::json;
  json doc = json::parse(testing::ReadFile(std::string(ACCORD_SOURCE_DIR) + "/docs/openapi.json"));
  const json& paths = doc.at("paths");
  const std::set<std::string> not_kinds = {"health", "me",          "openapi.json", "log",
                                           "events", "event-types", "eum",          "reports"};
  std::set<std::string> documented, derived;
  for (const auto& [path, ops] : paths.items()) {
    if (!path.starts_with("/v1/")) continue;  // the C2SP routes under /tlog
    std::string rest = path.substr(std::string("/v1/").size());
    std::string first = rest.substr(0, rest.find('/'));
    if (not_kinds.count(first) == 0) documented.insert(path);
  }
  const json* list_params = nullptr;
  for (const domain::EntityKind& k : domain::EntityKinds()) {
    std::string list = "/v1/" + std::string(k.plural), one = list + "/{id}";
    derived.insert(list);
    derived.insert(one);
    ASSERT_TRUE(paths.contains(list)) << list << " (add it to docs/openapi.json)";
    ASSERT_TRUE(paths.contains(one)) << one << " (add it to docs/openapi.json)";
    const json& l = paths[list].at("get");
    EXPECT_NE(l.at("summary").get<std::string>().find(std::string(k.plural)), std::string::npos)
        << list;
    // Every collection takes the same query parameters.
    if (list_params == nullptr) list_params = &l.at("parameters");
    EXPECT_EQ(l.at("parameters"), *list_params) << list;
    const json& g = paths[one].at("get");
    EXPECT_TRUE(g.at("parameters")
                    .at(0)
                    .at("description")
                    .get<std::string>()
                    .starts_with("the " + std::string(k.name) + "'s id"))
        << one;
    EXPECT_EQ(g.at("responses").at("404").at("description"), "no such " + std::string(k.name))
        << one;
  }
  EXPECT_EQ(documented, derived);
}

TEST(Docs, ApiReferenceListsEveryCollection) {
  std::string doc = testing::ReadFile(std::string(ACCORD_SOURCE_DIR) + "/docs/API.md");
  std::string want = "- `GET /v1/{";
  for (const domain::EntityKind& k : domain::EntityKinds()) {
    want += std::string(k.plural) + (&k == &domain::EntityKinds().back() ? "}`\n" : ",");
  }
  EXPECT_NE(doc.find(want), std::string::npos)
      << "docs/API.md does not list the collections of domain/entity_kinds.cc; expected the "
         "line\n"
      << want;
}

}  // namespace
}  // namespace accord
