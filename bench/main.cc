// Entry point of accord_bench. Accepts, besides Google Benchmark's flags:
//   --quick        fewer iterations and repetitions (a shorter, noisier run)
//   --keep-tmp     leave the temporary directory (databases) in place
// Databases go to a fresh directory under $TMPDIR (or /tmp), removed at exit.
#include <benchmark/benchmark.h>
#include <openssl/crypto.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace accord_bench {

namespace {
bool g_quick = false;
std::string g_dir;
}  // namespace

bool Quick() {
  return g_quick;
}

std::string TempPath(const std::string& name) {
  return g_dir + "/" + name;
}

void RemoveDb(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(path + suffix, ec);
}

void RegisterAppendBenchmarks();
void RegisterProofBenchmarks();
void RegisterVerifyBenchmarks();
void RegisterEd25519Benchmarks();
void RegisterRecordBenchmarks();
void RegisterDeliveryBenchmarks();
void RegisterApiBenchmarks();
void RegisterPgBenchmarks();
void RegisterReportsBenchmarks();
void RegisterEumBenchmarks();
void RegisterMirrorBenchmarks();
void CloseLogs();

}  // namespace accord_bench

int main(int argc, char** argv) {
  bool keep = false;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      accord_bench::g_quick = true;
    } else if (std::strcmp(argv[i], "--keep-tmp") == 0) {
      keep = true;
    } else {
      args.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(args.size());
  args.push_back(nullptr);

  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/accord-bench-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  accord_bench::g_dir = tmpl;

  accord_bench::RegisterAppendBenchmarks();
  accord_bench::RegisterProofBenchmarks();
  accord_bench::RegisterVerifyBenchmarks();
  accord_bench::RegisterEd25519Benchmarks();
  accord_bench::RegisterRecordBenchmarks();
  accord_bench::RegisterDeliveryBenchmarks();
  accord_bench::RegisterApiBenchmarks();
  accord_bench::RegisterPgBenchmarks();
  accord_bench::RegisterReportsBenchmarks();
  accord_bench::RegisterEumBenchmarks();
  accord_bench::RegisterMirrorBenchmarks();

  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  benchmark::AddCustomContext("accord_tmpdir", accord_bench::g_dir);
  benchmark::AddCustomContext("accord_quick", accord_bench::g_quick ? "true" : "false");
  benchmark::AddCustomContext("sqlite_version", sqlite3_libversion());
  benchmark::AddCustomContext("openssl_version", OpenSSL_version(OPENSSL_VERSION));
  benchmark::AddCustomContext("libsodium_version", sodium_version_string());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  accord_bench::CloseLogs();
  if (!keep) {
    std::error_code ec;
    std::filesystem::remove_all(accord_bench::g_dir, ec);
  } else {
    std::fprintf(stderr, "kept %s\n", accord_bench::g_dir.c_str());
  }
  return 0;
}
