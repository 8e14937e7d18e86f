// EntityStore in the PostgreSQL database of a PgLogStore (same connection, so
// the same transactions), with the tables and meanings of SQLite's
// (storage/sqlite/entity_store.h):
//
//   entities(kind TEXT, id TEXT, doc TEXT NOT NULL, idx BIGINT NOT NULL,
//            PRIMARY KEY(kind, id))
//   event_index(idx BIGINT PRIMARY KEY, type, subject, party, time, logged_at)
//     with an index on (subject, idx)
//   plus the typed tables callers define (DefineTable): BIGINT or TEXT.
//
// Every TEXT column collates "C" (byte order), so keyset pages, row cursors
// and the digest order rows exactly as SQLite does and the digest of the same
// content is the same on both backends. Document filters run as SQL/JSON
// paths (jsonb_path_exists) over the stored text.
#pragma once

#include <map>

#include "storage/entity_store.h"
#include "storage/postgres/pg.h"

namespace accord::storage {

class PgEntityStore : public EntityStore {
 public:
  explicit PgEntityStore(PgConn& conn) : c_(conn) {}

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
    std::string insert_sql, select_sql, delete_sql;
  };
  Result<const Defined*> Find(std::string_view table) const;
  // " WHERE a = $1 AND ..." for `where` over the table's columns; the
  // parameters, in order, go to `params`.
  Result<std::string> WhereClause(const Defined& d, const std::vector<RowCondition>& where,
                                  PgParams& params) const;
  // Runs schema SQL under the schema lock, in a transaction of its own
  // unless one is open (concurrent CREATE TABLE IF NOT EXISTS can collide).
  Status SchemaChange(const std::string& sql);

  PgConn& c_;
  std::map<std::string, Defined, std::less<>> tables_;
};

}  // namespace accord::storage
