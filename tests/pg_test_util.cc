#include "pg_test_util.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>

#include "test_util.h"

namespace accord::testing {
namespace {

// Runs parameterless SQL at `uri`; the failure message, or "".
std::string RunSql(const std::string& uri, const std::string& sql) {
  PGconn* c = PQconnectdb(uri.c_str());
  std::string err;
  if (PQstatus(c) != CONNECTION_OK) {
    err = PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) err = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(c);
  return err;
}

}  // namespace

std::string WithDatabase(const std::string& uri, const std::string& name) {
  size_t scheme = uri.find("://");
  size_t path = uri.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  size_t query = uri.find('?');
  std::string base = uri.substr(0, std::min(path, query));
  return base + "/" + name + (query == std::string::npos ? "" : uri.substr(query));
}

PgCluster::PgCluster() {
  static std::atomic<int> counter{0};
  const char* tmp = std::getenv("TMPDIR");
  dir_ = std::string(tmp != nullptr && *tmp != 0 ? tmp : "/tmp") + "/accord-pgc-" +
         std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

PgCluster::~PgCluster() {
  Script({"stop", dir_});
}

bool PgCluster::Script(const std::vector<std::string>& args, std::string* out) {
  std::vector<std::string> argv = {std::string(ACCORD_SOURCE_DIR) + "/scripts/pg-cluster"};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult r = Run(argv);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "scripts/pg-cluster " << args[0] << ": " << Describe(r);
    return false;
  }
  if (out != nullptr) {
    *out = r.out;
    while (!out->empty() && out->back() == '\n') out->pop_back();
  }
  return true;
}

std::string PgCluster::Start() {
  Script({"start", dir_}, &uri_);
  return uri_;
}

std::string PgCluster::StartStandbyOf(const PgCluster& primary) {
  Script({"standby", primary.dir_, dir_}, &uri_);
  return uri_;
}

bool PgCluster::Promote() {
  return Script({"promote", dir_});
}
bool PgCluster::Halt() {
  return Script({"halt", dir_});
}
bool PgCluster::Resume() {
  return Script({"resume", dir_});
}

std::string PgServerUri() {
  const char* v = std::getenv("ACCORD_TEST_PG");
  return v == nullptr ? std::string() : std::string(v);
}

std::string FreshPgDatabase(const std::string& stem) {
  static std::atomic<int> counter{0};
  std::string server = PgServerUri();
  if (server.empty()) {
    ADD_FAILURE() << kNoPgServer;
    return "";
  }
  auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(now % 1000000) + "_" +
                     std::to_string(counter++) + "_";
  for (char ch : stem) {
    name += (std::isalnum(static_cast<unsigned char>(ch)) != 0)
                ? static_cast<char>(std::tolower(static_cast<unsigned char>(ch)))
                : '_';
  }
  name = name.substr(0, 60);
  std::string err = RunSql(server, "CREATE DATABASE " + name);
  if (!err.empty()) {
    ADD_FAILURE() << "cannot create database " << name << ": " << err;
    return "";
  }
  return WithDatabase(server, name);
}

void MakePgForeign(const std::string& uri) {
  std::string err = RunSql(uri, "CREATE TABLE someone_elses(x INTEGER)");
  EXPECT_TRUE(err.empty()) << err;
}

}  // namespace accord::testing
