// `accord checkpoint verify --policy FILE [FILE|-]` with the built binary: a
// registry's checkpoint, cosigned with `accord log cosign`, against a C2SP
// tlog-policy that needs both witnesses.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace accord::testing {
namespace {

namespace fs = std::filesystem;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST(CliPolicyTest, CheckpointVerifyNeedsTheQuorum) {
  TempDir tmp;
  fs::path d = tmp.path();
  std::string db = d / "r.db";
  ASSERT_EQ(Accord({"demo", "--db", db}).exit_code, 0);
  for (const char* w : {"w1", "w2"}) {
    CommandResult k = Accord({"keygen", w, "--out", d});
    ASSERT_EQ(k.exit_code, 0) << k.err;
  }
  std::string v1 = Trim(Accord({"key", "vkey", "--cosigner", d / "w1.skey"}).out);
  std::string v2 = Trim(Accord({"key", "vkey", "--cosigner", d / "w2.skey"}).out);
  std::string log_vkey = Trim(ReadFile(d / "r.node.vkey"));
  WriteFile(d / "policy", "log " + log_vkey + "\nwitness RU " + v1 + " http://127.0.0.1:1/\n" +
                              "witness UZ " + v2 + "\ngroup both all RU UZ\nquorum both\n");
  auto verify = [&](const std::vector<std::string>& extra, const std::string& input = "") {
    std::vector<std::string> args = {"checkpoint", "verify", "--policy", d / "policy"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Accord(args, input);
  };
  auto checkpoint = [&] {
    fs::path f = d / "cp.txt";
    WriteFile(f, Accord({"log", "checkpoint", "--db", db}).out);
    return f.string();
  };

  // The log's signature alone: the quorum is not met.
  CommandResult r = verify({checkpoint()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("quorum both"), std::string::npos) << r.err;
  ASSERT_EQ(Accord({"log", "cosign", "--db", db, "--key", d / "w1.skey"}).exit_code, 0);
  r = verify({checkpoint()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("cosigned by: RU"), std::string::npos) << r.err;
  ASSERT_EQ(Accord({"log", "cosign", "--db", db, "--key", d / "w2.skey"}).exit_code, 0);
  r = verify({checkpoint()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("cosigned by RU, UZ"), std::string::npos) << r.err;
  // From standard input, and as JSON.
  std::string cp = ReadFile(checkpoint());
  r = verify({"--json", "-"}, cp);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["quorum_met"], true);
  EXPECT_EQ(j["cosigners"], nlohmann::json::array({"RU", "UZ"}));
  EXPECT_EQ(j["log"], "accord.demo/registry");
  r = verify({}, cp);  // "-" is the default
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // accord log verify --policy: the whole log, then the quorum.
  r = Accord({"log", "verify", "--db", db, "--policy", d / "policy"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("quorum both met (cosigned by RU UZ)"), std::string::npos) << r.out;

  WriteFile(d / "ru-only", "log " + log_vkey + "\nwitness RU " + v1 + "\nwitness UZ " + v2 +
                               "\nwitness KZ " +
                               Trim(Accord({"key", "vkey", "--cosigner", d / "r.node.skey"}).out) +
                               "\ngroup g 3 RU UZ KZ\nquorum g\n");
  r = Accord({"log", "verify", "--db", db, "--policy", d / "ru-only"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("does not meet the quorum g"), std::string::npos) << r.err;

  // A tampered checkpoint, or garbage: 1.
  std::string tampered = cp;
  tampered.replace(tampered.find('\n') + 1, 1,
                   tampered[tampered.find('\n') + 1] == '9' ? "8" : "9");
  EXPECT_EQ(verify({"-"}, tampered).exit_code, 1);
  EXPECT_EQ(verify({"-"}, "not a checkpoint\n").exit_code, 1);
  // A malformed policy: 2, naming the line; a missing file: 3.
  WriteFile(d / "bad-policy", "log " + log_vkey + "\nquorum nobody\n");
  r = Accord({"checkpoint", "verify", "--policy", d / "bad-policy", checkpoint()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("policy line 2"), std::string::npos) << r.err;
  EXPECT_EQ(verify({d / "missing.txt"}).exit_code, 3);
  // quorum none: the log's signature is enough.
  WriteFile(d / "none", "log " + log_vkey + "\nquorum none\n");
  EXPECT_EQ(Accord({"checkpoint", "verify", "--policy", d / "none", checkpoint()}).exit_code, 0);
}

}  // namespace
}  // namespace accord::testing
