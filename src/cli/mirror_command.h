// `accord mirror`: keep a verified copy of another node's log and its
// projections (log/mirror.h for what is checked, api/tile_client.h for the
// fetching).
#pragma once

#include <string>

namespace accord::cli {

struct MirrorOptions {
  std::string db;        // the mirror's registry (created if missing)
  std::string from;      // the node's base URL
  std::string log_vkey;  // the log's verifier key file
  std::string token;     // for entry bundles (role admin or node there)
  std::string key_dir;   // for a postgresql:// --db: where evidence goes (default ".")
  bool once = false;
  double interval = 10;  // seconds between syncs without --once
};

// Syncs once (--once) or every `interval` seconds until SIGINT/SIGTERM.
// Exit 0 when synced (or stopped by a signal between syncs); 3 when the log
// fails a check (a fault: the message names the index, and the evidence is
// written to "<stem>.mirror-evidence-<time>.txt" beside the database, or in
// --key-dir for a URI); a token refused (401/403) exits 2; other failures
// (network, files) exit as elsewhere in the CLI (cli/io.h).
int RunMirror(const MirrorOptions& o);

}  // namespace accord::cli
