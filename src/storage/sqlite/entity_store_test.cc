#include "storage/sqlite/entity_store.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "storage/sqlite/db.h"
#include "storage/sqlite/log_store.h"
#include "test_util.h"

namespace accord::storage {
namespace {

class SqliteEntityStoreRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDb::Open(dir_ / "rows.db", true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
    store_ = std::make_unique<SqliteEntityStore>(*db_);
    ASSERT_TRUE(store_->EnsureSchema().ok());
    ASSERT_TRUE(
        store_
            ->DefineTable(
                {"facts", {{"item", false}, {"seq", true}, {"date", false}, {"n", true}}, 2})
            .ok());
    // Inserted out of key order; one NULL date.
    Put("b", 2, "2020-03-01", 5);
    Put("a", 2, "2020-02-01", 3);
    Put("b", 1, "", 4);
    Put("a", 1, "2020-01-01", 1);
  }
  void Put(const std::string& item, int64_t seq, const std::string& date, int64_t n) {
    RowValue d = date.empty() ? RowValue{} : RowValue{date};
    ASSERT_TRUE(store_->PutRow("facts", {item, seq, d, n}).ok());
  }
  std::vector<std::vector<RowValue>> All(const std::vector<std::string>& columns,
                                         const std::vector<RowCondition>& where) {
    auto cursor = store_->OpenRows("facts", columns, where);
    EXPECT_TRUE(cursor.ok()) << cursor.status().message();
    std::vector<std::vector<RowValue>> out;
    if (!cursor.ok()) return out;
    std::vector<RowValue> row;
    for (;;) {
      auto more = (*cursor)->Next(row);
      EXPECT_TRUE(more.ok());
      if (!more.ok() || !*more) break;
      out.push_back(row);
    }
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<SqliteEntityStore> store_;
};

TEST_F(SqliteEntityStoreRowsTest, OpenRowsReadsInKeyOrderWithNulls) {
  auto rows = All({"item", "seq", "date"}, {});
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(std::get<std::string>(rows[0][0]), "a");
  EXPECT_EQ(std::get<int64_t>(rows[0][1]), 1);
  EXPECT_EQ(std::get<std::string>(rows[1][2]), "2020-02-01");
  EXPECT_EQ(std::get<std::string>(rows[2][0]), "b");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[2][2]));
  EXPECT_EQ(std::get<int64_t>(rows[3][1]), 2);
}

TEST_F(SqliteEntityStoreRowsTest, OpenRowsFilters) {
  auto rows = All({"n"}, {{"date", RowCondition::Op::kLe, std::string("2020-02-15")}});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(std::get<int64_t>(rows[0][0]), 1);
  EXPECT_EQ(std::get<int64_t>(rows[1][0]), 3);
  rows = All({"n"}, {{"date", RowCondition::Op::kNotNull, {}},
                     {"item", RowCondition::Op::kEq, std::string("b")}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(rows[0][0]), 5);
}

TEST_F(SqliteEntityStoreRowsTest, TwoCursorsAtOnce) {
  auto first = store_->OpenRows("facts", {"item"}, {});
  auto second = store_->OpenRows("facts", {"seq"}, {});
  ASSERT_TRUE(first.ok() && second.ok());
  std::vector<RowValue> a, b;
  int steps = 0;
  while (*(*first)->Next(a) && *(*second)->Next(b)) ++steps;
  EXPECT_EQ(steps, 4);
}

TEST_F(SqliteEntityStoreRowsTest, OpenRowsRefusesUnknownNames) {
  EXPECT_EQ(store_->OpenRows("nope", {"item"}, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->OpenRows("facts", {"item; DROP TABLE facts"}, {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->OpenRows("facts", {"item"}, {{"zzz", RowCondition::Op::kEq, int64_t{1}}})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->OpenRows("facts", {}, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(All({"item"}, {}).size(), 4u);
}

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
