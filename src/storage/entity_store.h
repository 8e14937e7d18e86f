// Projection tables: the current state of every entity as a document, and an
// index of the events that shaped it. The documents are text here (the layers
// above store canonical JSON); this layer keeps them transactional with the
// log, lists them (ListPage filters on JSON paths) and digests them.
//
// All writes happen inside a log append's write transaction (same connection),
// so projections and log never disagree after a crash.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
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

// Typed projection tables: besides entity documents, a layer above may keep
// rows in tables of its own shape, e.g. one row per delivery so that reports
// aggregate millions of rows in SQL instead of parsing documents. What the
// rows mean is the caller's business; this layer creates the table, writes
// rows in the append's transaction, clears them and digests them.
//
// A cell: NULL, INTEGER or TEXT. (domain::RowValue is the same type.)
using RowValue = std::variant<std::monostate, int64_t, std::string>;

struct RowColumn {
  std::string name;      // an SQL identifier: [a-z_][a-z0-9_]*
  bool integer = false;  // INTEGER, else TEXT; either may hold NULL
};

struct RowTable {
  std::string name;  // an SQL identifier, not one of the store's own tables
  std::vector<RowColumn> columns;
  size_t key_columns = 1;  // the first key_columns columns are the primary key
};

// One condition of SumRows and OpenRows: `column` = / >= / <= value, IS NOT
// NULL, or IN values (kIn: one of `values`; none matches nothing).
struct RowCondition {
  enum class Op { kEq, kGe, kLe, kNotNull, kIn };
  std::string column;
  Op op = Op::kEq;
  RowValue value;
  std::vector<RowValue> values = {};  // kIn only
};

// How many parameters a backend binds for an IN list of n values: the next
// power of two (the last value repeated), so that a server backend prepares
// a few statements per list shape, not one per length.
inline size_t PaddedInListSize(size_t n) {
  size_t padded = 1;
  while (padded < n) padded *= 2;
  return padded;
}

// A condition of ListPage on an entity's document, which the layers above
// store as JSON: the string at one of `paths` equals `value`. A path is an
// SQLite/PostgreSQL-style JSON path ("$.contract"); "$.lines[*].product"
// matches the field of any element of the array "$.lines".
struct DocFilter {
  std::vector<std::string> paths;
  std::string value;
};

// One entity of a page: its id and document.
struct EntityRow {
  std::string id;
  std::string doc;
};

// One group of SumRows: the values of the group-by columns, the sum of the
// summed column and the number of rows.
struct RowGroup {
  std::vector<RowValue> keys;
  int64_t sum = 0;
  int64_t rows = 0;
};

// Rows of a typed table read one at a time (EntityStore::OpenRows). Several
// cursors may be open at once, e.g. to merge tables ordered by the same key.
// A cursor must not outlive its store, and no write may happen on the store
// while it is open.
class RowCursor {
 public:
  virtual ~RowCursor() = default;
  // Fills `row` (one value per selected column) and returns true, or returns
  // false at the end.
  virtual Result<bool> Next(std::vector<RowValue>& row) = 0;
};

class EntityStore {
 public:
  virtual ~EntityStore() = default;

  // Creates the projection tables if they do not exist.
  virtual Status EnsureSchema() = 0;
  virtual Result<std::optional<std::string>> Get(std::string_view kind, std::string_view id) = 0;
  // Get of several ids of one kind in one query (a server backend answers
  // them in one round trip): one entry per id, in the order of `ids`.
  virtual Result<std::vector<std::optional<std::string>>> GetMany(
      std::string_view kind, const std::vector<std::string>& ids) = 0;
  // Inserts or replaces; `idx` is the log index of the event that made it.
  virtual Status Put(std::string_view kind, std::string_view id, std::string_view doc,
                     uint64_t idx) = 0;
  virtual Status IndexEvent(const EventIndexRow& row) = 0;
  // Calls fn(id, doc) for every entity of `kind`, ordered by id.
  virtual Status List(std::string_view kind,
                      const std::function<Status(std::string_view, std::string_view)>& fn) = 0;
  // A page of entities of `kind` in id order (byte order): at most `limit`
  // entities whose id is after `after` (from the first if nullopt) and whose
  // documents match every filter. A keyset query: the store reads only the
  // rows of the page (and those the filters skip), never the whole kind.
  virtual Result<std::vector<EntityRow>> ListPage(std::string_view kind,
                                                  const std::optional<std::string>& after,
                                                  const std::vector<DocFilter>& filters,
                                                  size_t limit) = 0;
  // Events about `subject`, in log order.
  virtual Result<std::vector<EventIndexRow>> EventsAbout(std::string_view subject) = 0;
  // Creates the typed table if it does not exist and remembers it for
  // PutRow, Clear and Digest. Call it on every open, before any of those.
  // On a database opened read-only the table must exist already.
  virtual Status DefineTable(const RowTable& table) = 0;
  // Inserts or replaces (by primary key) a row of a defined table: one value
  // per column, in the table's column order.
  virtual Status PutRow(std::string_view table, const std::vector<RowValue>& values) = 0;
  // SELECT group_by..., SUM(sum_column), COUNT(*) FROM table WHERE every
  // condition holds GROUP BY group_by ORDER BY group_by; calls fn per group.
  // Column names must be columns of the defined table.
  virtual Status SumRows(std::string_view table, const std::vector<std::string>& group_by,
                         std::string_view sum_column, const std::vector<RowCondition>& where,
                         const std::function<Status(const RowGroup&)>& fn) = 0;
  // SELECT columns FROM table WHERE every condition holds ORDER BY the
  // primary key, as a cursor.
  virtual Result<std::unique_ptr<RowCursor>> OpenRows(std::string_view table,
                                                      const std::vector<std::string>& columns,
                                                      const std::vector<RowCondition>& where) = 0;
  // Deletes every projection row (before a rebuild), typed tables included.
  virtual Status Clear() = 0;
  // SHA-256 (hex) over the canonical content of every projection table:
  // each table's name, then its rows in primary-key order (the typed tables
  // after the store's own, in name order).
  virtual Result<std::string> Digest() = 0;
};

}  // namespace accord::storage
