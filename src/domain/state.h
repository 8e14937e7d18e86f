// The state the domain rules decide against: entities (parties, agreements,
// contracts, ...) as JSON documents addressed by (kind, id).
//
// The rules read state through StateReader and answer with Changes; they
// never write. The registry applies the changes to its projection tables in
// the same transaction as the log append; tests use MemoryState.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "util/status.h"

namespace accord::domain {

class StateReader {
 public:
  virtual ~StateReader() = default;
  // The entity document, or nullopt if there is none.
  virtual Result<std::optional<nlohmann::json>> Get(std::string_view kind, std::string_view id) = 0;
};

// A row of a typed projection table (one of RowTables()): one value per
// column, in order; std::monostate is NULL. Same type as storage::RowValue.
using RowValue = std::variant<std::monostate, int64_t, std::string>;
struct Row {
  std::string table;
  std::vector<RowValue> values;
};

// A typed projection table: rows that reports aggregate in bulk (e.g. TIV
// per delivery) kept beside the entity documents, in the same transaction.
struct RowTableSpec {
  std::string name;
  std::vector<std::pair<std::string, bool>> columns;  // name, is integer (else text)
  size_t key_columns = 1;                             // the leading primary-key columns
};
// Every typed projection table the rules write to (defined with the rules
// that write them: history_rules.cc).
const std::vector<RowTableSpec>& RowTables();

// Set entity (kind, id) to `doc` (a whole new document), and put `rows`
// (insert or replace by key) into typed projection tables.
struct Change {
  std::string kind;
  std::string id;
  nlohmann::json doc;
  std::vector<Row> rows = {};
};

// An in-memory StateReader. Also what OverlayState keeps pending.
class MemoryState : public StateReader {
 public:
  Result<std::optional<nlohmann::json>> Get(std::string_view kind, std::string_view id) override {
    auto it = docs_.find(Key(kind, id));
    if (it == docs_.end()) return std::optional<nlohmann::json>();
    return std::optional<nlohmann::json>(it->second);
  }
  void Apply(const std::vector<Change>& changes) {
    for (const Change& c : changes) docs_[Key(c.kind, c.id)] = c.doc;
  }
  const std::map<std::pair<std::string, std::string>, nlohmann::json>& docs() const {
    return docs_;
  }

 private:
  static std::pair<std::string, std::string> Key(std::string_view kind, std::string_view id) {
    return {std::string(kind), std::string(id)};
  }
  std::map<std::pair<std::string, std::string>, nlohmann::json> docs_;
};

// Reads `base` through changes not yet written (the earlier events of the same
// batch).
class OverlayState : public StateReader {
 public:
  explicit OverlayState(StateReader& base) : base_(base) {}
  Result<std::optional<nlohmann::json>> Get(std::string_view kind, std::string_view id) override {
    ASSIGN_OR_RETURN(std::optional<nlohmann::json> pending, pending_.Get(kind, id));
    if (pending) return pending;
    return base_.Get(kind, id);
  }
  void Apply(const std::vector<Change>& changes) { pending_.Apply(changes); }

 private:
  StateReader& base_;
  MemoryState pending_;
};

}  // namespace accord::domain
