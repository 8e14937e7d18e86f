// The SIPRI-style trade register: one row per deal and delivery year, in
// SIPRI's flat export format, as JSON, and TIV totals by year, supplier and
// recipient.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <set>
#include <tuple>

#include "crypto/sha256.h"
#include "registry/doc_fields.h"
#include "registry/transfer_reports.h"
#include "registry/transfer_support.h"
#include "util/text_table.h"

namespace accord::registry {

using nlohmann::json;
using transfer_internal::CsvLine;
using transfer_internal::Int;
using transfer_internal::Lookup;
using transfer_internal::NameOf;

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
  auto t = static_cast<std::time_t>(unix_seconds);
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
  out.reserve(sums.size());
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
