// Merkle proofs per RFC 9162 §2.1.3 (inclusion) and §2.1.4 (consistency).
//
// Proof *generation* is split from storage in the manner of
// transparency-dev/merkle: the functions here say which complete subtrees
// ("nodes") a proof needs; a NodeReader, supplied by the caller, fetches
// their hashes from wherever they are kept. Every proof and every prefix
// root needs O(log n) nodes, never the leaves themselves.
//
// Proof *verification* needs nothing but the proof.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "crypto/sha256.h"
#include "util/status.h"

namespace accord::merkle {

// The root of a complete, aligned subtree: the leaves
// [index << level, (index + 1) << level). Level 0 nodes are leaf hashes.
struct NodeId {
  uint32_t level = 0;
  uint64_t index = 0;

  uint64_t begin() const { return index << level; }
  uint64_t end() const { return (index + 1) << level; }
  bool operator==(const NodeId&) const = default;
};

// Decomposes the leaf range [begin, end) into the fewest complete aligned
// subtrees, left to right (the "compact range" of the range).
std::vector<NodeId> RangeNodes(uint64_t begin, uint64_t end);

// Hashes the nodes of a RangeNodes() decomposition, given in the same order,
// into the Merkle tree hash of the range (folding right to left, as MTH does).
// `hashes` must be non-empty.
Hash FoldRange(std::span<const Hash> hashes);

// What a proof needs: the nodes to fetch, in proof order, except that
// nodes[ephemeral_begin, ephemeral_end) are folded (FoldRange) into a single
// proof element. That run is empty when the proof has no incomplete subtree.
struct ProofPlan {
  std::vector<NodeId> nodes;
  size_t ephemeral_begin = 0;
  size_t ephemeral_end = 0;

  // Turns the fetched hashes (one per node, same order) into the proof.
  std::vector<Hash> Assemble(std::span<const Hash> hashes) const;
};

// Plan for the audit path of leaf `index` in the tree of `size` leaves.
// Requires index < size.
Result<ProofPlan> PlanInclusion(uint64_t index, uint64_t size);
// Plan for the consistency proof between tree sizes size1 and size2.
// Requires 0 < size1 <= size2.
Result<ProofPlan> PlanConsistency(uint64_t size1, uint64_t size2);

// Fetches node hashes. Implementations must return exactly one hash per
// requested node, in order, and fail if any node is not stored.
class NodeReader {
 public:
  virtual ~NodeReader() = default;
  virtual Result<std::vector<Hash>> ReadNodes(std::span<const NodeId> nodes) = 0;
};

// The Merkle tree hash of the first `size` leaves (EmptyRoot() for 0).
Result<Hash> RootAt(NodeReader& reader, uint64_t size);
Result<std::vector<Hash>> InclusionProof(NodeReader& reader, uint64_t index, uint64_t size);
Result<std::vector<Hash>> ConsistencyProof(NodeReader& reader, uint64_t size1, uint64_t size2);

// RFC 9162 §2.1.3.2. Also fails when any hash is not 32 bytes. Returns OK
// only if the proof is valid.
Status VerifyInclusion(uint64_t index, uint64_t size, std::string_view leaf_hash,
                       std::span<const std::string> proof, std::string_view root);
// RFC 9162 §2.1.4.2, with size1 = 0 rejected and, for size1 == size2, an
// empty proof and byte-equal roots required. When size1 < size2, also fails
// when any hash is not 32 bytes.
Status VerifyConsistency(uint64_t size1, uint64_t size2, std::string_view root1,
                         std::string_view root2, std::span<const std::string> proof);

}  // namespace accord::merkle
