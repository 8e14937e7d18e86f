// The storage interface behind the log: leaves, hash tiles and a small
// key/value table of log metadata.
//
// Implementations (SQLite now, PostgreSQL later) must make a write
// transaction atomic and durable: after Commit() returns OK the batch survives
// a crash or power loss, and a crash before it leaves none of the batch. Only
// one write transaction is open at a time per store; readers see the last
// committed state and do not block the writer.
//
// The leaves live in `log_entries(idx INTEGER PRIMARY KEY, data BLOB NOT NULL)`
// in every implementation.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "merkle/tiles.h"
#include "util/status.h"

namespace accord::storage {

// Read access. Each call sees one committed state (or, on a write
// transaction, that transaction's own writes).
class LogReader {
 public:
  virtual ~LogReader() = default;

  // Number of leaves: one past the highest index.
  virtual Result<uint64_t> Size() = 0;
  // Leaves [begin, end); fails with NotFound if any is missing.
  virtual Result<std::vector<std::string>> ReadEntries(uint64_t begin, uint64_t end) = 0;
  // Calls `fn(index, data)` for each stored leaf with begin <= index < end in
  // index order, stopping at the first non-OK Status, which it returns.
  virtual Status ScanEntries(uint64_t begin, uint64_t end,
                             const std::function<Status(uint64_t, std::string_view)>& fn) = 0;
  // A stored tile; NotFound if absent.
  virtual Result<merkle::Tile> ReadTile(const merkle::TileId& id) = 0;
  // Calls `fn(tile)` for every stored tile of `level` in index order.
  virtual Status ScanTiles(uint32_t level,
                           const std::function<Status(const merkle::Tile&)>& fn) = 0;
  // Metadata value, or nullopt.
  virtual Result<std::optional<std::string>> GetMeta(std::string_view key) = 0;
};

class LogWriteTxn : public LogReader {
 public:
  // Appends leaves at first, first+1, ...; `first` must equal Size().
  virtual Status AppendEntries(uint64_t first, std::span<const std::string> leaves) = 0;
  // Inserts or replaces tiles.
  virtual Status PutTiles(std::span<const merkle::Tile> tiles) = 0;
  virtual Status PutMeta(std::string_view key, std::string_view value) = 0;
  // Records a signed checkpoint note for tree size `size` in the history
  // (replacing the one recorded for that size, e.g. to add cosignatures).
  virtual Status PutCheckpoint(uint64_t size, std::string_view note) = 0;
  // The checkpoint recorded for `size`, as this transaction sees it (its own
  // writes included), if any.
  virtual Result<std::optional<std::string>> CheckpointAt(uint64_t size) = 0;
  // Makes everything durable. The transaction is finished either way.
  virtual Status Commit() = 0;
  // Discards everything; also what destruction without Commit() does.
  virtual void Rollback() = 0;
};

class LogStore : public LogReader {
 public:
  // Starts the single write transaction; it holds the store's write lock
  // until Commit() or Rollback().
  virtual Result<std::unique_ptr<LogWriteTxn>> BeginWrite() = 0;
  // The signed checkpoint recorded for `size`, if any.
  virtual Result<std::optional<std::string>> CheckpointAt(uint64_t size) = 0;
  // Calls `fn(key, value)` for every metadata entry in key (byte) order, and
  // `fn(size, note)` for every recorded checkpoint in size order, stopping at
  // the first non-OK Status, which they return (to copy a log whole).
  virtual Status ScanMeta(const std::function<Status(std::string_view, std::string_view)>& fn) = 0;
  virtual Status ScanCheckpoints(const std::function<Status(uint64_t, std::string_view)>& fn) = 0;
};

}  // namespace accord::storage
