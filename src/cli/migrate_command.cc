// accord migrate: one registry copied between databases (cli/commands.h).
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/io.h"
#include "log/log.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "util/encoding.h"

namespace accord::cli {
namespace {

// A progress bar on a terminal's stderr, silent otherwise.
class Bar {
 public:
  Bar(std::string what, uint64_t total)
      : what_(std::move(what)), total_(total), on_(StderrIsTerminal()) {}
  void Update(uint64_t done) {
    if (!on_ || total_ == 0) return;
    const int width = 30;
    int fill = static_cast<int>(width * done / total_);
    std::fprintf(stderr, "\r%s [%s%s] %3d%% %llu/%llu", what_.c_str(),
                 std::string(fill, '#').c_str(), std::string(width - fill, ' ').c_str(),
                 static_cast<int>(100 * done / total_), static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total_));
    if (done == total_) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::string what_;
  uint64_t total_;
  bool on_;
};

struct Copied {
  uint64_t entries = 0, tiles = 0, checkpoints = 0, users = 0;
};

Status CopyLog(storage::Database& src, storage::Database& dst, size_t batch, Copied& n) {
  ASSIGN_OR_RETURN(uint64_t size, src.log().Size());
  Bar bar("copying log entries", size);
  for (uint64_t begin = 0; begin < size; begin += batch) {
    uint64_t end = std::min<uint64_t>(size, begin + batch);
    ASSIGN_OR_RETURN(std::vector<std::string> leaves, src.log().ReadEntries(begin, end));
    ASSIGN_OR_RETURN(auto txn, dst.log().BeginWrite());
    RETURN_IF_ERROR(txn->AppendEntries(begin, leaves));
    RETURN_IF_ERROR(txn->Commit());
    n.entries = end;
    bar.Update(end);
  }
  // Tiles, checkpoints and metadata in one last transaction: the metadata
  // (origin, latest checkpoint) makes the copy a log, so it lands whole.
  ASSIGN_OR_RETURN(auto txn, dst.log().BeginWrite());
  for (uint32_t level = 0;; ++level) {
    std::vector<merkle::Tile> tiles;
    RETURN_IF_ERROR(src.log().ScanTiles(level, [&](const merkle::Tile& t) {
      tiles.push_back(t);
      return Status::Ok();
    }));
    if (tiles.empty()) break;
    RETURN_IF_ERROR(txn->PutTiles(tiles));
    n.tiles += tiles.size();
  }
  RETURN_IF_ERROR(src.log().ScanCheckpoints([&](uint64_t at, std::string_view note) {
    ++n.checkpoints;
    return txn->PutCheckpoint(at, note);
  }));
  RETURN_IF_ERROR(src.log().ScanMeta(
      [&](std::string_view key, std::string_view value) { return txn->PutMeta(key, value); }));
  return txn->Commit();
}

Status CopyUsers(storage::Database& src, storage::Database& dst, Copied& n) {
  // The projection tables too, empty: the rebuild below fills them.
  RETURN_IF_ERROR(dst.entities().EnsureSchema());
  RETURN_IF_ERROR(src.accounts().EnsureSchema());
  RETURN_IF_ERROR(dst.accounts().EnsureSchema());
  ASSIGN_OR_RETURN(std::vector<storage::UserRecord> users, src.accounts().ListUsers());
  for (const storage::UserRecord& u : users) {
    RETURN_IF_ERROR(dst.accounts().InsertUser(u));
    ASSIGN_OR_RETURN(std::vector<std::string> agreements, src.accounts().Agreements(u.name));
    for (const std::string& a : agreements) RETURN_IF_ERROR(dst.accounts().AddAgreement(u.name, a));
    ++n.users;
  }
  return Status::Ok();
}

// The Merkle root of the whole log, recomputed from the stored tiles.
Result<std::string> RootOf(const std::string& db) {
  ASSIGN_OR_RETURN(auto store, storage::OpenDatabase(db));
  ASSIGN_OR_RETURN(auto log, log::Log::Open(store->log(), nullptr));
  ASSIGN_OR_RETURN(uint64_t size, log->Size());
  ASSIGN_OR_RETURN(Hash root, log->Root(size));
  return HexEncode(AsBytes(root));
}

}  // namespace

int RunMigrate(const MigrateOptions& o) {
  if (o.batch == 0) return Fail(Status::InvalidArgument("--batch must be at least 1"));
  if (o.from == o.to) {
    return Fail(Status::InvalidArgument("--from and --to name the same database " + o.from));
  }
  auto src = storage::OpenDatabase(o.from);
  if (!src.ok()) return Fail(src.status().WithContext("--from"));
  auto registry_format = (*src)->log().GetMeta(registry::kMetaFormat);
  if (!registry_format.ok()) return Fail(registry_format.status());
  // CreateDatabase refuses a destination that holds anything.
  auto dst = storage::CreateDatabase(o.to);
  if (!dst.ok()) return Fail(dst.status().WithContext("--to (migrate needs an empty destination)"));
  Copied n;
  if (Status s = CopyLog(**src, **dst, o.batch, n); !s.ok()) {
    return Fail(s.WithContext("copying the log to " + o.to));
  }
  const bool is_registry = registry_format->has_value();
  if (is_registry) {
    if (Status s = CopyUsers(**src, **dst, n); !s.ok()) {
      return Fail(s.WithContext("copying the API users"));
    }
  }
  src->reset();
  dst->reset();

  auto root_from = RootOf(o.from);
  auto root_to = RootOf(o.to);
  if (!root_from.ok()) return Fail(root_from.status().WithContext(o.from));
  if (!root_to.ok()) return Fail(root_to.status().WithContext(o.to));
  if (*root_from != *root_to) {
    return Fail(Status::Corruption("log roots differ after the copy: " + *root_from + " in " +
                                   o.from + ", " + *root_to + " in " + o.to));
  }
  std::string digest = "-";
  if (is_registry) {
    auto to = registry::Registry::Open(o.to, /*writable=*/false);
    if (!to.ok()) return Fail(to.status());
    auto replayed = (*to)->Rebuild();
    if (!replayed.ok()) return Fail(replayed.status().WithContext("rebuilding " + o.to));
    auto from = registry::Registry::Open(o.from, /*writable=*/false);
    if (!from.ok()) return Fail(from.status());
    auto d_from = (*from)->Digest();
    auto d_to = (*to)->Digest();
    if (!d_from.ok() || !d_to.ok()) return Fail(!d_from.ok() ? d_from.status() : d_to.status());
    if (*d_from != *d_to) {
      return Fail(Status::Corruption("projection digests differ after the rebuild: " + *d_from +
                                     " in " + o.from + ", " + *d_to + " in " + o.to));
    }
    digest = *d_to;
  }
  std::cout << "migrated " << n.entries << " log entries, " << n.tiles << " tiles, "
            << n.checkpoints << " checkpoints and " << n.users << " API users from " << o.from
            << " to " << o.to << "\nroot " << *root_to << " and digest " << digest
            << " equal on both sides\n";
  return kExitOk;
}

}  // namespace accord::cli
