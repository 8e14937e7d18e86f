// `accord serve` and `accord user ...`: the HTTP API's commands (src/api).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace accord::cli {

struct ServeOptions {
  std::string db;
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  std::string tls_cert, tls_key;
  std::string party_keys;  // directory of <party>.skey
  std::string static_dir;  // web UI files
  size_t threads = 64;
  double rate = 200;  // requests per second per token; 0: unlimited
  double burst = 400;
  size_t max_body = 8 << 20;
  bool no_group_commit = false;
  bool public_reports = false;            // reports readable without a token (observer level)
  bool insecure_http = false;             // plain HTTP off loopback
  std::string witness_key;                // --witness-key: the witness's own .skey
  std::vector<std::string> witness_logs;  // --witness-log: .vkey files of witnessed logs
  std::string read_db;                    // --read-db: a PostgreSQL hot standby of --db
  std::string policy;                     // --policy: gather cosignatures from its witnesses
  double cosign_timeout = 5;              // seconds per witness exchange
};
// Serves until SIGINT or SIGTERM; prints "serving http://HOST:PORT" on
// stderr once listening.
int RunServe(const ServeOptions& o);

struct UserAddOptions {
  std::string db, name, party, role;
};
int RunUserAdd(const UserAddOptions& o);

struct UserListOptions {
  std::string db;
  bool json = false;
};
int RunUserList(const UserListOptions& o);

struct UserNameOptions {
  std::string db, name;
};
int RunUserRevoke(const UserNameOptions& o);

struct UserAssignOptions {
  std::string db, name, agreement;
};
int RunUserAssign(const UserAssignOptions& o);

}  // namespace accord::cli
