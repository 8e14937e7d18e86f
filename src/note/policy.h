// C2SP tlog-policy files (c2sp.org/tlog-policy): which logs a client
// trusts, which witnesses, and the quorum of cosignatures that makes a
// checkpoint valid.
//
//   log <vkey> [<url>]                 a log; the key name is its origin
//   witness <name> <vkey> [<url>]      a witness (cosigner key, type 0x04)
//   group <name> all|any|<k> <name>... at least k of the members (k = n, 1)
//   quorum <name>|none                 exactly one
//
// Lines are separated by newlines and their items by spaces and tabs; empty
// lines and lines starting with "#" are ignored. A group or the quorum names
// only witnesses and groups defined on earlier lines; witnesses and groups
// share one namespace, "none" is reserved; a member appears at most once in
// a group; two logs, or two witnesses, with the same public key are refused.
// Only tab, newline, 0x20-0x7E and 0x80-0xFF may appear; names are opaque
// bytes. Parse errors name the line. Pure functions; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "note/keys.h"
#include "util/status.h"

namespace accord::note {

struct PolicyLog {
  VerifierKey key;  // alg 0x01; key.name is the log's origin
  std::string url;  // may be empty
};

struct PolicyWitness {
  std::string name;
  VerifierKey key;  // alg 0x04 (Ed25519 cosignature/v1)
  std::string url;
};

struct PolicyGroup {
  std::string name;
  size_t threshold = 1;              // 1 <= threshold <= members.size()
  std::vector<std::string> members;  // witness or group names, defined earlier
};

struct Policy {
  std::vector<PolicyLog> logs;
  std::vector<PolicyWitness> witnesses;
  std::vector<PolicyGroup> groups;  // in file order: members come first
  std::string quorum;               // a witness or group name, or "none"
};

// Parses a policy file. InvalidArgument "policy line N: ..." otherwise.
Result<Policy> ParsePolicy(std::string_view text);

// What Verify found.
struct PolicyVerdict {
  std::string origin;
  uint64_t size = 0;
  std::string log;                     // the log key that signed (its name)
  std::vector<std::string> cosigners;  // policy names of the witnesses that cosigned
  bool quorum_met = false;
};

// Checks a signed checkpoint against `policy`: a signature by one of its
// logs whose key name is the checkpoint's origin (when the policy lists no
// log, by one of `log_keys`), and valid cosignatures from witnesses that
// satisfy the quorum. Signature lines by keys the policy does not know are
// ignored; a line by a known key that does not verify rejects the note.
// VerificationFailed naming what is missing (the verdict is then not
// returned); InvalidArgument for a note that does not parse.
Result<PolicyVerdict> VerifyWithPolicy(std::string_view note, const Policy& policy,
                                       const std::vector<VerifierKey>& log_keys = {});

}  // namespace accord::note
