// Helpers for tests that drive the built `accord` binary or need scratch files.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace accord::testing {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;  // 128 + signal if killed by one
  std::string out;
  std::string err;
};

// Runs `args` (args[0] is the program path), feeding `input` on stdin.
CommandResult Run(const std::vector<std::string>& args, const std::string& input = "");
// Runs the built `accord` binary with `args`.
CommandResult Accord(const std::vector<std::string>& args, const std::string& input = "");
// "exit N" with the command's stdout and stderr, for assertion messages.
std::string Describe(const CommandResult& r);
bool Contains(const std::string& haystack, const std::string& needle);

// A running `accord serve` (the built binary), killed (SIGKILL) and reaped on
// destruction unless stopped before.
class ServeProcess {
 public:
  // Starts `accord <args>` (args[0] is "serve"), its stderr to `err_file`,
  // and waits (10 s at most) until it prints "serving http://HOST:PORT".
  // port() is 0 if it did not.
  ServeProcess(const std::vector<std::string>& args, std::string err_file);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends `sig` and, unless it is SIGSTOP or SIGCONT, reaps the process;
  // returns its exit status as CommandResult::exit_code does.
  int Signal(int sig);
  // What it wrote on stderr so far.
  std::string Err() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string err_file_;
};

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);
// Runs SQL text on the SQLite file at `db` behind the registry's back (to
// tamper with it in tests); returns the number of rows changed, or -1 and
// sets `error`.
int64_t ExecSql(const std::string& db, const std::string& sql, std::string* error = nullptr);
// Path of shared/data beside the checkout.
std::string SharedData();

}  // namespace accord::testing
