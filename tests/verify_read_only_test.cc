// Issue #14, Medium 6: `accord verify` opens the registry read-only and
// never changes the files it checks (the database and its write-ahead log
// keep every byte, the -wal is neither checkpointed nor deleted); a damaged
// -wal is an error, not a silently shorter log; and every stored checkpoint
// is checked: one larger than the log names both sizes, an edited one is
// named by its size.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "test_util.h"

namespace accord::testing {
namespace {

namespace fs = std::filesystem;

std::string BodyEvents(int first, int count) {
  std::string out;
  for (int i = first; i < first + count; ++i) {
    out += R"({"v":1,"type":"body.registered","time":"2023-01-01T00:00:00Z","party":"RU",)"
           R"("actor":"test/officer","subject":"body/wal-)" +
           std::to_string(i) +
           R"(","body":{"party":"RU","kind":"enterprise","name":"Plant","city":"X"}})"
           "\n";
  }
  return out;
}

uint64_t EventsIn(const std::string& verify_out) {
  // "ok: N events, ..."
  return std::stoull(verify_out.substr(4));
}

class VerifyReadOnlyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (fs::path(dir_.path()) / "r.db").string();
    CommandResult r = Accord({"demo", "--db", db_, "--key-dir", dir_.path()});
    ASSERT_EQ(r.exit_code, 0) << Describe(r);
    CommandResult v = Accord({"verify", "--db", db_});
    ASSERT_EQ(v.exit_code, 0) << Describe(v);
    demo_events_ = EventsIn(v.out);
  }

  // A copy of the registry taken while its last two transactions (two
  // `accord record` runs of 3 events) are still only in its -wal: a
  // connection held open keeps the recording processes from checkpointing
  // the WAL when they close.
  std::string CopyWithWal(const std::string& name) {
    sqlite3* holder = nullptr;
    EXPECT_EQ(sqlite3_open_v2(db_.c_str(), &holder, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(holder, "SELECT count(*) FROM log_entries", nullptr, nullptr, nullptr),
              SQLITE_OK);
    std::string key = (fs::path(dir_.path()) / "r.keys/ru.skey").string();
    for (int batch = 0; batch < 2; ++batch) {
      CommandResult r = Accord({"record", "--db", db_, "--key", key}, BodyEvents(batch * 3, 3));
      EXPECT_EQ(r.exit_code, 0) << Describe(r);
    }
    fs::path to = fs::path(dir_.path()) / name;
    fs::create_directory(to);
    EXPECT_GT(fs::file_size(db_ + "-wal"), 32u);
    fs::copy_file(db_, to / "r.db");
    fs::copy_file(db_ + "-wal", to / "r.db-wal");
    sqlite3_close(holder);
    return (to / "r.db").string();
  }

  TempDir dir_;
  std::string db_;
  uint64_t demo_events_ = 0;
};

TEST_F(VerifyReadOnlyTest, VerifyReadsTheWalAndChangesNoByte) {
  std::string copy = CopyWithWal("copy");
  std::string db_bytes = ReadFile(copy), wal_bytes = ReadFile(copy + "-wal");
  CommandResult v = Accord({"verify", "--db", copy});
  ASSERT_EQ(v.exit_code, 0) << Describe(v);
  // The six events only in the WAL are read...
  EXPECT_EQ(EventsIn(v.out), demo_events_ + 6) << v.out;
  // ...and neither the database nor its WAL changed; the WAL is still there.
  ASSERT_TRUE(fs::exists(copy + "-wal"));
  EXPECT_TRUE(ReadFile(copy) == db_bytes);
  EXPECT_TRUE(ReadFile(copy + "-wal") == wal_bytes);
  // `accord log verify` too.
  CommandResult lv = Accord({"log", "verify", "--db", copy});
  ASSERT_EQ(lv.exit_code, 0) << Describe(lv);
  EXPECT_TRUE(ReadFile(copy) == db_bytes);
  EXPECT_TRUE(ReadFile(copy + "-wal") == wal_bytes);
}

TEST_F(VerifyReadOnlyTest, ADamagedWalHeaderIsAnErrorAndIsKept) {
  std::string copy = CopyWithWal("zeroed");
  {
    std::fstream f(copy + "-wal", std::ios::in | std::ios::out | std::ios::binary);
    f.write(std::string(32, '\0').data(), 32);
  }
  std::string db_bytes = ReadFile(copy), wal_bytes = ReadFile(copy + "-wal");
  for (const char* cmd : {"verify", "log verify"}) {
    SCOPED_TRACE(cmd);
    std::vector<std::string> args = std::string(cmd) == "verify"
                                        ? std::vector<std::string>{"verify", "--db", copy}
                                        : std::vector<std::string>{"log", "verify", "--db", copy};
    CommandResult v = Accord(args);
    EXPECT_NE(v.exit_code, 0) << Describe(v);
    EXPECT_TRUE(Contains(v.err, "write-ahead log " + copy + "-wal has a damaged header")) << v.err;
    EXPECT_TRUE(Contains(v.err, "acknowledged events")) << v.err;
    ASSERT_TRUE(fs::exists(copy + "-wal"));
    EXPECT_TRUE(ReadFile(copy) == db_bytes);
    EXPECT_TRUE(ReadFile(copy + "-wal") == wal_bytes);
  }
}

TEST_F(VerifyReadOnlyTest, ADamagedFrameBeforeACommittedOneIsAnError) {
  std::string copy = CopyWithWal("frame");
  {
    // A byte of the first frame's page (after the 32-byte WAL header and
    // the 24-byte frame header).
    std::fstream f(copy + "-wal", std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(32 + 24 + 100);
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x5a);
    f.seekp(32 + 24 + 100);
    f.write(&c, 1);
  }
  CommandResult v = Accord({"verify", "--db", copy});
  EXPECT_NE(v.exit_code, 0) << Describe(v);
  EXPECT_TRUE(Contains(v.err, "has a damaged frame 0 followed by committed frames")) << v.err;
}

TEST_F(VerifyReadOnlyTest, ALogShorterThanAStoredCheckpointNamesBothSizes) {
  // An older copy of the registry, then six more events on the original.
  fs::path old = fs::path(dir_.path()) / "old.db";
  fs::copy_file(db_, old);
  std::string key = (fs::path(dir_.path()) / "r.keys/ru.skey").string();
  ASSERT_EQ(Accord({"record", "--db", db_, "--key", key}, BodyEvents(0, 6)).exit_code, 0);
  std::string later = Accord({"log", "checkpoint", "--db", db_}).out;
  ASSERT_FALSE(later.empty());
  // The old log beside the checkpoint history of the newer one: the node
  // signed for entries its log no longer holds.
  std::string error;
  // Known from outside the database (a witness, a mirror, a cosigned copy
  // kept by a party): --checkpoint FILE.
  fs::path kept = fs::path(dir_.path()) / "later.checkpoint";
  WriteFile(kept, later);
  CommandResult outside = Accord({"verify", "--db", old, "--checkpoint", kept});
  EXPECT_EQ(outside.exit_code, 1) << Describe(outside);
  EXPECT_TRUE(Contains(outside.err, "the log holds " + std::to_string(demo_events_) +
                                        " entries but it signed a checkpoint of size " +
                                        std::to_string(demo_events_ + 6) + " (checkpoint " +
                                        kept.string()))
      << outside.err;
  // The newer log holds it; a checkpoint of another log is refused.
  CommandResult holds = Accord({"verify", "--db", db_, "--checkpoint", kept});
  EXPECT_EQ(holds.exit_code, 0) << Describe(holds);
  TempDir other_dir;
  std::string other = (fs::path(other_dir.path()) / "o.db").string();
  ASSERT_EQ(Accord({"demo", "--db", other, "--key-dir", other_dir.path()}).exit_code, 0);
  fs::path foreign = fs::path(dir_.path()) / "foreign.checkpoint";
  WriteFile(foreign, Accord({"log", "checkpoint", "--db", other}).out);
  CommandResult wrong = Accord({"verify", "--db", db_, "--checkpoint", foreign});
  EXPECT_EQ(wrong.exit_code, 1) << Describe(wrong);
  EXPECT_TRUE(Contains(wrong.err, "checkpoint " + foreign.string())) << wrong.err;
  // A missing file is not a verdict on the log.
  EXPECT_EQ(Accord({"verify", "--db", db_, "--checkpoint", "/nonexistent"}).exit_code, 3);

  // The same knowledge in the node's own checkpoint history.
  sqlite3* conn = nullptr;
  ASSERT_EQ(sqlite3_open(old.c_str(), &conn), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(conn, "INSERT INTO log_checkpoints(size, note) VALUES (?1, ?2)", -1,
                               &st, nullptr),
            SQLITE_OK);
  sqlite3_bind_int64(st, 1, static_cast<int64_t>(demo_events_ + 6));
  sqlite3_bind_text(st, 2, later.data(), static_cast<int>(later.size()), SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  sqlite3_close(conn);
  CommandResult v = Accord({"verify", "--db", old});
  EXPECT_NE(v.exit_code, 0) << Describe(v);
  EXPECT_TRUE(Contains(v.err, "the log holds " + std::to_string(demo_events_) +
                                  " entries but it signed a checkpoint of size " +
                                  std::to_string(demo_events_ + 6)))
      << v.err;
}

TEST_F(VerifyReadOnlyTest, AnEditedHistoricalCheckpointIsNamed) {
  // The demo's checkpoint at its size N becomes historical: three more
  // events are checkpointed at N + 3.
  std::string key = (fs::path(dir_.path()) / "r.keys/ru.skey").string();
  ASSERT_EQ(Accord({"record", "--db", db_, "--key", key}, BodyEvents(0, 3)).exit_code, 0);
  std::string n = std::to_string(demo_events_), latest = std::to_string(demo_events_ + 3);
  std::string error;
  // One byte of its text changed: its signature no longer verifies.
  fs::path edited = fs::path(dir_.path()) / "edited.db";
  fs::copy_file(db_, edited);
  ASSERT_EQ(
      ExecSql(edited, "UPDATE log_checkpoints SET note = 'X' || substr(note, 2) WHERE size = " + n,
              &error),
      1)
      << error;
  CommandResult v = Accord({"verify", "--db", edited});
  EXPECT_NE(v.exit_code, 0) << Describe(v);
  EXPECT_TRUE(Contains(v.err, "stored checkpoint of size " + n)) << v.err;
  // A whole, signed note stored under another size.
  fs::path moved = fs::path(dir_.path()) / "moved.db";
  fs::copy_file(db_, moved);
  ASSERT_EQ(ExecSql(moved,
                    "UPDATE log_checkpoints SET note = (SELECT note FROM log_checkpoints "
                    "WHERE size = " +
                        n + ") WHERE size = " + latest,
                    &error),
            1)
      << error;
  v = Accord({"verify", "--db", moved});
  EXPECT_NE(v.exit_code, 0) << Describe(v);
  EXPECT_TRUE(Contains(v.err, "stored checkpoint of size " + latest + " commits to size " + n))
      << v.err;
  // The original still verifies, its history counted.
  CommandResult ok = Accord({"verify", "--db", db_});
  EXPECT_EQ(ok.exit_code, 0) << Describe(ok);
  EXPECT_TRUE(Contains(ok.out, "stored checkpoints checked")) << ok.out;
}

}  // namespace
}  // namespace accord::testing
