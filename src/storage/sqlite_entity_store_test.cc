#include "storage/sqlite_entity_store.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "storage/sqlite_log_store.h"
#include "test_util.h"

namespace accord::storage {
namespace {

std::vector<std::string> Ids(const std::vector<EntityRow>& rows) {
  std::vector<std::string> out;
  for (const EntityRow& r : rows) out.push_back(r.id);
  return out;
}

std::string Id(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "e%06d", i);
  return buf;
}

class EntityPages : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = SqliteLogStore::Create(dir_ / "s.db").value();
    entities_ = std::make_unique<SqliteEntityStore>(store_->db());
    ASSERT_TRUE(entities_->EnsureSchema().ok());
  }
  void Put(int n) {
    ASSERT_TRUE(store_->db().Exec("BEGIN").ok());
    for (int i = 0; i < n; ++i) {
      std::string doc = "{\"contract\":\"c" + std::to_string(i % 3) + "\",\"id\":\"" + Id(i) +
                        "\",\"lines\":[{\"product\":\"p" + std::to_string(i % 5) +
                        "\"},{\"product\":\"q\"}]}";
      ASSERT_TRUE(entities_->Put("thing", Id(i), doc, static_cast<uint64_t>(i)).ok());
    }
    ASSERT_TRUE(entities_->Put("other", "a", "{\"contract\":\"c0\"}", 0).ok());
    ASSERT_TRUE(store_->db().Exec("COMMIT").ok());
  }
  testing::TempDir dir_;
  std::unique_ptr<SqliteLogStore> store_;
  std::unique_ptr<SqliteEntityStore> entities_;
};

TEST_F(EntityPages, KeysetPagesWithFilters) {
  Put(20);
  auto page = entities_->ListPage("thing", std::nullopt, {}, 4).value();
  EXPECT_EQ(Ids(page), (std::vector<std::string>{Id(0), Id(1), Id(2), Id(3)}));
  page = entities_->ListPage("thing", Id(17), {}, 4).value();
  EXPECT_EQ(Ids(page), (std::vector<std::string>{Id(18), Id(19)}));
  // contract = c1
  page = entities_->ListPage("thing", std::nullopt, {{{"$.contract"}, "c1"}}, 100).value();
  EXPECT_EQ(page.size(), 7u);
  for (const EntityRow& r : page) EXPECT_NE(r.doc.find("\"c1\""), std::string::npos);
  // Any line's product, together with the contract, after a cursor.
  DocFilter p2{{"$.product", "$.lines[*].product"}, "p2"};
  page = entities_->ListPage("thing", Id(2), {p2, {{"$.contract"}, "c1"}}, 100).value();
  EXPECT_EQ(Ids(page), (std::vector<std::string>{Id(7)}));  // 7: c1, p2 (12 is c0, 17 c2)
  page = entities_->ListPage("thing", std::nullopt, {{{"$.lines[*].product"}, "q"}}, 100).value();
  EXPECT_EQ(page.size(), 20u);
  // SQL metacharacters are values.
  for (const char* v : {"' OR 1=1 --", "%", "_", "c1' --", "\"); DROP TABLE entities; --"}) {
    EXPECT_TRUE(entities_->ListPage("thing", std::nullopt, {{{"$.contract"}, v}}, 100)->empty())
        << v;
    EXPECT_TRUE(entities_->ListPage("thing", std::string(v), {}, 100).ok()) << v;
  }
  EXPECT_EQ(entities_->ListPage("thing", std::nullopt, {{{"contract"}, "c1"}}, 1).status().code(),
            StatusCode::kInvalidArgument);
}

// A page of a large kind reads the page's rows, not the kind: counted in
// SQLite virtual-machine steps, a page deep inside 100,000 entities costs
// about what a page at the start of 100 entities costs.
TEST_F(EntityPages, APageDoesNotScanTheKind) {
  Put(100000);
  uint64_t steps = 0;
  sqlite3_progress_handler(
      store_->db().raw(), 1,
      [](void* n) {
        ++*static_cast<uint64_t*>(n);
        return 0;
      },
      &steps);
  auto page = entities_->ListPage("thing", Id(70000), {}, 100);
  sqlite3_progress_handler(store_->db().raw(), 0, nullptr, nullptr);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 100u);
  EXPECT_EQ(page->front().id, Id(70001));
  EXPECT_LT(steps, 20000u) << "VM steps for one page of 100";
}

}  // namespace
}  // namespace accord::storage
