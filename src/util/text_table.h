// Aligned text tables for terminal output (the CLI's tables and the reports'
// "table" format).
#pragma once

#include <string>
#include <vector>

namespace accord {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  // Columns padded to their widest cell (counting UTF-8 characters), two
  // spaces apart, a dashed rule under the header.
  std::string Render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace accord
