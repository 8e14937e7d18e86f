// The verifiable log: an RFC 6962 Merkle tree over the leaves of a LogStore,
// with a C2SP checkpoint signed by the log's key after every committed batch.
//
// A Log is bound to one store (one connection) and is not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "merkle/proof.h"
#include "merkle/tiles.h"
#include "note/note.h"
#include "storage/log_store.h"
#include "util/status.h"

namespace accord::log {

// Keys in log_meta.
inline constexpr char kMetaOrigin[] = "origin";
inline constexpr char kMetaLogVkey[] = "log_vkey";
inline constexpr char kMetaCheckpoint[] = "checkpoint";
// A mirror (log/mirror.h): where it follows its log from, and the checkpoint
// an unfinished catch-up is heading for ("" when none).
inline constexpr char kMetaMirrorOf[] = "mirror_of";
inline constexpr char kMetaMirrorTarget[] = "mirror_target";

// Largest single leaf the log accepts: what a C2SP tlog-tiles entry bundle
// can carry (each entry has a big-endian u16 length).
inline constexpr size_t kMaxLeafSize = 65535;

struct VerifyReport {
  uint64_t size = 0;                 // leaves checked
  Hash root{};                       // recomputed root of all leaves
  uint64_t checkpoint_size = 0;      // size the latest checkpoint commits to
  uint64_t checkpoints_checked = 0;  // stored checkpoints (history) checked
  std::vector<std::string> signers;  // names of the keys that verified it
};

class Log {
 public:
  // Makes `store` (which must be empty) a log with this origin and key, and
  // signs the checkpoint of the empty tree.
  static Status Initialize(storage::LogStore& store, std::string_view origin,
                           const note::Signer& signer);
  // Makes `store` (which must be empty) a mirror of the log whose key is
  // `log_key` (an Ed25519 note key; its name is the log's origin), followed
  // from `source`. It holds no checkpoint until the first it has verified.
  static Status InitializeMirror(storage::LogStore& store, const note::VerifierKey& log_key,
                                 std::string_view source);
  // Opens the log in `store`. `signer` may be null for read-only use; Append
  // then fails. If given, its public key must be the log's own.
  static Result<std::unique_ptr<Log>> Open(storage::LogStore& store, const note::Signer* signer);

  const std::string& origin() const { return origin_; }
  const note::VerifierKey& verifier() const { return verifier_; }

  // Runs inside an append's transaction before anything of the log is
  // written, with the index the first new leaf will have; a non-OK result
  // aborts the whole append.
  using InTxnFn = std::function<Status(storage::LogWriteTxn&, uint64_t first)>;

  // Appends `leaves` in one transaction together with their hash tiles and a
  // newly signed checkpoint. Returns the index of the first leaf. On error
  // nothing is written.
  Result<uint64_t> Append(std::span<const std::string> leaves, const InTxnFn& in_txn = nullptr);

  // Produces the leaves inside the append's transaction, so that whoever
  // validates them against state written by earlier appends sees that state
  // under the log's write lock, and can write its own tables in the same
  // transaction. `produce` gets the index the first leaf will have. An error
  // from it, or an empty result, appends nothing (empty is not an error:
  // the result then has count 0).
  struct Appended {
    uint64_t first = 0;
    uint64_t count = 0;
  };
  using ProduceFn =
      std::function<Result<std::vector<std::string>>(storage::LogWriteTxn&, uint64_t first)>;
  Result<Appended> AppendProduced(const ProduceFn& produce);

  // For a mirror: appends `leaves`, which the caller has authenticated
  // against `checkpoint` (a note signed by the log's key whose size is at
  // least the size after the append), with their tiles, in one transaction
  // that `in_txn` runs in first. If the append reaches the checkpoint's size,
  // the recomputed root must be the checkpoint's (else VerificationFailed and
  // nothing is written) and the checkpoint becomes the latest one; otherwise
  // it is kept as the mirror's target (kMetaMirrorTarget). With no leaves,
  // the checkpoint must be of the current size. Needs no signing key.
  Result<uint64_t> AppendVerified(std::span<const std::string> leaves, std::string_view checkpoint,
                                  const InTxnFn& in_txn = nullptr);
  // The source a mirror follows, or nullopt if this log is not a mirror.
  Result<std::optional<std::string>> MirrorOf() { return store_.GetMeta(kMetaMirrorOf); }
  // The latest checkpoint, or nullopt if there is none yet (a mirror before
  // it has verified one).
  Result<std::optional<std::string>> LatestCheckpoint() { return store_.GetMeta(kMetaCheckpoint); }

  Result<uint64_t> Size() { return store_.Size(); }
  // Root of the first `size` leaves; `size` must not exceed Size().
  Result<Hash> Root(uint64_t size);
  // Audit path for leaf `index` in the tree of `size` leaves. If `tiles_read`
  // is given it receives the number of stored tiles read.
  Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                           uint64_t* tiles_read = nullptr);
  Result<std::vector<Hash>> ConsistencyProof(uint64_t size1, uint64_t size2);
  // Leaf hash of entry `index` (from the stored tiles).
  Result<Hash> LeafHashAt(uint64_t index);

  // The latest signed checkpoint note, with any cosignatures.
  Result<std::string> Checkpoint();
  // Adds cosignature lines (complete "— name sig" lines over the latest
  // checkpoint's text). Each must verify against one of `cosigners`.
  Status AddCosignatures(std::string_view lines, const std::vector<note::VerifierKey>& cosigners);
  // Adds cosignature lines over the text of the checkpoint recorded for
  // `size` to that checkpoint in the history, and to the latest checkpoint
  // if it is that one, in one write transaction. Every line must verify
  // against one of `cosigners` (else VerificationFailed and nothing is
  // written); a line by a key that already has a line on the checkpoint is
  // left out. `in_txn`, if given, runs in the same transaction (`first` is
  // `size`), e.g. to remember who cosigned. NotFound if no checkpoint of
  // `size` is recorded. Returns the number of lines added.
  Result<size_t> AddCosignaturesAt(uint64_t size, std::string_view lines,
                                   const std::vector<note::VerifierKey>& cosigners,
                                   const InTxnFn& in_txn = nullptr);

  // Recomputes the tree from every stored leaf, compares it with every stored
  // hash tile and checks the latest checkpoint and every stored one (origin,
  // size, root at its size and a signature by one of `keys`, or by the log's
  // own key if `keys` is empty); a checkpoint larger than the log fails,
  // naming both sizes. The first problem found fails, naming the entry, tile
  // or checkpoint. Reads only: it never writes to the store. `progress`, if
  // given, is called now and then with (leaves checked, total).
  Result<VerifyReport> Verify(const std::vector<note::VerifierKey>& keys,
                              const std::function<void(uint64_t, uint64_t)>& progress = nullptr);

  // Checks a checkpoint of this log kept outside its store (`what` names it
  // in messages: a file, a witness's or a mirror's copy): signed by one of
  // `keys` (or the log's own key), for this origin, not larger than the log
  // (else an error naming both sizes) and with the log's root at its size.
  // Reads only. REQUIRES: the stored tiles verified (Verify).
  Status CheckCheckpoint(std::string_view note, const std::vector<note::VerifierKey>& keys,
                         const std::string& what);

 private:
  Log(storage::LogStore& store, const note::Signer* signer) : store_(store), signer_(signer) {}
  Result<merkle::TileBuilder> LoadBuilder(storage::LogReader& reader, uint64_t size);
  std::string SignCheckpoint(uint64_t size, const Hash& root) const;
  // The checks of CheckCheckpoint against a log of `n` entries; with
  // `stored_as`, the note must also commit to that size.
  Status CheckKnown(std::string_view text, const std::vector<note::VerifierKey>& trusted,
                    uint64_t n, const std::string& what, std::optional<uint64_t> stored_as);

  storage::LogStore& store_;
  const note::Signer* signer_;
  std::string origin_;
  note::VerifierKey verifier_;
  std::optional<merkle::TileBuilder> builder_;  // cached right edge of the tree
};

}  // namespace accord::log
