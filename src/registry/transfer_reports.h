// The reports states owe about their arms transfers, computed from Accord's
// own delivery records (src/domain/shipment_rules.cc): the Arms Trade Treaty
// annual report (Art. 13(3)), the UN Register of Conventional Arms
// standardized form, and a SIPRI-style trade register with trend-indicator
// values. Pure: no I/O; the caller lists the documents (Registry::List) and
// passes them, together with the names of states.
//
// Definitions (for a party P and a calendar year Y):
//  - a *delivery* is what one shipment brought of one contract line: the
//    serials the recipient received (damaged ones included, serials missing
//    at receipt excluded), dated by the receipt (shipment.received);
//  - *actual* exports / imports of P in Y: deliveries received in Y of
//    contracts whose supplier / recipient is P;
//  - *authorized* exports of P in Y: the lines of export licences issued in Y
//    (the licence's `issued` date) for contracts whose supplier is P (export
//    licences are issued by the supplier's export-control authority);
//  - *authorized* imports of P in Y: the lines of import permits issued in Y
//    for contracts whose recipient is P (issued by the recipient);
//  - transit permits are neither: they authorize passage through a third
//    state; the transit states of a shipment's route are the UN Register's
//    "intermediate locations";
//  - value (optional in both reports' templates): items × the contract line's
//    unit price, in minor units of the contract's currency; rows never add
//    values of different currencies;
//  - TIV (SIPRI's trend-indicator value, in thousandths of a million): the
//    product's TIV per unit (its core value) × SIPRI's status factor (new 1,
//    second hand 0.4, second hand but modernized 0.66), rounded to a
//    thousandth, × the number delivered.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace accord::registry {

// The documents the reports read, as Registry::List returns them.
struct TransferDocs {
  std::vector<nlohmann::json> products;   // kind "product"
  std::vector<nlohmann::json> contracts;  // kind "contract"
  std::vector<nlohmann::json> licences;   // kind "licence"
  std::vector<nlohmann::json> shipments;  // kind "shipment"
  // ISO 3166 alpha-2 code -> the state's name as reports print it; a code
  // missing here is printed as the code.
  std::map<std::string, std::string> state_names;
};

// One shipment's received items of one contract line.
struct Delivery {
  std::string contract;
  int64_t line = 0;
  std::string shipment;
  std::string product;
  std::string supplier, recipient;  // ISO codes (the contract's parties)
  std::string received;             // receipt date, YYYY-MM-DD
  int year = 0;                     // of `received`
  int order_year = 0;               // year the contract was concluded (its last signature)
  int64_t items = 0;                // received, damaged included
  int64_t damaged = 0;
  std::vector<std::string> transit;  // route states other than supplier and recipient, in order
  std::string status;                // new | second_hand | second_hand_modernized
  int64_t unit_price_minor = 0;
  std::string currency;
  std::optional<int64_t> tiv_core_milli;  // the product's TIV per unit, if it has one
  std::optional<int64_t> tiv_unit_milli;  // after the status factor
};

// Every delivery, ordered by (received, shipment, line). Fails (Corruption)
// if a shipment names a contract, line or product that is not among the
// documents.
Result<std::vector<Delivery>> CollectDeliveries(const TransferDocs& docs);

// SIPRI's status factor applied to a core TIV: new 1, second_hand 0.4,
// second_hand_modernized 0.66, rounded half up to a thousandth.
int64_t TivAfterStatus(int64_t core_milli, std::string_view status);

// ---- Arms Trade Treaty annual report ------------------------------------------------

struct AttRow {
  std::string category;          // UN Register category I..VIII
  std::string salw_subcategory;  // category VIII only
  std::string partner;           // importing state (exports) / exporting state (imports)
  std::string partner_name;
  std::string product;      // product id
  std::string description;  // "designation (description)"
  std::string currency;     // of the values
  int64_t authorized_items = 0;
  int64_t authorized_value_minor = 0;
  int64_t actual_items = 0;
  int64_t actual_value_minor = 0;
  std::string comments;

  bool operator==(const AttRow&) const = default;
};

struct AttReport {
  std::string party, party_name;
  int year = 0;
  std::vector<AttRow> exports, imports;  // by category, partner, product, currency
  // The public form (WithholdValues): no values or currencies.
  bool values_withheld = false;
  bool nil() const { return exports.empty() && imports.empty(); }
};

// P's report for Y: one row per (category, sub-category, partner, product,
// currency) with anything authorized or actual in Y.
Result<AttReport> ComputeAttReport(const TransferDocs& docs, const std::string& party, int year);

// The report's public form: the same rows without values (prices) and
// currencies; rows that differed only by currency are added together. The
// renderers then leave the value cells empty, say so in the Markdown, and the
// JSON has "values_withheld": true and no values.
AttReport WithholdValues(AttReport report);

// CSV: a header, then the rows (direction export|import first); a direction
// with no rows is one row whose comments say "nil report".
std::string AttCsv(const AttReport& report);
// Markdown: a title, the definitions, an exports and an imports table (or
// "Nil report." for each that is empty).
std::string AttMarkdown(const AttReport& report);
nlohmann::json AttJson(const AttReport& report);

// ---- UN Register of Conventional Arms: standardized form -----------------------------

struct UnrocaRow {
  std::string category;          // I..VII, or VIII (small arms and light weapons)
  std::string salw_subcategory;  // category VIII only
  std::string partner;           // final importer state (exports) / exporter state (imports)
  std::string partner_name;
  int64_t items = 0;
  std::string origin;  // state of origin if not the exporter (the product's supplier), else ""
  std::string origin_name;
  std::vector<std::string> intermediate;  // transit states, in route order
  std::string intermediate_names;         // their names, joined with ", "
  std::string description;                // "designation (description)"
  std::string comments;

  bool operator==(const UnrocaRow&) const = default;
};

struct UnrocaReport {
  std::string party, party_name;
  int year = 0;
  std::vector<UnrocaRow> exports, imports;
  bool nil() const { return exports.empty() && imports.empty(); }
};

// P's actual exports and imports in Y (the Register records transfers that
// took place, not authorizations): one row per (category, sub-category,
// partner, product, state of origin, intermediate locations).
Result<UnrocaReport> ComputeUnrocaReport(const TransferDocs& docs, const std::string& party,
                                         int year);
std::string UnrocaCsv(const UnrocaReport& report);
std::string UnrocaMarkdown(const UnrocaReport& report);
nlohmann::json UnrocaJson(const UnrocaReport& report);

// ---- SIPRI-style trade register ---------------------------------------------------------

// One row of SIPRI's flat export: one deal (contract line) in one delivery year.
struct RegisterRow {
  int64_t deal_id = 0;  // stable: from the contract id and line (RegisterDealId)
  std::string contract;
  int64_t line = 0;
  std::string supplier, recipient;  // names (state_names)
  std::string supplier_code, recipient_code;
  std::string designation, description;
  std::string category;  // SIPRI's spelling: "Aircraft", "Air defence systems", ...
  int order_year = 0;
  int64_t number_delivered = 0;
  int delivery_year = 0;
  std::string status;  // new | second_hand | second_hand_modernized
  std::optional<int64_t> tiv_core_milli, tiv_unit_milli, tiv_delivery_milli;

  bool operator==(const RegisterRow&) const = default;
};

// SIPRI AT Database ID of Accord's contract line: 1 + the first 40 bits of
// SHA-256("accord-deal/v1\n" + contract + "\n" + line), within the ids
// SIPRI's flat export (and src/sipri's parser) accept.
int64_t RegisterDealId(const std::string& contract, int64_t line);

// Ordered by supplier, recipient, contract, line, delivery year. Like SIPRI's
// database it holds major conventional weapons only: products of UN Register
// category VIII (small arms and light weapons) are left out.
Result<std::vector<RegisterRow>> ComputeRegister(const TransferDocs& docs);

// The rows in SIPRI's flat export format, exactly as src/sipri reads it:
// notes lines (one "Data generated: D Mon YYYY h:mm:ss AM", from
// `generated_unix`, seconds since the epoch, UTC), the header, one record per row.
std::string RegisterSipriCsv(const std::vector<RegisterRow>& rows, int64_t generated_unix);
nlohmann::json RegisterJson(const std::vector<RegisterRow>& rows);

// TIV volumes (thousandths) by delivery year, supplier name and recipient
// name: what `accord report tiv --by year,supplier,recipient` shows for a
// dataset holding the register.
struct TivGroup {
  int year = 0;
  std::string supplier, recipient;
  int64_t tiv_milli = 0;
  bool operator==(const TivGroup&) const = default;
};
// (Small arms have no TIV: they add nothing.)
std::vector<TivGroup> TivByYearSupplierRecipient(const std::vector<Delivery>& deliveries,
                                                 const std::map<std::string, std::string>& names);
// "year,supplier,recipient,tiv" CSV as `report tiv` prints it (millions, two decimals).
std::string TivCsv(const std::vector<TivGroup>& groups);

// Thousandths as SIPRI prints millions: "11.5", "0.26", "46" (no trailing zeros).
std::string MilliText(int64_t milli);

}  // namespace accord::registry
