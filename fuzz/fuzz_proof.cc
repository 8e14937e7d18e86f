// libFuzzer target for proof verification: arbitrary sizes, indexes, hashes
// and proofs must never crash, and any proof that verifies must agree with
// the proof the generator makes for the same tree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "merkle/hasher.h"
#include "merkle/proof.h"

namespace {

using accord::Hash;
namespace merkle = accord::merkle;

struct Input {
  const uint8_t* p;
  size_t n;
  uint64_t U64() {
    uint64_t v = 0;
    size_t k = n < 8 ? n : 8;
    std::memcpy(&v, p, k);
    p += k;
    n -= k;
    return v;
  }
  std::string Bytes(size_t len) {
    size_t k = n < len ? n : len;
    std::string s(reinterpret_cast<const char*>(p), k);
    p += k;
    n -= k;
    return s;
  }
};

// Serves nodes of a tree whose leaf i is LeafHash(decimal i).
class SyntheticReader : public merkle::NodeReader {
 public:
  accord::Result<std::vector<Hash>> ReadNodes(std::span<const merkle::NodeId> nodes) override {
    std::vector<Hash> out;
    for (const auto& n : nodes) out.push_back(Root(n.begin(), n.end()));
    return out;
  }
  static Hash Root(uint64_t b, uint64_t e) {
    if (e - b == 1) return merkle::LeafHash(std::to_string(b));
    uint64_t k = 1;
    while (k << 1 < e - b) k <<= 1;
    return merkle::NodeHash(Root(b, b + k), Root(b + k, e));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in{data, size};
  uint8_t mode = static_cast<uint8_t>(in.U64());
  uint64_t a = in.U64();
  uint64_t b = in.U64();
  std::vector<std::string> proof;
  std::string h1 = in.Bytes(32 + (mode & 1));
  std::string h2 = in.Bytes(32);
  while (in.n > 0 && proof.size() < 70) proof.push_back(in.Bytes(32));

  if (mode & 2) {
    (void)merkle::VerifyInclusion(a, b, h1, proof, h2);
  } else {
    (void)merkle::VerifyConsistency(a, b, h1, h2, proof);
  }

  // Small trees: generated proofs verify, and a verifying fuzzed proof for
  // the true roots equals the generated one.
  uint64_t n = 1 + (b % 64);
  uint64_t i = a % n;
  SyntheticReader reader;
  Hash root = SyntheticReader::Root(0, n);
  std::string root_bytes(accord::AsBytes(root));
  auto gen = merkle::InclusionProof(reader, i, n);
  if (!gen.ok()) std::abort();
  std::vector<std::string> gen_s;
  for (const Hash& h : *gen) gen_s.emplace_back(accord::AsBytes(h));
  std::string leaf(accord::AsBytes(merkle::LeafHash(std::to_string(i))));
  if (!merkle::VerifyInclusion(i, n, leaf, gen_s, root_bytes).ok()) std::abort();
  if (merkle::VerifyInclusion(i, n, leaf, proof, root_bytes).ok() && proof != gen_s) std::abort();
  return 0;
}
