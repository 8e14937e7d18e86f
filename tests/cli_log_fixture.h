// Test-only: what the tests of the log commands share (cli_log_test.cc,
// cli_bad_input_test.cc, cli_test.cc): output helpers, an independent
// RFC 6962 root, directory snapshots, the reference vectors of VECTORS.txt,
// and CliLog, a fresh log with its keys.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "merkle/hasher.h"
#include "test_util.h"
#include "util/encoding.h"

namespace accord::testing::cli {

using nlohmann::json;

inline constexpr char kEmDash[] =
    "\xE2\x80\x94 ";  // U+2014 and a space: a signed-note signature line

// ---------------------------------------------------------------------------
// Helpers

inline std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

inline bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The contract for every failure: exactly one line on stderr, "accord: ...".
inline void ExpectOneErrorLine(const CommandResult& r) {
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << Describe(r);
  EXPECT_TRUE(StartsWith(r.err, "accord: ")) << Describe(r);
  EXPECT_TRUE(!r.err.empty() && r.err.back() == '\n') << Describe(r);
}

inline std::string Hex(const Hash& h) {
  return HexEncode(AsBytes(h));
}

inline std::string B64ToHex(const std::string& b64) {
  auto raw = Base64Decode(b64);
  EXPECT_TRUE(raw.ok()) << "bad base64 " << b64;
  return raw.ok() ? HexEncode(*raw) : "";
}

inline std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// An independent RFC 6962 MTH (recursive, straight from the definition).
inline Hash Mth(const std::vector<std::string>& leaves, size_t begin, size_t end) {
  size_t n = end - begin;
  if (n == 0) return merkle::EmptyRoot();
  if (n == 1) return merkle::LeafHash(leaves[begin]);
  size_t k = 1;
  while (k * 2 < n) k *= 2;  // largest power of two < n
  return merkle::NodeHash(Mth(leaves, begin, begin + k), Mth(leaves, begin + k, end));
}

// Every regular file in `dir` (not recursive) with its bytes.
inline std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file()) files[e.path().filename().string()] = ReadFile(e.path().string());
  }
  return files;
}

// Differences between two snapshots, for a readable failure message.
inline std::string SnapshotDiff(const std::map<std::string, std::string>& before,
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
inline void ExecSql(const std::string& path, const std::string& sql) {
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

inline Vectors LoadVectors() {
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

inline std::vector<std::string> ProofFor(const Vectors& v, const std::string& header_prefix) {
  for (const auto& [header, hashes] : v.proofs) {
    if (StartsWith(header, header_prefix)) return hashes;
  }
  ADD_FAILURE() << "VECTORS.txt has no proof headed " << header_prefix;
  return {};
}

inline std::set<std::string> Keys(const json& j) {
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

}  // namespace accord::testing::cli
