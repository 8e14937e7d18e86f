// End-use monitoring figures, computed as of any date from the dated facts
// the monitoring rules keep in typed tables (domain/eum_records.cc):
//
//   eum_items        one row per item received: agreement, parties,
//                    designation, receipt date, inventory periods, and the
//                    date it left monitoring (re-transfer, loss, ...)
//   eum_inventories  one row per serial sighted in a completed inspection
//   eum_units        where an item was from a date on
//   eum_access       one row per access request round, with its answer
//   eum_cases        one row per status change of a case
//
// As of day D (whole UTC days; "on D" means by the end of D):
//  * an item is monitored if it is under enhanced monitoring, was received
//    on or before D and had not left monitoring by D;
//  * its first inventory is due inventory_initial_days after receipt, each
//    next one inventory_period_days after the last; an inventory on the due
//    day itself is in time;
//  * it is delinquent if its current due date is before D (days overdue =
//    D - due); "due" lists items whose due date falls in [D, D + within];
//  * it is assessed once an obligation has fallen due or been met, and
//    inventoried on time if every obligation so far was met by its due date;
//  * an access request made by D was answered in time if answered by D and
//    on or before its deadline; late if answered by D after it; unanswered
//    if not answered by D and its deadline is before D; else pending;
//  * a case's status as of D is its last status change on or before D; open
//    cases are bucketed by age (D - opening date) 0-30, 31-90, 91-365, >365.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "storage/entity_store.h"
#include "util/status.h"

namespace accord::registry {

struct EumDueItem {
  std::string item, product, serial, agreement, supplier, recipient, unit, location;
  std::string due;             // YYYY-MM-DD
  std::string last_inventory;  // empty: none yet
  int64_t days = 0;            // delinquent: days overdue (>= 1); due: days left (>= 0)
};

struct EumDue {
  std::string as_of;
  int64_t within_days = 0;
  int64_t items_monitored = 0;
  // Each sorted by recipient, unit, due date, item.
  std::vector<EumDueItem> delinquent;
  std::vector<EumDueItem> due;
};

// `as_of` is YYYY-MM-DD; `within_days` >= 0.
Result<EumDue> ComputeEumDue(storage::EntityStore& store, const std::string& as_of,
                             int64_t within_days);

struct EumComplianceRow {
  std::string agreement, supplier, recipient;
  int64_t items_monitored = 0, items_assessed = 0, items_on_time = 0, items_delinquent = 0;
  int64_t max_days_overdue = 0;
  int64_t access_requests = 0, access_in_time = 0, access_late = 0, access_unanswered = 0,
          access_pending = 0;
  int64_t cases_open = 0;
  std::array<int64_t, 4> cases_open_by_age{};  // 0-30, 31-90, 91-365, >365 days
  int64_t cases_resolved = 0, violations_confirmed = 0;
};

struct EumCompliance {
  std::string as_of;
  std::vector<EumComplianceRow> rows;  // by agreement, supplier, recipient
};

Result<EumCompliance> ComputeEumCompliance(storage::EntityStore& store, const std::string& as_of);

// Output. JSON is one object; CSV has a header line; tables are for people.
// `with_total`: include items_monitored (the API gives it to admins only, as
// it counts every party's items).
std::string EumDueJson(const EumDue& due, bool with_total = true);
std::string EumDueTable(const EumDue& due);
std::string EumComplianceJson(const EumCompliance& report);
std::string EumComplianceCsv(const EumCompliance& report);
std::string EumComplianceTable(const EumCompliance& report);

// A date for --as-of: YYYY-MM-DD, or an RFC 3339 date-time (with Z or an
// offset), taken as its UTC date. InvalidArgument names what is expected.
Result<std::string> ParseAsOfDate(const std::string& text);

}  // namespace accord::registry
