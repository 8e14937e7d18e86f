#include "registry/transfer_reports.h"

#include <algorithm>
#include <ctime>
#include <set>
#include <tuple>

#include "crypto/sha256.h"
#include "registry/doc_fields.h"
#include "util/text_table.h"

namespace accord::registry {
namespace {

using nlohmann::json;

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

using DocIndex = std::map<std::string, const json*>;

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

}  // namespace

int64_t TivAfterStatus(int64_t core_milli, std::string_view status) {
  if (status == "second_hand") return (core_milli * 40 + 50) / 100;
  if (status == "second_hand_modernized") return (core_milli * 66 + 50) / 100;
  return core_milli;
}

Result<std::vector<Delivery>> CollectDeliveries(const TransferDocs& docs) {
  Lookup look(docs);
  std::vector<Delivery> out;
  for (const json& s : docs.shipments) {
    std::string received = DocText(s, "received");
    if (received.empty()) continue;  // still in transit
    std::string id = DocText(s, "id");
    ASSIGN_OR_RETURN(const json* contract, look.Contract(DocText(s, "contract"), "shipment " + id));
    std::set<std::pair<std::string, std::string>> missing, damaged;  // (product, serial)
    for (const json& d : Array(s, "differences")) {
      std::string kind = DocText(d, "kind");
      if (kind == "missing") missing.insert({DocText(d, "product"), DocText(d, "serial")});
      if (kind == "damaged") damaged.insert({DocText(d, "product"), DocText(d, "serial")});
    }
    std::string supplier = DocText(*contract, "supplier"),
                recipient = DocText(*contract, "recipient");
    std::vector<std::string> transit;
    for (const json& state : Array(s, "route")) {
      std::string code = state.is_string() ? state.get<std::string>() : std::string();
      if (!code.empty() && code != supplier && code != recipient) transit.push_back(code);
    }
    for (const json& l : Array(s, "lines")) {
      Delivery d;
      d.contract = DocText(*contract, "id");
      d.line = DocInt(l, "line").value_or(0);
      d.shipment = id;
      d.product = DocText(l, "product");
      d.supplier = supplier;
      d.recipient = recipient;
      d.received = received;
      d.year = YearOf(received);
      d.order_year = YearOf(ConcludedDate(*contract));
      d.transit = transit;
      for (const json& serial : Array(l, "serials")) {
        std::pair<std::string, std::string> key = {d.product, serial.get<std::string>()};
        if (missing.contains(key)) continue;
        ++d.items;
        if (damaged.contains(key)) ++d.damaged;
      }
      if (d.items == 0) continue;
      const json* cl = ContractLine(*contract, d.line);
      if (cl == nullptr) {
        return Status::Corruption("shipment " + id + " names line " + Int(d.line) +
                                  " of contract " + d.contract + ", which has no such line");
      }
      d.status = DocText(*cl, "status");
      if (d.status.empty()) d.status = "new";
      d.unit_price_minor = DocInt(*cl, "unit_price_minor").value_or(0);
      d.currency = DocText(*cl, "currency");
      ASSIGN_OR_RETURN(const json* product, look.Product(d.product, "shipment " + id));
      d.tiv_core_milli = DocInt(*product, "tiv_per_unit_milli");
      if (d.tiv_core_milli) d.tiv_unit_milli = TivAfterStatus(*d.tiv_core_milli, d.status);
      out.push_back(std::move(d));
    }
  }
  std::sort(out.begin(), out.end(), [](const Delivery& a, const Delivery& b) {
    return std::tie(a.received, a.shipment, a.line) < std::tie(b.received, b.shipment, b.line);
  });
  return out;
}

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

namespace {

// What every yearly per-party report's JSON starts with.
template <typename Report>
json ReportHeader(const char* kind, const Report& report) {
  return {{"report", kind},
          {"party", report.party},
          {"party_name", report.party_name},
          {"year", report.year},
          {"nil_report", report.nil()}};
}

}  // namespace

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

// ---- Register ---------------------------------------------------------------------------

int64_t RegisterDealId(const std::string& contract, int64_t line) {
  Hash h = Sha256({"accord-deal/v1\n", contract, "\n", std::to_string(line)});
  int64_t v = 0;
  for (int i = 0; i < 5; ++i) v = (v << 8) | h[i];
  return v + 1;
}

namespace {

// "air_defence_systems" -> "Air defence systems".
std::string SipriCategory(const std::string& code) {
  std::string out = code;
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

std::string SipriStatus(const std::string& status) {
  if (status == "second_hand") return "Second hand";
  if (status == "second_hand_modernized") return "Second hand but modernized";
  return "New";
}

// "13 Apr 2024 3:44:54 PM", UTC.
std::string SipriTime(int64_t unix_seconds) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  int h12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d %s %d %d:%02d:%02d %s", tm.tm_mday, kMonths[tm.tm_mon],
                tm.tm_year + 1900, h12, tm.tm_min, tm.tm_sec, tm.tm_hour < 12 ? "AM" : "PM");
  return buf;
}

std::string OptMilli(const std::optional<int64_t>& v) {
  return v ? MilliText(*v) : std::string();
}

}  // namespace

std::string MilliText(int64_t milli) {
  bool neg = milli < 0;
  uint64_t m = neg ? static_cast<uint64_t>(-(milli + 1)) + 1 : static_cast<uint64_t>(milli);
  std::string out = (neg ? "-" : "") + std::to_string(m / 1000);
  if (uint64_t frac = m % 1000; frac != 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03u", static_cast<unsigned>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

Result<std::vector<RegisterRow>> ComputeRegister(const TransferDocs& docs) {
  ASSIGN_OR_RETURN(std::vector<Delivery> deliveries, CollectDeliveries(docs));
  Lookup look(docs);
  std::map<std::tuple<std::string, int64_t, int>, RegisterRow> by_deal_year;
  for (const Delivery& d : deliveries) {
    ASSIGN_OR_RETURN(const json* product, look.Product(d.product, "shipment " + d.shipment));
    // SIPRI covers major conventional weapons: small arms and light weapons
    // (UN Register category VIII) are not in its register.
    if (DocText(*product, "unroca_category") == "VIII") continue;
    RegisterRow& r = by_deal_year[{d.contract, d.line, d.year}];
    if (r.deal_id == 0) {
      r.deal_id = RegisterDealId(d.contract, d.line);
      r.contract = d.contract;
      r.line = d.line;
      r.supplier_code = d.supplier;
      r.recipient_code = d.recipient;
      r.supplier = NameOf(docs.state_names, d.supplier);
      r.recipient = NameOf(docs.state_names, d.recipient);
      r.designation = DocText(*product, "designation");
      r.description = DocText(*product, "description");
      r.category = SipriCategory(DocText(*product, "sipri_category"));
      r.order_year = d.order_year;
      r.delivery_year = d.year;
      r.status = d.status;
      r.tiv_core_milli = d.tiv_core_milli;
      r.tiv_unit_milli = d.tiv_unit_milli;
    }
    r.number_delivered += d.items;
  }
  std::vector<RegisterRow> rows;
  for (auto& [key, r] : by_deal_year) {
    if (r.tiv_unit_milli) r.tiv_delivery_milli = *r.tiv_unit_milli * r.number_delivered;
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const RegisterRow& a, const RegisterRow& b) {
    return std::tie(a.supplier, a.recipient, a.contract, a.line, a.delivery_year) <
           std::tie(b.supplier, b.recipient, b.contract, b.line, b.delivery_year);
  });
  return rows;
}

std::string RegisterSipriCsv(const std::vector<RegisterRow>& rows, int64_t generated_unix) {
  int first = 0, last = 0;
  for (const RegisterRow& r : rows) {
    if (first == 0 || r.delivery_year < first) first = r.delivery_year;
    last = std::max(last, r.delivery_year);
  }
  std::string range =
      rows.empty() ? std::string("none") : "'" + Int(first) + "' to '" + Int(last) + "'";
  // Notes as SIPRI's flat export has them (eleven lines before the header;
  // no double quotes, which a CSV reader would take for quoting).
  std::string out;
  out +=
      "Transfers of major conventional arms recorded in an Accord registry. Deals with "
      "deliveries for year range " +
      range + "\n";
  out +=
      "One row per contract line and delivery year; deliveries are items received by the "
      "recipient (receipt date).\n";
  out +=
      "The SIPRI AT Database ID is derived from the Accord contract id and line; states are "
      "named as in ISO 3166.\n";
  out += "SIPRI trend-indicator values (TIVs) are in millions.\n";
  out +=
      "TIV deal unit = SIPRI estimate x status factor (new 1; second hand 0.4; second hand but "
      "modernized 0.66).\n";
  out += "TIV delivery values = TIV deal unit x numbers delivered.\n";
  out += "Figures may not add up to stated totals due to the conventions of rounding.\n";
  out +=
      "For the method used for the SIPRI TIV see "
      "<https://www.sipri.org/databases/armstransfers/sources-and-methods>.\n";
  out += "\n";
  out += "Source: Accord registry (signed delivery records).\n";
  out += "Data generated: " + SipriTime(generated_unix) + "\n";
  out += CsvLine({"SIPRI AT Database ID", "Supplier", "Recipient", "Designation", "Description",
                  "Armament category", "Order date", "Order date is estimate", "Numbers delivered",
                  "Numbers delivered is estimate", "Delivery year", "Delivery year is estimate",
                  "Status", "SIPRI estimate", "TIV deal unit", "TIV delivery values",
                  "Local production"});
  for (const RegisterRow& r : rows) {
    out += CsvLine({Int(r.deal_id), r.supplier, r.recipient, r.designation, r.description,
                    r.category, Int(r.order_year), "No", Int(r.number_delivered), "No",
                    Int(r.delivery_year), "No", SipriStatus(r.status), OptMilli(r.tiv_core_milli),
                    OptMilli(r.tiv_unit_milli), OptMilli(r.tiv_delivery_milli), "No"});
  }
  return out;
}

json RegisterJson(const std::vector<RegisterRow>& rows) {
  json out = json::array();
  for (const RegisterRow& r : rows) {
    json j = {{"deal_id", r.deal_id},
              {"contract", r.contract},
              {"line", r.line},
              {"supplier", {{"name", r.supplier}, {"code", r.supplier_code}}},
              {"recipient", {{"name", r.recipient}, {"code", r.recipient_code}}},
              {"designation", r.designation},
              {"description", r.description},
              {"category", r.category},
              {"order_year", r.order_year},
              {"number_delivered", r.number_delivered},
              {"delivery_year", r.delivery_year},
              {"status", r.status}};
    if (r.tiv_core_milli) j["tiv_core_milli"] = *r.tiv_core_milli;
    if (r.tiv_unit_milli) j["tiv_per_unit_milli"] = *r.tiv_unit_milli;
    if (r.tiv_delivery_milli) j["tiv_delivery_milli"] = *r.tiv_delivery_milli;
    out.push_back(std::move(j));
  }
  return out;
}

std::vector<TivGroup> TivByYearSupplierRecipient(const std::vector<Delivery>& deliveries,
                                                 const std::map<std::string, std::string>& names) {
  std::map<std::tuple<int, std::string, std::string>, int64_t> sums;
  for (const Delivery& d : deliveries) {
    sums[{d.year, NameOf(names, d.supplier), NameOf(names, d.recipient)}] +=
        d.tiv_unit_milli.value_or(0) * d.items;
  }
  std::vector<TivGroup> out;
  for (const auto& [key, milli] : sums) {
    out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), milli});
  }
  return out;
}

std::string TivCsv(const std::vector<TivGroup>& groups) {
  std::string out = "year,supplier,recipient,tiv\n";
  for (const TivGroup& g : groups) {
    int64_t cents = (g.tiv_milli + 5) / 10;  // non-negative: half away from zero
    char buf[40];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100),
                  static_cast<long long>(cents % 100));
    out += CsvLine({Int(g.year), g.supplier, g.recipient, buf});
  }
  return out;
}

}  // namespace accord::registry
