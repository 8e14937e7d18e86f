// Test helpers for the witness (log/witness_test.cc, tests/tlog_api_test.cc):
// an in-memory Merkle tree that signs checkpoints and makes consistency
// proofs, and the add-checkpoint request body.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "merkle/hasher.h"
#include "merkle/proof.h"
#include "merkle/tiles.h"
#include "note/note.h"
#include "util/encoding.h"

namespace accord::log::testing {

class TestTree {
 public:
  // A log of origin signer.name() signed by `signer`; leaves are "<salt>leaf
  // <i>", so two trees with one signer and different salts are a fork.
  explicit TestTree(note::Signer signer, std::string salt = "")
      : signer_(std::move(signer)), origin_(signer_.name()), salt_(std::move(salt)) {}

  // Appends n leaves ("<salt>leaf <i>").
  void Grow(uint64_t n) {
    for (uint64_t i = 0; i < n; ++i) {
      builder_.Add(merkle::LeafHash(salt_ + "leaf " + std::to_string(builder_.size())));
    }
    for (merkle::Tile& t : builder_.TakeDirty()) tiles_[t.id] = std::move(t);
  }
  uint64_t size() const { return builder_.size(); }
  Hash Root(uint64_t size) {
    merkle::TileNodeReader r(Fetch());
    return merkle::RootAt(r, size).value();
  }
  std::vector<std::string> Proof(uint64_t from, uint64_t to) {
    merkle::TileNodeReader r(Fetch());
    std::vector<Hash> hashes = merkle::ConsistencyProof(r, from, to).value();
    std::vector<std::string> out;
    for (const Hash& h : hashes) out.emplace_back(AsBytes(h));
    return out;
  }
  // The signed checkpoint at `size` (<= size()).
  std::string Checkpoint(uint64_t size) {
    note::Checkpoint cp{origin_, size, Root(size), {}};
    return note::Sign(cp.Text(), {&signer_}).value();
  }
  const note::Signer& signer() const { return signer_; }

 private:
  merkle::TileNodeReader::FetchFn Fetch() {
    return [this](const merkle::TileId& id) -> Result<merkle::Tile> {
      auto it = tiles_.find(id);
      if (it == tiles_.end()) return Status::NotFound("no tile");
      return it->second;
    };
  }
  note::Signer signer_;
  std::string origin_, salt_;
  merkle::TileBuilder builder_;
  std::map<merkle::TileId, merkle::Tile> tiles_;
};

inline std::string AddCheckpointBody(uint64_t old_size, const std::vector<std::string>& proof,
                                     const std::string& checkpoint) {
  std::string body = "old " + std::to_string(old_size) + "\n";
  for (const std::string& h : proof) body += Base64Encode(h) + "\n";
  return body + "\n" + checkpoint;
}

}  // namespace accord::log::testing
