// The UN Register of Conventional Arms standardized form: computed and
// rendered as CSV, Markdown and JSON.
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
using transfer_internal::CategoryCell;
using transfer_internal::CsvLine;
using transfer_internal::Describe;
using transfer_internal::FinishYearReport;
using transfer_internal::Int;
using transfer_internal::Join;
using transfer_internal::Lookup;
using transfer_internal::MdTable;
using transfer_internal::NameOf;
using transfer_internal::ReportHeader;

// ---- UN Register ------------------------------------------------------------------------

Result<UnrocaReport> ComputeUnrocaReport(const TransferDocs& docs, const std::string& party,
                                         int year) {
  ASSIGN_OR_RETURN(std::vector<Delivery> deliveries, CollectDeliveries(docs));
  Lookup look(docs);
  using Key = std::tuple<std::string, std::string, std::string, std::string, std::string,
                         std::vector<std::string>>;
  std::map<Key, Accumulated<UnrocaRow>> tables[2];
  for (const Delivery& d : deliveries) {
    if (d.year != year || (d.supplier != party && d.recipient != party)) continue;
    int dir = d.supplier == party ? 0 : 1;
    ASSIGN_OR_RETURN(const json* product, look.Product(d.product, "shipment " + d.shipment));
    std::string origin = DocText(*product, "supplier");
    if (origin == d.supplier) origin.clear();
    std::string partner = dir == 0 ? d.recipient : d.supplier;
    Key key{DocText(*product, "unroca_category"),
            DocText(*product, "salw_subcategory"),
            partner,
            d.product,
            origin,
            d.transit};
    Accumulated<UnrocaRow>& a = tables[dir][key];
    if (a.row.description.empty()) {
      a.row.category = std::get<0>(key);
      a.row.salw_subcategory = std::get<1>(key);
      a.row.partner = partner;
      a.row.partner_name = NameOf(docs.state_names, partner);
      a.row.origin = origin;
      if (!origin.empty()) a.row.origin_name = NameOf(docs.state_names, origin);
      a.row.intermediate = d.transit;
      std::vector<std::string> names;
      for (const std::string& t : d.transit) names.push_back(NameOf(docs.state_names, t));
      a.row.intermediate_names = Join(names, ", ");
      a.row.description = Describe(*product);
    }
    a.row.items += d.items;
    a.contracts.insert(d.contract);
    std::string s = "shipment " + d.shipment + " received " + d.received;
    if (std::find(a.shipments.begin(), a.shipments.end(), s) == a.shipments.end()) {
      a.shipments.push_back(s);
    }
    a.damaged += d.damaged;
    if (d.status != "new") a.statuses.insert(d.status);
  }
  return FinishYearReport<UnrocaReport>(docs, party, year, tables);
}

std::string UnrocaCsv(const UnrocaReport& report) {
  std::string out =
      CsvLine({"direction", "category", "salw_subcategory", "partner", "partner_name", "items",
               "state_of_origin", "intermediate_locations", "description", "comments"});
  for (const auto& [direction, rows] :
       {std::pair{"export", &report.exports}, std::pair{"import", &report.imports}}) {
    if (rows->empty()) {
      out += CsvLine({direction, "", "", "", "", "", "", "", "", "nil report"});
      continue;
    }
    for (const UnrocaRow& r : *rows) {
      std::string via;
      for (const std::string& t : r.intermediate) via += (via.empty() ? "" : " ") + t;
      out += CsvLine({direction, r.category, r.salw_subcategory, r.partner, r.partner_name,
                      Int(r.items), r.origin, via, r.description, r.comments});
    }
  }
  return out;
}

std::string UnrocaMarkdown(const UnrocaReport& report) {
  std::string y = Int(report.year);
  std::string out = "# UN Register of Conventional Arms: " + report.party_name + " (" +
                    report.party + "), calendar year " + y + "\n\n";
  out +=
      "Standardized form of actual transfers, computed from the registry's signed delivery "
      "records: items received by the recipient in " +
      y +
      ". State of origin is given when the product's supplier is not the exporter; "
      "intermediate locations are the transit states of the shipments' routes. Category VIII "
      "is small arms and light weapons.\n\n";
  if (report.nil()) out += "**Nil report**: no exports or imports.\n\n";
  for (const auto& [title, rows] :
       {std::pair{"Exports", &report.exports}, std::pair{"Imports", &report.imports}}) {
    out += std::string("## ") + title + "\n\n";
    if (rows->empty()) {
      out += "Nil report.\n\n";
      continue;
    }
    bool exports = std::string(title) == "Exports";
    std::vector<std::vector<std::string>> cells;
    for (const UnrocaRow& r : *rows) {
      cells.push_back({CategoryCell(r.category, r.salw_subcategory),
                       r.partner_name + " (" + r.partner + ")", Int(r.items),
                       r.origin.empty() ? "" : r.origin_name + " (" + r.origin + ")",
                       r.intermediate_names, r.description, r.comments});
    }
    out +=
        MdTable({"A. Category", exports ? "B. Final importer state" : "B. Exporter state",
                 "C. Number of items", "D. State of origin (if not exporter)",
                 "E. Intermediate location(s)", "Description of item", "Comments on the transfer"},
                cells);
    out += "\n";
  }
  return out;
}

json UnrocaJson(const UnrocaReport& report) {
  json out = ReportHeader("unroca", report);
  for (const auto& [name, rows] :
       {std::pair{"exports", &report.exports}, std::pair{"imports", &report.imports}}) {
    json table = {{"nil_report", rows->empty()}, {"rows", json::array()}};
    for (const UnrocaRow& r : *rows) {
      json j = {{"category", r.category},
                {"partner", r.partner},
                {"partner_name", r.partner_name},
                {"items", r.items},
                {"intermediate_locations", r.intermediate},
                {"description", r.description},
                {"comments", r.comments}};
      if (!r.salw_subcategory.empty()) j["salw_subcategory"] = r.salw_subcategory;
      if (!r.origin.empty()) j["state_of_origin"] = r.origin;
      table["rows"].push_back(std::move(j));
    }
    out[name] = std::move(table);
  }
  return out;
}

}  // namespace accord::registry
