#include "registry/demo.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"
#include "util/encoding.h"

namespace accord::registry {
namespace {

// Fixed keys, so that the demo registry is the same on every run: the
// scenario registers the parties' public keys and every leaf carries a
// signature, so the digest and the root depend on them.
constexpr char kNodeKey[] =
    "PRIVATE+KEY+accord.demo/registry+7e1e907b+AWrEvintKgnPMiiho/LEiiA2UZsmknyHB5B9xtEGIy+5";
constexpr char kRuKey[] =
    "PRIVATE+KEY+ru.demo/mod+f5825617+ARmLwAAtt4K0GmjyOHfRI0cRNDqOccugYfHljAGRKJDG";
constexpr char kUzKey[] =
    "PRIVATE+KEY+uz.demo/mod+e06ad890+AQCVZDI5d/EwQwoT0LS7e5hO/kf0g3Zhi6Y69z4O+2Y8";

// What the C++ scenario (src/registry/demo.cc before the scenario became
// examples/demo/*.ndjson) gave with these keys and this clock: the same
// events, in the same order, signed by the same keys. (The digest changed
// when the projections gained event_hashes, issue #14; the log root did not.)
constexpr size_t kGoldenEvents = 324;
constexpr char kGoldenDigest[] = "f9db01c9cadf4b5c2afeffa986e9d3d1a2c78db2df4f94efc647770f5c173da3";
constexpr char kGoldenRoot[] = "ca271b171021e05979a90e9359d71f64a4ed9ae0382e4de28f4c3a81044f4b16";

class DemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "demo.db";
    testing::WriteFile(dir_ / "node.skey", node_.Encode() + "\n");
    ASSERT_TRUE(Registry::Create(db_, "accord.demo/registry", node_, dir_ / "node.skey").ok());
    Options opt;
    opt.clock = [] { return int64_t{1800000000}; };  // 2027-01-15
    reg_ = Registry::Open(db_, true, opt).value();
  }

  DemoKeys keys() const { return {&node_, &ru_, &uz_}; }
  std::string Root() {
    uint64_t size = reg_->log().Size().value();
    Hash root = reg_->log().Root(size).value();
    return HexEncode(std::string_view(reinterpret_cast<const char*>(root.data()), root.size()));
  }

  testing::TempDir dir_;
  std::string db_;
  note::Signer node_ = note::Signer::Parse(kNodeKey).value();
  note::Signer ru_ = note::Signer::Parse(kRuKey).value();
  note::Signer uz_ = note::Signer::Parse(kUzKey).value();
  std::unique_ptr<Registry> reg_;
};

TEST_F(DemoTest, SameDigestAndLogAsTheCppScenario) {
  auto n = RecordDemo(*reg_, keys());
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, kGoldenEvents);
  EXPECT_EQ(reg_->Digest().value(), kGoldenDigest);
  EXPECT_EQ(Root(), kGoldenRoot);
}

TEST_F(DemoTest, CompiledInFilesAreTheFilesOfTheCheckout) {
  namespace fs = std::filesystem;
  std::vector<std::string> on_disk;
  for (const auto& entry :
       fs::directory_iterator(std::string(ACCORD_SOURCE_DIR) + "/examples/demo")) {
    if (entry.path().extension() == ".ndjson") on_disk.push_back(entry.path().filename());
  }
  std::sort(on_disk.begin(), on_disk.end());
  const std::vector<DemoFile>& files = DemoScenario();
  ASSERT_EQ(files.size(), on_disk.size());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(files[i].name, on_disk[i]);
    EXPECT_EQ(files[i].text,
              testing::ReadFile(std::string(ACCORD_SOURCE_DIR) + "/examples/demo/" + on_disk[i]))
        << on_disk[i] << " changed since the build: re-run the build";
  }
}

TEST_F(DemoTest, ARefusalNamesTheFileAndLineAndRecordsNothing) {
  const std::string ok =
      "{\"v\":1,\"type\":\"party.registered\",\"time\":\"2016-11-01T00:00:00Z\",\"party\":"
      "\"registry\",\"actor\":\"registry/admin\",\"subject\":\"party/RU\",\"body\":{\"name\":"
      "\"Russian Federation\"}}\n";
  // Line 2 of b.ndjson registers the party a.ndjson has registered (line 1
  // is a comment, line 3 is blank).
  // (Dated a day later: the same event again would be a replay.)
  std::string later = ok;
  later.replace(later.find("2016-11-01"), 10, "2016-11-02");
  const std::string again = "# the same party again\n" + later + "\n" + ok;
  auto n = RecordScenario(*reg_, keys(), {{"a.ndjson", ok}, {"b.ndjson", again}});
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().message().rfind("b.ndjson: line 2: rule party.unique", 0), 0u)
      << n.status().message();
  EXPECT_EQ(reg_->log().Size().value(), 0u);

  auto bad = RecordScenario(*reg_, keys(), {{"c.ndjson", ok + "{\"v\":1}\n"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("c.ndjson: line 2: ", 0), 0u) << bad.status().message();

  std::string foreign = ok;
  foreign.replace(foreign.find("\"registry\""), 10, "\"KZ\"");
  auto kz = RecordScenario(*reg_, keys(), {{"d.ndjson", foreign}});
  ASSERT_FALSE(kz.ok());
  EXPECT_EQ(kz.status().message().rfind("d.ndjson: event: a demo event must be unsigned", 0), 0u)
      << kz.status().message();
}

}  // namespace
}  // namespace accord::registry
