// The "bad input writes nothing" guarantee of the log commands, data-driven:
// one error line, the right exit code, no file changed.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_log_fixture.h"
#include "merkle/hasher.h"
#include "test_util.h"
#include "util/encoding.h"

namespace accord::testing::cli {
namespace {

// ---------------------------------------------------------------------------
// 5. Bad input, data-driven: one error line, the right exit code, nothing written.

struct BadInputCase {
  const char* name;               // the test's name
  std::vector<std::string> args;  // "{d}" is replaced by the scratch directory
  std::string stdin_text;         // "{checkpoint}" / "{tampered}": the log's checkpoint
  int exit_code;
  std::string err_contains;
};

void PrintTo(const BadInputCase& c, std::ostream* os) {
  *os << c.name;
}

const std::string kD = "{d}";

const std::vector<BadInputCase> kBadInput = {
    // Missing or corrupt databases.
    {"RootMissingDb", {"log", "root", "--db", kD + "/missing.db"}, "", 3, "missing.db"},
    {"AppendMissingDb",
     {"log", "append", "--db", kD + "/missing.db", "--key", kD + "/example.org_log.skey"},
     "x\n",
     3,
     "missing.db"},
    {"CheckpointMissingDb", {"log", "checkpoint", "--db", kD + "/missing.db"}, "", 3, "missing.db"},
    {"VerifyMissingDb", {"log", "verify", "--db", kD + "/missing.db"}, "", 3, "missing.db"},
    {"RootGarbageDb",
     {"log", "root", "--db", kD + "/garbage.db"},
     "",
     2,
     "not a usable SQLite database"},
    {"ProveGarbageDb",
     {"log", "prove", "--db", kD + "/garbage.db", "--index", "0"},
     "",
     2,
     "garbage.db"},
    {"RootForeignSqliteDb",
     {"log", "root", "--db", kD + "/foreign.db"},
     "",
     2,
     "not an Accord log"},
    {"CheckpointZeroByteDb",
     {"log", "checkpoint", "--db", kD + "/empty.db"},
     "",
     2,
     "not an Accord log"},
    {"AppendForeignSqliteDb",
     {"log", "append", "--db", kD + "/foreign.db", "--key", kD + "/example.org_log.skey"},
     "x\n",
     2,
     "not an Accord log"},

    // Keys.
    {"AppendWithAnotherKey",
     {"log", "append", "--db", kD + "/log.db", "--key", kD + "/other.skey"},
     "x\n",
     2,
     "not this log's key"},
    {"AppendNonexistentKey",
     {"log", "append", "--db", kD + "/log.db", "--key", kD + "/nope.skey"},
     "x\n",
     3,
     "nope.skey"},
    {"AppendGarbageKey",
     {"log", "append", "--db", kD + "/log.db", "--key", kD + "/junk.skey"},
     "x\n",
     2,
     "junk.skey"},
    {"AppendVkeyAsSkey",
     {"log", "append", "--db", kD + "/log.db", "--key", kD + "/example.org_log.vkey"},
     "x\n",
     2,
     "not a signed-note private key"},
    {"CosignVkeyAsSkey",
     {"log", "cosign", "--db", kD + "/log.db", "--key", kD + "/other.vkey"},
     "",
     2,
     "not a signed-note private key"},
    {"CosignNonexistentKey",
     {"log", "cosign", "--db", kD + "/log.db", "--key", kD + "/nope.skey"},
     "",
     3,
     "nope.skey"},
    {"InitVkeyAsSkey",
     {"log", "init", "--db", kD + "/new.db", "--origin", "o", "--key", kD + "/other.vkey"},
     "",
     2,
     "not a signed-note private key"},
    {"VerifyGarbageVkey",
     {"log", "verify", "--db", kD + "/log.db", "--vkey", kD + "/junk.skey"},
     "",
     2,
     "junk.skey"},
    {"NoteSignNonexistentKey",
     {"note", "sign", "--key", kD + "/nope.skey"},
     "text\n",
     3,
     "nope.skey"},
    {"NoteVerifySkeyAsVkey",
     {"note", "verify", "--vkey", kD + "/other.skey"},
     "{checkpoint}",
     2,
     "not a signed-note public key"},
    {"KeyVkeyGarbageKey", {"key", "vkey", kD + "/junk.skey"}, "", 2, "junk.skey"},

    // Malformed hex: nothing of the batch is appended, the line is named.
    {"AppendHexOddLengthLine3",
     {"log", "append", "--db", kD + "/log.db", "--hex"},
     "00\n1011\n0\n2021\n",
     2,
     "line 3"},
    {"AppendHexBadCharLine2",
     {"log", "append", "--db", kD + "/log.db", "--hex"},
     "00\nzz\n",
     2,
     "line 2"},

    // Out of range.
    {"ProveIndexEqualsSize", {"log", "prove", "--db", kD + "/log.db", "--index", "8"}, "", 2, "8"},
    {"ProveIndexNotBelowSize",
     {"log", "prove", "--db", kD + "/log.db", "--index", "5", "--size", "5"},
     "",
     2,
     "5"},
    {"ProveSizeBeyondLog",
     {"log", "prove", "--db", kD + "/log.db", "--index", "2", "--size", "9"},
     "",
     2,
     "9"},
    {"ConsistencyFromZero",
     {"log", "consistency", "--db", kD + "/log.db", "--from", "0", "--to", "8"},
     "",
     2,
     "from"},
    {"ConsistencyFromAboveTo",
     {"log", "consistency", "--db", kD + "/log.db", "--from", "6", "--to", "3"},
     "",
     2,
     "from"},
    {"ConsistencyToBeyondLog",
     {"log", "consistency", "--db", kD + "/log.db", "--from", "3", "--to", "9"},
     "",
     2,
     "9"},
    {"RootSizeBeyondLog", {"log", "root", "--db", kD + "/log.db", "--size", "9"}, "", 2, "9"},

    // Notes.
    {"NoteVerifyTampered",
     {"note", "verify", "--vkey", kD + "/example.org_log.vkey"},
     "{tampered}",
     1,
     "does not verify"},
    {"NoteVerifyGarbage",
     {"note", "verify", "--vkey", kD + "/example.org_log.vkey"},
     "garbage\n",
     2,
     "malformed"},

    // Refusing to overwrite.
    {"InitExistingLog",
     {"log", "init", "--db", kD + "/log.db", "--origin", "other", "--key", kD + "/other.skey"},
     "",
     3,
     "already"},
    {"InitExistingForeignSqliteDb",
     {"log", "init", "--db", kD + "/foreign.db", "--origin", "other", "--key", kD + "/other.skey"},
     "",
     3,
     "foreign.db"},
    {"KeygenBothFilesExist", {"keygen", "other", "--out", kD}, "", 3, "already exists"},
    {"KeygenOnlyVkeyExists", {"keygen", "half", "--out", kD}, "", 3, "half.vkey"},
};

class CliBadInput : public CliLog, public ::testing::WithParamInterface<BadInputCase> {};

TEST_P(CliBadInput, OneErrorLineAndNothingWritten) {
  const BadInputCase& c = GetParam();
  Vectors v = LoadVectors();
  AppendReferenceLeaves(v);

  // Fixtures next to the log.
  auto other = Accord({"keygen", "other", "--out", dir_.path()});
  ASSERT_EQ(other.exit_code, 0) << Describe(other);
  WriteFile(dir_ / "garbage.db", "this is not a database, just some text\n");
  WriteFile(dir_ / "empty.db", "");  // SQLite's "empty database"
  ExecSql(dir_ / "foreign.db",
          "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);"
          "INSERT INTO customers(name) VALUES ('x');");
  WriteFile(dir_ / "junk.skey", "PRIVATE+KEY+nonsense\n");
  WriteFile(dir_ / "half.vkey", "only the vkey exists\n");
  const std::string log_root = Root();
  const std::string log_cp = Checkpoint();
  ASSERT_NE(log_cp.find("\n8\n"), std::string::npos);
  std::string tampered = log_cp;
  tampered.replace(tampered.find("\n8\n"), 3, "\n9\n");

  std::vector<std::string> args;
  for (std::string a : c.args) {
    for (size_t p; (p = a.find("{d}")) != std::string::npos;) a.replace(p, 3, dir_.path());
    args.push_back(a);
  }
  std::string input = c.stdin_text == "{checkpoint}" ? log_cp
                      : c.stdin_text == "{tampered}" ? tampered
                                                     : c.stdin_text;

  auto before = Snapshot(dir_.path());
  auto r = Accord(args, input);
  auto after = Snapshot(dir_.path());
  EXPECT_EQ(r.exit_code, c.exit_code) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_NE(r.err.find(c.err_contains), std::string::npos)
      << "stderr should mention \"" << c.err_contains << "\": " << r.err;
  EXPECT_TRUE(r.out.empty()) << Describe(r);
  EXPECT_EQ(SnapshotDiff(before, after), "") << "the command wrote something";
  EXPECT_EQ(Root(), log_root);
  EXPECT_EQ(Checkpoint(), log_cp);
  EXPECT_EQ(Accord({"log", "verify", "--db", db_}).exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Cli, CliBadInput, ::testing::ValuesIn(kBadInput),
                         [](const ::testing::TestParamInfo<BadInputCase>& p) {
                           return std::string(p.param.name);
                         });

TEST_F(CliLog, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"log", "prove", "--db", db_},                     // missing --index
           {"log", "prove", "--db", db_, "--index", "five"},  // not a number
           {"log", "root", "--db", db_, "--size", "-1"},      // negative
           {"log", "frobnicate"},                             // unknown subcommand
           {"keygen"},                                        // missing name
       }) {
    auto r = Accord(args);
    EXPECT_EQ(r.exit_code, 2) << args.back() << "\n" << Describe(r);
    EXPECT_TRUE(StartsWith(r.err, "accord: ")) << Describe(r);
  }
}

}  // namespace
}  // namespace accord::testing::cli
