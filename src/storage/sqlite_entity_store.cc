#include "storage/sqlite_entity_store.h"

#include "crypto/sha256.h"
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

// Length-prefixed fields, so that no choice of content can make two
// different rows hash alike.
void Field(Sha256Stream& h, std::string_view v) {
  std::string len = std::to_string(v.size()) + ":";
  h.Update(len);
  h.Update(v);
}

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

Status SqliteEntityStore::Clear() {
  return db_.Exec("DELETE FROM entities; DELETE FROM event_index;");
}

Result<std::string> SqliteEntityStore::Digest() {
  Sha256Stream h;
  h.Update("accord-projections/v1\n");
  Field(h, "entities");
  ASSIGN_OR_RETURN(SqliteStmt * e,
                   db_.Prepare("SELECT kind, id, doc, idx FROM entities ORDER BY kind, id"));
  e->Reset();
  for (;;) {
    ASSIGN_OR_RETURN(bool row, e->Step());
    if (!row) break;
    Field(h, e->Text(0));
    Field(h, e->Text(1));
    Field(h, e->Text(2));
    Field(h, std::to_string(e->Int(3)));
  }
  e->Reset();
  Field(h, "event_index");
  ASSIGN_OR_RETURN(SqliteStmt * x, db_.Prepare("SELECT idx, type, subject, party, time, logged_at "
                                               "FROM event_index ORDER BY idx"));
  x->Reset();
  for (;;) {
    ASSIGN_OR_RETURN(bool row, x->Step());
    if (!row) break;
    Field(h, std::to_string(x->Int(0)));
    for (int c = 1; c <= 5; ++c) Field(h, x->Text(c));
  }
  x->Reset();
  Hash d = h.Finish();
  return HexEncode(AsBytes(d));
}

}  // namespace accord::storage
