// A verifying mirror of a log served over C2SP tlog-tiles (c2sp.org/tlog-tiles
// v0.1.0), without HTTP and without Accord's domain: the proof logic is kept
// apart from the fetching, as transparency-dev's clients do. A TileSource
// hands over the three kinds of resources as bytes (an HTTP client in the
// adapters, a store in tests); MirrorSync decides what to fetch and checks
// it, and hands authenticated leaves to an ApplyFn (the registry, which
// replays them into its projections and appends them with
// Log::AppendVerified).
//
// One Sync() call, in this order:
//   1. the checkpoint: a signed note verified with the log's key (the one the
//      mirror was created with), for the mirror's origin;
//   2. its size against the last checkpoint the mirror verified (M): smaller
//      is a fault; equal must have the same root;
//   3. the hash tiles, authenticated against the checkpoint's root: the
//      partial rightmost tile of every level hashes (with the others of the
//      tree's compact range) to the root; every full tile hashes to its entry
//      in the tile above it, itself authenticated;
//   4. consistency: a consistency proof from M to the new size, built from the
//      authenticated tiles, verified against both roots (RFC 9162 §2.1.4.2);
//      entries the mirror already holds past M (an interrupted catch-up)
//      must give the new tree's root at their size;
//   5. entry bundles from the mirror's size on, one at a time: every entry's
//      leaf hash must equal the authenticated level-0 tile; then ApplyFn gets
//      the bundle's new leaves (and the checkpoint, which it stores as the
//      latest only with the last bundle, once the recomputed root matches).
//      The next bundle is fetched and hashed on a second thread meanwhile.
// A fault (a bad signature, another origin, a smaller size, a fork, tiles
// that do not hash to the root, a changed entry, an entry the ApplyFn
// refuses) stops Sync with VerificationFailed and fills `fault` with its
// kind, the index to blame and the evidence; nothing of the faulty bundle is
// applied. Bundles before it were authenticated against the same signed
// checkpoint and stay applied (the mirror's verified size does not move).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "log/log.h"
#include "merkle/tiles.h"
#include "util/status.h"

namespace accord::log {

// The resources of one log. Each call returns the body as served; NotFound
// for a resource beyond the tree, other errors as they come (network,
// authorization).
class TileSource {
 public:
  virtual ~TileSource() = default;
  // The latest checkpoint (a signed note).
  virtual Result<std::string> Checkpoint() = 0;
  // Hash tile `level`/`index` holding `width` hashes (1..256; 256: full).
  virtual Result<std::string> HashTile(uint32_t level, uint64_t index, uint64_t width) = 0;
  // Entry bundle `index` holding `width` entries.
  virtual Result<std::string> EntryBundle(uint64_t index, uint64_t width) = 0;
};

// Why a mirror stopped, for its operator and for the evidence it keeps.
struct MirrorFault {
  enum class Kind {
    kBadCheckpoint,  // not signed by the log's key, another origin, malformed
    kSmaller,        // smaller than the checkpoint last verified
    kInconsistent,   // not an extension of what the mirror verified (a fork)
    kBadTile,        // hash tiles that do not hash to the checkpoint's root
    kChangedEntry,   // an entry whose hash is not the tiles' (or a bad bundle)
    kRefusedEntry,   // an entry the ApplyFn refused (signature, rules)
  };
  Kind kind = Kind::kBadCheckpoint;
  std::optional<uint64_t> index;  // the entry to blame, if one is
  std::string message;
  // Text to keep: the checkpoints involved, the proof, the entry.
  std::string evidence;
};

const char* FaultKindName(MirrorFault::Kind kind);

// Applies leaves [first, first + leaves.size()) authenticated against
// `checkpoint` (a signed note whose size is >= their end). A refusal of one
// entry returns its index through `bad_index` with a non-OK Status; any
// other error leaves it unset.
using ApplyFn = std::function<Status(uint64_t first, std::span<const std::string> leaves,
                                     const std::string& checkpoint, uint64_t* bad_index)>;

struct SyncResult {
  uint64_t old_size = 0;   // the verified size before
  uint64_t size = 0;       // the verified size after
  uint64_t applied = 0;    // entries handed to ApplyFn
  uint64_t tiles = 0;      // hash tiles fetched
  std::string checkpoint;  // the checkpoint now verified
};

// Authenticated hash tiles of the tree of `size` leaves with root `root`
// (step 3 above), fetched from `source` on demand. Tiles above level 0 are
// kept (1/256 of the tree); level-0 tiles are fetched each time asked.
class VerifiedTiles {
 public:
  VerifiedTiles(TileSource& source, uint64_t size, const Hash& root)
      : source_(source), size_(size), root_(root) {}
  // Fetches the tiles of the tree's compact range and checks them against
  // the root. VerificationFailed if they do not hash to it.
  Status Init();
  // An authenticated tile. NotFound beyond the tree.
  Result<merkle::Tile> Get(const merkle::TileId& id);
  // How many hashes tile `id` holds in a tree of `size` leaves (0: none).
  static uint64_t Width(uint64_t size, const merkle::TileId& id);
  uint64_t fetched() const { return fetched_; }

 private:
  Result<merkle::Tile> Fetch(const merkle::TileId& id, uint64_t width);
  TileSource& source_;
  uint64_t size_;
  Hash root_;
  std::map<merkle::TileId, merkle::Tile> kept_;  // authenticated
  uint64_t fetched_ = 0;
};

// Splits an entry bundle into its entries (big-endian u16 length, then the
// bytes). InvalidArgument if it does not hold exactly `count` whole entries.
Result<std::vector<std::string>> ParseEntryBundle(std::string_view bundle, uint64_t count);

class MirrorSync {
 public:
  // `log` is the mirror's own log (read here, appended to by `apply`).
  MirrorSync(Log& log, TileSource& source, ApplyFn apply)
      : log_(log), source_(source), apply_(std::move(apply)) {}

  // Syncs to the source's current checkpoint (see the file comment).
  // `progress`, if given, gets (entries done, entries to do).
  Result<SyncResult> Sync(const std::function<void(uint64_t, uint64_t)>& progress = nullptr);

  // Set when Sync failed with a fault (VerificationFailed).
  const std::optional<MirrorFault>& fault() const { return fault_; }

 private:
  Status Fault(MirrorFault::Kind kind, std::optional<uint64_t> index, std::string message,
               std::string evidence);

  Log& log_;
  TileSource& source_;
  ApplyFn apply_;
  std::optional<MirrorFault> fault_;
};

}  // namespace accord::log
