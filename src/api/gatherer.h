// The log's side of C2SP tlog-witness (c2sp.org/tlog-witness): the sequencer
// asks every witness of a C2SP tlog-policy to cosign its latest checkpoint
// and keeps the cosignatures with that checkpoint.
//
// One worker thread per witness that has a URL in the policy, each with its
// own database connection and keep-alive HTTP connection. A worker always
// works on the latest checkpoint: woken by Notify() (the sequencer calls it
// after every commit), or every `poll` (to pick up appends by other
// processes, and to retry a witness that failed, backing off up to
// `max_backoff`), it reads the latest checkpoint and, unless that checkpoint
// already carries a line by its witness's key, sends
//
//     POST <url>/add-checkpoint          (url: the policy's "submission prefix")
//     old <m>
//     <consistency proof from m to n, one base64 hash a line>
//     <empty line>
//     <the signed checkpoint of size n, as stored>
//
// where m is the size the witness last cosigned, as far as this log knows
// (log_meta "witness_cosigned:<witness vkey>", else 0). A 409 answer with
// Content-Type text/x.tlog.size carries the witness's size: the worker
// retries once, from that size. A 200 answer must hold a tlog-cosignature/v1
// line by the witness's key from the policy that verifies over the
// checkpoint (lines by other keys are ignored; a line by that key that does
// not verify, or a zero timestamp, refuses the answer). The line is added to
// the stored checkpoint of size n (log::Log::AddCosignaturesAt: the history,
// and the latest if it still is), and n recorded as the witness's size, in
// one write transaction.
//
// A 429 answer pauses that witness's worker for its Retry-After (seconds,
// 1 if absent, at most `max_backoff`), new checkpoints or not.
//
// Gathering is off the write path: the sequencer only signals, and a witness
// that is down or slow holds up its own worker only. One exchange (the
// request and its retry) gets `timeout` in all: connecting, each send and
// each receive are bounded by what is left of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sha256.h"
#include "note/keys.h"
#include "note/policy.h"
#include "util/status.h"
#include "util/thread_annotations.h"

namespace accord::api {

struct GathererOptions {
  std::string db;  // the log's database locator (each worker opens its own connection)
  note::Policy policy;
  std::chrono::milliseconds timeout{5000};  // one exchange with one witness, retry included
  std::chrono::milliseconds poll{1000};     // re-read the latest checkpoint at least this often
  std::chrono::milliseconds max_backoff{30000};  // longest wait before retrying a failed witness
  // Called (from worker threads) with one line for each change worth telling
  // an operator: a witness failing, recovering, answering 409. May be null.
  std::function<void(const std::string&)> log;
};

// What a worker knows of its witness (for diagnostics and tests).
struct WitnessState {
  std::string name;            // the policy's name
  std::string url;             // the submission prefix
  uint64_t cosigned_size = 0;  // the size the witness last cosigned, as far as known
  uint64_t cosignatures = 0;   // cosignatures stored since start
  uint64_t conflicts = 0;      // 409 answers followed by a retry
  std::string error;           // the last exchange's failure; empty if it succeeded
};

class Gatherer {
 public:
  // Checks the policy against the log at `db` and starts one worker per
  // witness with a URL. InvalidArgument if the policy lists logs and none is
  // this log's key, if no witness has a URL, or if a URL is not
  // http(s)://HOST[:PORT][/PREFIX]. Witnesses without a URL are left out
  // (said through `log`).
  static Result<std::unique_ptr<Gatherer>> Start(GathererOptions options);
  ~Gatherer();
  Gatherer(const Gatherer&) = delete;
  Gatherer& operator=(const Gatherer&) = delete;

  // A checkpoint was committed: every worker looks at the latest one now.
  // Cheap; safe from any thread.
  void Notify() EXCLUDES(mu_);
  // Stops the workers (an exchange in flight is cut off) and joins them.
  // Idempotent.
  void Stop() EXCLUDES(mu_);

  std::vector<WitnessState> Witnesses() const EXCLUDES(mu_);

 private:
  struct Worker;
  explicit Gatherer(GathererOptions options);
  void Run(Worker& w) EXCLUDES(mu_);
  Status Exchange(Worker& w) EXCLUDES(mu_);
  void Tell(const std::string& line) const;

  GathererOptions options_;
  std::vector<std::unique_ptr<Worker>> workers_;
  mutable util::Mutex mu_;
  util::CondVar cv_;
  uint64_t generation_ GUARDED_BY(mu_) = 0;  // Notify() calls so far
  bool stopping_ GUARDED_BY(mu_) = false;
  std::vector<WitnessState> states_ GUARDED_BY(mu_);  // one per worker, same order
};

// --- The protocol's pieces, pure (tested on their own) -----------------------

// A witness URL from a policy, split for an HTTP client.
struct WitnessUrl {
  bool tls = false;
  std::string host;  // without brackets for IPv6
  int port = 0;      // 80 or 443 unless given
  std::string path;  // the prefix without a trailing "/", plus "/add-checkpoint"
};
// Parses http://HOST[:PORT][/PREFIX] or https://...; no user info, query or
// fragment. InvalidArgument saying what is expected.
Result<WitnessUrl> ParseWitnessUrl(std::string_view url);

// The add-checkpoint request body: "old <m>\n", one base64 line per proof
// hash, "\n", then the signed checkpoint.
std::string AddCheckpointBody(uint64_t old_size, const std::vector<Hash>& proof,
                              std::string_view checkpoint);

// The size in a 409 answer's text/x.tlog.size body: a decimal and a newline.
Result<uint64_t> ParseTlogSize(std::string_view body);

// The first cosignature line by `witness` (alg 0x04) in a 200 answer to
// add-checkpoint of `checkpoint` (a signed note), verified over the
// checkpoint's text, with its newline. Lines by other keys are ignored.
// VerificationFailed if no line is by `witness`, if one by it does not
// verify, or if its timestamp is 0; InvalidArgument if the body is not
// signature lines.
Result<std::string> CosignatureFromAnswer(std::string_view checkpoint, std::string_view body,
                                          const note::VerifierKey& witness);

// The log_meta key that records the size `witness` last cosigned.
std::string WitnessSizeMetaKey(const note::VerifierKey& witness);

}  // namespace accord::api
