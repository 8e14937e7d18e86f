// Projection tables: the current state of every entity as a document, and an
// index of the events that shaped it. The documents are opaque text here
// (the layers above store canonical JSON); this layer only keeps them
// transactional with the log, lists them and digests them.
//
// All writes happen inside a log append's write transaction (same connection),
// so projections and log never disagree after a crash.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace accord::storage {

struct EventIndexRow {
  uint64_t idx = 0;
  std::string type;
  std::string subject;
  std::string party;
  std::string time;
  std::string logged_at;
};

class EntityStore {
 public:
  virtual ~EntityStore() = default;

  // Creates the projection tables if they do not exist.
  virtual Status EnsureSchema() = 0;
  virtual Result<std::optional<std::string>> Get(std::string_view kind, std::string_view id) = 0;
  // Inserts or replaces; `idx` is the log index of the event that made it.
  virtual Status Put(std::string_view kind, std::string_view id, std::string_view doc,
                     uint64_t idx) = 0;
  virtual Status IndexEvent(const EventIndexRow& row) = 0;
  // Calls fn(id, doc) for every entity of `kind`, ordered by id.
  virtual Status List(std::string_view kind,
                      const std::function<Status(std::string_view, std::string_view)>& fn) = 0;
  // Events about `subject`, in log order.
  virtual Result<std::vector<EventIndexRow>> EventsAbout(std::string_view subject) = 0;
  // Deletes every projection row (before a rebuild).
  virtual Status Clear() = 0;
  // SHA-256 (hex) over the canonical content of every projection table:
  // each table's name, then its rows in primary-key order.
  virtual Result<std::string> Digest() = 0;
};

}  // namespace accord::storage
