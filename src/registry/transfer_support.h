// What the transfer report files share (transfer_reports.cc, att_report.cc,
// unroca_report.cc, trade_register.cc): lookups in the documents, the
// accumulation of one report table's rows with their comments, and the
// CSV and Markdown cell helpers. Internal to src/registry.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "registry/transfer_reports.h"
#include "util/status.h"

namespace accord::registry::transfer_internal {

using nlohmann::json;

// doc[key] if it is an array, else an empty array.
const json& Array(const json& doc, const char* key);
// The year of a date "YYYY-MM-DD", or 0.
int YearOf(const std::string& date);

using DocIndex = std::map<std::string, const json*>;
// The documents by id.
DocIndex Index(const std::vector<json>& docs);
// The name of state `code`, or the code if it has none.
std::string NameOf(const std::map<std::string, std::string>& names, const std::string& code);
// The date a contract was concluded: its last signature, else its draft.
std::string ConcludedDate(const json& contract);
// The contract's line numbered `line`, or the line of `product`; null if none.
const json* ContractLine(const json& contract, int64_t line);
const json* ContractLineOfProduct(const json& contract, const std::string& product);
// "designation (description)".
std::string Describe(const json& product);
// "second hand", "second hand, modernized", or "" for new.
std::string StatusWords(const std::string& status);
// The non-empty parts joined by `sep`.
std::string Join(const std::vector<std::string>& parts, const std::string& sep);
// One CSV record, with its newline.
std::string CsvLine(const std::vector<std::string>& cells);
// A markdown table cell: pipes escaped, line breaks as spaces.
std::string Md(const std::string& s);
std::string MdLine(const std::vector<std::string>& cells);
std::string MdTable(const std::vector<std::string>& header,
                    const std::vector<std::vector<std::string>>& rows);
std::string Int(int64_t v);
// "VIII (a)": a category with its SALW sub-category, if any.
std::string CategoryCell(const std::string& category, const std::string& salw);

// Accumulates rows of one report table by key, with the facts for comments.
template <typename Row>
struct Accumulated {
  Row row;
  std::set<std::string> contracts;
  std::vector<std::string> licences;   // "export licence L issued D"
  std::vector<std::string> shipments;  // "shipment S received D"
  int64_t damaged = 0;
  std::set<std::string> statuses;

  std::string Comments() const {
    std::vector<std::string> parts;
    std::string cs;
    for (const std::string& c : contracts) cs += (cs.empty() ? "" : ", ") + c;
    parts.push_back((contracts.size() > 1 ? "contracts " : "contract ") + cs);
    parts.push_back(Join(licences, ", "));
    parts.push_back(Join(shipments, ", "));
    if (damaged > 0) parts.push_back(Int(damaged) + " received damaged");
    for (const std::string& s : statuses) parts.push_back(StatusWords(s));
    return Join(parts, "; ");
  }
};

// Fills a yearly per-party report's exports and imports from the tables
// accumulated for each direction (0 exports, 1 imports), with their comments.
template <typename Report, typename Key, typename Row>
Report FinishYearReport(const TransferDocs& docs, const std::string& party, int year,
                        std::map<Key, Accumulated<Row>> (&tables)[2]) {
  Report report;
  report.party = party;
  report.party_name = NameOf(docs.state_names, party);
  report.year = year;
  for (int dir = 0; dir < 2; ++dir) {
    auto& out = dir == 0 ? report.exports : report.imports;
    for (auto& [key, a] : tables[dir]) {
      a.row.comments = a.Comments();
      out.push_back(std::move(a.row));
    }
  }
  return report;
}

struct Lookup {
  DocIndex products, contracts;

  explicit Lookup(const TransferDocs& docs)
      : products(Index(docs.products)), contracts(Index(docs.contracts)) {}

  Result<const json*> Product(const std::string& id, const std::string& where) const {
    auto it = products.find(id);
    if (it == products.end()) {
      return Status::Corruption(where + " names product " + id + ", which is not recorded");
    }
    return it->second;
  }
  Result<const json*> Contract(const std::string& id, const std::string& where) const {
    auto it = contracts.find(id);
    if (it == contracts.end()) {
      return Status::Corruption(where + " names contract " + id + ", which is not recorded");
    }
    return it->second;
  }
};

// What every yearly per-party report's JSON starts with.
template <typename Report>
json ReportHeader(const char* kind, const Report& report) {
  return {{"report", kind},
          {"party", report.party},
          {"party_name", report.party_name},
          {"year", report.year},
          {"nil_report", report.nil()}};
}

}  // namespace accord::registry::transfer_internal
