// The storage backends stay below src/storage: no source above it (nor a
// test beside such a source) includes a database's own API or a backend's
// headers, so a layer above never depends on which backend holds its data.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::vector<std::string> Offenders(const std::regex& include) {
  const fs::path src = fs::path(ACCORD_SOURCE_DIR) / "src";
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(src)) {
    if (!entry.is_regular_file()) continue;
    fs::path rel = fs::relative(entry.path(), src);
    if (*rel.begin() == "storage") continue;
    std::string ext = rel.extension().string();
    if (ext != ".cc" && ext != ".h" && ext != ".in") continue;
    std::ifstream in(entry.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (std::regex_search(line, include)) {
        out.push_back("src/" + rel.string() + ":" + std::to_string(n) + ": " + line);
      }
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

TEST(Layering, NoDatabaseApiAboveStorage) {
  std::regex include(R"(^\s*#\s*include\s*[<"](sqlite3\.h|libpq-fe\.h|pqxx/))");
  auto found = Offenders(include);
  EXPECT_TRUE(found.empty()) << "only src/storage may include a database's API:\n" << Join(found);
}

TEST(Layering, NoBackendHeaderAboveStorage) {
  std::regex include(R"(^\s*#\s*include\s*"storage/(sqlite|postgres)/)");
  auto found = Offenders(include);
  EXPECT_TRUE(found.empty()) << "layers above storage reach a backend through "
                                "storage/database.h only:\n"
                             << Join(found);
}

// The check itself: it does find an include where there is one.
TEST(Layering, TheCheckSeesIncludes) {
  std::regex include(R"(^\s*#\s*include\s*"storage/database\.h")");
  EXPECT_FALSE(Offenders(include).empty());
}

}  // namespace
