#include "registry/proof_json.h"

#include "util/encoding.h"

namespace accord::registry {
namespace {

std::string B64(const Hash& h) {
  return Base64Encode(AsBytes(h));
}

nlohmann::json Hashes(const std::vector<Hash>& proof) {
  nlohmann::json arr = nlohmann::json::array();
  for (const Hash& h : proof) arr.push_back(B64(h));
  return arr;
}

}  // namespace

Result<nlohmann::json> InclusionProofJson(log::Log& log, uint64_t index, uint64_t size) {
  ASSIGN_OR_RETURN(std::vector<Hash> proof, log.InclusionProof(index, size));
  ASSIGN_OR_RETURN(Hash root, log.Root(size));
  ASSIGN_OR_RETURN(Hash leaf, log.LeafHashAt(index));
  return nlohmann::json{{"leafIdx", index},
                        {"treeSize", size},
                        {"root", B64(root)},
                        {"leafHash", B64(leaf)},
                        {"proof", Hashes(proof)}};
}

Result<nlohmann::json> ConsistencyProofJson(log::Log& log, uint64_t size1, uint64_t size2) {
  ASSIGN_OR_RETURN(std::vector<Hash> proof, log.ConsistencyProof(size1, size2));
  ASSIGN_OR_RETURN(Hash root1, log.Root(size1));
  ASSIGN_OR_RETURN(Hash root2, log.Root(size2));
  return nlohmann::json{{"size1", size1},
                        {"size2", size2},
                        {"root1", B64(root1)},
                        {"root2", B64(root2)},
                        {"proof", Hashes(proof)}};
}

}  // namespace accord::registry
