// Conformance: storage/database.h and storage/log_store.h, for every backend.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "storage/conformance/backends.h"
#include "storage/database.h"

namespace accord::storage::conformance {
namespace {

using Leaves = std::vector<std::string>;

class LogConformance : public ::testing::TestWithParam<BackendCase> {
 protected:
  void SetUp() override { ACCORD_SKIP_UNAVAILABLE_BACKEND(); }
  std::unique_ptr<Database> Create(const std::string& stem = "db") {
    locator_ = GetParam().fresh(dir_, stem);
    auto db = CreateDatabase(locator_);
    EXPECT_TRUE(db.ok()) << db.status().message();
    return db.ok() ? std::move(db).value() : nullptr;
  }
  std::unique_ptr<Database> Reopen() {
    auto db = OpenDatabase(locator_);
    EXPECT_TRUE(db.ok()) << db.status().message();
    return db.ok() ? std::move(db).value() : nullptr;
  }
  static Status Append(LogStore& log, const std::vector<std::string>& leaves) {
    ASSIGN_OR_RETURN(auto txn, log.BeginWrite());
    ASSIGN_OR_RETURN(uint64_t size, txn->Size());
    RETURN_IF_ERROR(txn->AppendEntries(size, leaves));
    return txn->Commit();
  }

  testing::TempDir dir_;
  std::string locator_;
};

TEST_P(LogConformance, CreateOpenAndRefusals) {
  std::string missing = GetParam().fresh(dir_, "missing");
  EXPECT_EQ(OpenDatabase(missing).status().code(), StatusCode::kNotFound);
  auto db = Create();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->locator(), locator_);
  // Never takes over an existing database, its own or anyone else's.
  EXPECT_EQ(CreateDatabase(locator_).status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(OpenDatabase(locator_).ok());
  std::string foreign = GetParam().fresh(dir_, "foreign");
  GetParam().make_foreign(foreign);
  EXPECT_EQ(OpenDatabase(foreign).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CreateDatabase(foreign).status().code(), StatusCode::kAlreadyExists);
}

TEST_P(LogConformance, AnEmptyLog) {
  auto db = Create();
  ASSERT_TRUE(db);
  LogStore& log = db->log();
  EXPECT_EQ(log.Size().value(), 0u);
  EXPECT_TRUE(log.ReadEntries(0, 0).value().empty());
  EXPECT_EQ(log.ReadEntries(0, 1).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(log.GetMeta("origin").value().has_value());
  EXPECT_FALSE(log.CheckpointAt(0).value().has_value());
  EXPECT_EQ(log.ReadTile({0, 0}).status().code(), StatusCode::kNotFound);
  int calls = 0;
  EXPECT_TRUE(log.ScanEntries(0, 100,
                              [&](uint64_t, std::string_view) {
                                ++calls;
                                return Status::Ok();
                              })
                  .ok());
  EXPECT_EQ(calls, 0);
}

TEST_P(LogConformance, AppendIsAtomicAndSeesItsOwnWrites) {
  auto db = Create();
  ASSERT_TRUE(db);
  LogStore& log = db->log();
  const std::vector<std::string> leaves = {"a", "", std::string("b\0c", 3)};
  {
    auto txn = log.BeginWrite().value();
    ASSERT_TRUE(txn->AppendEntries(0, leaves).ok());
    ASSERT_TRUE(txn->PutMeta("k", "v").ok());
    ASSERT_TRUE(txn->PutCheckpoint(3, "note").ok());
    EXPECT_EQ(txn->Size().value(), 3u);
    EXPECT_EQ(txn->ReadEntries(0, 3).value(), leaves);
    EXPECT_EQ(txn->GetMeta("k").value().value(), "v");
    txn->Rollback();
    EXPECT_FALSE(txn->Commit().ok());  // finished either way
  }
  EXPECT_EQ(log.Size().value(), 0u);
  EXPECT_FALSE(log.GetMeta("k").value().has_value());
  EXPECT_FALSE(log.CheckpointAt(3).value().has_value());
  {
    // Destroyed without Commit(): rolled back.
    auto txn = log.BeginWrite().value();
    ASSERT_TRUE(txn->AppendEntries(0, leaves).ok());
  }
  EXPECT_EQ(log.Size().value(), 0u);
  {
    // A failed call does not commit what came before it.
    auto txn = log.BeginWrite().value();
    ASSERT_TRUE(txn->AppendEntries(0, Leaves{leaves[0]}).ok());
    EXPECT_EQ(txn->AppendEntries(0, Leaves{leaves[1]}).code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(txn->AppendEntries(5, Leaves{leaves[1]}).code(), StatusCode::kFailedPrecondition);
    ASSERT_TRUE(txn->AppendEntries(1, Leaves{leaves[1], leaves[2]}).ok());  // continues at Size()
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(log.Size().value(), 3u);
  // Empty and binary leaves come back byte for byte, from another handle too.
  auto other = Reopen();
  ASSERT_TRUE(other);
  EXPECT_EQ(other->log().ReadEntries(0, 3).value(), leaves);
  EXPECT_EQ(other->log().ReadEntries(1, 2).value(), std::vector<std::string>{""});
  EXPECT_EQ(other->log().ReadEntries(2, 4).status().code(), StatusCode::kNotFound);
}

TEST_P(LogConformance, OneWriteTransactionPerHandle) {
  auto db = Create();
  ASSERT_TRUE(db);
  auto txn = db->log().BeginWrite();
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ(db->log().BeginWrite().status().code(), StatusCode::kFailedPrecondition);
  (*txn)->Rollback();
  EXPECT_TRUE(db->log().BeginWrite().ok());
}

TEST_P(LogConformance, ScanEntriesIsOrderedBoundedAndStoppable) {
  auto db = Create();
  ASSERT_TRUE(db);
  std::vector<std::string> leaves;
  for (int i = 0; i < 300; ++i) leaves.push_back("leaf " + std::to_string(i));
  ASSERT_TRUE(Append(db->log(), leaves).ok());
  std::vector<uint64_t> seen;
  ASSERT_TRUE(db->log()
                  .ScanEntries(10, 20,
                               [&](uint64_t idx, std::string_view data) {
                                 EXPECT_EQ(data, leaves[idx]);
                                 seen.push_back(idx);
                                 return Status::Ok();
                               })
                  .ok());
  ASSERT_EQ(seen.size(), 10u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 10 + i);
  int calls = 0;
  Status stop = db->log().ScanEntries(0, 300, [&](uint64_t idx, std::string_view) {
    ++calls;
    return idx == 4 ? Status::Corruption("stop here") : Status::Ok();
  });
  EXPECT_EQ(stop.code(), StatusCode::kCorruption);
  EXPECT_EQ(stop.message(), "stop here");
  EXPECT_EQ(calls, 5);
  // Past the end: only what exists.
  calls = 0;
  ASSERT_TRUE(db->log()
                  .ScanEntries(295, 1000,
                               [&](uint64_t, std::string_view) {
                                 ++calls;
                                 return Status::Ok();
                               })
                  .ok());
  EXPECT_EQ(calls, 5);
}

TEST_P(LogConformance, TilesMetaAndCheckpoints) {
  auto db = Create();
  ASSERT_TRUE(db);
  LogStore& log = db->log();
  const uint64_t far = uint64_t{1} << 40;
  {
    auto txn = log.BeginWrite().value();
    std::vector<merkle::Tile> tiles = {{{0, 1}, std::string(32, 'b')},
                                       {{0, 0}, std::string(32, 'a')},
                                       {{1, 0}, std::string(64, 'c')},
                                       {{0, far}, std::string(32, 'f')}};
    ASSERT_TRUE(txn->PutTiles(tiles).ok());
    ASSERT_TRUE(txn->PutMeta("bin", std::string("\0\xff", 2)).ok());
    ASSERT_TRUE(txn->PutCheckpoint(7, "seven").ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  {
    // Tiles, meta and checkpoints are replaced, not duplicated.
    auto txn = log.BeginWrite().value();
    merkle::Tile grown{{0, 1}, std::string(64, 'B')};
    ASSERT_TRUE(txn->PutTiles(std::span(&grown, 1)).ok());
    ASSERT_TRUE(txn->PutMeta("bin", "new").ok());
    // A write transaction reads the recorded checkpoints, its own writes
    // included (cosignatures are added to a stored checkpoint this way).
    EXPECT_EQ(txn->CheckpointAt(7).value().value(), "seven");
    EXPECT_FALSE(txn->CheckpointAt(8).value().has_value());
    ASSERT_TRUE(txn->PutCheckpoint(7, "seven, cosigned").ok());
    EXPECT_EQ(txn->CheckpointAt(7).value().value(), "seven, cosigned");
    ASSERT_TRUE(txn->Commit().ok());
  }
  auto other = Reopen();
  ASSERT_TRUE(other);
  for (LogStore* l : {&log, &other->log()}) {
    EXPECT_EQ(l->ReadTile({0, 1}).value().hashes, std::string(64, 'B'));
    EXPECT_EQ(l->ReadTile({1, 0}).value().hashes, std::string(64, 'c'));
    EXPECT_EQ(l->ReadTile({0, far}).value().hashes, std::string(32, 'f'));
    EXPECT_EQ(l->ReadTile({2, 0}).status().code(), StatusCode::kNotFound);
    std::vector<uint64_t> level0;
    ASSERT_TRUE(l->ScanTiles(0, [&](const merkle::Tile& t) {
                   EXPECT_EQ(t.id.level, 0u);
                   level0.push_back(t.id.index);
                   return Status::Ok();
                 }).ok());
    EXPECT_EQ(level0, (std::vector<uint64_t>{0, 1, far}));
    EXPECT_EQ(l->GetMeta("bin").value().value(), "new");
    EXPECT_EQ(l->CheckpointAt(7).value().value(), "seven, cosigned");
    EXPECT_FALSE(l->CheckpointAt(6).value().has_value());
  }
  // Listed whole, in order, to copy a log.
  {
    auto txn = log.BeginWrite().value();
    ASSERT_TRUE(txn->PutMeta("a", "first").ok());
    ASSERT_TRUE(txn->PutCheckpoint(2, "two").ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  std::vector<std::pair<std::string, std::string>> meta;
  ASSERT_TRUE(log.ScanMeta([&](std::string_view k, std::string_view v) {
                   meta.emplace_back(k, v);
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(meta,
            (std::vector<std::pair<std::string, std::string>>{{"a", "first"}, {"bin", "new"}}));
  std::vector<std::pair<uint64_t, std::string>> notes;
  ASSERT_TRUE(log.ScanCheckpoints([&](uint64_t size, std::string_view note) {
                   notes.emplace_back(size, note);
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(notes,
            (std::vector<std::pair<uint64_t, std::string>>{{2, "two"}, {7, "seven, cosigned"}}));
  int calls = 0;
  EXPECT_EQ(log.ScanCheckpoints([&](uint64_t, std::string_view) {
                 ++calls;
                 return Status::Corruption("stop");
               })
                .code(),
            StatusCode::kCorruption);
  EXPECT_EQ(calls, 1);
}

TEST_P(LogConformance, ReadersSeeOnlyCommittedStateAndDoNotBlockTheWriter) {
  auto writer = Create();
  ASSERT_TRUE(writer);
  auto reader = Reopen();
  ASSERT_TRUE(reader);
  ASSERT_TRUE(Append(writer->log(), {"one"}).ok());
  auto txn = writer->log().BeginWrite().value();
  ASSERT_TRUE(txn->AppendEntries(1, Leaves{"two"}).ok());
  // While the write is open, a reader reads the committed state at once.
  EXPECT_EQ(reader->log().Size().value(), 1u);
  EXPECT_EQ(reader->log().ReadEntries(0, 1).value(), std::vector<std::string>{"one"});
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(reader->log().Size().value(), 2u);
}

// Several handles (one per thread, as the contract asks) append at once:
// BeginWrite waits for the other handle's transaction, so no append is lost
// or duplicated and indexes have no gaps.
TEST_P(LogConformance, ConcurrentWritersSerialize) {
  ASSERT_TRUE(Create());
  constexpr int kThreads = 4, kBatches = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto db = OpenDatabase(locator_);
      if (!db.ok()) {
        ++failures;
        return;
      }
      for (int b = 0; b < kBatches; ++b) {
        std::string tag = std::to_string(t) + "/" + std::to_string(b);
        if (!Append((*db)->log(), {tag + " a", tag + " b"}).ok()) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto db = Reopen();
  ASSERT_TRUE(db);
  ASSERT_EQ(db->log().Size().value(), uint64_t{kThreads * kBatches * 2});
  std::vector<std::string> all = db->log().ReadEntries(0, kThreads * kBatches * 2).value();
  std::set<std::string> distinct(all.begin(), all.end());
  EXPECT_EQ(distinct.size(), all.size());
  // Each batch landed whole: its two leaves are adjacent.
  for (size_t i = 0; i < all.size(); i += 2) {
    ASSERT_EQ(all[i].substr(0, all[i].size() - 1), all[i + 1].substr(0, all[i + 1].size() - 1));
  }
}

INSTANTIATE_TEST_SUITE_P(Storage, LogConformance, ::testing::ValuesIn(Backends()), CaseName);

TEST(DatabaseLocator, NamesItsBackend) {
  EXPECT_EQ(BackendOf("registry.db").value(), Backend::kSqlite);
  EXPECT_EQ(BackendOf("/var/lib/accord/ru.db").value(), Backend::kSqlite);
  EXPECT_EQ(BackendOf("postgresql://accord@127.0.0.1:5432/ru").value(), Backend::kPostgres);
  EXPECT_EQ(BackendOf("postgres://accord@localhost/ru").value(), Backend::kPostgres);
  EXPECT_EQ(BackendOf("").status().code(), StatusCode::kInvalidArgument);
  auto mysql = BackendOf("mysql://root@localhost/ru");
  EXPECT_EQ(mysql.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(mysql.status().message().find("mysql"), std::string::npos);
}

}  // namespace
}  // namespace accord::storage::conformance
