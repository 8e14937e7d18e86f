#include "storage/sqlite/wal_check.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "storage/sqlite/log_store.h"
#include "test_util.h"

namespace accord::storage {
namespace {

namespace fs = std::filesystem;

// A store with two committed write transactions still only in its -wal
// (the connection stays open, so nothing is checkpointed), copied aside.
std::string CopyWithWal(const testing::TempDir& dir) {
  std::string db = dir / "w.db";
  auto store = SqliteLogStore::Create(db).value();
  for (int i = 0; i < 2; ++i) {
    auto txn = store->BeginWrite().value();
    std::vector<std::string> leaves = {"leaf " + std::to_string(i)};
    EXPECT_TRUE(txn->AppendEntries(static_cast<uint64_t>(i), leaves).ok());
    EXPECT_TRUE(txn->Commit().ok());
  }
  std::string copy = dir / "copy.db";
  fs::copy_file(db, copy);
  fs::copy_file(db + "-wal", copy + "-wal");
  return copy;
}

void Poke(const std::string& path, std::streamoff at, const std::string& bytes) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(at);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(WalCheck, MissingEmptyAndSoundWalsPass) {
  testing::TempDir dir;
  EXPECT_TRUE(CheckWalFile(dir / "none.db").ok());
  testing::WriteFile(dir / "empty.db-wal", "");
  EXPECT_TRUE(CheckWalFile(dir / "empty.db").ok());
  std::string copy = CopyWithWal(dir);
  EXPECT_TRUE(CheckWalFile(copy).ok());
  // Read-only, the copy shows both transactions of the WAL.
  auto ro = SqliteLogStore::Open(copy, /*read_only=*/true);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  EXPECT_EQ((*ro)->Size().value(), 2u);
  // ...and refuses to write.
  EXPECT_FALSE((*ro)->BeginWrite().ok());
}

TEST(WalCheck, DamagedHeadersAreCorruption) {
  testing::TempDir dir;
  std::string copy = CopyWithWal(dir);
  std::string wal = testing::ReadFile(copy + "-wal");
  struct Case {
    const char* name;
    std::streamoff at;
    std::string bytes;
    const char* says;
  };
  for (const Case& c : {Case{"zeroed", 0, std::string(32, '\0'), "damaged header (magic)"},
                        Case{"version", 4, std::string("\x01", 1), "damaged header (version)"},
                        Case{"salt", 16, std::string("\x7f", 1), "damaged header (checksum)"}}) {
    SCOPED_TRACE(c.name);
    testing::WriteFile(copy + "-wal", wal);
    Poke(copy + "-wal", c.at, c.bytes);
    Status s = CheckWalFile(copy);
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
    EXPECT_TRUE(testing::Contains(s.message(), c.says)) << s.message();
    EXPECT_TRUE(testing::Contains(s.message(), copy + "-wal")) << s.message();
    EXPECT_EQ(SqliteLogStore::Open(copy, /*read_only=*/true).status().code(),
              StatusCode::kCorruption);
  }
  testing::WriteFile(copy + "-wal", wal.substr(0, 10));
  EXPECT_TRUE(testing::Contains(CheckWalFile(copy).message(), "shorter than its 32-byte header"));
}

TEST(WalCheck, ADamagedFrameMattersOnlyBeforeACommit) {
  testing::TempDir dir;
  std::string copy = CopyWithWal(dir);
  std::string wal = testing::ReadFile(copy + "-wal");
  // A byte of the first frame's page: committed frames follow it.
  Poke(copy + "-wal", 32 + 24 + 40, std::string("\xee", 1));
  Status s = CheckWalFile(copy);
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_TRUE(testing::Contains(s.message(), "damaged frame 0 followed by committed frames"))
      << s.message();
  // A torn tail (the last frame cut short or damaged) is what a crash leaves:
  // not an error.
  testing::WriteFile(copy + "-wal", wal.substr(0, wal.size() - 100));
  EXPECT_TRUE(CheckWalFile(copy).ok());
  testing::WriteFile(copy + "-wal", wal);
  Poke(copy + "-wal", static_cast<std::streamoff>(wal.size() - 50), std::string("\xee", 1));
  EXPECT_TRUE(CheckWalFile(copy).ok());
}

}  // namespace
}  // namespace accord::storage
