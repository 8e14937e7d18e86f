// The `accord` commands, free of any argument-parsing library: main.cc parses
// flags with CLI11 into these option structs and calls the Run* functions,
// which return the process exit code (see cli/io.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace accord::cli {

struct KeygenOptions {
  std::string name;
  std::string out_dir = ".";
};
int RunKeygen(const KeygenOptions& o);

struct KeyVkeyOptions {
  std::string skey;
  bool cosigner = false;
};
int RunKeyVkey(const KeyVkeyOptions& o);

struct NoteSignOptions {
  std::string key;
  std::string input = "-";
};
int RunNoteSign(const NoteSignOptions& o);

struct NoteVerifyOptions {
  std::vector<std::string> vkeys;
  std::string input = "-";
};
int RunNoteVerify(const NoteVerifyOptions& o);

struct LogInitOptions {
  std::string db, origin, key;
};
int RunLogInit(const LogInitOptions& o);

struct LogAppendOptions {
  std::string db;
  std::string key;  // empty: the key file recorded at init
  bool hex = false;
  std::string input = "-";
};
int RunLogAppend(const LogAppendOptions& o);

struct LogRootOptions {
  std::string db;
  std::optional<uint64_t> size;
};
int RunLogRoot(const LogRootOptions& o);

struct LogProveOptions {
  std::string db;
  uint64_t index = 0;
  std::optional<uint64_t> size;
};
int RunLogProve(const LogProveOptions& o);

struct LogConsistencyOptions {
  std::string db;
  uint64_t from = 0;
  std::optional<uint64_t> to;
};
int RunLogConsistency(const LogConsistencyOptions& o);

struct VerifyProofOptions {
  std::string file;
};
int RunVerifyProof(const VerifyProofOptions& o);

struct LogCheckpointOptions {
  std::string db;
};
int RunLogCheckpoint(const LogCheckpointOptions& o);

struct LogVerifyOptions {
  std::string db;
  std::vector<std::string> vkeys;
  // A C2SP tlog-policy file: the latest checkpoint must also meet its quorum.
  std::string policy;
};
int RunLogVerify(const LogVerifyOptions& o);

struct LogCosignOptions {
  std::string db, key;
};
int RunLogCosign(const LogCosignOptions& o);

}  // namespace accord::cli

namespace accord::cli {

// Where the files a registry keeps outside its database go (the node key,
// the demo's party keys): for an SQLite file "dir/name.db", beside it as
// "dir/name"; for a PostgreSQL URI, "<key_dir>/<database name>", key_dir
// defaulting to the current directory.
std::string KeyStem(const std::string& db, const std::string& key_dir);
// A registry's short name: the file's stem, or the URI's database name.
std::string DbName(const std::string& db);

struct InitOptions {
  std::string db;
  std::string origin;   // default: accord.local/<DbName(db)>
  std::string key_dir;  // for a URI: where the node key goes (default ".")
};
int RunInit(const InitOptions& o);

struct RecordOptions {
  std::string db;
  std::string key;
  bool keep_going = false;
  std::string input = "-";
};
int RunRecord(const RecordOptions& o);

struct DbOptions {
  std::string db;
};
int RunRebuild(const DbOptions& o);
int RunDigest(const DbOptions& o);
struct VerifyOptions {
  std::string db;
  std::vector<std::string> checkpoints;  // --checkpoint: kept elsewhere (a witness, a mirror)
};
int RunVerify(const VerifyOptions& o);

struct ShowOptions {
  std::string db;
  std::string what;  // agreements|...|contract|dvc: see RunShow
  std::string id;    // for `show contract ID` and `show dvc SHIPMENT`
  bool json = false;
  // Filters of the delivery lists.
  std::string contract, product, state, unit;
};
int RunShow(const ShowOptions& o);

struct EventsOptions {
  bool json = false;
  bool markdown = false;
};
// Lists every event type with its subject and body fields.
int RunEvents(const EventsOptions& o);

struct TraceOptions {
  std::string db;
  std::string product;
  std::string serial;
  bool json = false;
};
int RunTrace(const TraceOptions& o);

struct DemoOptions {
  std::string db;
  bool force = false;
  std::string key_dir;  // for a URI: where the node and party keys go (default ".")
};
int RunDemo(const DemoOptions& o);

// accord migrate: copies a registry (or a bare log) from one database to an
// empty other, each an SQLite file or a PostgreSQL URI: the log's entries,
// tiles, metadata and checkpoints, and the API users with their agreements
// (remembered Idempotency-Key responses are not copied); rebuilds the
// projections there and checks that the log root and the digest are equal
// on both sides.
struct MigrateOptions {
  std::string from, to;
  size_t batch = 5000;  // entries per transaction
};
int RunMigrate(const MigrateOptions& o);

}  // namespace accord::cli
