#include "storage/sqlite_entity_store.h"

#include <gtest/gtest.h>

#include "storage/sqlite_db.h"
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

}  // namespace
}  // namespace accord::storage
