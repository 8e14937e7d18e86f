// Yearly figures of cooperation beyond deliveries (issue 6), computed from the
// entity documents the cooperation rules write (src/domain/cooperation_rules.cc).
// Pure: no I/O; the caller lists the documents (Registry::List) and passes them.
//
// What is counted, per calendar year Y:
//  - exercises_held: exercises conducted whose actual start is in Y;
//  - exercises_planned: exercises still on the calendar (planned or
//    postponed, neither held nor cancelled) whose scheduled start is in Y;
//  - participants: the sum of the actual headcounts of the exercises held in Y;
//  - trainees_enrolled / trainees_graduated: enrolments dated in Y (including
//    trainees who later withdrew) and graduations dated in Y, in total and per
//    military institution (the course's institution);
//  - consultations_held: consultations whose meeting date is in Y;
//  - followups_open: follow-up actions open at the end of Y (agreed at a
//    meeting on or before 31 December of Y, not completed by then);
//  - visits: specialist visits completed, by actual start;
//  - joint_activities = exercises_held + consultations_held + visits: the
//    seed's "joint activities" of a year (training is counted apart).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace accord::registry {

// The documents of the kinds the report reads, as Registry::List returns them.
struct CooperationDocs {
  std::vector<nlohmann::json> courses;        // kind "course"
  std::vector<nlohmann::json> exercises;      // kind "exercise"
  std::vector<nlohmann::json> consultations;  // kind "consultation"
  std::vector<nlohmann::json> visits;         // kind "visit"
};

struct CooperationFilter {
  std::optional<int> from, to;  // calendar years, inclusive
  std::string agreement;        // empty: all; else only what names this agreement
};

struct TrainingFigures {
  int64_t enrolled = 0;
  int64_t graduated = 0;

  bool operator==(const TrainingFigures&) const = default;
};

struct CooperationYear {
  int year = 0;
  int64_t exercises_held = 0;
  int64_t exercises_planned = 0;
  int64_t participants = 0;
  int64_t trainees_enrolled = 0;
  int64_t trainees_graduated = 0;
  std::map<std::string, TrainingFigures> by_institution;  // institution body id
  int64_t consultations_held = 0;
  int64_t followups_open = 0;
  int64_t visits = 0;
  int64_t joint_activities = 0;

  bool operator==(const CooperationYear&) const = default;
};

// One row per year, ascending, for every year from the first to the last in
// which anything was counted (years without activity in between are rows of
// zeros), clipped to the filter's years; with both `from` and `to`, every
// year of that range. (A follow-up action left open does not by itself make
// a year a row: it is counted in the rows there are.)
std::vector<CooperationYear> ComputeCooperationReport(const CooperationDocs& docs,
                                                      const CooperationFilter& filter = {});

// The rows as JSON: [{"year":..,"exercises_held":..,...,"training":[{"institution":..,
// "enrolled":..,"graduated":..}]}].
nlohmann::json CooperationReportJson(const std::vector<CooperationYear>& rows);

}  // namespace accord::registry
