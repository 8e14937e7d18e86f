// The libpq layer: locators in messages, refusals before connecting, and the
// transaction rules the backend relies on (needs ACCORD_TEST_PG for those).
#include "storage/postgres/pg.h"

#include <gtest/gtest.h>

#include "pg_test_util.h"

namespace accord::storage {
namespace {

TEST(PgLocator, PasswordsAreRedacted) {
  EXPECT_EQ(RedactLocator("postgresql://accord:s3cret@db.example:5432/ru"),
            "postgresql://accord:***@db.example:5432/ru");
  EXPECT_EQ(RedactLocator("postgres://accord@db/ru?sslmode=require&password=s3cret"),
            "postgres://accord@db/ru?sslmode=require&password=***");
  EXPECT_EQ(RedactLocator("postgresql://accord@127.0.0.1:5432/ru"),
            "postgresql://accord@127.0.0.1:5432/ru");
  EXPECT_EQ(RedactLocator("postgresql://[::1]:5432/ru"), "postgresql://[::1]:5432/ru");
}

TEST(PgLocator, APasswordInTheUriIsRefusedBeforeConnecting) {
  for (const char* uri : {"postgresql://accord:s3cret@127.0.0.1:1/ru",
                          "postgresql://accord@127.0.0.1:1/ru?password=s3cret"}) {
    auto c = PgConn::Connect(uri);
    ASSERT_EQ(c.status().code(), StatusCode::kInvalidArgument) << uri;
    EXPECT_NE(c.status().message().find("PGPASSWORD"), std::string::npos);
    EXPECT_EQ(c.status().message().find("s3cret"), std::string::npos) << c.status().message();
  }
  auto bad = PgConn::Connect("postgresql://accord@127.0.0.1:1/ru?nosuchoption=1");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument) << bad.status().message();
  auto down = PgConn::Connect("postgresql://accord@127.0.0.1:1/ru");
  EXPECT_EQ(down.status().code(), StatusCode::kIoError) << down.status().message();
}

class PgConnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::PgServerUri().empty()) GTEST_SKIP() << testing::kNoPgServer;
    std::string uri = testing::FreshPgDatabase("pgconn");
    ASSERT_FALSE(uri.empty());
    auto c = PgConn::Connect(uri);
    ASSERT_TRUE(c.ok()) << c.status().message();
    c_ = std::move(c).value();
    ASSERT_TRUE(c_->ExecScript("CREATE TABLE t(k BIGINT PRIMARY KEY, v BYTEA)").ok());
  }
  int64_t Count() { return c_->Exec("SELECT count(*) FROM t").value().Int(0, 0); }
  std::unique_ptr<PgConn> c_;
};

TEST_F(PgConnTest, ATransactionAnErrorAbortedCommitsNothingAndSaysSo) {
  ASSERT_TRUE(c_->Begin(PgConn::Txn::kWrite).ok());
  ASSERT_TRUE(c_->Exec("INSERT INTO t VALUES ($1, $2)", PgParams().Int(1).Bytes("a")).ok());
  auto dup = c_->Exec("INSERT INTO t VALUES ($1, $2)", PgParams().Int(1).Bytes("b"));
  EXPECT_EQ(dup.status().code(), StatusCode::kFailedPrecondition);  // the primary key
  Status commit = c_->Commit();
  EXPECT_EQ(commit.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(commit.message().find("nothing of it was written"), std::string::npos);
  EXPECT_EQ(Count(), 0);
  EXPECT_EQ(c_->txn(), PgConn::Txn::kNone);
}

TEST_F(PgConnTest, BinaryValuesRoundTrip) {
  const std::string bytes("\0\x01\xff", 3);
  ASSERT_TRUE(c_->Exec("INSERT INTO t VALUES ($1, $2)", PgParams().Int(-5).Bytes(bytes)).ok());
  ASSERT_TRUE(
      c_->Exec("INSERT INTO t VALUES ($1, $2)", PgParams().Int(int64_t{1} << 62).Null()).ok());
  auto r = c_->Exec("SELECT k, v FROM t ORDER BY k").value();
  ASSERT_EQ(r.rows(), 2);
  EXPECT_EQ(r.Int(0, 0), -5);
  EXPECT_EQ(r.Bytes(0, 1), bytes);
  EXPECT_EQ(r.Int(1, 0), int64_t{1} << 62);
  EXPECT_TRUE(r.IsNull(1, 1));
}

TEST_F(PgConnTest, ACursorReadsItsSnapshotWhileWritesGoOn) {
  for (int i = 0; i < 2500; ++i) {
    ASSERT_TRUE(c_->Exec("INSERT INTO t VALUES ($1, $2)", PgParams().Int(i).Bytes("x")).ok());
  }
  auto cursor = PgCursor::Open(*c_, "SELECT k FROM t ORDER BY k").value();
  ASSERT_TRUE(cursor->Next().value());
  EXPECT_EQ(cursor->result().Int(cursor->row(), 0), 0);
  // A write transaction on the same connection while the cursor is open.
  ASSERT_TRUE(c_->Begin(PgConn::Txn::kWrite).ok());
  ASSERT_TRUE(c_->Exec("INSERT INTO t VALUES ($1, $2)", PgParams().Int(9999).Bytes("y")).ok());
  ASSERT_TRUE(c_->Commit().ok());
  int64_t n = 1, last = 0;
  while (cursor->Next().value()) {
    last = cursor->result().Int(cursor->row(), 0);
    ++n;
  }
  EXPECT_EQ(n, 2500);  // across chunks, without the later row
  EXPECT_EQ(last, 2499);
  cursor.reset();
  EXPECT_EQ(Count(), 2501);
}

// Deferred writes in a transaction: sent without waiting, seen by the
// next read, committed together; more of them than one round trip holds.
TEST_F(PgConnTest, DeferredWritesAreSeenByLaterReadsAndCommitTogether) {
  ASSERT_TRUE(c_->Begin(PgConn::Txn::kWrite).ok());
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(
        c_->ExecDeferred("INSERT INTO t VALUES ($1, $2)", PgParams().Int(i).Bytes("d")).ok());
  }
  EXPECT_EQ(Count(), 1000);  // the read collects them first
  ASSERT_TRUE(
      c_->ExecDeferred("INSERT INTO t VALUES ($1, $2)", PgParams().Int(1000).Bytes("d")).ok());
  ASSERT_TRUE(c_->Commit().ok());
  EXPECT_EQ(Count(), 1001);
  // Outside a transaction a deferred write runs at once (autocommit).
  ASSERT_TRUE(
      c_->ExecDeferred("INSERT INTO t VALUES ($1, $2)", PgParams().Int(1001).Bytes("d")).ok());
  EXPECT_EQ(Count(), 1002);
}

// A deferred write that fails is reported by the next call that needs the
// server (here Commit), naming its statement; nothing of the transaction is
// written, and the connection and its prepared statements work afterwards.
TEST_F(PgConnTest, AFailedDeferredWriteAbortsTheTransaction) {
  ASSERT_TRUE(c_->Exec("INSERT INTO t VALUES ($1, $2)", PgParams().Int(7).Bytes("a")).ok());
  ASSERT_TRUE(c_->Begin(PgConn::Txn::kWrite).ok());
  ASSERT_TRUE(c_->ExecDeferred("INSERT INTO t VALUES ($1, $2)", PgParams().Int(1).Bytes("b")).ok());
  ASSERT_TRUE(
      c_->ExecDeferred("INSERT INTO t VALUES ($1, $2)", PgParams().Int(7).Bytes("dup")).ok());
  ASSERT_TRUE(
      c_->ExecDeferred("UPDATE t SET v = $1 WHERE k = $2", PgParams().Bytes("z").Int(7)).ok());
  Status s = c_->Commit();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("INSERT INTO t"), std::string::npos) << s.ToString();
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(c_->Exec("SELECT v FROM t WHERE k = 7").value().Bytes(0, 0), "a");
  // The UPDATE was never run, so it was never prepared: it works now.
  ASSERT_TRUE(c_->Begin(PgConn::Txn::kWrite).ok());
  ASSERT_TRUE(
      c_->ExecDeferred("UPDATE t SET v = $1 WHERE k = $2", PgParams().Bytes("z").Int(7)).ok());
  ASSERT_TRUE(c_->Commit().ok());
  EXPECT_EQ(c_->Exec("SELECT v FROM t WHERE k = 7").value().Bytes(0, 0), "z");
}

// Up to one chunk of rows is read whole at Open (no server-side cursor);
// one row more takes a cursor, and either way every row comes back once.
TEST_F(PgConnTest, SmallQueriesAreReadWholeAndLargerOnesThroughACursor) {
  auto open_cursors = [&] {
    return c_->Exec("SELECT count(*) FROM pg_cursors WHERE name LIKE 'accord_cursor_%'")
        .value()
        .Int(0, 0);
  };
  for (int64_t rows :
       {int64_t{0}, int64_t{1}, int64_t{PgCursor::kChunkRows}, int64_t{PgCursor::kChunkRows + 1}}) {
    ASSERT_TRUE(c_->ExecScript("DELETE FROM t").ok());
    for (int64_t i = 0; i < rows; ++i) {
      ASSERT_TRUE(c_->Exec("INSERT INTO t VALUES ($1, $2)", PgParams().Int(i).Bytes("x")).ok());
    }
    auto cursor = PgCursor::Open(*c_, "SELECT k FROM t ORDER BY k").value();
    EXPECT_EQ(open_cursors(), rows > PgCursor::kChunkRows ? 1 : 0) << rows << " rows";
    int64_t n = 0;
    while (cursor->Next().value()) {
      EXPECT_EQ(cursor->result().Int(cursor->row(), 0), n);
      ++n;
    }
    EXPECT_EQ(n, rows);
  }
}

}  // namespace
}  // namespace accord::storage
