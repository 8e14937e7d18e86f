#include "storage/postgres/entity_store.h"

#include <algorithm>
#include <unordered_map>

#include "crypto/sha256.h"
#include "storage/postgres/log_store.h"
#include "storage/projection_digest.h"
#include "util/encoding.h"

namespace accord::storage {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS entities(kind TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL,
  doc TEXT NOT NULL, idx BIGINT NOT NULL, PRIMARY KEY(kind, id));
CREATE TABLE IF NOT EXISTS event_index(idx BIGINT PRIMARY KEY, type TEXT COLLATE "C" NOT NULL,
  subject TEXT COLLATE "C" NOT NULL, party TEXT COLLATE "C" NOT NULL,
  time TEXT COLLATE "C" NOT NULL, logged_at TEXT COLLATE "C" NOT NULL);
CREATE INDEX IF NOT EXISTS event_index_subject ON event_index(subject, idx);
)sql";

constexpr int64_t kChunk = 1000;

// Identifiers are checked against [a-z_][a-z0-9_]* before they get here;
// quoting keeps PostgreSQL's reserved words (user, order, ...) usable.
std::string Q(std::string_view name) {
  return "\"" + std::string(name) + "\"";
}

void AddValue(PgParams& p, const RowValue& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) {
    p.Int(*n);
  } else if (const auto* t = std::get_if<std::string>(&v)) {
    p.Text(*t);
  } else {
    p.Null();
  }
}

RowValue CellValue(const PgResult& r, int row, int col, bool integer) {
  if (r.IsNull(row, col)) return std::monostate();
  if (integer) return r.Int(row, col);
  return std::string(r.Bytes(row, col));
}

const RowColumn* ColumnOf(const RowTable& t, std::string_view name) {
  for (const RowColumn& c : t.columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// "$.a.b" or "$.a[*].b" as an SQL/JSON path that holds where the string at
// that path equals $v. Keys are quoted (a key may be a path keyword); a
// path with [*] is lax (any element, elements without the key skipped), one
// without is strict (an array at the path is not unwrapped), as SQLite's
// json_extract compares.
Result<std::string> JsonPathFilter(const std::string& path) {
  auto bad = [&] {
    return Status::InvalidArgument("document filter path \"" + path +
                                   "\" must start with $. and name keys [A-Za-z0-9_], with at "
                                   "most one [*] after an array's key");
  };
  if (!path.starts_with("$.")) return bad();
  std::string out = "$";
  bool star = false;
  size_t i = 1;
  while (i < path.size()) {
    if (path[i] != '.') return bad();
    size_t j = i + 1;
    while (j < path.size() && (std::isalnum(static_cast<unsigned char>(path[j])) || path[j] == '_'))
      ++j;
    if (j == i + 1) return bad();
    out += ".\"" + path.substr(i + 1, j - i - 1) + "\"";
    if (path.compare(j, 3, "[*]") == 0) {
      if (star) return bad();
      star = true;
      out += "[*]";
      j += 3;
    }
    i = j;
  }
  return std::string(star ? "lax " : "strict ") + out + " ? (@ == $v)";
}

// A RowCursor over a PgCursor, decoding cells by the columns' types.
class PgRowCursor : public RowCursor {
 public:
  PgRowCursor(std::unique_ptr<PgCursor> cursor, std::vector<bool> integer)
      : cursor_(std::move(cursor)), integer_(std::move(integer)) {}
  Result<bool> Next(std::vector<RowValue>& row) override {
    ASSIGN_OR_RETURN(bool more, cursor_->Next());
    if (!more) return false;
    row.resize(integer_.size());
    for (size_t i = 0; i < integer_.size(); ++i) {
      row[i] = CellValue(cursor_->result(), cursor_->row(), static_cast<int>(i), integer_[i]);
    }
    return true;
  }

 private:
  std::unique_ptr<PgCursor> cursor_;
  std::vector<bool> integer_;
};

}  // namespace

Status PgEntityStore::SchemaChange(const std::string& sql) {
  // A hot standby (serve --read-db) refuses DDL; it has its primary's tables.
  ASSIGN_OR_RETURN(bool standby, c_.InRecovery());
  if (standby) return Status::Ok();
  const bool own = c_.txn() == PgConn::Txn::kNone;
  if (own) RETURN_IF_ERROR(c_.Begin(PgConn::Txn::kWrite));
  Status s = [&]() -> Status {
    ASSIGN_OR_RETURN(PgResult r,
                     c_.Exec("SELECT pg_advisory_xact_lock($1)", PgParams().Int(kPgSchemaLock)));
    return c_.ExecScript(sql.c_str());
  }();
  if (!own) return s;
  if (!s.ok()) {
    c_.Rollback();
    return s;
  }
  return c_.Commit();
}

Status PgEntityStore::EnsureSchema() {
  return SchemaChange(kSchema);
}

Result<std::optional<std::string>> PgEntityStore::Get(std::string_view kind, std::string_view id) {
  ASSIGN_OR_RETURN(PgResult r, c_.Exec("SELECT doc FROM entities WHERE kind = $1 AND id = $2",
                                       PgParams().Text(kind).Text(id)));
  if (r.rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(std::string(r.Bytes(0, 0)));
}

Result<std::vector<std::optional<std::string>>> PgEntityStore::GetMany(
    std::string_view kind, const std::vector<std::string>& ids) {
  // One round trip per chunk instead of one per id.
  constexpr size_t kChunkIds = 256;
  std::vector<std::optional<std::string>> docs(ids.size());
  for (size_t begin = 0; begin < ids.size(); begin += kChunkIds) {
    const size_t end = std::min(ids.size(), begin + kChunkIds);
    PgParams params;
    params.Text(kind);
    std::string sql = "SELECT id, doc FROM entities WHERE kind = $1 AND id IN (";
    for (size_t k = 0; k < PaddedInListSize(end - begin); ++k) {
      params.Text(ids[std::min(begin + k, end - 1)]);
      sql += (k ? ", $" : "$") + std::to_string(params.size());
    }
    sql += ")";
    ASSIGN_OR_RETURN(PgResult r, c_.Exec(sql, params));
    std::unordered_map<std::string_view, std::string_view> found;
    for (int row = 0; row < r.rows(); ++row) found.emplace(r.Bytes(row, 0), r.Bytes(row, 1));
    for (size_t i = begin; i < end; ++i) {
      auto it = found.find(ids[i]);
      if (it != found.end()) docs[i] = std::string(it->second);
    }
  }
  return docs;
}

Status PgEntityStore::Put(std::string_view kind, std::string_view id, std::string_view doc,
                          uint64_t idx) {
  return c_.ExecDeferred(
      "INSERT INTO entities(kind, id, doc, idx) VALUES ($1, $2, $3, $4) ON CONFLICT (kind, id) DO "
      "UPDATE SET doc = EXCLUDED.doc, idx = EXCLUDED.idx",
      PgParams().Text(kind).Text(id).Text(doc).Int(static_cast<int64_t>(idx)));
}

Status PgEntityStore::IndexEvent(const EventIndexRow& e) {
  return c_.ExecDeferred(
      "INSERT INTO event_index(idx, type, subject, party, time, logged_at) VALUES ($1, $2, $3, $4, "
      "$5, $6)",
      PgParams()
          .Int(static_cast<int64_t>(e.idx))
          .Text(e.type)
          .Text(e.subject)
          .Text(e.party)
          .Text(e.time)
          .Text(e.logged_at));
}

Status PgEntityStore::List(std::string_view kind,
                           const std::function<Status(std::string_view, std::string_view)>& fn) {
  // Keyset pages by id: a kind may hold more entities than fit in memory.
  std::optional<std::string> after;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<EntityRow> page, ListPage(kind, after, {}, kChunk));
    for (const EntityRow& e : page) RETURN_IF_ERROR(fn(e.id, e.doc));
    if (page.size() < static_cast<size_t>(kChunk)) return Status::Ok();
    after = page.back().id;
  }
}

Result<std::vector<EntityRow>> PgEntityStore::ListPage(std::string_view kind,
                                                       const std::optional<std::string>& after,
                                                       const std::vector<DocFilter>& filters,
                                                       size_t limit) {
  // The SQL text depends only on the shape of the filters; every value and
  // path is a parameter. The primary key (kind, id) serves the range.
  PgParams p;
  p.Text(kind);
  std::string sql = "SELECT id, doc FROM entities WHERE kind = $1";
  if (after) {
    p.Text(*after);
    sql += " AND id > $" + std::to_string(p.size());
  }
  for (const DocFilter& f : filters) {
    if (f.paths.empty()) return Status::InvalidArgument("a document filter needs a path");
    p.Text(f.value);
    std::string vars = "jsonb_build_object('v', $" + std::to_string(p.size()) + "::text)";
    std::string any;
    for (const std::string& path : f.paths) {
      ASSIGN_OR_RETURN(std::string jsonpath, JsonPathFilter(path));
      p.Text(jsonpath);
      any += (any.empty() ? "" : " OR ") + std::string("jsonb_path_exists(doc::jsonb, $") +
             std::to_string(p.size()) + "::jsonpath, " + vars + ", true)";
    }
    sql += " AND (" + any + ")";
  }
  p.Int(static_cast<int64_t>(limit));
  sql += " ORDER BY id LIMIT $" + std::to_string(p.size());
  ASSIGN_OR_RETURN(PgResult r, c_.Exec(sql, p));
  std::vector<EntityRow> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({std::string(r.Bytes(i, 0)), std::string(r.Bytes(i, 1))});
  }
  return out;
}

Result<std::vector<EventIndexRow>> PgEntityStore::EventsAbout(std::string_view subject) {
  ASSIGN_OR_RETURN(PgResult r, c_.Exec("SELECT idx, type, subject, party, time, logged_at FROM "
                                       "event_index WHERE subject = $1 ORDER BY idx",
                                       PgParams().Text(subject)));
  std::vector<EventIndexRow> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({static_cast<uint64_t>(r.Int(i, 0)), std::string(r.Bytes(i, 1)),
                   std::string(r.Bytes(i, 2)), std::string(r.Bytes(i, 3)),
                   std::string(r.Bytes(i, 4)), std::string(r.Bytes(i, 5))});
  }
  return out;
}

Status PgEntityStore::DefineTable(const RowTable& t) {
  if (!IsSqlIdentifier(t.name) || t.name == "entities" || t.name == "event_index" ||
      t.name.starts_with("log_") || t.name.starts_with("sqlite_") || t.name.starts_with("pg_")) {
    return Status::InvalidArgument("projection table name \"" + t.name +
                                   "\" must be an identifier [a-z_][a-z0-9_]* of its own");
  }
  if (t.columns.empty() || t.key_columns == 0 || t.key_columns > t.columns.size()) {
    return Status::InvalidArgument("projection table " + t.name +
                                   ": needs columns and 1..columns key columns");
  }
  std::string cols, names, params, key, update;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const RowColumn& c = t.columns[i];
    if (!IsSqlIdentifier(c.name)) {
      return Status::InvalidArgument("projection table " + t.name + ": column name \"" + c.name +
                                     "\" must be an identifier [a-z_][a-z0-9_]*");
    }
    std::string sep = i ? ", " : "";
    cols += sep + Q(c.name) + (c.integer ? " BIGINT" : " TEXT COLLATE \"C\"");
    names += sep + Q(c.name);
    params += sep + "$" + std::to_string(i + 1);
    if (i < t.key_columns) {
      key += sep + Q(c.name);
    } else {
      update += (update.empty() ? "" : ", ") + Q(c.name) + " = EXCLUDED." + Q(c.name);
    }
  }
  // Only a missing table is created: a read-only session refuses even
  // CREATE TABLE IF NOT EXISTS of one that exists.
  ASSIGN_OR_RETURN(PgResult exists, c_.Exec("SELECT 1 WHERE to_regclass($1) IS NOT NULL",
                                            PgParams().Text(Q(t.name))));
  if (exists.rows() == 0) {
    RETURN_IF_ERROR(SchemaChange("CREATE TABLE IF NOT EXISTS " + Q(t.name) + "(" + cols +
                                 ", PRIMARY KEY(" + key + "))"));
  }
  Defined d;
  d.spec = t;
  d.insert_sql = "INSERT INTO " + Q(t.name) + "(" + names + ") VALUES (" + params +
                 ") ON CONFLICT (" + key + ") DO " +
                 (update.empty() ? "NOTHING" : "UPDATE SET " + update);
  d.select_sql = "SELECT " + names + " FROM " + Q(t.name) + " ORDER BY " + key;
  d.delete_sql = "DELETE FROM " + Q(t.name);
  tables_.insert_or_assign(t.name, std::move(d));
  return Status::Ok();
}

Result<const PgEntityStore::Defined*> PgEntityStore::Find(std::string_view table) const {
  auto it = tables_.find(table);
  if (it == tables_.end()) {
    return Status::InvalidArgument("no projection table " + std::string(table) + " is defined");
  }
  return &it->second;
}

Status PgEntityStore::PutRow(std::string_view table, const std::vector<RowValue>& values) {
  ASSIGN_OR_RETURN(const Defined* d, Find(table));
  if (values.size() != d->spec.columns.size()) {
    return Status::InvalidArgument("a row of " + d->spec.name + " needs " +
                                   std::to_string(d->spec.columns.size()) + " values, not " +
                                   std::to_string(values.size()));
  }
  PgParams p;
  for (const RowValue& v : values) AddValue(p, v);
  return c_.ExecDeferred(d->insert_sql, p);
}

Result<std::string> PgEntityStore::WhereClause(const Defined& d,
                                               const std::vector<RowCondition>& where,
                                               PgParams& params) const {
  std::string sql;
  for (size_t i = 0; i < where.size(); ++i) {
    const RowCondition& c = where[i];
    if (ColumnOf(d.spec, c.column) == nullptr)
      return Status::InvalidArgument("no column " + c.column + " in " + d.spec.name);
    sql += (i ? " AND " : " WHERE ") + Q(c.column);
    switch (c.op) {
      case RowCondition::Op::kEq:
        sql += " = $";
        break;
      case RowCondition::Op::kGe:
        sql += " >= $";
        break;
      case RowCondition::Op::kLe:
        sql += " <= $";
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
          AddValue(params, c.values[std::min(k, c.values.size() - 1)]);
          sql += (k ? ", $" : "$") + std::to_string(params.size());
        }
        sql += ")";
        continue;
    }
    AddValue(params, c.value);
    sql += std::to_string(params.size());
  }
  return sql;
}

Status PgEntityStore::SumRows(std::string_view table, const std::vector<std::string>& group_by,
                              std::string_view sum_column, const std::vector<RowCondition>& where,
                              const std::function<Status(const RowGroup&)>& fn) {
  ASSIGN_OR_RETURN(const Defined* d, Find(table));
  std::string groups;
  std::vector<bool> integer;
  for (const std::string& g : group_by) {
    const RowColumn* c = ColumnOf(d->spec, g);
    if (c == nullptr) return Status::InvalidArgument("no column " + g + " in " + d->spec.name);
    groups += (groups.empty() ? "" : ", ") + Q(g);
    integer.push_back(c->integer);
  }
  if (ColumnOf(d->spec, sum_column) == nullptr) {
    return Status::InvalidArgument("no column " + std::string(sum_column) + " in " + d->spec.name);
  }
  PgParams params;
  ASSIGN_OR_RETURN(std::string filter, WhereClause(*d, where, params));
  // SUM of bigint is numeric in PostgreSQL; the sums here fit in 64 bits.
  std::string sql = "SELECT " + (groups.empty() ? std::string() : groups + ", ") + "COALESCE(SUM(" +
                    Q(sum_column) + "), 0)::bigint, COUNT(*) FROM " + Q(d->spec.name) + filter;
  if (!groups.empty()) sql += " GROUP BY " + groups + " ORDER BY " + groups;
  ASSIGN_OR_RETURN(PgResult r, c_.Exec(sql, params));
  const int n = static_cast<int>(group_by.size());
  for (int row = 0; row < r.rows(); ++row) {
    RowGroup g;
    for (int i = 0; i < n; ++i) g.keys.push_back(CellValue(r, row, i, integer[i]));
    g.sum = r.Int(row, n);
    g.rows = r.Int(row, n + 1);
    if (g.rows == 0) continue;  // no GROUP BY over no rows still yields one row
    RETURN_IF_ERROR(fn(g));
  }
  return Status::Ok();
}

Result<std::unique_ptr<RowCursor>> PgEntityStore::OpenRows(std::string_view table,
                                                           const std::vector<std::string>& columns,
                                                           const std::vector<RowCondition>& where) {
  ASSIGN_OR_RETURN(const Defined* d, Find(table));
  if (columns.empty()) return Status::InvalidArgument("OpenRows: name at least one column");
  std::string names, key;
  std::vector<bool> integer;
  for (const std::string& name : columns) {
    const RowColumn* c = ColumnOf(d->spec, name);
    if (c == nullptr) return Status::InvalidArgument("no column " + name + " in " + d->spec.name);
    names += (names.empty() ? "" : ", ") + Q(name);
    integer.push_back(c->integer);
  }
  for (size_t i = 0; i < d->spec.key_columns; ++i) {
    key += (i ? ", " : "") + Q(d->spec.columns[i].name);
  }
  PgParams params;
  ASSIGN_OR_RETURN(std::string filter, WhereClause(*d, where, params));
  // Identifiers were checked against the defined table; values are bound.
  std::string sql = "SELECT " + names + " FROM " + Q(d->spec.name) + filter + " ORDER BY " + key;
  ASSIGN_OR_RETURN(auto cursor, PgCursor::Open(c_, sql, params));
  return std::unique_ptr<RowCursor>(new PgRowCursor(std::move(cursor), std::move(integer)));
}

Status PgEntityStore::Clear() {
  RETURN_IF_ERROR(c_.ExecScript("DELETE FROM entities; DELETE FROM event_index;"));
  for (const auto& [name, d] : tables_) RETURN_IF_ERROR(c_.ExecScript(d.delete_sql.c_str()));
  return Status::Ok();
}

Result<std::string> PgEntityStore::Digest() {
  // One snapshot for the whole digest: cursors share the read hold.
  ASSIGN_OR_RETURN(uint64_t hold, c_.HoldRead());
  Sha256Stream h;
  Status s = [&]() -> Status {
    h.Update(kProjectionDigestHeader);
    DigestField(h, "entities");
    {
      ASSIGN_OR_RETURN(auto e,
                       PgCursor::Open(c_,
                                      "SELECT kind, id, doc, idx FROM entities ORDER BY kind, "
                                      "id"));
      for (;;) {
        ASSIGN_OR_RETURN(bool row, e->Next());
        if (!row) break;
        const PgResult& r = e->result();
        for (int c = 0; c < 3; ++c) DigestField(h, r.Bytes(e->row(), c));
        DigestField(h, std::to_string(r.Int(e->row(), 3)));
      }
    }
    DigestField(h, "event_index");
    {
      ASSIGN_OR_RETURN(auto x, PgCursor::Open(c_,
                                              "SELECT idx, type, subject, party, time, "
                                              "logged_at FROM event_index ORDER BY idx"));
      for (;;) {
        ASSIGN_OR_RETURN(bool row, x->Next());
        if (!row) break;
        DigestField(h, std::to_string(x->result().Int(x->row(), 0)));
        for (int c = 1; c <= 5; ++c) DigestField(h, x->result().Bytes(x->row(), c));
      }
    }
    for (const auto& [name, t] : tables_) {
      DigestField(h, name);
      ASSIGN_OR_RETURN(auto r, PgCursor::Open(c_, t.select_sql));
      for (;;) {
        ASSIGN_OR_RETURN(bool row, r->Next());
        if (!row) break;
        for (size_t c = 0; c < t.spec.columns.size(); ++c) {
          DigestValue(
              h, CellValue(r->result(), r->row(), static_cast<int>(c), t.spec.columns[c].integer));
        }
      }
    }
    return Status::Ok();
  }();
  c_.ReleaseRead(hold);
  RETURN_IF_ERROR(s);
  Hash d = h.Finish();
  return HexEncode(AsBytes(d));
}

}  // namespace accord::storage
