// accord mirror (cli/mirror_command.h).
#include "cli/mirror_command.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "api/tile_client.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "log/mirror.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "util/encoding.h"

namespace accord::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int) {
  g_stop.store(true);
}

// Writes the evidence of a fault to a new file; returns its path ("" if it
// could not be written, said on stderr).
std::string WriteEvidence(const MirrorOptions& o, const log::MirrorFault& f) {
  std::time_t now = std::time(nullptr);
  char stamp[32];
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  std::string stem = KeyStem(o.db, o.key_dir) + ".mirror-evidence-" + stamp;
  std::string path = stem + ".txt";
  for (int i = 2; std::filesystem::exists(path); ++i)
    path = stem + "-" + std::to_string(i) + ".txt";
  std::string text = "accord mirror evidence\n";
  text += "time: " + std::string(stamp) + "\n";
  text += "source: " + o.from + "\n";
  text += "mirror: " + o.db + "\n";
  text += "kind: " + std::string(log::FaultKindName(f.kind)) + "\n";
  if (f.index) text += "index: " + std::to_string(*f.index) + "\n";
  text += "message: " + f.message + "\n\n" + f.evidence;
  if (Status s = WriteNewFile(path, text, 0644); !s.ok()) {
    std::cerr << "accord: could not write the evidence: " << s.message() << "\n";
    return "";
  }
  return path;
}

// Opens the mirror at o.db, creating it if there is none.
Result<std::unique_ptr<registry::Registry>> OpenMirror(const MirrorOptions& o,
                                                       const note::VerifierKey& key,
                                                       log::TileSource& source) {
  ASSIGN_OR_RETURN(storage::Backend backend, storage::BackendOf(o.db));
  bool missing = false;
  if (backend == storage::Backend::kSqlite) {
    missing = !std::filesystem::exists(o.db);
  } else {
    auto existing = storage::OpenDatabase(o.db);  // an empty database holds no registry yet
    missing = !existing.ok() && existing.status().code() == StatusCode::kNotFound;
  }
  if (missing) {
    // A node that cannot be reached leaves no empty mirror behind.
    auto probe = source.Checkpoint();
    if (!probe.ok()) return probe.status().WithContext("mirror of " + o.from);
    RETURN_IF_ERROR(registry::Registry::CreateMirror(o.db, key, o.from));
    std::cerr << "created mirror " << o.db << " of " << key.name << "\n";
  }
  ASSIGN_OR_RETURN(auto reg, registry::Registry::Open(o.db, /*writable=*/false));
  if (!reg->mirror_of()) {
    return Status::FailedPrecondition(o.db +
                                      " is a registry with a log of its own, not a mirror; "
                                      "give a new --db for the mirror");
  }
  if (reg->log().verifier().Encode() != key.Encode()) {
    return Status::FailedPrecondition(o.db + " mirrors the log of key " +
                                      reg->log().verifier().Encode() + ", not --log-vkey " +
                                      key.Encode());
  }
  if (*reg->mirror_of() != o.from) {
    std::cerr << "note: " << o.db << " was created as a mirror of " << *reg->mirror_of()
              << "; following the same log (same key) from " << o.from << "\n";
  }
  return reg;
}

// Progress on stderr: a line that rewrites itself on a terminal, else a
// line every 10 s of a long catch-up.
class Progress {
 public:
  explicit Progress(bool tty) : tty_(tty) {}
  void operator()(uint64_t done, uint64_t total) {
    if (total == 0) return;
    auto now = std::chrono::steady_clock::now();
    if (done == 0) start_ = now;
    if (tty_) {
      std::fprintf(stderr, "\rmirroring %llu/%llu entries (%d%%)",
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                   static_cast<int>(100 * done / total));
      if (done == total) std::fputc('\n', stderr);
      std::fflush(stderr);
    } else if (now - last_ >= std::chrono::seconds(10) && done > 0 && done < total) {
      last_ = now;
      std::fprintf(stderr, "mirroring %llu/%llu entries (%d%%)\n",
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                   static_cast<int>(100 * done / total));
    }
    if (g_stop.load()) {
      // Between two committed bundles: the next run resumes here.
      std::fprintf(stderr, "%sinterrupted after %llu of %llu entries; run again to resume\n",
                   tty_ ? "\n" : "", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
      std::fflush(stderr);
      std::_Exit(kExitOk);
    }
  }
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  bool tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

}  // namespace

int RunMirror(const MirrorOptions& o) {
  if (!o.once && !(o.interval > 0)) {
    return Fail(Status::InvalidArgument("--interval must be more than 0 seconds"));
  }
  auto key = LoadVerifier(o.log_vkey);
  if (!key.ok()) return Fail(key.status().WithContext("--log-vkey"));
  if (key->alg != note::kAlgEd25519) {
    return Fail(Status::InvalidArgument("--log-vkey " + o.log_vkey +
                                        " is a cosigner key; give the log's own key (type 0x01)"));
  }
  auto source = api::HttpTileSource::Open(o.from, o.token);
  if (!source.ok()) return Fail(source.status());
  auto reg = OpenMirror(o, *key, **source);
  if (!reg.ok()) return Fail(reg.status());
  registry::Registry& r = **reg;

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  log::MirrorSync sync(
      r.log(), **source,
      [&r](uint64_t first, std::span<const std::string> leaves, const std::string& checkpoint,
           uint64_t* bad) { return r.AppendMirrored(first, leaves, checkpoint, bad); });
  const bool tty = StderrIsTerminal();
  while (true) {
    Progress progress(tty);
    auto done = sync.Sync([&progress](uint64_t d, uint64_t t) { progress(d, t); });
    if (!done.ok()) {
      if (const auto& f = sync.fault()) {
        if (tty) std::cerr << "\n";
        std::string where = WriteEvidence(o, *f);
        std::cerr << "accord: mirror stopped: " << f->message << "\n";
        if (!where.empty()) std::cerr << "evidence written to " << where << "\n";
        auto size = r.log().Size();
        std::cerr << "nothing of it was committed; the mirror keeps its verified checkpoint";
        if (size.ok()) std::cerr << " (it holds " << *size << " entries)";
        std::cerr << "\n";
        return kExitFailure;
      }
      if (o.once) {
        Status s = done.status().WithContext("mirror of " + o.from);
        // The operator's token, not the log, is at fault.
        bool token =
            s.code() == StatusCode::kUnauthenticated || s.code() == StatusCode::kPermissionDenied;
        int rc = Fail(s);
        return token ? kExitBadInput : rc;
      }
      std::cerr << "accord: mirror of " << o.from << ": " << done.status().message()
                << " (trying again in " << o.interval << " s)\n";
    } else if (done->size != done->old_size || o.once) {
      std::string root;
      if (auto n = note::ParseNote(done->checkpoint); n.ok()) {
        if (auto c = note::ParseCheckpoint(n->text); c.ok()) root = HexEncode(AsBytes(c->root));
      }
      if (done->size == done->old_size) {
        std::cerr << "mirror up to date at size " << done->size << "\n";
      } else {
        double secs = progress.seconds();
        std::cerr << "mirror verified size " << done->size << " (was " << done->old_size
                  << "): " << done->applied << " entries replayed, " << done->tiles
                  << " hash tiles, root " << root;
        if (done->applied > 0 && secs > 0) {
          std::cerr << ", " << static_cast<uint64_t>(done->applied / secs) << " entries/s";
        }
        std::cerr << "\n";
      }
    }
    if (o.once) return kExitOk;
    for (double waited = 0; waited < o.interval && !g_stop.load(); waited += 0.1) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (g_stop.load()) return kExitOk;
  }
}

}  // namespace accord::cli
