// The Log's side of a mirror (log/mirror.h): a log created with another log's
// key, appended to only with leaves authenticated against that log's signed
// checkpoints.
#include "log/log.h"
#include "merkle/hasher.h"

namespace accord::log {

Status Log::InitializeMirror(storage::LogStore& store, const note::VerifierKey& log_key,
                             std::string_view source) {
  if (log_key.alg != note::kAlgEd25519) {
    return Status::InvalidArgument("the log key " + log_key.name +
                                   " is not an Ed25519 note key (type 0x01)");
  }
  if (source.empty()) return Status::InvalidArgument("a mirror needs the URL it follows");
  ASSIGN_OR_RETURN(auto txn, store.BeginWrite());
  ASSIGN_OR_RETURN(uint64_t size, txn->Size());
  ASSIGN_OR_RETURN(std::optional<std::string> existing, txn->GetMeta(kMetaOrigin));
  if (size != 0 || existing) return Status::AlreadyExists("the store already holds a log");
  RETURN_IF_ERROR(txn->PutMeta(kMetaOrigin, log_key.name));
  RETURN_IF_ERROR(txn->PutMeta(kMetaLogVkey, log_key.Encode()));
  RETURN_IF_ERROR(txn->PutMeta(kMetaMirrorOf, source));
  RETURN_IF_ERROR(txn->PutMeta(kMetaMirrorTarget, ""));
  return txn->Commit();
}

Result<uint64_t> Log::AppendVerified(std::span<const std::string> leaves,
                                     std::string_view checkpoint, const InTxnFn& in_txn) {
  auto verified = note::Verify(checkpoint, {verifier_});
  if (!verified.ok()) return verified.status().WithContext("checkpoint");
  ASSIGN_OR_RETURN(note::Checkpoint cp, note::ParseCheckpoint(verified->note.text));
  if (cp.origin != origin_) {
    return Status::VerificationFailed("checkpoint is for origin \"" + cp.origin +
                                      "\", the log's is \"" + origin_ + "\"");
  }
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  ASSIGN_OR_RETURN(uint64_t first, txn->Size());
  const uint64_t end = first + leaves.size();
  if (end > cp.size || (leaves.empty() && first != cp.size)) {
    return Status::InvalidArgument("entries " + std::to_string(first) + ".." + std::to_string(end) +
                                   " do not fit a checkpoint of size " + std::to_string(cp.size));
  }
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (leaves[i].size() > kMaxLeafSize) {
      return Status::InvalidArgument("entry " + std::to_string(first + i) + " is " +
                                     std::to_string(leaves[i].size()) + " bytes, the limit is " +
                                     std::to_string(kMaxLeafSize));
    }
  }
  if (in_txn) RETURN_IF_ERROR(in_txn(*txn, first));
  if (!builder_ || builder_->size() != first) {
    builder_.reset();
    ASSIGN_OR_RETURN(merkle::TileBuilder b, LoadBuilder(*txn, first));
    builder_ = std::move(b);
  }
  merkle::TileBuilder builder = *builder_;  // kept only if the transaction commits
  for (const std::string& leaf : leaves) builder.Add(merkle::LeafHash(leaf));
  if (!leaves.empty()) {
    RETURN_IF_ERROR(txn->AppendEntries(first, leaves));
    std::vector<merkle::Tile> dirty = builder.TakeDirty();
    RETURN_IF_ERROR(txn->PutTiles(dirty));
  }
  if (end == cp.size) {
    if (builder.Root() != cp.root) {
      return Status::VerificationFailed("the tree of " + std::to_string(end) +
                                        " entries does not have the checkpoint's root");
    }
    RETURN_IF_ERROR(txn->PutMeta(kMetaCheckpoint, checkpoint));
    RETURN_IF_ERROR(txn->PutCheckpoint(cp.size, checkpoint));
    RETURN_IF_ERROR(txn->PutMeta(kMetaMirrorTarget, ""));
  } else {
    RETURN_IF_ERROR(txn->PutMeta(kMetaMirrorTarget, checkpoint));
  }
  RETURN_IF_ERROR(txn->Commit());
  builder_ = std::move(builder);
  return first;
}

}  // namespace accord::log
