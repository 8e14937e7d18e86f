// The Arms Trade Treaty annual report (Art. 13(3)): computed, withheld for
// publication, and rendered as CSV, Markdown and JSON.
#include <algorithm>
#include <set>
#include <tuple>

#include "registry/doc_fields.h"
#include "registry/transfer_reports.h"
#include "registry/transfer_support.h"
#include "util/text_table.h"

namespace accord::registry {

using nlohmann::json;
using transfer_internal::Accumulated;
using transfer_internal::Array;
using transfer_internal::CategoryCell;
using transfer_internal::ContractLineOfProduct;
using transfer_internal::CsvLine;
using transfer_internal::Describe;
using transfer_internal::FinishYearReport;
using transfer_internal::Int;
using transfer_internal::Lookup;
using transfer_internal::MdTable;
using transfer_internal::NameOf;
using transfer_internal::ReportHeader;
using transfer_internal::YearOf;

// ---- ATT ------------------------------------------------------------------------------

Result<AttReport> ComputeAttReport(const TransferDocs& docs, const std::string& party, int year) {
  ASSIGN_OR_RETURN(std::vector<Delivery> deliveries, CollectDeliveries(docs));
  Lookup look(docs);
  using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;
  std::map<Key, Accumulated<AttRow>> tables[2];  // 0 exports, 1 imports

  auto row = [&](int dir, const json& product, const std::string& partner,
                 const std::string& currency) -> Accumulated<AttRow>& {
    Key key{DocText(product, "unroca_category"), DocText(product, "salw_subcategory"), partner,
            DocText(product, "id"), currency};
    Accumulated<AttRow>& a = tables[dir][key];
    if (a.row.product.empty()) {
      a.row.category = std::get<0>(key);
      a.row.salw_subcategory = std::get<1>(key);
      a.row.partner = partner;
      a.row.partner_name = NameOf(docs.state_names, partner);
      a.row.product = std::get<3>(key);
      a.row.description = Describe(product);
      a.row.currency = currency;
    }
    return a;
  };

  for (const Delivery& d : deliveries) {
    if (d.year != year || (d.supplier != party && d.recipient != party)) continue;
    int dir = d.supplier == party ? 0 : 1;
    ASSIGN_OR_RETURN(const json* product, look.Product(d.product, "shipment " + d.shipment));
    Accumulated<AttRow>& a = row(dir, *product, dir == 0 ? d.recipient : d.supplier, d.currency);
    a.row.actual_items += d.items;
    a.row.actual_value_minor += d.items * d.unit_price_minor;
    a.contracts.insert(d.contract);
    std::string s = "shipment " + d.shipment + " received " + d.received;
    if (std::find(a.shipments.begin(), a.shipments.end(), s) == a.shipments.end()) {
      a.shipments.push_back(s);
    }
    a.damaged += d.damaged;
    if (d.status != "new") a.statuses.insert(d.status);
  }

  for (const json& l : docs.licences) {
    std::string kind = DocText(l, "kind"), issued = DocText(l, "issued");
    if ((kind != "export" && kind != "import") || YearOf(issued) != year) continue;
    std::string id = DocText(l, "id");
    ASSIGN_OR_RETURN(const json* contract, look.Contract(DocText(l, "contract"), "licence " + id));
    std::string supplier = DocText(*contract, "supplier"),
                recipient = DocText(*contract, "recipient");
    int dir = 0;
    std::string partner;
    if (kind == "export" && supplier == party) {
      partner = recipient;
    } else if (kind == "import" && recipient == party) {
      dir = 1;
      partner = supplier;
    } else {
      continue;
    }
    for (const json& line : Array(l, "lines")) {
      std::string pid = DocText(line, "product");
      ASSIGN_OR_RETURN(const json* product, look.Product(pid, "licence " + id));
      const json* cl = ContractLineOfProduct(*contract, pid);
      std::string currency = cl ? DocText(*cl, "currency") : std::string();
      int64_t price = cl ? DocInt(*cl, "unit_price_minor").value_or(0) : 0;
      int64_t qty = DocInt(line, "quantity").value_or(0);
      Accumulated<AttRow>& a = row(dir, *product, partner, currency);
      a.row.authorized_items += qty;
      a.row.authorized_value_minor += qty * price;
      a.contracts.insert(DocText(*contract, "id"));
      a.licences.push_back((kind == "export" ? "export licence " : "import permit ") + id +
                           " issued " + issued);
      std::string status = cl ? DocText(*cl, "status") : std::string();
      if (!status.empty() && status != "new") a.statuses.insert(status);
    }
  }

  return FinishYearReport<AttReport>(docs, party, year, tables);
}

AttReport WithholdValues(AttReport report) {
  for (auto* rows : {&report.exports, &report.imports}) {
    std::vector<AttRow> merged;
    for (AttRow& r : *rows) {
      r.currency.clear();
      r.authorized_value_minor = 0;
      r.actual_value_minor = 0;
      auto same = std::find_if(merged.begin(), merged.end(), [&](const AttRow& m) {
        return m.category == r.category && m.salw_subcategory == r.salw_subcategory &&
               m.partner == r.partner && m.product == r.product;
      });
      if (same == merged.end()) {
        merged.push_back(std::move(r));
        continue;
      }
      same->authorized_items += r.authorized_items;
      same->actual_items += r.actual_items;
      if (!r.comments.empty()) {
        same->comments += (same->comments.empty() ? "" : "; ") + r.comments;
      }
    }
    *rows = std::move(merged);
  }
  report.values_withheld = true;
  return report;
}

namespace {

const std::vector<std::string> kAttCsvHeader = {
    "direction",    "category",           "salw_subcategory", "partner",
    "partner_name", "description",        "authorized_items", "authorized_value_minor",
    "actual_items", "actual_value_minor", "currency",         "comments"};

std::string ValueCell(int64_t minor, const std::string& currency) {
  if (currency.empty() || minor == 0) return "";
  return Int(minor) + " " + currency;
}

}  // namespace

std::string AttCsv(const AttReport& report) {
  std::string out = CsvLine(kAttCsvHeader);
  for (const auto& [direction, rows] :
       {std::pair{"export", &report.exports}, std::pair{"import", &report.imports}}) {
    if (rows->empty()) {
      out += CsvLine({direction, "", "", "", "", "", "", "", "", "", "", "nil report"});
      continue;
    }
    for (const AttRow& r : *rows) {
      bool v = !report.values_withheld;
      out += CsvLine({direction, r.category, r.salw_subcategory, r.partner, r.partner_name,
                      r.description, Int(r.authorized_items),
                      v ? Int(r.authorized_value_minor) : "", Int(r.actual_items),
                      v ? Int(r.actual_value_minor) : "", r.currency, r.comments});
    }
  }
  return out;
}

std::string AttMarkdown(const AttReport& report) {
  std::string y = Int(report.year);
  std::string out = "# Arms Trade Treaty annual report: " + report.party_name + " (" +
                    report.party + "), " + y + "\n\n";
  out += "Reporting period: 1 January to 31 December " + y +
         " (Article 13(3)). Computed from the registry's signed delivery records.\n\n";
  out += "- Authorized: exports, lines of export licences issued in " + y +
         " for contracts under which " + report.party +
         " supplies; imports, lines of import permits issued in " + y +
         " for contracts under which " + report.party +
         " receives. Transit permits authorize passage through a third state and are not "
         "counted.\n";
  out += "- Actual: items received by the recipient in " + y +
         " (receipt date; damaged items included, items missing at receipt excluded).\n";
  out += report.values_withheld
             ? "- Value: withheld in this public form of the report.\n\n"
             : "- Value: number of items x the contract's unit price, in minor units of the "
               "contract's currency.\n\n";
  if (report.nil()) out += "**Nil report**: no exports or imports authorized or actual.\n\n";
  for (const auto& [title, rows] :
       {std::pair{"Exports", &report.exports}, std::pair{"Imports", &report.imports}}) {
    out += std::string("## ") + title + "\n\n";
    if (rows->empty()) {
      out += "Nil report.\n\n";
      continue;
    }
    std::vector<std::vector<std::string>> cells;
    for (const AttRow& r : *rows) {
      cells.push_back(
          {CategoryCell(r.category, r.salw_subcategory), r.partner_name + " (" + r.partner + ")",
           r.description, Int(r.authorized_items), ValueCell(r.authorized_value_minor, r.currency),
           Int(r.actual_items), ValueCell(r.actual_value_minor, r.currency), r.comments});
    }
    out += MdTable(
        {"Category", std::string(title) == "Exports" ? "Importing state" : "Exporting state",
         "Description", "Authorized: items", "Authorized: value (minor units)", "Actual: items",
         "Actual: value (minor units)", "Comments"},
        cells);
    out += "\n";
  }
  return out;
}

json AttJson(const AttReport& report) {
  json out = ReportHeader("att", report);
  if (report.values_withheld) out["values_withheld"] = true;
  for (const auto& [name, rows] :
       {std::pair{"exports", &report.exports}, std::pair{"imports", &report.imports}}) {
    json table = {{"nil_report", rows->empty()}, {"rows", json::array()}};
    for (const AttRow& r : *rows) {
      json j = {{"category", r.category},
                {"partner", r.partner},
                {"partner_name", r.partner_name},
                {"product", r.product},
                {"description", r.description},
                {"authorized", {{"items", r.authorized_items}}},
                {"actual", {{"items", r.actual_items}}},
                {"comments", r.comments}};
      if (!r.salw_subcategory.empty()) j["salw_subcategory"] = r.salw_subcategory;
      if (!r.currency.empty()) {
        j["currency"] = r.currency;
        j["authorized"]["value_minor"] = r.authorized_value_minor;
        j["actual"]["value_minor"] = r.actual_value_minor;
      }
      table["rows"].push_back(std::move(j));
    }
    out[name] = std::move(table);
  }
  return out;
}

}  // namespace accord::registry
