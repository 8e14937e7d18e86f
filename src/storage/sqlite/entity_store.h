// EntityStore in the SQLite file of a SqliteLogStore (same connection, so the
// same transactions).
//
//   entities(kind TEXT, id TEXT, doc TEXT NOT NULL, idx INTEGER NOT NULL,
//            PRIMARY KEY(kind, id))
//   event_index(idx INTEGER PRIMARY KEY, type, subject, party, time, logged_at)
//     with an index on (subject, idx)
//   plus the typed tables callers define (DefineTable), with their rows.
#pragma once

#include <map>

#include "storage/entity_store.h"
#include "storage/sqlite/db.h"

namespace accord::storage {

class SqliteEntityStore : public EntityStore {
 public:
  explicit SqliteEntityStore(SqliteDb& db) : db_(db) {}

  Status EnsureSchema() override;
  Result<std::optional<std::string>> Get(std::string_view kind, std::string_view id) override;
  Result<std::vector<std::optional<std::string>>> GetMany(
      std::string_view kind, const std::vector<std::string>& ids) override;
  Status Put(std::string_view kind, std::string_view id, std::string_view doc,
             uint64_t idx) override;
  Status IndexEvent(const EventIndexRow& row) override;
  Status List(std::string_view kind,
              const std::function<Status(std::string_view, std::string_view)>& fn) override;
  Result<std::vector<EntityRow>> ListPage(std::string_view kind,
                                          const std::optional<std::string>& after,
                                          const std::vector<DocFilter>& filters,
                                          size_t limit) override;
  Result<std::vector<EventIndexRow>> EventsAbout(std::string_view subject) override;
  Status DefineTable(const RowTable& table) override;
  Status PutRow(std::string_view table, const std::vector<RowValue>& values) override;
  Status SumRows(std::string_view table, const std::vector<std::string>& group_by,
                 std::string_view sum_column, const std::vector<RowCondition>& where,
                 const std::function<Status(const RowGroup&)>& fn) override;
  Result<std::unique_ptr<RowCursor>> OpenRows(std::string_view table,
                                              const std::vector<std::string>& columns,
                                              const std::vector<RowCondition>& where) override;
  Status Clear() override;
  Result<std::string> Digest() override;

 private:
  struct Defined {
    RowTable spec;
    // SQL texts live here for the store's lifetime: SqliteDb caches prepared
    // statements by the text's address.
    std::string insert_sql, select_sql, delete_sql;
  };
  Result<const Defined*> Find(std::string_view table) const;
  // " WHERE a = ?1 AND ..." for `where` over the table's columns; the
  // values to bind, in order, go to `params`.
  Result<std::string> WhereClause(const Defined& d, const std::vector<RowCondition>& where,
                                  std::vector<RowValue>& params) const;

  SqliteDb& db_;
  std::map<std::string, Defined, std::less<>> tables_;
};

}  // namespace accord::storage
