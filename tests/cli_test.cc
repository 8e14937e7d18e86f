// Tests that drive the real `accord` binary: the CLI contract end to end, the
// public proof corpus, and the "bad input writes nothing" guarantee.
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

#include "merkle/hasher.h"
#include "test_util.h"
#include "util/encoding.h"

namespace accord::testing {
namespace {

using nlohmann::json;

const char kEmDash[] = "\xE2\x80\x94 ";  // U+2014 and a space: a signed-note signature line

// ---------------------------------------------------------------------------
// Helpers

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The contract for every failure: exactly one line on stderr, "accord: ...".
void ExpectOneErrorLine(const CommandResult& r) {
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << Describe(r);
  EXPECT_TRUE(StartsWith(r.err, "accord: ")) << Describe(r);
  EXPECT_TRUE(!r.err.empty() && r.err.back() == '\n') << Describe(r);
}

std::string Hex(const Hash& h) {
  return HexEncode(AsBytes(h));
}

std::string B64ToHex(const std::string& b64) {
  auto raw = Base64Decode(b64);
  EXPECT_TRUE(raw.ok()) << "bad base64 " << b64;
  return raw.ok() ? HexEncode(*raw) : "";
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// An independent RFC 6962 MTH (recursive, straight from the definition).
Hash Mth(const std::vector<std::string>& leaves, size_t begin, size_t end) {
  size_t n = end - begin;
  if (n == 0) return merkle::EmptyRoot();
  if (n == 1) return merkle::LeafHash(leaves[begin]);
  size_t k = 1;
  while (k * 2 < n) k *= 2;  // largest power of two < n
  return merkle::NodeHash(Mth(leaves, begin, begin + k), Mth(leaves, begin + k, end));
}

// Every regular file in `dir` (not recursive) with its bytes.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file()) files[e.path().filename().string()] = ReadFile(e.path().string());
  }
  return files;
}

// Differences between two snapshots, for a readable failure message.
std::string SnapshotDiff(const std::map<std::string, std::string>& before,
                         const std::map<std::string, std::string>& after) {
  std::string diff;
  for (const auto& [name, bytes] : before) {
    auto it = after.find(name);
    if (it == after.end()) {
      diff += "  removed " + name + "\n";
    } else if (it->second != bytes) {
      diff += "  changed " + name + " (" + std::to_string(bytes.size()) + " -> " +
              std::to_string(it->second.size()) + " bytes)\n";
    }
  }
  for (const auto& [name, bytes] : after) {
    if (!before.count(name)) diff += "  created " + name + "\n";
  }
  return diff;
}

// Runs SQL on a database file directly (for foreign databases and tampering).
void ExecSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

// ---------------------------------------------------------------------------
// VECTORS.txt, section A (leaves, roots), C (inclusion), D (consistency).

struct Vectors {
  std::vector<std::string> leaves_hex;                     // d0..d7
  std::vector<std::string> roots;                          // root0..root8
  std::map<std::string, std::vector<std::string>> proofs;  // header line -> hex hashes
};

Vectors LoadVectors() {
  Vectors v;
  std::string text = ReadFile(SharedData() + "/tlog/VECTORS.txt");
  EXPECT_FALSE(text.empty()) << "cannot read VECTORS.txt";
  std::vector<std::string> lines = SplitLines(text);
  v.leaves_hex.resize(8);
  v.roots.resize(9);
  std::string current_header;
  for (const std::string& line : lines) {
    auto eq = line.find(" = ");
    if (line.size() > 1 && line[0] == 'd' && isdigit(static_cast<unsigned char>(line[1])) &&
        eq != std::string::npos) {
      size_t i = std::stoul(line.substr(1, eq - 1));
      std::string value = Trim(line.substr(eq + 3));
      if (value == "\"\"") value.clear();
      if (i < 8) v.leaves_hex[i] = value;
      continue;
    }
    if (StartsWith(line, "root") && eq != std::string::npos) {
      size_t i = std::stoul(line.substr(4, eq - 4));
      if (i < 9) v.roots[i] = Trim(line.substr(eq + 3));
      continue;
    }
    if (StartsWith(line, "# leaf_index=") || StartsWith(line, "# size1=")) {
      current_header = line;
      v.proofs[current_header];
      continue;
    }
    if (StartsWith(line, "  ") && !current_header.empty()) {
      std::string h = Trim(line);
      if (h.size() == 64) v.proofs[current_header].push_back(h);
      continue;
    }
    current_header.clear();
  }
  return v;
}

std::vector<std::string> ProofFor(const Vectors& v, const std::string& header_prefix) {
  for (const auto& [header, hashes] : v.proofs) {
    if (StartsWith(header, header_prefix)) return hashes;
  }
  ADD_FAILURE() << "VECTORS.txt has no proof headed " << header_prefix;
  return {};
}

std::set<std::string> Keys(const json& j) {
  std::set<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.insert(it.key());
  return keys;
}

// ---------------------------------------------------------------------------
// A fresh log: keys in dir, database dir/log.db.

class CliLog : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "log.db";
    auto kg = Accord({"keygen", "example.org/log", "--out", dir_.path()});
    ASSERT_EQ(kg.exit_code, 0) << Describe(kg);
    skey_ = dir_ / "example.org_log.skey";
    vkey_ = dir_ / "example.org_log.vkey";
    auto init = Accord({"log", "init", "--db", db_, "--origin", "example.org/log", "--key", skey_});
    ASSERT_EQ(init.exit_code, 0) << Describe(init);
  }

  // Appends the 8 reference leaves of VECTORS.txt section A with --hex.
  void AppendReferenceLeaves(const Vectors& v) {
    std::string input;
    for (const std::string& d : v.leaves_hex) input += d + "\n";
    auto r = Accord({"log", "append", "--db", db_, "--hex"}, input);
    ASSERT_EQ(r.exit_code, 0) << Describe(r);
    ASSERT_EQ(r.out, "0\n1\n2\n3\n4\n5\n6\n7\n");
  }

  std::string Root(std::optional<uint64_t> size = std::nullopt) {
    std::vector<std::string> args{"log", "root", "--db", db_};
    if (size) {
      args.push_back("--size");
      args.push_back(std::to_string(*size));
    }
    auto r = Accord(args);
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
    return Trim(r.out);
  }

  std::string Checkpoint() {
    auto r = Accord({"log", "checkpoint", "--db", db_});
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
    return r.out;
  }

  TempDir dir_;
  std::string db_, skey_, vkey_;
};

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
}  // namespace accord::testing
