// Aligned text tables for terminal output (the CLI's tables and the reports'
// "table" format), and the quoting of CSV cells.
#pragma once

#include <string>
#include <string_view>
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

// One CSV cell (RFC 4180): as is, or in double quotes (doubled inside) if
// it holds a comma, a quote or a line break.
std::string CsvField(std::string_view cell);

}  // namespace accord
