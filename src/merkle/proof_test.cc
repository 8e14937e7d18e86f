// Merkle hashing, proof generation and verification: RFC 6962 known answers,
// the transparency-dev probe corpus, and property tests against a naive
// recursive implementation of RFC 9162's MTH, PATH and PROOF.
#include "merkle/proof.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "merkle/hasher.h"
#include "merkle/tiles.h"
#include "util/encoding.h"

namespace accord::merkle {
namespace {

std::string Hex(const Hash& h) {
  return HexEncode(AsBytes(h));
}
std::string Bytes(const Hash& h) {
  return std::string(AsBytes(h));
}
Hash FromHex(const std::string& hex) {
  return HashFromBytes(HexDecode(hex).value());
}

// ---- Naive reference: RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1, recursively. ----

uint64_t LargestPowerOfTwoBelow(uint64_t n) {
  uint64_t k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

Hash NaiveRoot(const std::vector<Hash>& leaves, uint64_t begin, uint64_t end) {
  uint64_t n = end - begin;
  if (n == 0) return EmptyRoot();
  if (n == 1) return leaves[begin];
  uint64_t k = LargestPowerOfTwoBelow(n);
  return NodeHash(NaiveRoot(leaves, begin, begin + k), NaiveRoot(leaves, begin + k, end));
}

void NaivePath(const std::vector<Hash>& leaves, uint64_t m, uint64_t begin, uint64_t end,
               std::vector<Hash>& out) {
  uint64_t n = end - begin;
  if (n <= 1) return;
  uint64_t k = LargestPowerOfTwoBelow(n);
  if (m < k) {
    NaivePath(leaves, m, begin, begin + k, out);
    out.push_back(NaiveRoot(leaves, begin + k, end));
  } else {
    NaivePath(leaves, m - k, begin + k, end, out);
    out.push_back(NaiveRoot(leaves, begin, begin + k));
  }
}

void NaiveSubproof(const std::vector<Hash>& leaves, uint64_t m, uint64_t begin, uint64_t end,
                   bool b, std::vector<Hash>& out) {
  uint64_t n = end - begin;
  if (m == n) {
    if (!b) out.push_back(NaiveRoot(leaves, begin, end));
    return;
  }
  uint64_t k = LargestPowerOfTwoBelow(n);
  if (m <= k) {
    NaiveSubproof(leaves, m, begin, begin + k, b, out);
    out.push_back(NaiveRoot(leaves, begin + k, end));
  } else {
    NaiveSubproof(leaves, m - k, begin + k, end, false, out);
    out.push_back(NaiveRoot(leaves, begin, begin + k));
  }
}

// Serves nodes by hashing leaves directly (the reference), counting reads.
class LeafNodeReader : public NodeReader {
 public:
  explicit LeafNodeReader(const std::vector<Hash>& leaves) : leaves_(leaves) {}
  Result<std::vector<Hash>> ReadNodes(std::span<const NodeId> nodes) override {
    std::vector<Hash> out;
    for (const NodeId& n : nodes) {
      if (n.end() > leaves_.size()) return Status::NotFound("node beyond leaves");
      out.push_back(NaiveRoot(leaves_, n.begin(), n.end()));
      ++reads;
    }
    return out;
  }
  uint64_t reads = 0;

 private:
  const std::vector<Hash>& leaves_;
};

std::vector<Hash> RandomLeaves(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Hash> leaves;
  for (size_t i = 0; i < n; ++i) {
    std::string d(rng() % 40, '\0');
    for (char& c : d) c = static_cast<char>(rng());
    leaves.push_back(LeafHash(std::to_string(i) + d));  // distinct leaves
  }
  return leaves;
}

std::vector<std::string> AsStrings(const std::vector<Hash>& v) {
  std::vector<std::string> out;
  for (const Hash& h : v) out.push_back(Bytes(h));
  return out;
}

// ---- Known answers (shared/data/tlog/VECTORS.txt) ----

std::map<std::string, std::string> ReadVectors() {
  std::ifstream f(std::string(ACCORD_SHARED_DATA) + "/tlog/VECTORS.txt");
  std::map<std::string, std::string> kv;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq);
    while (!key.empty() && key.back() == ' ') key.pop_back();
    if (key.find(' ') != std::string::npos) continue;
    kv[key] = line.substr(eq + 3);
  }
  return kv;
}

std::vector<Hash> VectorLeaves(const std::map<std::string, std::string>& kv) {
  std::vector<Hash> leaves;
  for (int i = 0; i < 8; ++i) {
    std::string v = kv.at("d" + std::to_string(i));
    if (v == "\"\"") v.clear();
    leaves.push_back(LeafHash(HexDecode(v).value()));
  }
  return leaves;
}

TEST(MerkleVectors, HasherKnownAnswers) {
  EXPECT_EQ(Hex(LeafHash("L123456")),
            "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
  Hash n123, n456;
  std::string a = "N123", b = "N456";
  // HashChildren over raw strings, as in the Go test: HASH(0x01 || "N123" || "N456").
  EXPECT_EQ(HexEncode(AsBytes(Sha256({std::string_view("\x01", 1), a, b}))),
            "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
  (void)n123;
  (void)n456;
  EXPECT_EQ(Hex(LeafHash("")), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(Hex(EmptyRoot()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleVectors, RootsLeafAndNodeHashes) {
  auto kv = ReadVectors();
  ASSERT_EQ(kv.count("root8"), 1u) << "VECTORS.txt not found or changed";
  auto leaves = VectorLeaves(kv);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(Hex(leaves[i]), kv.at("lh" + std::to_string(i)));
  LeafNodeReader reader(leaves);
  for (uint64_t n = 0; n <= 8; ++n) {
    EXPECT_EQ(Hex(RootAt(reader, n).value()), kv.at("root" + std::to_string(n))) << n;
  }
  for (uint64_t i = 0; i < 4; ++i) {
    EXPECT_EQ(Hex(NaiveRoot(leaves, 2 * i, 2 * i + 2)), kv.at("n1_" + std::to_string(i)));
  }
  EXPECT_EQ(Hex(NaiveRoot(leaves, 0, 4)), kv.at("n2_0"));
  EXPECT_EQ(Hex(NaiveRoot(leaves, 4, 8)), kv.at("n2_1"));
}

TEST(MerkleVectors, InclusionAndConsistencyProofs) {
  auto kv = ReadVectors();
  auto leaves = VectorLeaves(kv);
  LeafNodeReader reader(leaves);
  auto hexes = [](const std::vector<Hash>& p) {
    std::vector<std::string> out;
    for (const Hash& h : p) out.push_back(Hex(h));
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(hexes(InclusionProof(reader, 0, 1).value()), V{});
  EXPECT_EQ(hexes(InclusionProof(reader, 0, 8).value()),
            (V{kv.at("lh1"), kv.at("n1_1"), kv.at("n2_1")}));
  EXPECT_EQ(hexes(InclusionProof(reader, 5, 8).value()),
            (V{kv.at("lh4"), kv.at("n1_3"), kv.at("n2_0")}));
  EXPECT_EQ(hexes(InclusionProof(reader, 2, 3).value()), (V{kv.at("n1_0")}));
  EXPECT_EQ(hexes(InclusionProof(reader, 1, 5).value()),
            (V{kv.at("lh0"), kv.at("n1_1"), kv.at("lh4")}));

  EXPECT_EQ(hexes(ConsistencyProof(reader, 1, 8).value()),
            (V{kv.at("lh1"), kv.at("n1_1"), kv.at("n2_1")}));
  EXPECT_EQ(hexes(ConsistencyProof(reader, 6, 8).value()),
            (V{kv.at("n1_2"), kv.at("n1_3"), kv.at("n2_0")}));
  EXPECT_EQ(hexes(ConsistencyProof(reader, 2, 5).value()), (V{kv.at("n1_1"), kv.at("lh4")}));
  EXPECT_EQ(hexes(ConsistencyProof(reader, 6, 7).value()),
            (V{kv.at("n1_2"), kv.at("lh6"), kv.at("n2_0")}));
  EXPECT_EQ(hexes(ConsistencyProof(reader, 1, 1).value()), V{});
  EXPECT_FALSE(ConsistencyProof(reader, 0, 8).ok());

  std::vector<std::string> empty;
  std::string r1 = Bytes(FromHex(kv.at("root1")));
  EXPECT_TRUE(VerifyConsistency(1, 1, r1, r1, empty).ok());
  EXPECT_FALSE(VerifyConsistency(0, 0, r1, r1, empty).ok());
}

// ---- The probe corpus: every file gives its wantErr verdict. ----

struct Probe {
  std::string path;
  nlohmann::json j;
};

std::vector<Probe> LoadProbes(const std::string& kind) {
  std::vector<Probe> out;
  std::string dir = std::string(ACCORD_SHARED_DATA) + "/tlog/probes/" + kind;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    std::ifstream f(e.path());
    std::stringstream ss;
    ss << f.rdbuf();
    out.push_back({e.path().string(), nlohmann::json::parse(ss.str())});
  }
  return out;
}

std::string B64Field(const nlohmann::json& j, const char* k) {
  return Base64Decode(j.at(k).get<std::string>()).value();
}

std::vector<std::string> ProofField(const nlohmann::json& j) {
  std::vector<std::string> out;
  for (const auto& e : j.at("proof")) out.push_back(Base64Decode(e.get<std::string>()).value());
  return out;
}

TEST(MerkleProbes, InclusionProbesGiveExpectedVerdict) {
  auto probes = LoadProbes("inclusion");
  ASSERT_EQ(probes.size(), 98u);
  int ok = 0, rejected = 0;
  for (const Probe& p : probes) {
    Status s =
        VerifyInclusion(p.j.at("leafIdx").get<uint64_t>(), p.j.at("treeSize").get<uint64_t>(),
                        B64Field(p.j, "leafHash"), ProofField(p.j), B64Field(p.j, "root"));
    bool want_err = p.j.at("wantErr").get<bool>();
    EXPECT_EQ(!s.ok(), want_err) << p.path << ": " << s.ToString();
    (want_err ? rejected : ok)++;
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(rejected, 0);
}

TEST(MerkleProbes, ConsistencyProbesGiveExpectedVerdict) {
  auto probes = LoadProbes("consistency");
  ASSERT_EQ(probes.size(), 98u);
  int ok = 0, rejected = 0;
  for (const Probe& p : probes) {
    Status s = VerifyConsistency(p.j.at("size1").get<uint64_t>(), p.j.at("size2").get<uint64_t>(),
                                 B64Field(p.j, "root1"), B64Field(p.j, "root2"), ProofField(p.j));
    bool want_err = p.j.at("wantErr").get<bool>();
    EXPECT_EQ(!s.ok(), want_err) << p.path << ": " << s.ToString();
    (want_err ? rejected : ok)++;
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(rejected, 0);
}

// ---- Properties against the naive reference. ----

TEST(MerkleProperty, RootsMatchNaiveMthUpTo5000Leaves) {
  auto leaves = RandomLeaves(5000, 7);
  LeafNodeReader reader(leaves);
  std::mt19937 rng(11);
  std::vector<uint64_t> sizes;
  for (uint64_t n = 0; n <= 300; ++n) sizes.push_back(n);
  for (uint64_t n : {511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097, 5000}) sizes.push_back(n);
  for (int i = 0; i < 60; ++i) sizes.push_back(rng() % 5001);
  for (uint64_t n : sizes) {
    ASSERT_EQ(RootAt(reader, n).value(), NaiveRoot(leaves, 0, n)) << "size " << n;
  }
}

TEST(MerkleProperty, InclusionProofsMatchNaivePathAndVerify) {
  auto leaves = RandomLeaves(5000, 3);
  LeafNodeReader reader(leaves);
  std::mt19937 rng(5);
  auto check = [&](uint64_t index, uint64_t size) {
    std::vector<Hash> want;
    NaivePath(leaves, index, 0, size, want);
    reader.reads = 0;
    auto got = InclusionProof(reader, index, size);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(*got, want) << "index " << index << " size " << size;
    // O(log n) node reads: at most 2 per level.
    ASSERT_LE(reader.reads, 2u * 64u - static_cast<uint64_t>(std::countl_zero(size)) * 2u + 2u);
    Hash root = NaiveRoot(leaves, 0, size);
    ASSERT_TRUE(
        VerifyInclusion(index, size, Bytes(leaves[index]), AsStrings(want), Bytes(root)).ok());
    // A wrong index, a wrong size or a flipped bit must not verify.
    if (size > 1) {
      EXPECT_FALSE(VerifyInclusion((index + 1) % size, size, Bytes(leaves[index]), AsStrings(want),
                                   Bytes(root))
                       .ok())
          << index << " " << size;
    }
    if (!want.empty()) {
      auto bad = AsStrings(want);
      bad[rng() % bad.size()][rng() % 32] ^= 1;
      EXPECT_FALSE(VerifyInclusion(index, size, Bytes(leaves[index]), bad, Bytes(root)).ok());
    }
  };
  for (uint64_t n = 1; n <= 64; ++n) {
    for (uint64_t i = 0; i < n; ++i) check(i, n);
  }
  for (int t = 0; t < 400; ++t) {
    uint64_t n = 1 + rng() % 5000;
    check(rng() % n, n);
  }
}

TEST(MerkleProperty, EveryConsistencyPairUpTo64MatchesNaiveAndVerifies) {
  auto leaves = RandomLeaves(64, 9);
  LeafNodeReader reader(leaves);
  for (uint64_t n = 1; n <= 64; ++n) {
    Hash root2 = NaiveRoot(leaves, 0, n);
    for (uint64_t m = 1; m <= n; ++m) {
      std::vector<Hash> want;
      if (m < n) NaiveSubproof(leaves, m, 0, n, true, want);
      auto got = ConsistencyProof(reader, m, n);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      ASSERT_EQ(*got, want) << m << " -> " << n;
      Hash root1 = NaiveRoot(leaves, 0, m);
      auto proof = AsStrings(want);
      ASSERT_TRUE(VerifyConsistency(m, n, Bytes(root1), Bytes(root2), proof).ok())
          << m << "->" << n;
      if (m < n) {
        // Swapped roots, a flipped bit and a truncated proof all fail.
        EXPECT_FALSE(VerifyConsistency(m, n, Bytes(root2), Bytes(root1), proof).ok());
        auto flipped = proof;
        flipped.back()[0] ^= 0x80;
        EXPECT_FALSE(VerifyConsistency(m, n, Bytes(root1), Bytes(root2), flipped).ok());
        auto truncated = proof;
        truncated.pop_back();
        EXPECT_FALSE(VerifyConsistency(m, n, Bytes(root1), Bytes(root2), truncated).ok());
      }
    }
  }
}

TEST(MerkleProperty, RandomConsistencyPairsUpTo5000) {
  auto leaves = RandomLeaves(5000, 13);
  LeafNodeReader reader(leaves);
  std::mt19937 rng(17);
  for (int t = 0; t < 300; ++t) {
    uint64_t n = 1 + rng() % 5000;
    uint64_t m = 1 + rng() % n;
    std::vector<Hash> want;
    if (m < n) NaiveSubproof(leaves, m, 0, n, true, want);
    auto got = ConsistencyProof(reader, m, n);
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(*got, want) << m << " -> " << n;
    ASSERT_TRUE(VerifyConsistency(m, n, Bytes(NaiveRoot(leaves, 0, m)),
                                  Bytes(NaiveRoot(leaves, 0, n)), AsStrings(want))
                    .ok());
  }
}

TEST(MerkleVerify, RejectsHashesThatAreNot32Bytes) {
  auto leaves = RandomLeaves(8, 1);
  LeafNodeReader reader(leaves);
  auto proof = AsStrings(InclusionProof(reader, 3, 8).value());
  std::string root = Bytes(NaiveRoot(leaves, 0, 8));
  EXPECT_TRUE(VerifyInclusion(3, 8, Bytes(leaves[3]), proof, root).ok());
  EXPECT_FALSE(VerifyInclusion(3, 8, Bytes(leaves[3]) + "x", proof, root).ok());
  EXPECT_FALSE(VerifyInclusion(3, 8, Bytes(leaves[3]), proof, root.substr(1)).ok());
  auto longer = proof;
  longer[1] += '\0';
  EXPECT_FALSE(VerifyInclusion(3, 8, Bytes(leaves[3]), longer, root).ok());
  EXPECT_FALSE(VerifyInclusion(3, 8, "", proof, "").ok());
}

TEST(MerkleRange, RangeNodesAreMaximalAlignedSubtrees) {
  EXPECT_EQ(RangeNodes(0, 0), std::vector<NodeId>{});
  EXPECT_EQ(RangeNodes(0, 8), (std::vector<NodeId>{{3, 0}}));
  EXPECT_EQ(RangeNodes(0, 7), (std::vector<NodeId>{{2, 0}, {1, 2}, {0, 6}}));
  EXPECT_EQ(RangeNodes(3, 9), (std::vector<NodeId>{{0, 3}, {2, 1}, {0, 8}}));
  for (uint64_t b = 0; b < 40; ++b) {
    for (uint64_t e = b; e < 80; ++e) {
      uint64_t at = b;
      for (const NodeId& n : RangeNodes(b, e)) {
        ASSERT_EQ(n.begin(), at);
        at = n.end();
      }
      ASSERT_EQ(at, e);
    }
  }
}

}  // namespace
}  // namespace accord::merkle
