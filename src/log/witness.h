// A C2SP tlog-witness (c2sp.org/tlog-witness, v1.0.0): the add-checkpoint
// call, without HTTP. A log submits "old <m>", a consistency proof from the
// size this witness last cosigned to a new checkpoint, a blank line and the
// checkpoint; the witness checks the log's signature and the proof, records
// the new checkpoint atomically (storage/witness_store.h) and answers with a
// tlog-cosignature/v1 line by its own key.
//
// Answers, in the order the checks are made:
//   400  the body is malformed (old size line, proof lines, blank line,
//        signed checkpoint), more than 63 proof lines, or old > size
//   404  no trusted log key has the checkpoint's origin as its name
//   403  no trusted key for the origin signed the checkpoint, or a line by
//        a trusted key does not verify
//   409  old differs from the size last cosigned for the origin (0 if none);
//        body "<size>\n", Content-Type text/x.tlog.size. Also, as v1.0.0
//        says, the same size with another root: refused with 409 (and the
//        same body) and kept as evidence ("fork")
//   422  a size-0 checkpoint whose root is not the empty tree's; a proof
//        given for old 0 or old = size; a consistency proof that does not
//        verify (kept as evidence, "inconsistent")
//   200  one cosignature line, text/plain; charset=utf-8
//   500  the witness's storage failed
// Thread-safe: requests are checked and stored one at a time per Witness;
// the store's compare-and-set keeps several witnesses on one database right.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "note/note.h"
#include "storage/witness_store.h"
#include "util/status.h"
#include "util/thread_annotations.h"

namespace accord::log {

inline constexpr size_t kMaxWitnessProofLines = 63;
inline constexpr std::string_view kTlogSizeContentType = "text/x.tlog.size";

struct WitnessAnswer {
  int status = 200;
  std::string content_type;  // of body
  std::string body;
  std::string message;  // why, for people and logs (the body for 4xx)
};

class Witness {
 public:
  // `key` cosigns; `logs` are the trusted log keys (alg 0x01), each naming
  // its log's origin. `clock` gives POSIX seconds (time(nullptr) if null).
  // InvalidArgument if `logs` is empty or holds a key of another type.
  static Result<std::unique_ptr<Witness>> Create(std::unique_ptr<storage::WitnessStore> store,
                                                 note::Signer key,
                                                 std::vector<note::VerifierKey> logs,
                                                 std::function<int64_t()> clock = nullptr);

  // Handles one add-checkpoint request body.
  WitnessAnswer AddCheckpoint(std::string_view body);

  // The cosigner key (alg 0x04) clients verify this witness's lines with.
  note::VerifierKey verifier() const { return key_.CosignerVerifier(); }

 private:
  Witness(std::unique_ptr<storage::WitnessStore> store, note::Signer key,
          std::vector<note::VerifierKey> logs, std::function<int64_t()> clock)
      : store_(std::move(store)),
        key_(std::move(key)),
        logs_(std::move(logs)),
        clock_(std::move(clock)) {}
  WitnessAnswer Check(std::string_view body) REQUIRES(mu_);
  int64_t Now() const;

  util::Mutex mu_;
  std::unique_ptr<storage::WitnessStore> store_ GUARDED_BY(mu_);
  note::Signer key_;
  std::vector<note::VerifierKey> logs_;
  std::function<int64_t()> clock_;
};

// "2026-01-02T03:04:05Z" for POSIX seconds.
std::string FormatUtc(int64_t seconds);

}  // namespace accord::log
