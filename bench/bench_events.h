// Helpers shared by the registry benchmarks: failing loudly on a non-OK
// result, and presigned events built the way registry/demo.cc builds them.
#pragma once

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "domain/envelope.h"
#include "domain/state.h"
#include "note/note.h"
#include "registry/demo.h"
#include "registry/registry.h"
#include "storage/sqlite/entity_store.h"
#include "storage/sqlite/log_store.h"
#include "util/encoding.h"
#include "util/status.h"

namespace accord_bench {

template <typename T>
T Check(accord::Result<T> r, const char* what) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}
inline void Check(const accord::Status& s, const char* what) {
  if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.ToString());
}

// A fresh registry file at `db` (its node key beside it, at db + ".skey"),
// opened as a bare store with the typed projection tables defined, for
// benchmarks that write rows straight into those tables.
struct RowTablesDb {
  std::unique_ptr<accord::storage::SqliteLogStore> store;
  std::unique_ptr<accord::storage::SqliteEntityStore> entities;
};
inline RowTablesDb CreateRowTablesDb(const std::string& db) {
  const std::string key = db + ".skey";
  accord::note::Signer node = accord::note::Signer::Generate("bench/node");
  FILE* kf = std::fopen(key.c_str(), "w");
  if (kf == nullptr) throw std::runtime_error("cannot write " + key);
  std::fputs((node.Encode() + "\n").c_str(), kf);
  std::fclose(kf);
  Check(accord::registry::Registry::Create(db, "bench/node", node, key), "create registry");
  RowTablesDb out;
  out.store = Check(accord::storage::SqliteLogStore::Open(db), "open store");
  out.entities = std::make_unique<accord::storage::SqliteEntityStore>(out.store->db());
  for (const accord::domain::RowTableSpec& t : accord::domain::RowTables()) {
    accord::storage::RowTable table{t.name, {}, t.key_columns};
    for (const auto& [name, integer] : t.columns) table.columns.push_back({name, integer});
    Check(out.entities->DefineTable(table), "define table");
  }
  return out;
}

// Presigned events as canonical JSON text.
class Events {
 public:
  explicit Events(const accord::registry::DemoKeys& keys) : keys_(keys) {}

  std::string Add(const std::string& party, const std::string& actor, const std::string& date,
                  const std::string& type, const std::string& subject, nlohmann::json body) const {
    nlohmann::json e = {
        {"v", 1},         {"type", type},       {"time", date + "T00:00:00Z"}, {"party", party},
        {"actor", actor}, {"subject", subject}, {"body", std::move(body)}};
    const accord::note::Signer* s = party == "RU"   ? keys_.ru
                                    : party == "UZ" ? keys_.uz
                                                    : keys_.node;
    std::string message = Check(accord::domain::SigningMessage(e), "signing message");
    e["key"] = accord::domain::KeyIdHex(s->key_id());
    e["sig"] = accord::Base64Encode(s->Sign(message));
    return Check(accord::domain::CanonicalJson(e), "canonical json");
  }

 private:
  const accord::registry::DemoKeys& keys_;
};

}  // namespace accord_bench
