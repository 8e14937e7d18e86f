// The HTTP workers' read connections: each request borrows a Reader (a
// read-only Registry, the log store and the API's store over the same file)
// and gives it back, so readers never wait for the sequencer's writes and a
// worker does not reopen the file on every request. Readers are opened on
// demand and kept; the pool grows to the number of concurrent requests.
// Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/store.h"
#include "registry/registry.h"
#include "storage/database.h"
#include "util/status.h"
#include "util/thread_annotations.h"

namespace accord::api {

// One worker's read connections.
struct Reader {
  std::unique_ptr<registry::Registry> registry;
  std::unique_ptr<storage::Database> db;
  storage::LogStore* log_store = nullptr;  // db->log()
  std::unique_ptr<ApiStore> store;
};

class ReaderPool {
 public:
  ReaderPool(std::string db, registry::Options options)
      : db_(std::move(db)), options_(std::move(options)) {}

  // A free reader, or a new one (opening its connections).
  Result<std::unique_ptr<Reader>> Acquire() EXCLUDES(mu_) {
    {
      util::MutexLock lock(&mu_);
      if (!free_.empty()) {
        auto r = std::move(free_.back());
        free_.pop_back();
        return r;
      }
    }
    auto r = std::make_unique<Reader>();
    ASSIGN_OR_RETURN(r->registry, registry::Registry::Open(db_, /*writable=*/false, options_));
    ASSIGN_OR_RETURN(r->db, storage::OpenDatabase(db_));
    r->log_store = &r->db->log();
    ASSIGN_OR_RETURN(r->store, ApiStore::Open(db_));
    return r;
  }
  // Returns a reader for the next request.
  void Release(std::unique_ptr<Reader> r) EXCLUDES(mu_) {
    util::MutexLock lock(&mu_);
    free_.push_back(std::move(r));
  }

 private:
  std::string db_;
  registry::Options options_;
  util::Mutex mu_;
  std::vector<std::unique_ptr<Reader>> free_ GUARDED_BY(mu_);
};

}  // namespace accord::api
