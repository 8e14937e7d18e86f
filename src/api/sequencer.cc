#include "api/sequencer.h"

#include <ctime>
#include <map>

namespace accord::api {

Result<std::unique_ptr<Sequencer>> Sequencer::Start(SequencerOptions options) {
  std::unique_ptr<Sequencer> s(new Sequencer(std::move(options)));
  ASSIGN_OR_RETURN(s->registry_, registry::Registry::Open(s->options_.db, /*writable=*/true,
                                                          s->options_.registry));
  ASSIGN_OR_RETURN(s->store_, ApiStore::Open(s->options_.db));
  s->thread_ = std::thread([p = s.get()] { p->Run(); });
  return s;
}

Sequencer::~Sequencer() {
  Stop();
}

WriteOutcome Sequencer::Submit(WriteRequest request) {
  std::future<WriteOutcome> f;
  {
    util::MutexLock lock(&mu_);
    if (stopping_) {
      return {Status::ResourceExhausted("the server is shutting down; retry later"), {}, {}};
    }
    queue_.push_back(Pending{std::move(request), {}});
    f = queue_.back().done.get_future();
  }
  cv_.Signal();
  return f.get();
}

void Sequencer::Stop() {
  {
    util::MutexLock lock(&mu_);
    stopping_ = true;
  }
  cv_.SignalAll();
  if (thread_.joinable()) thread_.join();
}

void Sequencer::Run() {
  while (true) {
    std::vector<Pending> batch;
    {
      util::MutexLock lock(&mu_);
      while (queue_.empty() && !stopping_) cv_.Wait(&mu_);
      if (queue_.empty()) return;  // stopping, and everything queued is done
      size_t events = 0;
      while (!queue_.empty() && batch.size() < options_.max_batch_requests &&
             (batch.empty() ||
              events + queue_.front().request.events.size() <= options_.max_batch_events)) {
        events += queue_.front().request.events.size();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Process(batch);
    ++batches_;
    if (options_.committed) options_.committed();
  }
}

void Sequencer::Process(std::vector<Pending>& batch) {
  std::vector<WriteOutcome> out(batch.size());
  std::vector<bool> resolved(batch.size(), false);
  // Requests repeating a key of an earlier request of this batch: index of
  // that request.
  std::map<size_t, size_t> duplicate_of;
  std::map<std::pair<std::string, std::string>, size_t> first_with_key;
  for (size_t i = 0; i < batch.size(); ++i) {
    const WriteRequest& r = batch[i].request;
    if (r.idempotency_key.empty()) continue;
    auto [it, inserted] = first_with_key.emplace(std::make_pair(r.user, r.idempotency_key), i);
    if (!inserted) {
      duplicate_of[i] = it->second;
      resolved[i] = true;
      continue;
    }
    auto stored = store_->GetIdempotent(r.user, r.idempotency_key);
    if (!stored.ok()) {
      out[i].status = stored.status();
      resolved[i] = true;
    } else if (*stored) {
      resolved[i] = true;
      if ((*stored)->request_hash != r.request_hash) {
        out[i].status = Status::FailedPrecondition("Idempotency-Key \"" + r.idempotency_key +
                                                   "\" was already used for a different request");
      } else {
        out[i].replay = std::move(*stored);
      }
    }
  }

  std::vector<size_t> active;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!resolved[i]) active.push_back(i);
  }
  auto record_one = [&](size_t i) {
    auto r = registry_->Record(batch[i].request.events, nullptr, /*keep_going=*/false);
    if (!r.ok()) {
      out[i].status = r.status();
    } else {
      out[i].recorded = std::move(r->recorded);
    }
  };
  if (active.size() == 1) {
    record_one(active[0]);
  } else if (active.size() > 1) {
    std::vector<registry::Submission> all;
    for (size_t i : active) {
      for (const registry::Submission& s : batch[i].request.events) all.push_back(s);
    }
    auto r = registry_->Record(all, nullptr, /*keep_going=*/false);
    if (r.ok() && r->recorded.size() == all.size()) {
      size_t at = 0;
      for (size_t i : active) {
        size_t n = batch[i].request.events.size();
        out[i].recorded.assign(r->recorded.begin() + at, r->recorded.begin() + at + n);
        at += n;
      }
    } else {
      // Something in the batch was refused: record each request on its own.
      for (size_t i : active) record_one(i);
    }
  }

  // Remember the keys of the requests that succeeded.
  if (options_.render) {
    std::vector<size_t> keyed;
    for (size_t i : active) {
      if (out[i].status.ok() && !batch[i].request.idempotency_key.empty()) keyed.push_back(i);
    }
    if (!keyed.empty()) {
      int64_t now = options_.clock ? options_.clock() : static_cast<int64_t>(std::time(nullptr));
      std::vector<IdempotentRecord> records;
      for (size_t i : keyed) {
        const WriteRequest& r = batch[i].request;
        IdempotentResponse resp = options_.render(r, out[i]);
        resp.request_hash = r.request_hash;
        records.push_back({r.user, r.idempotency_key, std::move(resp)});
      }
      Status s = store_->PutIdempotent(records, now);
      // The events are committed either way; a lost key only means a retry
      // is not recognised.
      (void)s;
    }
  }

  for (const auto& [dup, first] : duplicate_of) {
    const WriteRequest& r = batch[dup].request;
    const WriteRequest& f = batch[first].request;
    if (r.request_hash != f.request_hash) {
      out[dup].status = Status::FailedPrecondition("Idempotency-Key \"" + r.idempotency_key +
                                                   "\" was already used for a different request");
    } else if (!out[first].status.ok()) {
      out[dup].status = out[first].status;
    } else if (out[first].replay) {
      out[dup].replay = out[first].replay;
    } else if (options_.render) {
      IdempotentResponse resp = options_.render(f, out[first]);
      resp.request_hash = f.request_hash;
      out[dup].replay = resp;
    }
  }
  for (size_t i = 0; i < batch.size(); ++i) batch[i].done.set_value(std::move(out[i]));
}

}  // namespace accord::api
