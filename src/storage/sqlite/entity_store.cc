#include "storage/sqlite/entity_store.h"

#include <algorithm>

#include "crypto/sha256.h"
#include "storage/projection_digest.h"
#include "util/encoding.h"

namespace accord::storage {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS entities(kind TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,
  idx INTEGER NOT NULL, PRIMARY KEY(kind, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS event_index(idx INTEGER PRIMARY KEY, type TEXT NOT NULL,
  subject TEXT NOT NULL, party TEXT NOT NULL, time TEXT NOT NULL, logged_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS event_index_subject ON event_index(subject, idx);
)sql";

void BindValue(SqliteStmt& s, int i, const RowValue& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) {
    s.Bind(i, *n);
  } else if (const auto* t = std::get_if<std::string>(&v)) {
    s.BindText(i, *t);
  }  // monostate: left unbound, i.e. NULL
}

void BindRaw(sqlite3_stmt* s, int i, const RowValue& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) {
    sqlite3_bind_int64(s, i, *n);
  } else if (const auto* t = std::get_if<std::string>(&v)) {
    sqlite3_bind_text(s, i, t->data(), static_cast<int>(t->size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(s, i);
  }
}

RowValue ColumnValue(sqlite3_stmt* s, int col) {
  switch (sqlite3_column_type(s, col)) {
    case SQLITE_NULL:
      return std::monostate();
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(s, col));
    default: {
      const unsigned char* p = sqlite3_column_text(s, col);
      int n = sqlite3_column_bytes(s, col);
      return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    }
  }
}

// Owns a statement prepared outside the cache (SQL that varies per call).
class LocalStmt {
 public:
  explicit LocalStmt(sqlite3_stmt* s) : s_(s) {}
  ~LocalStmt() { sqlite3_finalize(s_); }
  LocalStmt(const LocalStmt&) = delete;
  LocalStmt& operator=(const LocalStmt&) = delete;
  sqlite3_stmt* get() { return s_; }

 private:
  sqlite3_stmt* s_;
};

}  // namespace

Status SqliteEntityStore::EnsureSchema() {
  return db_.Exec(kSchema);
}

Result<std::optional<std::string>> SqliteEntityStore::Get(std::string_view kind,
                                                          std::string_view id) {
  ASSIGN_OR_RETURN(SqliteStmt * s,
                   db_.Prepare("SELECT doc FROM entities WHERE kind = ?1 AND id = ?2"));
  s->Reset().BindText(1, kind).BindText(2, id);
  ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<std::string> doc;
  if (row) doc = std::string(s->Text(0));
  s->Reset();
  return doc;
}

Result<std::vector<std::optional<std::string>>> SqliteEntityStore::GetMany(
    std::string_view kind, const std::vector<std::string>& ids) {
  // In-process: one cached statement per id costs microseconds.
  std::vector<std::optional<std::string>> docs;
  docs.reserve(ids.size());
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(std::optional<std::string> doc, Get(kind, id));
    docs.push_back(std::move(doc));
  }
  return docs;
}

Status SqliteEntityStore::Put(std::string_view kind, std::string_view id, std::string_view doc,
                              uint64_t idx) {
  ASSIGN_OR_RETURN(SqliteStmt * s,
                   db_.Prepare("INSERT OR REPLACE INTO entities(kind, id, doc, idx) "
                               "VALUES (?1, ?2, ?3, ?4)"));
  s->Reset().BindText(1, kind).BindText(2, id).BindText(3, doc).Bind(4, static_cast<int64_t>(idx));
  return s->Run();
}

Status SqliteEntityStore::IndexEvent(const EventIndexRow& r) {
  ASSIGN_OR_RETURN(
      SqliteStmt * s,
      db_.Prepare("INSERT INTO event_index(idx, type, subject, party, time, logged_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  s->Reset()
      .Bind(1, static_cast<int64_t>(r.idx))
      .BindText(2, r.type)
      .BindText(3, r.subject)
      .BindText(4, r.party)
      .BindText(5, r.time)
      .BindText(6, r.logged_at);
  return s->Run();
}

Status SqliteEntityStore::List(
    std::string_view kind, const std::function<Status(std::string_view, std::string_view)>& fn) {
  ASSIGN_OR_RETURN(SqliteStmt * s,
                   db_.Prepare("SELECT id, doc FROM entities WHERE kind = ?1 ORDER BY id"));
  s->Reset().BindText(1, kind);
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Status st = fn(s->Text(0), s->Text(1));
    if (!st.ok()) {
      s->Reset();
      return st;
    }
  }
  s->Reset();
  return Status::Ok();
}

Result<std::vector<EntityRow>> SqliteEntityStore::ListPage(std::string_view kind,
                                                           const std::optional<std::string>& after,
                                                           const std::vector<DocFilter>& filters,
                                                           size_t limit) {
  // The SQL text depends only on the shape of the filters; every value and
  // path is a bound parameter. The primary key (kind, id) serves the range.
  std::vector<std::string> binds = {std::string(kind)};
  std::string sql = "SELECT id, doc FROM entities WHERE kind = ?1";
  if (after) {
    binds.push_back(*after);
    sql += " AND id > ?" + std::to_string(binds.size());
  }
  for (const DocFilter& f : filters) {
    if (f.paths.empty()) return Status::InvalidArgument("a document filter needs a path");
    binds.push_back(f.value);
    std::string value = "?" + std::to_string(binds.size());
    std::string any;
    for (const std::string& path : f.paths) {
      if (!path.starts_with("$.")) {
        return Status::InvalidArgument("document filter path \"" + path + "\" must start with $.");
      }
      any += any.empty() ? "" : " OR ";
      size_t star = path.find("[*]");
      if (star == std::string::npos) {
        binds.push_back(path);
        any += "json_extract(doc, ?" + std::to_string(binds.size()) + ") = " + value;
        continue;
      }
      binds.push_back(path.substr(0, star));
      std::string array = "?" + std::to_string(binds.size());
      binds.push_back("$" + path.substr(star + 3));
      std::string field = "?" + std::to_string(binds.size());
      any += "(json_type(doc, " + array + ") = 'array' AND EXISTS (SELECT 1 FROM json_each(doc, " +
             array + ") WHERE json_extract(json_each.value, " + field + ") = " + value + "))";
    }
    sql += " AND (" + any + ")";
  }
  sql += " ORDER BY id LIMIT " + std::to_string(limit);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.raw(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return db_.Error("prepare " + sql);
  }
  SqliteStmt s(db_.raw(), raw);
  for (size_t i = 0; i < binds.size(); ++i) s.BindText(static_cast<int>(i + 1), binds[i]);
  std::vector<EntityRow> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({std::string(s.Text(0)), std::string(s.Text(1))});
  }
  return out;
}

Result<std::vector<EventIndexRow>> SqliteEntityStore::EventsAbout(std::string_view subject) {
  ASSIGN_OR_RETURN(SqliteStmt * s, db_.Prepare("SELECT idx, type, subject, party, time, logged_at "
                                               "FROM event_index WHERE subject = ?1 ORDER BY idx"));
  s->Reset().BindText(1, subject);
  std::vector<EventIndexRow> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back({static_cast<uint64_t>(s->Int(0)), std::string(s->Text(1)),
                   std::string(s->Text(2)), std::string(s->Text(3)), std::string(s->Text(4)),
                   std::string(s->Text(5))});
  }
  s->Reset();
  return out;
}

Status SqliteEntityStore::DefineTable(const RowTable& t) {
  if (!IsSqlIdentifier(t.name) || t.name == "entities" || t.name == "event_index" ||
      t.name.starts_with("log_") || t.name.starts_with("sqlite_")) {
    return Status::InvalidArgument("projection table name \"" + t.name +
                                   "\" must be an identifier [a-z_][a-z0-9_]* of its own");
  }
  if (t.columns.empty() || t.key_columns == 0 || t.key_columns > t.columns.size()) {
    return Status::InvalidArgument("projection table " + t.name +
                                   ": needs columns and 1..columns key columns");
  }
  std::string cols, names, params, key;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const RowColumn& c = t.columns[i];
    if (!IsSqlIdentifier(c.name)) {
      return Status::InvalidArgument("projection table " + t.name + ": column name \"" + c.name +
                                     "\" must be an identifier [a-z_][a-z0-9_]*");
    }
    std::string sep = i ? ", " : "";
    cols += sep + c.name + (c.integer ? " INTEGER" : " TEXT");
    names += sep + c.name;
    params += sep + "?" + std::to_string(i + 1);
    if (i < t.key_columns) key += sep + c.name;
  }
  // Identifiers were checked above; values are always bound parameters.
  std::string create = "CREATE TABLE IF NOT EXISTS " + t.name + "(" + cols + ", PRIMARY KEY(" +
                       key + ")) WITHOUT ROWID";
  RETURN_IF_ERROR(db_.Exec(create.c_str()));
  Defined d;
  d.spec = t;
  d.insert_sql = "INSERT OR REPLACE INTO " + t.name + "(" + names + ") VALUES (" + params + ")";
  d.select_sql = "SELECT " + names + " FROM " + t.name + " ORDER BY " + key;
  d.delete_sql = "DELETE FROM " + t.name;
  tables_.insert_or_assign(t.name, std::move(d));
  return Status::Ok();
}

Result<const SqliteEntityStore::Defined*> SqliteEntityStore::Find(std::string_view table) const {
  auto it = tables_.find(table);
  if (it == tables_.end()) {
    return Status::InvalidArgument("no projection table " + std::string(table) + " is defined");
  }
  return &it->second;
}

Status SqliteEntityStore::PutRow(std::string_view table, const std::vector<RowValue>& values) {
  ASSIGN_OR_RETURN(const Defined* d, Find(table));
  if (values.size() != d->spec.columns.size()) {
    return Status::InvalidArgument("a row of " + d->spec.name + " needs " +
                                   std::to_string(d->spec.columns.size()) + " values, not " +
                                   std::to_string(values.size()));
  }
  ASSIGN_OR_RETURN(SqliteStmt * s, db_.Prepare(d->insert_sql.c_str()));
  s->Reset();
  for (size_t i = 0; i < values.size(); ++i) BindValue(*s, static_cast<int>(i + 1), values[i]);
  return s->Run();
}

namespace {

bool HasColumn(const RowTable& t, std::string_view name) {
  for (const RowColumn& c : t.columns) {
    if (c.name == name) return true;
  }
  return false;
}

// A cursor over its own prepared statement (finalized with the cursor).
class SqliteRowCursor : public RowCursor {
 public:
  SqliteRowCursor(SqliteDb& db, sqlite3_stmt* stmt, std::string sql, int columns)
      : db_(db), stmt_(stmt), sql_(std::move(sql)), columns_(columns) {}
  ~SqliteRowCursor() override { sqlite3_finalize(stmt_); }

  Result<bool> Next(std::vector<RowValue>& row) override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_DONE) return false;
    if (rc != SQLITE_ROW) return db_.Error("step " + sql_);
    row.resize(static_cast<size_t>(columns_));
    for (int i = 0; i < columns_; ++i) {
      switch (sqlite3_column_type(stmt_, i)) {
        case SQLITE_NULL:
          row[i] = std::monostate{};
          break;
        case SQLITE_INTEGER:
          row[i] = static_cast<int64_t>(sqlite3_column_int64(stmt_, i));
          break;
        default: {
          // Reuse the string's buffer when the cell was text before.
          const char* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
          auto n = static_cast<size_t>(sqlite3_column_bytes(stmt_, i));
          if (auto* str = std::get_if<std::string>(&row[i])) {
            str->assign(text, n);
          } else {
            row[i] = std::string(text, n);
          }
        }
      }
    }
    return true;
  }

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_;
  std::string sql_;
  int columns_;
};

}  // namespace

Result<std::string> SqliteEntityStore::WhereClause(const Defined& d,
                                                   const std::vector<RowCondition>& where,
                                                   std::vector<RowValue>& params) const {
  std::string sql;
  for (size_t i = 0; i < where.size(); ++i) {
    const RowCondition& c = where[i];
    if (!HasColumn(d.spec, c.column))
      return Status::InvalidArgument("no column " + c.column + " in " + d.spec.name);
    sql += (i ? " AND " : " WHERE ") + c.column;
    switch (c.op) {
      case RowCondition::Op::kEq:
        sql += " = ?";
        break;
      case RowCondition::Op::kGe:
        sql += " >= ?";
        break;
      case RowCondition::Op::kLe:
        sql += " <= ?";
        break;
      case RowCondition::Op::kNotNull:
        sql += " IS NOT NULL";
        continue;
      case RowCondition::Op::kIn:
        if (c.values.empty()) {
          sql += " IN (NULL)";  // true of no row
          continue;
        }
        sql += " IN (";
        for (size_t k = 0; k < PaddedInListSize(c.values.size()); ++k) {
          params.push_back(c.values[std::min(k, c.values.size() - 1)]);
          sql += (k ? ", ?" : "?") + std::to_string(params.size());
        }
        sql += ")";
        continue;
    }
    params.push_back(c.value);
    sql += std::to_string(params.size());
  }
  return sql;
}

Status SqliteEntityStore::SumRows(std::string_view table, const std::vector<std::string>& group_by,
                                  std::string_view sum_column,
                                  const std::vector<RowCondition>& where,
                                  const std::function<Status(const RowGroup&)>& fn) {
  ASSIGN_OR_RETURN(const Defined* d, Find(table));
  std::string groups;
  for (const std::string& g : group_by) {
    if (!HasColumn(d->spec, g))
      return Status::InvalidArgument("no column " + g + " in " + d->spec.name);
    groups += (groups.empty() ? "" : ", ") + g;
  }
  if (!HasColumn(d->spec, sum_column)) {
    return Status::InvalidArgument("no column " + std::string(sum_column) + " in " + d->spec.name);
  }
  std::vector<RowValue> params;
  ASSIGN_OR_RETURN(std::string filter, WhereClause(*d, where, params));
  std::string sql = "SELECT " + (groups.empty() ? std::string() : groups + ", ") + "SUM(" +
                    std::string(sum_column) + "), COUNT(*) FROM " + d->spec.name + filter;
  if (!groups.empty()) sql += " GROUP BY " + groups + " ORDER BY " + groups;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.raw(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return db_.Error("prepare " + sql);
  }
  LocalStmt stmt(raw);
  for (size_t i = 0; i < params.size(); ++i) BindRaw(raw, static_cast<int>(i + 1), params[i]);
  const int n = static_cast<int>(group_by.size());
  Status result;
  for (;;) {
    int rc = sqlite3_step(raw);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      result = db_.Error("step " + sql);
      break;
    }
    RowGroup g;
    for (int i = 0; i < n; ++i) g.keys.push_back(ColumnValue(raw, i));
    g.sum = sqlite3_column_int64(raw, n);
    g.rows = sqlite3_column_int64(raw, n + 1);
    if (g.rows == 0) continue;  // no GROUP BY over no rows still yields one row
    result = fn(g);
    if (!result.ok()) break;
  }
  return result;
}

Result<std::unique_ptr<RowCursor>> SqliteEntityStore::OpenRows(
    std::string_view table, const std::vector<std::string>& columns,
    const std::vector<RowCondition>& where) {
  ASSIGN_OR_RETURN(const Defined* d, Find(table));
  if (columns.empty()) return Status::InvalidArgument("OpenRows: name at least one column");
  std::string names, key;
  for (const std::string& c : columns) {
    if (!HasColumn(d->spec, c))
      return Status::InvalidArgument("no column " + c + " in " + d->spec.name);
    names += (names.empty() ? "" : ", ") + c;
  }
  for (size_t i = 0; i < d->spec.key_columns; ++i) {
    key += (i ? ", " : "") + d->spec.columns[i].name;
  }
  std::vector<RowValue> params;
  ASSIGN_OR_RETURN(std::string filter, WhereClause(*d, where, params));
  // Identifiers were checked against the defined table; values are bound.
  std::string sql = "SELECT " + names + " FROM " + d->spec.name + filter + " ORDER BY " + key;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.raw(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return db_.Error("prepare " + sql);
  }
  for (size_t i = 0; i < params.size(); ++i) BindRaw(raw, static_cast<int>(i + 1), params[i]);
  return std::unique_ptr<RowCursor>(
      new SqliteRowCursor(db_, raw, std::move(sql), static_cast<int>(columns.size())));
}

Status SqliteEntityStore::Clear() {
  RETURN_IF_ERROR(db_.Exec("DELETE FROM entities; DELETE FROM event_index;"));
  for (const auto& [name, d] : tables_) RETURN_IF_ERROR(db_.Exec(d.delete_sql.c_str()));
  return Status::Ok();
}

Result<std::string> SqliteEntityStore::Digest() {
  Sha256Stream h;
  h.Update(kProjectionDigestHeader);
  DigestField(h, "entities");
  ASSIGN_OR_RETURN(SqliteStmt * e,
                   db_.Prepare("SELECT kind, id, doc, idx FROM entities ORDER BY kind, id"));
  e->Reset();
  for (;;) {
    ASSIGN_OR_RETURN(bool row, e->Step());
    if (!row) break;
    DigestField(h, e->Text(0));
    DigestField(h, e->Text(1));
    DigestField(h, e->Text(2));
    DigestField(h, std::to_string(e->Int(3)));
  }
  e->Reset();
  DigestField(h, "event_index");
  ASSIGN_OR_RETURN(SqliteStmt * x, db_.Prepare("SELECT idx, type, subject, party, time, logged_at "
                                               "FROM event_index ORDER BY idx"));
  x->Reset();
  for (;;) {
    ASSIGN_OR_RETURN(bool row, x->Step());
    if (!row) break;
    DigestField(h, std::to_string(x->Int(0)));
    for (int c = 1; c <= 5; ++c) DigestField(h, x->Text(c));
  }
  x->Reset();
  for (const auto& [name, t] : tables_) {
    DigestField(h, name);
    ASSIGN_OR_RETURN(SqliteStmt * r, db_.Prepare(t.select_sql.c_str()));
    r->Reset();
    const int cols = static_cast<int>(t.spec.columns.size());
    for (;;) {
      ASSIGN_OR_RETURN(bool row, r->Step());
      if (!row) break;
      for (int c = 0; c < cols; ++c) {
        if (r->IsNull(c)) {
          DigestValue(h, std::monostate());
        } else if (t.spec.columns[c].integer) {
          DigestValue(h, r->Int(c));
        } else {
          DigestValue(h, std::string(r->Text(c)));
        }
      }
    }
    r->Reset();
  }
  Hash d = h.Finish();
  return HexEncode(AsBytes(d));
}

}  // namespace accord::storage
