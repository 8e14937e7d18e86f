// Tamper evidence: changing any stored byte makes `accord log verify` fail and
// name what was changed.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <random>

#include "log/log.h"
#include "storage/sqlite/log_store.h"
#include "test_util.h"

namespace accord {
namespace {

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "tamper.db";
    note::Signer signer = note::Signer::Generate("tamper.test/log");
    testing::WriteFile(dir_ / "log.vkey", signer.Verifier().Encode() + "\n");
    auto store = storage::SqliteLogStore::Create(db_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(log::Log::Initialize(**store, "tamper.test/log", signer).ok());
    auto log = log::Log::Open(**store, &signer);
    ASSERT_TRUE(log.ok());
    std::vector<std::string> leaves;
    for (int i = 0; i < kSize; ++i) leaves.push_back("entry " + std::to_string(i) + " payload");
    // Two batches, so the tiles were written incrementally.
    ASSERT_TRUE((*log)->Append(std::span(leaves).first(kSize / 3)).ok());
    ASSERT_TRUE((*log)->Append(std::span(leaves).subspan(kSize / 3)).ok());
  }

  // Runs one SQL statement with a blob parameter against the raw file.
  void Exec(const std::string& sql, const std::string& blob = "", int64_t arg = 0) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    int n = sqlite3_bind_parameter_count(st);
    if (n >= 1)
      sqlite3_bind_blob(st, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    if (n >= 2) sqlite3_bind_int64(st, 2, arg);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE) << sqlite3_errmsg(db);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }

  std::string Entry(int64_t idx) {
    auto store = storage::SqliteLogStore::Open(db_);
    return (*store)
        ->ReadEntries(static_cast<uint64_t>(idx), static_cast<uint64_t>(idx) + 1)
        .value()[0];
  }

  testing::CommandResult Verify() {
    return testing::Accord({"log", "verify", "--db", db_, "--vkey", dir_ / "log.vkey"});
  }

  static constexpr int kSize = 3000;
  testing::TempDir dir_;
  std::string db_;
};

TEST_F(TamperTest, UntouchedLogVerifies) {
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok: 3000 entries"), std::string::npos) << r.out;
}

TEST_F(TamperTest, ChangingOneByteOfAnyEntryNamesThatIndex) {
  std::mt19937 rng(42);
  std::vector<int64_t> targets = {0, 1, 255, 256, kSize - 1};
  for (int i = 0; i < 5; ++i) targets.push_back(static_cast<int64_t>(rng() % kSize));
  for (int64_t idx : targets) {
    std::string original = Entry(idx);
    std::string changed = original;
    size_t at = rng() % changed.size();
    changed[at] = static_cast<char>(changed[at] ^ (1 << (rng() % 8)));
    Exec("UPDATE log_entries SET data = ?1 WHERE idx = ?2", changed, idx);
    auto r = Verify();
    EXPECT_NE(r.exit_code, 0) << "index " << idx;
    EXPECT_NE(r.err.find("log entry " + std::to_string(idx) + ":"), std::string::npos)
        << "index " << idx << ": " << r.err;
    Exec("UPDATE log_entries SET data = ?1 WHERE idx = ?2", original, idx);
    ASSERT_EQ(Verify().exit_code, 0) << "restoring entry " << idx;
  }
}

TEST_F(TamperTest, ChangingAStoredHashTileIsDetected) {
  // Tile level 1 (the hash of leaves 0..255 lives at offset 0).
  Exec("UPDATE log_tiles SET hashes = ?1 || substr(hashes, 2) WHERE tile = ?2",
       std::string("\xff", 1), int64_t{1} << 48);
  auto r = Verify();
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("hash tile 1/0"), std::string::npos) << r.err;
}

TEST_F(TamperTest, DeletingTheLastEntryIsDetected) {
  Exec("DELETE FROM log_entries WHERE idx = ?2", "", kSize - 1);
  auto r = Verify();
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(r.err.empty());
}

TEST_F(TamperTest, DeletingAMiddleEntryNamesIt) {
  Exec("DELETE FROM log_entries WHERE idx = ?2", "", 1234);
  auto r = Verify();
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("1234"), std::string::npos) << r.err;
}

TEST_F(TamperTest, ForgedCheckpointFailsSignatureCheck) {
  // Replace the checkpoint with one signed by another key with the same name.
  note::Signer forger = note::Signer::Generate("tamper.test/log");
  std::string text = "tamper.test/log\n3000\n" + std::string(44, 'A') + "\n";
  text.replace(text.size() - 2, 1, "=");
  auto forged = note::Sign(text, {&forger});
  ASSERT_TRUE(forged.ok()) << forged.status().ToString();
  Exec("UPDATE log_meta SET value = ?1 WHERE key = 'checkpoint' AND ?2 = 0", *forged, 0);
  auto r = Verify();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("checkpoint"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace accord
