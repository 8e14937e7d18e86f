// Issue #14, Low-medium 9: the registry was created 0644 and, under umask
// 000, the demo's key directory 0777. Databases (with their -wal and -shm
// files) are 0600 and key directories 0700 whatever the umask.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "storage/sqlite/log_store.h"
#include "test_util.h"

namespace accord::testing {
namespace {

namespace fs = std::filesystem;

unsigned ModeOf(const fs::path& p) {
  struct stat st;
  if (::stat(p.c_str(), &st) != 0) return 07777;
  return st.st_mode & 0777;
}

// Restores the umask at the end of a test.
class Umask {
 public:
  explicit Umask(mode_t m) : old_(::umask(m)) {}
  ~Umask() { ::umask(old_); }

 private:
  mode_t old_;
};

TEST(FileModes, RegistryFilesAndKeyDirectoryAreOwnerOnlyUnderUmask000) {
  TempDir tmp;
  Umask open_to_all(0);
  CommandResult demo = Accord({"demo", "--db", tmp / "d.db"});
  ASSERT_EQ(demo.exit_code, 0) << Describe(demo);
  EXPECT_EQ(ModeOf(tmp / "d.db"), 0600u);
  EXPECT_EQ(ModeOf(tmp / "d.keys"), 0700u);
  EXPECT_EQ(ModeOf(tmp / "d.keys/ru.skey"), 0600u);
  EXPECT_EQ(ModeOf(tmp / "d.node.skey"), 0600u);
  CommandResult init = Accord({"init", "--db", tmp / "i.db"});
  ASSERT_EQ(init.exit_code, 0) << Describe(init);
  EXPECT_EQ(ModeOf(tmp / "i.db"), 0600u);
  // While a database is open its -wal and -shm files exist: the same mode.
  auto store = storage::SqliteLogStore::Create(tmp / "s.db");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->db().Exec("CREATE TABLE t(x); INSERT INTO t VALUES (1);").ok());
  EXPECT_EQ(ModeOf(tmp / "s.db"), 0600u);
  ASSERT_TRUE(fs::exists(tmp / "s.db-wal"));
  EXPECT_EQ(ModeOf(tmp / "s.db-wal"), 0600u);
  EXPECT_EQ(ModeOf(tmp / "s.db-shm"), 0600u);
}

}  // namespace
}  // namespace accord::testing
