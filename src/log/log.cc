#include "log/log.h"

#include <algorithm>
#include <future>
#include <set>

#include "merkle/hasher.h"

namespace accord::log {
namespace {

merkle::TileNodeReader ReaderOver(storage::LogReader& reader) {
  return merkle::TileNodeReader(
      [&reader](const merkle::TileId& id) { return reader.ReadTile(id); });
}

std::string TileName(const merkle::TileId& id) {
  return std::to_string(id.level) + "/" + std::to_string(id.index);
}

}  // namespace

Status Log::Initialize(storage::LogStore& store, std::string_view origin,
                       const note::Signer& signer) {
  if (origin.empty() || origin.find('\n') != std::string_view::npos) {
    return Status::InvalidArgument("origin must be one non-empty line, e.g. example.org/registry");
  }
  ASSIGN_OR_RETURN(auto txn, store.BeginWrite());
  ASSIGN_OR_RETURN(uint64_t size, txn->Size());
  ASSIGN_OR_RETURN(std::optional<std::string> existing, txn->GetMeta(kMetaOrigin));
  if (size != 0 || existing) return Status::AlreadyExists("the store already holds a log");
  RETURN_IF_ERROR(txn->PutMeta(kMetaOrigin, origin));
  RETURN_IF_ERROR(txn->PutMeta(kMetaLogVkey, signer.Verifier().Encode()));
  note::Checkpoint cp{std::string(origin), 0, merkle::EmptyRoot(), {}};
  ASSIGN_OR_RETURN(std::string signed_note, note::Sign(cp.Text(), {&signer}));
  RETURN_IF_ERROR(txn->PutMeta(kMetaCheckpoint, signed_note));
  RETURN_IF_ERROR(txn->PutCheckpoint(0, signed_note));
  return txn->Commit();
}

Result<std::unique_ptr<Log>> Log::Open(storage::LogStore& store, const note::Signer* signer) {
  std::unique_ptr<Log> log(new Log(store, signer));
  ASSIGN_OR_RETURN(std::optional<std::string> origin, store.GetMeta(kMetaOrigin));
  ASSIGN_OR_RETURN(std::optional<std::string> vkey, store.GetMeta(kMetaLogVkey));
  if (!origin || !vkey) return Status::Corruption("the log has no origin or key (not initialized)");
  log->origin_ = *origin;
  ASSIGN_OR_RETURN(log->verifier_, note::ParseVerifierKey(*vkey));
  if (signer != nullptr && signer->Verifier().Encode() != log->verifier_.Encode()) {
    return Status::PermissionDenied("key " + signer->name() + " is not this log's key (" +
                                    log->verifier_.name + ")");
  }
  return log;
}

Result<merkle::TileBuilder> Log::LoadBuilder(storage::LogReader& reader, uint64_t size) {
  std::vector<merkle::Tile> edge;
  for (const merkle::TileId& id : merkle::TileBuilder::EdgeTiles(size)) {
    ASSIGN_OR_RETURN(merkle::Tile t, reader.ReadTile(id));
    edge.push_back(std::move(t));
  }
  return merkle::TileBuilder::Resume(size, std::move(edge));
}

std::string Log::SignCheckpoint(uint64_t size, const Hash& root) const {
  note::Checkpoint cp{origin_, size, root, {}};
  std::string text = cp.Text();
  return text + "\n" + signer_->SignatureLine(text);
}

Result<uint64_t> Log::Append(std::span<const std::string> leaves, const InTxnFn& in_txn) {
  ASSIGN_OR_RETURN(Appended a,
                   AppendProduced([&](storage::LogWriteTxn& txn,
                                      uint64_t first) -> Result<std::vector<std::string>> {
                     if (in_txn) RETURN_IF_ERROR(in_txn(txn, first));
                     return std::vector<std::string>(leaves.begin(), leaves.end());
                   }));
  return a.first;
}

Result<Log::Appended> Log::AppendProduced(const ProduceFn& produce) {
  if (signer_ == nullptr) {
    return Status::FailedPrecondition("appending needs the log's signing key");
  }
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  ASSIGN_OR_RETURN(uint64_t first, txn->Size());
  ASSIGN_OR_RETURN(std::vector<std::string> leaves, produce(*txn, first));
  if (leaves.empty()) {
    txn->Rollback();
    return Appended{first, 0};
  }
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (leaves[i].size() > kMaxLeafSize) {
      return Status::InvalidArgument("leaf " + std::to_string(i) + " is " +
                                     std::to_string(leaves[i].size()) + " bytes, the limit is " +
                                     std::to_string(kMaxLeafSize) +
                                     " (what a tlog-tiles entry bundle can carry)");
    }
  }
  // Another writer (process) may have appended since we cached the edge.
  if (!builder_ || builder_->size() != first) {
    builder_.reset();
    ASSIGN_OR_RETURN(merkle::TileBuilder b, LoadBuilder(*txn, first));
    builder_ = std::move(b);
  }
  merkle::TileBuilder builder = *builder_;  // kept only if the transaction commits
  for (const std::string& leaf : leaves) builder.Add(merkle::LeafHash(leaf));
  RETURN_IF_ERROR(txn->AppendEntries(first, leaves));
  std::vector<merkle::Tile> dirty = builder.TakeDirty();
  RETURN_IF_ERROR(txn->PutTiles(dirty));

  uint64_t size = builder.size();
  std::string signed_note = SignCheckpoint(size, builder.Root());
  RETURN_IF_ERROR(txn->PutMeta(kMetaCheckpoint, signed_note));
  RETURN_IF_ERROR(txn->PutCheckpoint(size, signed_note));
  RETURN_IF_ERROR(txn->Commit());
  builder_ = std::move(builder);
  return Appended{first, leaves.size()};
}

Result<Hash> Log::Root(uint64_t size) {
  ASSIGN_OR_RETURN(uint64_t n, store_.Size());
  if (size > n) {
    return Status::InvalidArgument("size " + std::to_string(size) + " is beyond the log's " +
                                   std::to_string(n) + " entries");
  }
  auto reader = ReaderOver(store_);
  return merkle::RootAt(reader, size);
}

Result<std::vector<Hash>> Log::InclusionProof(uint64_t index, uint64_t size, uint64_t* tiles_read) {
  ASSIGN_OR_RETURN(uint64_t n, store_.Size());
  if (size > n) {
    return Status::InvalidArgument("tree size " + std::to_string(size) + " is beyond the log's " +
                                   std::to_string(n) + " entries");
  }
  if (index >= size) {
    return Status::InvalidArgument("index " + std::to_string(index) +
                                   " is out of range (tree size " + std::to_string(size) + ")");
  }
  auto reader = ReaderOver(store_);
  auto proof = merkle::InclusionProof(reader, index, size);
  if (tiles_read) *tiles_read = reader.tiles_fetched();
  return proof;
}

Result<std::vector<Hash>> Log::ConsistencyProof(uint64_t size1, uint64_t size2) {
  ASSIGN_OR_RETURN(uint64_t n, store_.Size());
  if (size2 > n) {
    return Status::InvalidArgument("size " + std::to_string(size2) + " is beyond the log's " +
                                   std::to_string(n) + " entries");
  }
  if (size1 == 0 || size1 > size2) {
    return Status::InvalidArgument("need 0 < from <= to, got from " + std::to_string(size1) +
                                   " and to " + std::to_string(size2));
  }
  auto reader = ReaderOver(store_);
  return merkle::ConsistencyProof(reader, size1, size2);
}

Result<Hash> Log::LeafHashAt(uint64_t index) {
  ASSIGN_OR_RETURN(uint64_t n, store_.Size());
  if (index >= n) {
    return Status::InvalidArgument("index " + std::to_string(index) + " is out of range (log has " +
                                   std::to_string(n) + " entries)");
  }
  auto reader = ReaderOver(store_);
  merkle::NodeId leaf{0, index};
  ASSIGN_OR_RETURN(std::vector<Hash> h, reader.ReadNodes(std::span(&leaf, 1)));
  return h[0];
}

Result<std::string> Log::Checkpoint() {
  ASSIGN_OR_RETURN(std::optional<std::string> cp, store_.GetMeta(kMetaCheckpoint));
  if (!cp) {
    ASSIGN_OR_RETURN(std::optional<std::string> mirror_of, store_.GetMeta(kMetaMirrorOf));
    if (mirror_of) {
      return Status::FailedPrecondition("this mirror of " + *mirror_of +
                                        " has verified no checkpoint yet (its first catch-up "
                                        "has not finished: run `accord mirror` again)");
    }
    return Status::Corruption("the log has no checkpoint");
  }
  return *cp;
}

Status Log::AddCosignatures(std::string_view lines,
                            const std::vector<note::VerifierKey>& cosigners) {
  ASSIGN_OR_RETURN(std::string current, Checkpoint());
  ASSIGN_OR_RETURN(note::Note parsed, note::ParseNote(current));
  ASSIGN_OR_RETURN(note::Checkpoint cp, note::ParseCheckpoint(parsed.text));
  ASSIGN_OR_RETURN(size_t added, AddCosignaturesAt(cp.size, lines, cosigners));
  if (added == 0) return Status::AlreadyExists("the checkpoint already carries these cosigners");
  return Status::Ok();
}

Result<size_t> Log::AddCosignaturesAt(uint64_t size, std::string_view lines,
                                      const std::vector<note::VerifierKey>& cosigners,
                                      const InTxnFn& in_txn) {
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  ASSIGN_OR_RETURN(std::optional<std::string> stored, txn->CheckpointAt(size));
  if (!stored) return Status::NotFound("no checkpoint of size " + std::to_string(size));
  ASSIGN_OR_RETURN(note::Note existing, note::ParseNote(*stored));
  // Every added line must verify on its own against a given cosigner.
  std::string alone = existing.text + "\n" + std::string(lines);
  if (!alone.ends_with('\n')) alone += '\n';
  ASSIGN_OR_RETURN(note::Note added, note::ParseNote(alone));
  auto verified = note::Verify(alone, cosigners);
  if (!verified.ok()) return verified.status().WithContext("cosignature rejected");
  if (verified->verified.size() != added.signatures.size()) {
    return Status::VerificationFailed("a cosignature line is by a key not given as a cosigner");
  }
  // The signature block of `alone` is `lines`, one line per signature.
  std::string_view block = std::string_view(alone).substr(existing.text.size() + 1);
  std::set<std::pair<std::string, uint32_t>> present;
  for (const note::NoteSignature& s : existing.signatures) present.emplace(s.name, s.key_id);
  std::string keep;
  size_t count = 0;
  for (const note::NoteSignature& s : added.signatures) {
    size_t eol = block.find('\n');
    std::string_view line = block.substr(0, eol + 1);
    block.remove_prefix(eol + 1);
    if (!present.emplace(s.name, s.key_id).second) continue;
    keep.append(line);
    ++count;
  }
  if (in_txn) RETURN_IF_ERROR(in_txn(*txn, size));
  if (count > 0) {
    ASSIGN_OR_RETURN(std::string merged, note::AddSignatureLines(*stored, keep));
    RETURN_IF_ERROR(txn->PutCheckpoint(size, merged));
    ASSIGN_OR_RETURN(std::optional<std::string> latest, txn->GetMeta(kMetaCheckpoint));
    if (latest && *latest == *stored) RETURN_IF_ERROR(txn->PutMeta(kMetaCheckpoint, merged));
  }
  RETURN_IF_ERROR(txn->Commit());
  return count;
}

Result<VerifyReport> Log::Verify(const std::vector<note::VerifierKey>& keys,
                                 const std::function<void(uint64_t, uint64_t)>& progress) {
  VerifyReport report;
  ASSIGN_OR_RETURN(uint64_t n, store_.Size());
  merkle::TileBuilder builder;
  uint64_t expect = 0;

  // Compares recomputed tiles with the stored ones; names the first leaf (or
  // tile) that differs.
  auto compare = [&](const std::vector<merkle::Tile>& tiles) -> Status {
    for (const merkle::Tile& t : tiles) {
      auto stored = store_.ReadTile(t.id);
      if (!stored.ok()) {
        return Status::Corruption("hash tile " + TileName(t.id) +
                                  " is missing: " + stored.status().message());
      }
      if (stored->hashes == t.hashes) continue;
      uint64_t w = std::min(stored->width(), t.width());
      for (uint64_t i = 0; i < w; ++i) {
        if (stored->at(i) == t.at(i)) continue;
        uint64_t node = t.id.index * merkle::kTileWidth + i;
        if (t.id.level == 0) {
          return Status::Corruption("log entry " + std::to_string(node) +
                                    ": data does not match its stored leaf hash");
        }
        return Status::Corruption("hash tile " + TileName(t.id) + ": stored hash of node " +
                                  std::to_string(t.id.level * merkle::kTileHeight) + "/" +
                                  std::to_string(node) + " does not match the leaves");
      }
      return Status::Corruption("hash tile " + TileName(t.id) + " holds " +
                                std::to_string(stored->width()) + " hashes, expected " +
                                std::to_string(t.width()));
    }
    return Status::Ok();
  };

  // Reading from the store and hashing overlap: while one window of leaves
  // is hashed, the next is read on another thread. The store's connection is
  // used by one thread at a time: tile comparisons run only between reads.
  constexpr uint64_t kWindow = 16384;
  struct Window {
    std::string bytes;            // the leaves, back to back
    std::vector<size_t> offsets;  // where each leaf ends in `bytes`
  };
  auto fetch = [this](uint64_t begin, uint64_t end) -> Result<Window> {
    Window w;
    w.offsets.reserve(end - begin);
    uint64_t want = begin;
    RETURN_IF_ERROR(store_.ScanEntries(begin, end, [&](uint64_t idx, std::string_view data) {
      if (idx != want)
        return Status::Corruption("log entry " + std::to_string(want) + " is missing");
      w.bytes.append(data);
      w.offsets.push_back(w.bytes.size());
      ++want;
      return Status::Ok();
    }));
    if (want != end) return Status::Corruption("log entry " + std::to_string(want) + " is missing");
    return w;
  };
  std::future<Result<Window>> next;
  if (n > 0) next = std::async(std::launch::async, fetch, 0, std::min(n, kWindow));
  std::vector<merkle::Tile> pending;
  for (uint64_t begin = 0; begin < n; begin += kWindow) {
    Result<Window> window = next.get();
    Status cmp = compare(pending);  // the connection is free until the next fetch starts
    pending.clear();
    if (!window.ok() || !cmp.ok()) return window.ok() ? cmp : window.status();
    uint64_t after = begin + kWindow;
    if (after < n)
      next = std::async(std::launch::async, fetch, after, std::min(n, after + kWindow));
    std::string_view bytes = window->bytes;
    size_t at = 0;
    for (size_t end : window->offsets) {
      builder.Add(merkle::LeafHash(bytes.substr(at, end - at)));
      at = end;
    }
    expect = begin + window->offsets.size();
    for (merkle::Tile& t : builder.TakeCompleted()) pending.push_back(std::move(t));
    if (progress) progress(expect, n);
  }
  RETURN_IF_ERROR(compare(pending));
  if (expect != n) return Status::Corruption("log entry " + std::to_string(expect) + " is missing");
  RETURN_IF_ERROR(compare(builder.TakeDirty()));
  if (progress) progress(n, n);

  report.size = n;
  if (n == 0) {
    report.root = merkle::EmptyRoot();
  } else {
    auto reader = ReaderOver(store_);
    ASSIGN_OR_RETURN(report.root, merkle::RootAt(reader, n));
  }

  // The latest checkpoint: signed, for this origin, and matching the tree.
  ASSIGN_OR_RETURN(std::string cp_note, Checkpoint());
  std::vector<note::VerifierKey> trusted = keys.empty() ? std::vector{verifier_} : keys;
  auto verified = note::Verify(cp_note, trusted);
  if (!verified.ok()) return verified.status().WithContext("latest checkpoint");
  for (const auto& v : verified->verified) report.signers.push_back(v.key.name);
  ASSIGN_OR_RETURN(note::Checkpoint cp, note::ParseCheckpoint(verified->note.text));
  if (cp.origin != origin_) {
    return Status::Corruption("latest checkpoint is for origin \"" + cp.origin +
                              "\", the log's origin is \"" + origin_ + "\"");
  }
  if (cp.size > n) {
    return Status::Corruption("latest checkpoint commits to " + std::to_string(cp.size) +
                              " entries but the log holds " + std::to_string(n) +
                              " (entries from index " + std::to_string(n) + " are missing)");
  }
  auto reader = ReaderOver(store_);
  ASSIGN_OR_RETURN(Hash cp_root, merkle::RootAt(reader, cp.size));
  if (cp_root != cp.root) {
    return Status::Corruption("latest checkpoint root does not match the tree at size " +
                              std::to_string(cp.size));
  }
  report.checkpoint_size = cp.size;

  // Every checkpoint the log has kept (one per committed batch): each must
  // be signed, for this origin, stored under its own size, within the log,
  // and commit to the log's root at that size. A stored checkpoint larger
  // than the log means the log lost entries it had signed for (a damaged or
  // rolled-back database); an edited row fails its signature or its root.
  Status history = store_.ScanCheckpoints([&](uint64_t size, std::string_view text) -> Status {
    Status s =
        CheckKnown(text, trusted, n, "stored checkpoint of size " + std::to_string(size), size);
    if (s.ok()) ++report.checkpoints_checked;
    return s;
  });
  if (!history.ok()) return history;
  return report;
}

Status Log::CheckKnown(std::string_view text, const std::vector<note::VerifierKey>& trusted,
                       uint64_t n, const std::string& what, std::optional<uint64_t> stored_as) {
  auto v = note::Verify(text, trusted);
  if (!v.ok()) return v.status().WithContext(what);
  auto c = note::ParseCheckpoint(v->note.text);
  if (!c.ok()) return c.status().WithContext(what);
  if (c->origin != origin_) {
    return Status::Corruption(what + " is for origin \"" + c->origin + "\", the log's is \"" +
                              origin_ + "\"");
  }
  if (stored_as && c->size != *stored_as) {
    return Status::Corruption(what + " commits to size " + std::to_string(c->size));
  }
  if (c->size > n) {
    return Status::Corruption("the log holds " + std::to_string(n) +
                              " entries but it signed a checkpoint of size " +
                              std::to_string(c->size) + " (" + what + "; entries from index " +
                              std::to_string(n) + " are missing)");
  }
  auto reader = ReaderOver(store_);
  ASSIGN_OR_RETURN(Hash at, merkle::RootAt(reader, c->size));
  if (at != c->root) {
    return Status::Corruption(what + ": its root does not match the log at size " +
                              std::to_string(c->size));
  }
  return Status::Ok();
}

Status Log::CheckCheckpoint(std::string_view note, const std::vector<note::VerifierKey>& keys,
                            const std::string& what) {
  ASSIGN_OR_RETURN(uint64_t n, store_.Size());
  std::vector<note::VerifierKey> trusted = keys.empty() ? std::vector{verifier_} : keys;
  return CheckKnown(note, trusted, n, what, std::nullopt);
}

}  // namespace accord::log
