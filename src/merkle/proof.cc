#include "merkle/proof.h"

#include <bit>
#include <string>

#include "merkle/hasher.h"

namespace accord::merkle {
namespace {

// Largest tree size we accept: keeps (index + 1) << level from overflowing.
constexpr uint64_t kMaxSize = uint64_t{1} << 62;

// Appends to `plan` the audit path of node `node` in the tree of `size`
// leaves. The node must be complete within the tree (node.end() <= size).
void AppendPath(NodeId node, uint64_t size, ProofPlan& plan) {
  uint32_t level = node.level;
  uint64_t index = node.index;
  // Walk up until the current node covers the whole tree [0, size).
  while (!(index == 0 && (uint64_t{1} << level) >= size)) {
    uint64_t sibling = index ^ 1;
    uint64_t sib_begin = sibling << level;
    uint64_t sib_end = (sibling + 1) << level;
    if (sib_begin < size) {
      if (sib_end <= size) {
        plan.nodes.push_back({level, sibling});
      } else {
        // The right sibling is incomplete: its hash is the MTH of
        // [sib_begin, size), folded from complete subtrees. This happens at
        // most once per path.
        plan.ephemeral_begin = plan.nodes.size();
        for (const NodeId& id : RangeNodes(sib_begin, size)) plan.nodes.push_back(id);
        plan.ephemeral_end = plan.nodes.size();
      }
    }
    // A sibling starting at or past `size` does not exist: the node is
    // promoted to the next level unchanged, as in RFC 9162's PATH.
    ++level;
    index >>= 1;
  }
}

Status CheckHashSize(std::string_view h, const char* what) {
  if (h.size() != kHashSize) {
    return Status::VerificationFailed(std::string(what) + " is " + std::to_string(h.size()) +
                                      " bytes, expected 32");
  }
  return Status::Ok();
}

}  // namespace

std::vector<NodeId> RangeNodes(uint64_t begin, uint64_t end) {
  std::vector<NodeId> out;
  while (begin < end) {
    uint32_t level = begin == 0 ? 63 : static_cast<uint32_t>(std::countr_zero(begin));
    while (level > 0 && (level >= 63 || begin + (uint64_t{1} << level) > end)) --level;
    out.push_back({level, begin >> level});
    begin += uint64_t{1} << level;
  }
  return out;
}

Hash FoldRange(std::span<const Hash> hashes) {
  Hash acc = hashes.back();
  for (size_t i = hashes.size() - 1; i-- > 0;) acc = NodeHash(hashes[i], acc);
  return acc;
}

std::vector<Hash> ProofPlan::Assemble(std::span<const Hash> hashes) const {
  std::vector<Hash> proof;
  proof.reserve(hashes.size());
  for (size_t i = 0; i < hashes.size();) {
    if (i == ephemeral_begin && ephemeral_end > ephemeral_begin) {
      proof.push_back(FoldRange(hashes.subspan(ephemeral_begin, ephemeral_end - ephemeral_begin)));
      i = ephemeral_end;
    } else {
      proof.push_back(hashes[i++]);
    }
  }
  return proof;
}

Result<ProofPlan> PlanInclusion(uint64_t index, uint64_t size) {
  if (size > kMaxSize) return Status::InvalidArgument("tree size too large");
  if (index >= size) {
    return Status::InvalidArgument("leaf index " + std::to_string(index) +
                                   " is out of range for tree size " + std::to_string(size));
  }
  ProofPlan plan;
  AppendPath({0, index}, size, plan);
  return plan;
}

Result<ProofPlan> PlanConsistency(uint64_t size1, uint64_t size2) {
  if (size2 > kMaxSize) return Status::InvalidArgument("tree size too large");
  if (size1 == 0) return Status::InvalidArgument("consistency proof from size 0 is meaningless");
  if (size1 > size2) {
    return Status::InvalidArgument("size1 " + std::to_string(size1) + " is larger than size2 " +
                                   std::to_string(size2));
  }
  ProofPlan plan;
  if (size1 == size2) return plan;
  // The last complete subtree of the old tree: the proof is that node
  // (unless it is the whole old tree, which the verifier already has) and its
  // audit path in the new tree.
  auto level = static_cast<uint32_t>(std::countr_zero(size1));
  NodeId node{level, (size1 >> level) - 1};
  if (node.index != 0) plan.nodes.push_back(node);
  AppendPath(node, size2, plan);
  return plan;
}

Result<Hash> RootAt(NodeReader& reader, uint64_t size) {
  if (size > kMaxSize) return Status::InvalidArgument("tree size too large");
  if (size == 0) return EmptyRoot();
  std::vector<NodeId> nodes = RangeNodes(0, size);
  ASSIGN_OR_RETURN(std::vector<Hash> hashes, reader.ReadNodes(nodes));
  return FoldRange(hashes);
}

Result<std::vector<Hash>> InclusionProof(NodeReader& reader, uint64_t index, uint64_t size) {
  ASSIGN_OR_RETURN(ProofPlan plan, PlanInclusion(index, size));
  ASSIGN_OR_RETURN(std::vector<Hash> hashes, reader.ReadNodes(plan.nodes));
  return plan.Assemble(hashes);
}

Result<std::vector<Hash>> ConsistencyProof(NodeReader& reader, uint64_t size1, uint64_t size2) {
  ASSIGN_OR_RETURN(ProofPlan plan, PlanConsistency(size1, size2));
  ASSIGN_OR_RETURN(std::vector<Hash> hashes, reader.ReadNodes(plan.nodes));
  return plan.Assemble(hashes);
}

Status VerifyInclusion(uint64_t index, uint64_t size, std::string_view leaf_hash,
                       std::span<const std::string> proof, std::string_view root) {
  RETURN_IF_ERROR(CheckHashSize(leaf_hash, "leaf hash"));
  RETURN_IF_ERROR(CheckHashSize(root, "root"));
  for (const std::string& p : proof) RETURN_IF_ERROR(CheckHashSize(p, "proof hash"));
  if (index >= size) {
    return Status::VerificationFailed("leaf index " + std::to_string(index) +
                                      " is not below tree size " + std::to_string(size));
  }
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = HashFromBytes(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0) return Status::VerificationFailed("inclusion proof is too long");
    if ((fn & 1) || fn == sn) {
      r = NodeHash(HashFromBytes(p), r);
      if (!(fn & 1)) {
        while (!((fn & 1) || fn == 0)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, HashFromBytes(p));
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Status::VerificationFailed("inclusion proof is too short");
  if (AsBytes(r) != root) return Status::VerificationFailed("calculated root does not match");
  return Status::Ok();
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, std::string_view root1,
                         std::string_view root2, std::span<const std::string> proof) {
  if (size1 == 0) return Status::VerificationFailed("consistency from size 0 is not provable");
  if (size1 > size2) {
    return Status::VerificationFailed("size1 " + std::to_string(size1) + " is larger than size2 " +
                                      std::to_string(size2));
  }
  if (size1 == size2) {
    if (!proof.empty()) return Status::VerificationFailed("equal sizes need an empty proof");
    if (root1 != root2) return Status::VerificationFailed("equal sizes but different roots");
    return Status::Ok();
  }
  // Equal sizes compare the given roots as they are; from here on every
  // value is hashed and must be a SHA-256 hash.
  RETURN_IF_ERROR(CheckHashSize(root1, "root1"));
  RETURN_IF_ERROR(CheckHashSize(root2, "root2"));
  for (const std::string& p : proof) RETURN_IF_ERROR(CheckHashSize(p, "proof hash"));
  if (proof.empty()) return Status::VerificationFailed("consistency proof is empty");

  // RFC 9162 §2.1.4.2: if size1 is a power of two, the path starts from root1.
  std::vector<std::string_view> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(size1)) path.push_back(root1);
  for (const std::string& p : proof) path.push_back(p);

  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = HashFromBytes(path[0]);
  Hash sr = fr;
  for (size_t i = 1; i < path.size(); ++i) {
    if (sn == 0) return Status::VerificationFailed("consistency proof is too long");
    Hash c = HashFromBytes(path[i]);
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1)) {
        while (!((fn & 1) || fn == 0)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Status::VerificationFailed("consistency proof is too short");
  if (AsBytes(fr) != root1) return Status::VerificationFailed("calculated root1 does not match");
  if (AsBytes(sr) != root2) return Status::VerificationFailed("calculated root2 does not match");
  return Status::Ok();
}

}  // namespace accord::merkle
