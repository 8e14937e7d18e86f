// Test-only: what the tests of the treaty core through the real `accord`
// binary share (registry_cli_test.cc, registry_cli_bad_input_test.cc,
// registry_cli_demo_test.cc): output helpers, the state a refused event must
// leave unchanged, a valid contract draft, raw SQLite access and a demo
// registry in its own directory.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "domain/envelope.h"
#include "note/note.h"
#include "test_util.h"
#include "util/encoding.h"

namespace accord::testing::registry_cli {

using nlohmann::json;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Helpers

inline std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// Every failure: exactly one line on stderr, starting "accord: ".
inline void ExpectOneErrorLine(const CommandResult& r) {
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << Describe(r);
  EXPECT_EQ(r.err.rfind("accord: ", 0), 0u) << Describe(r);
  EXPECT_TRUE(!r.err.empty() && r.err.back() == '\n') << Describe(r);
}

// Runs accord and requires exit 0; returns stdout.
inline std::string Ok(const std::vector<std::string>& args, const std::string& input = "") {
  CommandResult r = Accord(args, input);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : args) cmd += " " + a;
    ADD_FAILURE() << "accord" << cmd << "\n" << Describe(r);
  }
  return r.out;
}

inline std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// What "nothing appended" compares: the log's root and the projections' digest.
struct RegistryState {
  std::string root;
  std::string digest;
  bool operator==(const RegistryState&) const = default;
};

inline RegistryState StateOf(const std::string& db) {
  return {Trim(Ok({"log", "root", "--db", db})), Trim(Ok({"digest", "--db", db}))};
}

// An event envelope as a JSON object.
inline json Event(const std::string& type, const std::string& time, const std::string& party,
                  const std::string& actor, const std::string& subject, json body) {
  return {{"v", 1},         {"type", type},       {"time", time},           {"party", party},
          {"actor", actor}, {"subject", subject}, {"body", std::move(body)}};
}

// A contract draft by UZ under the demo's 2016 treaty, at the domestic price
// valid in 2020: accepted by the demo registry as it stands.
inline json ValidDraft(const std::string& id = "RU-UZ-2020-T1") {
  return Event("contract.drafted", "2020-02-01T00:00:00Z", "UZ", "uz-mod/procurement",
               "contract/" + id,
               {{"agreement", "RU-UZ-2016-MTC"},
                {"supplier_body", "ru-rostvertol"},
                {"recipient_body", "uz-mod"},
                {"channel", "direct"},
                {"lines",
                 {{{"line", 1},
                   {"product", "mi-35m"},
                   {"quantity", 2},
                   {"unit_price_minor", 105000000000},
                   {"currency", "RUB"}}}},
                {"delivery_schedule", {{{"line", 1}, {"year", 2021}, {"quantity", 2}}}}});
}

// Replaces the first occurrence of `from` in `s` (which must be there).
inline std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "\"" << from << "\" not in " << s;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// Raw SQLite access to a registry file.
class Sql {
 public:
  explicit Sql(const std::string& path) { EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK); }
  ~Sql() { sqlite3_close(db_); }
  Sql(const Sql&) = delete;
  Sql& operator=(const Sql&) = delete;

  std::string Entry(int64_t idx) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(
        sqlite3_prepare_v2(db_, "SELECT data FROM log_entries WHERE idx = ?1", -1, &st, nullptr),
        SQLITE_OK)
        << sqlite3_errmsg(db_);
    sqlite3_bind_int64(st, 1, idx);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW) {
      out.assign(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                 static_cast<size_t>(sqlite3_column_bytes(st, 0)));
    } else {
      ADD_FAILURE() << "no log entry " << idx;
    }
    sqlite3_finalize(st);
    return out;
  }

  void SetEntry(int64_t idx, const std::string& data) {
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db_, "UPDATE log_entries SET data = ?1 WHERE idx = ?2", -1, &st,
                                 nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db_);
    sqlite3_bind_blob(st, 1, data.data(), static_cast<int>(data.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, idx);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE) << sqlite3_errmsg(db_);
    sqlite3_finalize(st);
    ASSERT_EQ(sqlite3_changes(db_), 1);
  }

  void Exec(const std::string& sql) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "");
    sqlite3_free(err);
  }

  int64_t Count(const std::string& table) {
    sqlite3_stmt* st = nullptr;
    std::string sql = "SELECT count(*) FROM " + table;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    int64_t n = -1;
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  }

 private:
  sqlite3* db_ = nullptr;
};

// A demo registry in its own directory.
struct Demo {
  TempDir dir;
  std::string db = dir / "demo.db";
  std::string ru = dir / "demo.keys/ru.skey";
  std::string uz = dir / "demo.keys/uz.skey";
  int64_t size = 0;  // events the demo recorded (52 at the time of writing)
  Demo() {
    Ok({"demo", "--db", db});
    size = Sql(db).Count("log_entries");
  }
  // The index the next recorded event gets, plus `k`.
  std::string Next(int64_t k = 0) const { return std::to_string(size + k); }
};

}  // namespace accord::testing::registry_cli
