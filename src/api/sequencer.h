// The single writer: one thread owns the writable Registry and records what
// concurrent requests submit, batching the requests waiting at the same time
// into one log append (group commit: one transaction, one fsync, one signed
// checkpoint for the whole batch).
//
// Each request stays all-or-nothing on its own: a batch is first tried as one
// transaction; if the registry refuses it, each of its requests is recorded in
// a transaction of its own, so one refused request never takes the others
// down with it. Submit() returns only after the request's transaction has
// committed (synchronous=FULL: it is on disk) or was refused.
//
// Idempotency: a request with a key is answered from the api_idempotency
// table if the same user already succeeded with that key; the sequencer checks
// and stores keys itself, so concurrent retries cannot both append. The key is
// stored right after the batch commits, in a second transaction: a crash
// between the two commits loses the key (a retry would then append again) but
// never an acknowledged event.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/store.h"
#include "registry/registry.h"
#include "util/thread_annotations.h"

namespace accord::api {

struct WriteRequest {
  // Events that carry "key" and "sig" (the server signs them for the party
  // before submitting).
  std::vector<registry::Submission> events;
  std::string user;
  std::string idempotency_key;  // empty: none
  std::string request_hash;     // identifies the request behind the key
};

struct WriteOutcome {
  Status status;  // OK, or why nothing of the request was appended
  std::vector<registry::Recorded> recorded;
  // Set when the request repeats an Idempotency-Key that already succeeded:
  // the response given then (nothing was appended now).
  std::optional<IdempotentResponse> replay;
};

struct SequencerOptions {
  std::string db;
  registry::Options registry;
  size_t max_batch_events = 10000;
  // 1 turns group commit off: one transaction per request.
  size_t max_batch_requests = 100000;
  // Renders the response stored for an Idempotency-Key after success.
  std::function<IdempotentResponse(const WriteRequest&, const WriteOutcome&)> render;
  std::function<int64_t()> clock;
  // Called on the sequencer thread after each batch (whatever it appended);
  // must be quick (the cosignature gatherer's Notify).
  std::function<void()> committed;
};

class Sequencer {
 public:
  static Result<std::unique_ptr<Sequencer>> Start(SequencerOptions options);
  ~Sequencer();

  // Queues the request and waits for its outcome. After Stop(), fails with
  // Unavailable-style ResourceExhausted.
  WriteOutcome Submit(WriteRequest request) EXCLUDES(mu_);
  // Records everything already queued, then stops the thread.
  void Stop() EXCLUDES(mu_);

  uint64_t batches() const { return batches_; }

 private:
  struct Pending {
    WriteRequest request;
    std::promise<WriteOutcome> done;
  };
  explicit Sequencer(SequencerOptions options) : options_(std::move(options)) {}
  void Run() EXCLUDES(mu_);
  // Runs on the sequencer thread without the lock: only that thread touches
  // registry_ and store_.
  void Process(std::vector<Pending>& batch) EXCLUDES(mu_);

  SequencerOptions options_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<ApiStore> store_;
  util::Mutex mu_;
  util::CondVar cv_;
  std::deque<Pending> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::atomic<uint64_t> batches_{0};
  std::thread thread_;
};

}  // namespace accord::api
