// Deliveries, as every transfer report counts them: what one shipment brought
// of one contract line, with its TIV.
#include "registry/transfer_reports.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "registry/doc_fields.h"
#include "registry/transfer_support.h"
#include "util/text_table.h"

namespace accord::registry {

using nlohmann::json;
using transfer_internal::Array;
using transfer_internal::ConcludedDate;
using transfer_internal::ContractLine;
using transfer_internal::Int;
using transfer_internal::Lookup;
using transfer_internal::YearOf;

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

}  // namespace accord::registry
