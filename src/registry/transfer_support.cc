#include "registry/transfer_support.h"

#include <algorithm>

#include "registry/doc_fields.h"
#include "util/text_table.h"

namespace accord::registry::transfer_internal {

const json& Array(const json& doc, const char* key) {
  static const json empty = json::array();
  auto it = doc.find(key);
  return it != doc.end() && it->is_array() ? *it : empty;
}

// The year of a date "YYYY-MM-DD", or 0.
int YearOf(const std::string& date) {
  if (date.size() < 4) return 0;
  int y = 0;
  for (int i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9') return 0;
    y = y * 10 + (date[i] - '0');
  }
  return y;
}

DocIndex Index(const std::vector<json>& docs) {
  DocIndex out;
  for (const json& d : docs) out[DocText(d, "id")] = &d;
  return out;
}

std::string NameOf(const std::map<std::string, std::string>& names, const std::string& code) {
  auto it = names.find(code);
  return it == names.end() ? code : it->second;
}

// The date a contract was concluded: its last signature, else its draft.
std::string ConcludedDate(const json& contract) {
  std::string date;
  auto sigs = contract.find("signatures");
  if (sigs != contract.end() && sigs->is_object()) {
    for (const auto& [party, sig] : sigs->items()) date = std::max(date, DocText(sig, "date"));
  }
  return date.empty() ? DocText(contract, "drafted") : date;
}

const json* ContractLine(const json& contract, int64_t line) {
  for (const json& l : Array(contract, "lines")) {
    if (DocInt(l, "line") == line) return &l;
  }
  return nullptr;
}

const json* ContractLineOfProduct(const json& contract, const std::string& product) {
  for (const json& l : Array(contract, "lines")) {
    if (DocText(l, "product") == product) return &l;
  }
  return nullptr;
}

std::string Describe(const json& product) {
  std::string d = DocText(product, "designation"), what = DocText(product, "description");
  return what.empty() ? d : d + " (" + what + ")";
}

std::string StatusWords(const std::string& status) {
  if (status == "second_hand") return "second hand";
  if (status == "second_hand_modernized") return "second hand, modernized";
  return "";
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    out += (out.empty() ? "" : sep) + p;
  }
  return out;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvField(cells[i]);
  return out + "\n";
}

// A markdown table cell: pipes escaped, line breaks as spaces.
std::string Md(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string MdLine(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& c : cells) out += " " + Md(c) + " |";
  return out + "\n";
}

std::string MdTable(const std::vector<std::string>& header,
                    const std::vector<std::vector<std::string>>& rows) {
  std::string out = MdLine(header) + "|";
  for (size_t i = 0; i < header.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& r : rows) out += MdLine(r);
  return out;
}

std::string Int(int64_t v) {
  return std::to_string(v);
}

std::string CategoryCell(const std::string& category, const std::string& salw) {
  return salw.empty() ? category : category + " (" + salw + ")";
}

}  // namespace accord::registry::transfer_internal
