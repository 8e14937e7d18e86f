// Tests that drive the real `accord` binary: cosigning, notes and keys, and
// help. (The log commands: cli_log_test.cc; bad input: cli_bad_input_test.cc.)
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
// 6. Cosigning.

TEST_F(CliLog, CosignAddsAVerifiableCosignature) {
  Vectors v = LoadVectors();
  AppendReferenceLeaves(v);
  auto kg = Accord({"keygen", "witness.example/w1", "--out", dir_.path()});
  ASSERT_EQ(kg.exit_code, 0) << Describe(kg);
  std::string wskey = dir_ / "witness.example_w1.skey";

  auto cv = Accord({"key", "vkey", wskey, "--cosigner"});
  ASSERT_EQ(cv.exit_code, 0) << Describe(cv);
  std::string cosigner_vkey = dir_ / "w1-cosigner.vkey";
  WriteFile(cosigner_vkey, cv.out);
  auto pv = Accord({"key", "vkey", wskey});
  ASSERT_EQ(pv.exit_code, 0) << Describe(pv);
  EXPECT_EQ(pv.out, ReadFile(dir_ / "witness.example_w1.vkey"));
  EXPECT_NE(cv.out, pv.out) << "a cosigner key has its own type and key id";

  std::string before = Checkpoint();
  std::string root_before = Root();
  auto cs = Accord({"log", "cosign", "--db", db_, "--key", wskey});
  ASSERT_EQ(cs.exit_code, 0) << Describe(cs);
  std::string after = Checkpoint();
  EXPECT_EQ(cs.out, after);
  EXPECT_EQ(Root(), root_before);

  std::vector<std::string> b = SplitLines(before), a = SplitLines(after);
  ASSERT_EQ(a.size(), b.size() + 1) << after;
  EXPECT_TRUE(std::equal(b.begin(), b.end(), a.begin())) << "cosigning only adds a line";
  EXPECT_TRUE(StartsWith(a.back(), std::string(kEmDash) + "witness.example/w1 ")) << after;

  auto by_cosigner = Accord({"note", "verify", "--vkey", cosigner_vkey}, after);
  EXPECT_EQ(by_cosigner.exit_code, 0) << Describe(by_cosigner);
  EXPECT_EQ(by_cosigner.out, "example.org/log\n8\n" + a[2] + "\n");
  auto by_log = Accord({"note", "verify", "--vkey", vkey_}, after);
  EXPECT_EQ(by_log.exit_code, 0) << Describe(by_log);
  auto by_both = Accord({"note", "verify", "--vkey", vkey_, "--vkey", cosigner_vkey}, after);
  EXPECT_EQ(by_both.exit_code, 0) << Describe(by_both);

  // The plain (0x01) key of the witness must not verify a cosignature.
  auto by_plain = Accord({"note", "verify", "--vkey", dir_ / "witness.example_w1.vkey"}, after);
  EXPECT_EQ(by_plain.exit_code, 1) << Describe(by_plain);

  auto lv = Accord({"log", "verify", "--db", db_});
  EXPECT_EQ(lv.exit_code, 0) << Describe(lv);
  auto lv2 = Accord({"log", "verify", "--db", db_, "--vkey", vkey_});
  EXPECT_EQ(lv2.exit_code, 0) << Describe(lv2);
}

// ---------------------------------------------------------------------------
// Notes and keys.

TEST(CliNote, SignThenVerify) {
  TempDir dir;
  ASSERT_EQ(Accord({"keygen", "signer.example", "--out", dir.path()}).exit_code, 0);
  std::string text = "hello\nworld\n";
  WriteFile(dir / "msg.txt", text);
  auto s = Accord({"note", "sign", "--key", dir / "signer.example.skey", dir / "msg.txt"});
  ASSERT_EQ(s.exit_code, 0) << Describe(s);
  EXPECT_TRUE(StartsWith(s.out, text + "\n" + kEmDash + "signer.example ")) << s.out;
  auto v = Accord({"note", "verify", "--vkey", dir / "signer.example.vkey"}, s.out);
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
  EXPECT_EQ(v.out, text);
}

// The contract: `note verify --vkey VKEY [--vkey VKEY]... [FILE|-]`.
TEST_F(CliLog, NoteVerifyReadsFileAfterVkey) {
  std::string cp = Checkpoint();
  WriteFile(dir_ / "cp.note", cp);
  auto r = Accord({"note", "verify", "--vkey", vkey_, dir_ / "cp.note"});
  EXPECT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.out, "example.org/log\n0\n" + SplitLines(cp)[2] + "\n");
  auto r2 = Accord({"note", "verify", "--vkey", vkey_, "--vkey", vkey_, dir_ / "cp.note"});
  EXPECT_EQ(r2.exit_code, 0) << Describe(r2);
}

TEST(CliKeygen, FilesAndModes) {
  TempDir dir;
  auto r = Accord({"keygen", "a.example/b/c", "--out", dir.path()});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  std::string skey = dir / "a.example_b_c.skey", vkey = dir / "a.example_b_c.vkey";
  struct stat st {};
  ASSERT_EQ(::stat(skey.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(vkey.c_str(), &st), 0);
  EXPECT_TRUE(StartsWith(ReadFile(skey), "PRIVATE+KEY+a.example/b/c+"));
  EXPECT_TRUE(StartsWith(ReadFile(vkey), "a.example/b/c+"));
  auto kv = Accord({"key", "vkey", skey});
  EXPECT_EQ(kv.exit_code, 0);
  EXPECT_EQ(kv.out, ReadFile(vkey));
  // Refuses to overwrite, leaving both files as they were.
  std::string s_before = ReadFile(skey), v_before = ReadFile(vkey);
  auto again = Accord({"keygen", "a.example/b/c", "--out", dir.path()});
  EXPECT_NE(again.exit_code, 0);
  ExpectOneErrorLine(again);
  EXPECT_EQ(ReadFile(skey), s_before);
  EXPECT_EQ(ReadFile(vkey), v_before);
}

// ---------------------------------------------------------------------------
// 7. Help.

TEST(CliHelp, HelpMentionsCommandsAndFlags) {
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> mentions;
  };
  std::vector<Case> cases = {
      {{"--help"}, {"log", "keygen", "key", "note"}},
      {{"log", "--help"},
       {"init", "append", "root", "prove", "consistency", "verify-proof", "checkpoint", "verify",
        "cosign"}},
      {{"log", "append", "--help"}, {"--db", "--hex", "--key"}},
  };
  for (const Case& c : cases) {
    auto r = Accord(c.args);
    SCOPED_TRACE(c.args.size() > 1 ? c.args[c.args.size() - 2] : c.args[0]);
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
    for (const std::string& m : c.mentions) {
      EXPECT_NE(r.out.find(m), std::string::npos) << "help should mention " << m << ":\n" << r.out;
    }
  }
}

}  // namespace
}  // namespace accord::testing::cli
