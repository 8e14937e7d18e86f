#include "storage/sqlite/log_store.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace accord::storage {
namespace {

TEST(SqliteLogStore, CreateOpenAndRefusals) {
  testing::TempDir dir;
  std::string db = dir / "s.db";
  EXPECT_EQ(SqliteLogStore::Open(db).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(SqliteLogStore::Create(db).ok());
  EXPECT_EQ(SqliteLogStore::Create(db).status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(SqliteLogStore::Open(db).ok());
  testing::WriteFile(dir / "junk.db", "this is not a database at all, just text\n");
  EXPECT_EQ(SqliteLogStore::Open(dir / "junk.db").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SqliteLogStore::Create(dir / "junk.db").status().code(), StatusCode::kAlreadyExists);
}

TEST(SqliteLogStore, WriteTransactionIsAtomic) {
  testing::TempDir dir;
  auto store = SqliteLogStore::Create(dir / "s.db").value();
  std::vector<std::string> leaves = {"a", "", "c"};
  {
    auto txn = store->BeginWrite().value();
    ASSERT_TRUE(txn->AppendEntries(0, leaves).ok());
    ASSERT_TRUE(txn->PutMeta("k", "v").ok());
    EXPECT_EQ(txn->Size().value(), 3u);  // sees its own writes
    txn->Rollback();
  }
  EXPECT_EQ(store->Size().value(), 0u);
  EXPECT_FALSE(store->GetMeta("k").value().has_value());
  {
    auto txn = store->BeginWrite().value();
    EXPECT_FALSE(store->BeginWrite().ok());  // one writer at a time
    // Dropped without Commit: rolled back.
    ASSERT_TRUE(txn->AppendEntries(0, leaves).ok());
  }
  EXPECT_EQ(store->Size().value(), 0u);
  auto txn = store->BeginWrite().value();
  EXPECT_EQ(txn->AppendEntries(1, leaves).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(txn->AppendEntries(0, leaves).ok());
  merkle::Tile t{{1, 2}, std::string(64, 'h')};
  ASSERT_TRUE(txn->PutTiles(std::span(&t, 1)).ok());
  ASSERT_TRUE(txn->PutCheckpoint(3, "note").ok());
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(store->Size().value(), 3u);
  EXPECT_EQ(store->ReadEntries(0, 3).value(), leaves);
  EXPECT_EQ(store->ReadEntries(1, 4).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->ReadTile({1, 2}).value().hashes, t.hashes);
  EXPECT_EQ(store->ReadTile({1, 3}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->CheckpointAt(3).value().value(), "note");
}

TEST(SqliteLogStore, ScanTilesStaysWithinALevel) {
  testing::TempDir dir;
  auto store = SqliteLogStore::Create(dir / "s.db").value();
  auto txn = store->BeginWrite().value();
  std::vector<merkle::Tile> tiles = {{{0, 0}, std::string(32, 'a')},
                                     {{0, 1}, std::string(32, 'b')},
                                     {{1, 0}, std::string(32, 'c')}};
  ASSERT_TRUE(txn->PutTiles(tiles).ok());
  ASSERT_TRUE(txn->Commit().ok());
  std::vector<uint64_t> seen;
  ASSERT_TRUE(store
                  ->ScanTiles(0,
                              [&](const merkle::Tile& t) {
                                seen.push_back(t.id.index);
                                return Status::Ok();
                              })
                  .ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 1}));
}

}  // namespace
}  // namespace accord::storage
