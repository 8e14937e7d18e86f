#include "storage/sqlite/db.h"

#include <sys/stat.h>

namespace accord::storage {
namespace {

Status FromCode(int rc, std::string_view what, const char* detail) {
  std::string msg = std::string(what) + ": " + (detail ? detail : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Status::Corruption(msg);
    case SQLITE_CONSTRAINT:
      return Status::FailedPrecondition(msg);
    case SQLITE_FULL:
      return Status::ResourceExhausted(msg);
    default:
      return Status::IoError(msg);
  }
}

}  // namespace

Result<bool> SqliteStmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status s = FromCode(rc, "sqlite", sqlite3_errmsg(db_));
  sqlite3_reset(stmt_);  // never leave a failed statement holding a snapshot
  return s;
}

Status SqliteStmt::Run() {
  for (;;) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, bool create,
                                                 bool read_only) {
  struct stat st;
  if (!create && ::stat(path.c_str(), &st) != 0) {
    return Status::NotFound("database " + path + " does not exist");
  }
  sqlite3* raw = nullptr;
  int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX |
              (create && !read_only ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw, path));
  if (rc != SQLITE_OK) return FromCode(rc, "cannot open database " + path, sqlite3_errmsg(raw));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 10000);
  if (read_only) {
    // The last connection to close would otherwise checkpoint the WAL into
    // the file and delete it.
    int one = 1;
    if (sqlite3_db_config(raw, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr) != SQLITE_OK ||
        sqlite3_file_control(raw, "main", SQLITE_FCNTL_PERSIST_WAL, &one) != SQLITE_OK) {
      return db->Error("cannot open database " + path + " read-only");
    }
    RETURN_IF_ERROR(db->Exec("PRAGMA query_only=1"));
  }
  return db;
}

SqliteDb::~SqliteDb() {
  stmts_.clear();
  sqlite3_close_v2(db_);
}

Status SqliteDb::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  Status s = FromCode(rc, "database " + path_, err);
  sqlite3_free(err);
  return s;
}

Result<SqliteStmt*> SqliteDb::Prepare(const char* sql) {
  auto it = stmts_.find(sql);
  if (it != stmts_.end()) return it->second.get();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return FromCode(rc, "database " + path_, sqlite3_errmsg(db_));
  auto owned = std::make_unique<SqliteStmt>(db_, stmt);
  SqliteStmt* p = owned.get();
  stmts_.emplace(sql, std::move(owned));
  return p;
}

Status SqliteDb::Error(std::string_view what) const {
  return FromCode(sqlite3_errcode(db_), what, sqlite3_errmsg(db_));
}

}  // namespace accord::storage
