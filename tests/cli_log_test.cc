// Tests that drive the real `accord` binary through the log commands: the
// happy path over the reference tree, the public proof corpus, malformed
// proof files and plain-text append.
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
// 1. End-to-end happy path over the reference tree.

TEST_F(CliLog, EndToEndReferenceTree) {
  Vectors v = LoadVectors();
  ASSERT_EQ(v.leaves_hex[0], "");
  ASSERT_EQ(v.roots[8], "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  // keygen: mode 0600 for the signing key, '/' -> '_'.
  struct stat st {};
  ASSERT_EQ(::stat(skey_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(vkey_.c_str(), &st), 0);

  EXPECT_EQ(Root(), v.roots[0]) << "empty log";
  AppendReferenceLeaves(v);
  for (uint64_t n = 0; n <= 8; ++n) EXPECT_EQ(Root(n), v.roots[n]) << "size " << n;
  EXPECT_EQ(Root(), v.roots[8]);

  // Inclusion proof for leaf 5 in the tree of size 8.
  auto prove = Accord({"log", "prove", "--db", db_, "--index", "5", "--size", "8"});
  ASSERT_EQ(prove.exit_code, 0) << Describe(prove);
  json pj = json::parse(prove.out, nullptr, false);
  ASSERT_TRUE(pj.is_object()) << prove.out;
  EXPECT_EQ(Keys(pj), (std::set<std::string>{"leafIdx", "treeSize", "root", "leafHash", "proof"}));
  EXPECT_EQ(pj.at("leafIdx"), 5);
  EXPECT_EQ(pj.at("treeSize"), 8);
  EXPECT_EQ(B64ToHex(pj.at("root")), v.roots[8]);
  EXPECT_EQ(B64ToHex(pj.at("leafHash")),
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658");
  std::vector<std::string> got;
  for (const auto& h : pj.at("proof")) got.push_back(B64ToHex(h));
  EXPECT_EQ(got, ProofFor(v, "# leaf_index=5, tree_size=8"));

  // Consistency proof 6 -> 8.
  auto cons = Accord({"log", "consistency", "--db", db_, "--from", "6", "--to", "8"});
  ASSERT_EQ(cons.exit_code, 0) << Describe(cons);
  json cj = json::parse(cons.out, nullptr, false);
  ASSERT_TRUE(cj.is_object()) << cons.out;
  EXPECT_EQ(Keys(cj), (std::set<std::string>{"size1", "size2", "root1", "root2", "proof"}));
  EXPECT_EQ(cj.at("size1"), 6);
  EXPECT_EQ(cj.at("size2"), 8);
  EXPECT_EQ(B64ToHex(cj.at("root1")), v.roots[6]);
  EXPECT_EQ(B64ToHex(cj.at("root2")), v.roots[8]);
  got.clear();
  for (const auto& h : cj.at("proof")) got.push_back(B64ToHex(h));
  EXPECT_EQ(got, ProofFor(v, "# size1=6 -> size2=8"));

  // The outputs verify; one flipped bit in a proof hash does not.
  for (const auto& [name, j] : {std::pair{"inclusion", pj}, std::pair{"consistency", cj}}) {
    SCOPED_TRACE(name);
    std::string good = dir_ / (std::string(name) + ".json");
    WriteFile(good, j.dump());
    auto ok = Accord({"log", "verify-proof", good});
    EXPECT_EQ(ok.exit_code, 0) << Describe(ok);

    json bad = j;
    std::string raw = *Base64Decode(bad["proof"][1].get<std::string>());
    raw[7] = static_cast<char>(raw[7] ^ 0x01);
    bad["proof"][1] = Base64Encode(raw);
    std::string bad_path = dir_ / (std::string(name) + "-flipped.json");
    WriteFile(bad_path, bad.dump());
    auto no = Accord({"log", "verify-proof", bad_path});
    EXPECT_EQ(no.exit_code, 1) << Describe(no);
    ExpectOneErrorLine(no);
  }

  // The checkpoint: origin, size, base64 root, blank line, signature line.
  std::string cp = Checkpoint();
  std::vector<std::string> lines = SplitLines(cp);
  ASSERT_GE(lines.size(), 5u) << cp;
  EXPECT_EQ(lines[0], "example.org/log");
  EXPECT_EQ(lines[1], "8");
  EXPECT_EQ(B64ToHex(lines[2]), v.roots[8]);
  EXPECT_EQ(lines[3], "");
  EXPECT_TRUE(StartsWith(lines[4], std::string(kEmDash) + "example.org/log ")) << cp;
  EXPECT_EQ(cp.back(), '\n');

  auto nv = Accord({"note", "verify", "--vkey", vkey_}, cp);
  EXPECT_EQ(nv.exit_code, 0) << Describe(nv);
  EXPECT_EQ(nv.out, "example.org/log\n8\n" + lines[2] + "\n");

  auto lv = Accord({"log", "verify", "--db", db_});
  EXPECT_EQ(lv.exit_code, 0) << Describe(lv);
  auto lv2 = Accord({"log", "verify", "--db", db_, "--vkey", vkey_});
  EXPECT_EQ(lv2.exit_code, 0) << Describe(lv2);
}

TEST_F(CliLog, ProofsFromVectorsSectionsCAndD) {
  Vectors v = LoadVectors();
  AppendReferenceLeaves(v);
  struct Case {
    std::vector<std::string> args;
    std::string header;
  };
  std::vector<Case> cases = {
      {{"prove", "--index", "0", "--size", "8"}, "# leaf_index=0, tree_size=8"},
      {{"prove", "--index", "2", "--size", "3"}, "# leaf_index=2, tree_size=3"},
      {{"prove", "--index", "1", "--size", "5"}, "# leaf_index=1, tree_size=5"},
      {{"consistency", "--from", "1", "--to", "8"}, "# size1=1 -> size2=8"},
      {{"consistency", "--from", "2", "--to", "5"}, "# size1=2 -> size2=5"},
      {{"consistency", "--from", "6", "--to", "7"}, "# size1=6 -> size2=7"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.header);
    std::vector<std::string> args{"log", c.args[0], "--db", db_};
    args.insert(args.end(), c.args.begin() + 1, c.args.end());
    auto r = Accord(args);
    ASSERT_EQ(r.exit_code, 0) << Describe(r);
    json j = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(j.is_object());
    std::vector<std::string> got;
    for (const auto& h : j.at("proof")) got.push_back(B64ToHex(h));
    EXPECT_EQ(got, ProofFor(v, c.header));
    std::string path = dir_ / "p.json";
    WriteFile(path, r.out);
    EXPECT_EQ(Accord({"log", "verify-proof", path}).exit_code, 0);
  }
  // Proof for a one-leaf tree is empty and verifies.
  auto r = Accord({"log", "prove", "--db", db_, "--index", "0", "--size", "1"});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  json j = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object());
  EXPECT_TRUE(j.at("proof").is_array() && j.at("proof").empty()) << r.out;
  EXPECT_EQ(B64ToHex(j.at("root")), v.roots[1]);
}

// ---------------------------------------------------------------------------
// 2. The public probe corpus (transparency-dev/merkle testdata).

TEST(CliVerifyProof, ProbeCorpus) {
  std::vector<std::string> files;
  for (const char* kind : {"inclusion", "consistency"}) {
    std::string root = SharedData() + "/tlog/probes/" + kind;
    ASSERT_TRUE(std::filesystem::is_directory(root)) << root;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
      if (e.is_regular_file() && e.path().extension() == ".json") {
        files.push_back(e.path().string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files.size(), 196u);
  int agree = 0;
  for (const std::string& f : files) {
    json j = json::parse(ReadFile(f), nullptr, false);
    ASSERT_TRUE(j.is_object() && j.contains("wantErr")) << f;
    int want = j.at("wantErr").get<bool>() ? 1 : 0;
    auto r = Accord({"log", "verify-proof", f});
    EXPECT_EQ(r.exit_code, want) << f << " (" << j.value("desc", "") << ")\n" << Describe(r);
    if (r.exit_code == want) ++agree;
    if (r.exit_code != 0) ExpectOneErrorLine(r);
  }
  EXPECT_EQ(agree, static_cast<int>(files.size()));
}

// ---------------------------------------------------------------------------
// 3. verify-proof: malformed input is exit 2.

TEST(CliVerifyProof, MalformedFilesExitTwo) {
  TempDir dir;
  const std::string r = "\"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\"";
  const std::string l = "\"bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\"";
  struct Case {
    std::string desc, content;
  };
  std::vector<Case> cases = {
      {"not JSON", "this is { not json"},
      {"JSON array", "[1, 2, 3]"},
      {"JSON string", "\"leafIdx\""},
      {"empty object (neither schema)", "{}"},
      {"inclusion missing leafHash",
       "{\"leafIdx\":0,\"treeSize\":8,\"root\":" + r + ",\"proof\":[]}"},
      {"inclusion missing treeSize",
       "{\"leafIdx\":0,\"root\":" + r + ",\"leafHash\":" + l + ",\"proof\":[]}"},
      {"consistency missing root2", "{\"size1\":1,\"size2\":8,\"root1\":" + l + ",\"proof\":[]}"},
      {"leafIdx is a string",
       "{\"leafIdx\":\"0\",\"treeSize\":8,\"root\":" + r + ",\"leafHash\":" + l + ",\"proof\":[]}"},
      {"treeSize is negative",
       "{\"leafIdx\":0,\"treeSize\":-8,\"root\":" + r + ",\"leafHash\":" + l + ",\"proof\":[]}"},
      {"proof is a string", "{\"leafIdx\":0,\"treeSize\":8,\"root\":" + r + ",\"leafHash\":" + l +
                                ",\"proof\":" + l + "}"},
      {"proof element is a number",
       "{\"size1\":1,\"size2\":8,\"root1\":" + l + ",\"root2\":" + r + ",\"proof\":[7]}"},
      {"root is a number",
       "{\"leafIdx\":0,\"treeSize\":8,\"root\":5,\"leafHash\":" + l + ",\"proof\":[]}"},
      {"invalid base64 root",
       "{\"leafIdx\":0,\"treeSize\":8,\"root\":\"not base64!!\",\"leafHash\":" + l +
           ",\"proof\":[]}"},
      {"invalid base64 in proof",
       "{\"size1\":1,\"size2\":8,\"root1\":" + l + ",\"root2\":" + r + ",\"proof\":[\"@@@@\"]}"},
      {"empty file", ""},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    std::string path = dir / ("case" + std::to_string(n++) + ".json");
    WriteFile(path, c.content);
    auto res = Accord({"log", "verify-proof", path});
    EXPECT_EQ(res.exit_code, 2) << Describe(res);
    ExpectOneErrorLine(res);
  }
  {
    SCOPED_TRACE("nonexistent file");
    auto res = Accord({"log", "verify-proof", dir / "no-such-proof.json"});
    EXPECT_EQ(res.exit_code, 2) << Describe(res);
    ExpectOneErrorLine(res);
    EXPECT_NE(res.err.find("no-such-proof.json"), std::string::npos) << res.err;
  }
  {
    SCOPED_TRACE("proof on stdin");
    auto res = Accord({"log", "verify-proof", "-"}, "[]");
    EXPECT_EQ(res.exit_code, 2) << Describe(res);
  }
}

// ---------------------------------------------------------------------------
// 4. Plain-text append.

TEST_F(CliLog, PlainTextAppendIsLineBytes) {
  // A file whose last line has no newline; an empty line; odd bytes.
  std::string file = dir_ / "lines.txt";
  WriteFile(file, std::string("hello world\n\n  spaced out  \ntab\there\xC3\xA9\x01\nlast line"));
  std::vector<std::string> leaves = {"hello world", "", "  spaced out  ", "tab\there\xC3\xA9\x01",
                                     "last line"};
  auto a = Accord({"log", "append", "--db", db_, file});
  ASSERT_EQ(a.exit_code, 0) << Describe(a);
  EXPECT_EQ(a.out, "0\n1\n2\n3\n4\n");
  EXPECT_EQ(Root(), Hex(Mth(leaves, 0, leaves.size())));

  // Indexes continue; standard input works too.
  auto b = Accord({"log", "append", "--db", db_}, "second batch\nx\n");
  ASSERT_EQ(b.exit_code, 0) << Describe(b);
  EXPECT_EQ(b.out, "5\n6\n");
  leaves.push_back("second batch");
  leaves.push_back("x");
  auto c = Accord({"log", "append", "--db", db_, "-"}, "y");
  ASSERT_EQ(c.exit_code, 0) << Describe(c);
  EXPECT_EQ(c.out, "7\n");
  leaves.push_back("y");

  for (size_t n = 0; n <= leaves.size(); ++n) {
    EXPECT_EQ(Root(n), Hex(Mth(leaves, 0, n))) << "size " << n;
  }
  EXPECT_EQ(Root(), Hex(Mth(leaves, 0, leaves.size())));

  // The leaf hash in a proof is HASH(0x00 || line).
  auto p = Accord({"log", "prove", "--db", db_, "--index", "3"});
  ASSERT_EQ(p.exit_code, 0) << Describe(p);
  json j = json::parse(p.out, nullptr, false);
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(B64ToHex(j.at("leafHash")), Hex(merkle::LeafHash(leaves[3])));
  EXPECT_EQ(j.at("treeSize"), leaves.size());

  // The checkpoint follows the log.
  std::vector<std::string> cp = SplitLines(Checkpoint());
  ASSERT_GE(cp.size(), 3u);
  EXPECT_EQ(cp[1], std::to_string(leaves.size()));
  EXPECT_EQ(B64ToHex(cp[2]), Hex(Mth(leaves, 0, leaves.size())));
  EXPECT_EQ(Accord({"log", "verify", "--db", db_}).exit_code, 0);
}

TEST_F(CliLog, HexAppendAcceptsUppercase) {
  auto a = Accord({"log", "append", "--db", db_, "--hex"}, "ABCD\n00ff\n");
  ASSERT_EQ(a.exit_code, 0) << Describe(a);
  std::vector<std::string> leaves = {"\xAB\xCD", std::string("\x00\xFF", 2)};
  EXPECT_EQ(Root(), Hex(Mth(leaves, 0, 2)));
}

TEST_F(CliLog, VerifyNamesFirstBadIndex) {
  Vectors v = LoadVectors();
  AppendReferenceLeaves(v);
  ExecSql(db_, "UPDATE log_entries SET data = x'aa' WHERE idx IN (3, 6)");
  auto r = Accord({"log", "verify", "--db", db_});
  EXPECT_EQ(r.exit_code, 1) << Describe(r);
  ExpectOneErrorLine(r);
  EXPECT_NE(r.err.find(" 3"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(" 6"), std::string::npos) << "names the first bad index only: " << r.err;
}

}  // namespace
}  // namespace accord::testing::cli
