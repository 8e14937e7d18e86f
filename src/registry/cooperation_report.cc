#include "registry/cooperation_report.h"

#include <algorithm>
#include <set>

#include "registry/doc_fields.h"

namespace accord::registry {
namespace {

using nlohmann::json;

const json& Obj(const json& doc, const char* key) {
  static const json empty = json::object();
  auto it = doc.find(key);
  return it != doc.end() && (it->is_object() || it->is_array()) ? *it : empty;
}

// The year of a date "YYYY-MM-DD", or nullopt.
std::optional<int> YearOf(const std::string& date) {
  if (date.size() < 4) return std::nullopt;
  int y = 0;
  for (int i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9') return std::nullopt;
    y = y * 10 + (date[i] - '0');
  }
  return y;
}

class Accumulator {
 public:
  explicit Accumulator(const CooperationFilter& f) : filter_(f) {}

  bool Selected(const json& doc) const {
    return filter_.agreement.empty() || DocText(doc, "agreement") == filter_.agreement;
  }

  // The row of the year of `date`, or null if the date has none or is
  // outside the filter's years.
  CooperationYear* Row(const std::string& date) {
    auto y = YearOf(date);
    if (!y || (filter_.from && *y < *filter_.from) || (filter_.to && *y > *filter_.to)) {
      return nullptr;
    }
    CooperationYear& r = rows_[*y];
    r.year = *y;
    return &r;
  }

  std::map<int, CooperationYear>& rows() { return rows_; }

 private:
  const CooperationFilter& filter_;
  std::map<int, CooperationYear> rows_;
};

}  // namespace

std::vector<CooperationYear> ComputeCooperationReport(const CooperationDocs& docs,
                                                      const CooperationFilter& filter) {
  Accumulator acc(filter);
  for (const json& ex : docs.exercises) {
    if (!acc.Selected(ex)) continue;
    std::string status = DocText(ex, "status");
    if (status == "conducted") {
      const json& held = Obj(ex, "conducted");
      if (CooperationYear* r = acc.Row(DocText(held, "start"))) {
        ++r->exercises_held;
        r->participants += DocInt(held, "headcount").value_or(0);
      }
    } else if (status == "planned" || status == "postponed") {
      if (CooperationYear* r = acc.Row(DocText(ex, "start"))) ++r->exercises_planned;
    }
  }
  for (const json& course : docs.courses) {
    if (!acc.Selected(course)) continue;
    std::string institution = DocText(course, "institution");
    for (const auto& [id, t] : Obj(course, "trainees").items()) {
      if (CooperationYear* r = acc.Row(DocText(t, "enrolled"))) {
        ++r->trainees_enrolled;
        ++r->by_institution[institution].enrolled;
      }
      if (DocText(t, "status") == "graduated") {
        if (CooperationYear* r = acc.Row(DocText(t, "graduated"))) {
          ++r->trainees_graduated;
          ++r->by_institution[institution].graduated;
        }
      }
    }
  }
  // Follow-up actions as (agreed on, completed on or "").
  std::vector<std::pair<std::string, std::string>> actions;
  for (const json& con : docs.consultations) {
    if (!acc.Selected(con) || DocText(con, "status") != "held") continue;
    std::string held = DocText(Obj(con, "held"), "date");
    if (CooperationYear* r = acc.Row(held)) ++r->consultations_held;
    for (const json& a : Obj(con, "actions")) {
      std::string completed = DocText(a, "status") == "completed" ? DocText(a, "completed") : "";
      actions.emplace_back(held, completed);
      if (!completed.empty()) acc.Row(completed);  // a year with activity
    }
  }
  for (const json& v : docs.visits) {
    if (!acc.Selected(v) || DocText(v, "status") != "completed") continue;
    if (CooperationYear* r = acc.Row(DocText(Obj(v, "completed"), "start"))) ++r->visits;
  }

  std::map<int, CooperationYear>& rows = acc.rows();
  int first = 0, last = -1;
  if (filter.from && filter.to) {
    first = *filter.from;
    last = *filter.to;
  } else if (!rows.empty()) {
    first = filter.from ? *filter.from : rows.begin()->first;
    last = filter.to ? *filter.to : rows.rbegin()->first;
  }
  std::vector<CooperationYear> out;
  for (int y = first; y <= last; ++y) {
    CooperationYear r = rows.contains(y) ? rows[y] : CooperationYear{};
    r.year = y;
    std::string year_end = std::to_string(y) + "-12-31";
    for (const auto& [agreed, completed] : actions) {
      if (agreed <= year_end && (completed.empty() || completed > year_end)) ++r.followups_open;
    }
    r.joint_activities = r.exercises_held + r.consultations_held + r.visits;
    out.push_back(std::move(r));
  }
  return out;
}

nlohmann::json CooperationReportJson(const std::vector<CooperationYear>& rows) {
  json out = json::array();
  for (const CooperationYear& r : rows) {
    json training = json::array();
    for (const auto& [institution, t] : r.by_institution) {
      training.push_back(
          {{"institution", institution}, {"enrolled", t.enrolled}, {"graduated", t.graduated}});
    }
    out.push_back({{"year", r.year},
                   {"exercises_held", r.exercises_held},
                   {"exercises_planned", r.exercises_planned},
                   {"participants", r.participants},
                   {"trainees_enrolled", r.trainees_enrolled},
                   {"trainees_graduated", r.trainees_graduated},
                   {"training", training},
                   {"consultations_held", r.consultations_held},
                   {"followups_open", r.followups_open},
                   {"visits", r.visits},
                   {"joint_activities", r.joint_activities}});
  }
  return out;
}

}  // namespace accord::registry
