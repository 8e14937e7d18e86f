// accord demo: a registry holding the seed's world as signed events.
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/io.h"
#include "registry/demo.h"
#include "storage/database.h"

namespace accord::cli {

int RunDemo(const DemoOptions& o) {
  namespace fs = std::filesystem;
  auto backend = storage::BackendOf(o.db);
  if (!backend.ok()) return Fail(backend.status());
  const bool file = *backend == storage::Backend::kSqlite;
  // Keys go beside an SQLite file, or into --key-dir for a PostgreSQL URI.
  std::string stem = KeyStem(o.db, o.key_dir);
  fs::path keys_dir = stem + ".keys";
  std::vector<fs::path> ours = {stem + ".node.skey", stem + ".node.vkey", keys_dir};
  if (file) {
    for (const char* suffix : {"", "-wal", "-shm"}) ours.emplace_back(o.db + suffix);
  }
  bool exists = false;
  for (const auto& p : ours) exists = exists || fs::exists(p);
  if (exists && !o.force) {
    return Fail(Status::AlreadyExists(o.db + " (or its keys) already exists; the demo builds a new "
                                             "registry — give --force to replace it"));
  }
  std::error_code ec;
  // A PostgreSQL database is never dropped: `init` below refuses one that
  // is not empty.
  for (const auto& p : ours) fs::remove_all(p, ec);

  if (int rc = RunInit({o.db, "accord.demo/registry", o.key_dir}); rc != kExitOk) return rc;
  fs::create_directories(keys_dir, ec);
  // Owner-only whatever the umask: it holds the parties' signing keys.
  if (!ec) fs::permissions(keys_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return Fail(Status::IoError("cannot create " + keys_dir.string() + ": " + ec.message()));
  note::Signer ru = note::Signer::Generate("ru.demo/mod");
  note::Signer uz = note::Signer::Generate("uz.demo/mod");
  for (const auto& [name, key] : {std::pair{"ru", &ru}, {"uz", &uz}}) {
    std::string base = (keys_dir / name).string();
    if (Status s = WriteNewFile(base + ".skey", key->Encode() + "\n", 0600); !s.ok())
      return Fail(s);
    if (Status s = WriteNewFile(base + ".vkey", key->Verifier().Encode() + "\n", 0644); !s.ok()) {
      return Fail(s);
    }
  }
  auto registry = registry::Registry::Open(o.db, /*writable=*/true);
  if (!registry.ok()) return Fail(registry.status());
  auto node = LoadSigner(stem + ".node.skey");
  if (!node.ok()) return Fail(node.status());
  auto n = registry::RecordDemo(**registry, {&*node, &ru, &uz});
  if (!n.ok()) return Fail(n.status().WithContext("demo scenario"));
  auto report = (*registry)->log().Verify({});
  if (!report.ok()) return Fail(report.status());
  std::cout << "recorded " << *n << " demo events; party keys in " << keys_dir.string()
            << "\ntry: accord show agreements --db " << o.db
            << "\n     accord show contract RU-UZ-2018-001 --db " << o.db << "\n";
  return kExitOk;
}

}  // namespace accord::cli
