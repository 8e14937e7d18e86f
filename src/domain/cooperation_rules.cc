// Rules of cooperation beyond deliveries: officer training at military
// institutions (courses with seats per partner party, enrolments of
// pseudonymous trainees, withdrawals, graduations), joint exercises (planned,
// postponed, cancelled, conducted), consultations (requested, held with
// follow-up actions, actions completed) and specialist visits (planned,
// completed).
//
// People are never named: trainees are pseudonyms "<body>/<token>" issued by
// a body of the trainee's party (e.g. "uz-mod/trainee-0042"); exercises and
// visits carry headcounts only.
#include <set>

#include "domain/rule_support.h"

namespace accord::domain::internal {
namespace {

std::string Field(const std::string& array, size_t i, const std::string& name = "") {
  return "body." + array + "[" + std::to_string(i) + "]" + (name.empty() ? "" : "." + name);
}

Status EndNotBeforeStart(const json& body, const std::string& start_key, const std::string& end_key,
                         const std::string& what) {
  std::string start = body[start_key], end = body[end_key];
  if (end < start) {
    return Refuse("dates.order", "body." + end_key,
                  "the " + what + " ends (" + end + ") before it starts (" + start + ")");
  }
  return Status::Ok();
}

// If the body names an agreement: it exists, the acting party is a party to
// it, and it is in force on `date`. `rule` prefixes the rule names.
Status CheckAgreement(const Call& c, const std::string& rule, const std::string& date) {
  if (!c.body.contains("agreement")) return Status::Ok();
  std::string id = c.body["agreement"];
  ASSIGN_OR_RETURN(json agreement, c.Need("agreement", id, "body.agreement"));
  if (!Contains(agreement["parties"], c.e.party)) {
    return Refuse(rule + ".party_to_agreement", "party",
                  Quote(c.e.party) + " is not a party to agreement " + Quote(id));
  }
  if (!AgreementInForceOn(agreement, date)) {
    return Refuse(rule + ".agreement_in_force", "body.agreement",
                  "agreement " + Quote(id) + " is not in force on " + date);
  }
  return Status::Ok();
}

// The acting party must be one of `parties`.
Status ByOneOf(const Call& c, const std::set<std::string>& parties, const std::string& rule,
               const std::string& what) {
  if (parties.contains(c.e.party)) return Status::Ok();
  std::string list;
  for (const auto& p : parties) list += (list.empty() ? "" : ", ") + p;
  return Refuse(rule, "party", Quote(c.e.party) + " is not " + what + " (" + list + ")");
}

// ---- Training --------------------------------------------------------------------

// A pseudonym: "<body>/<token>", the body a registered body of `party`, the
// token of lower-case letters, digits and '-' (so never a person's name).
Status CheckPseudonym(const Call& c, const std::string& trainee, const std::string& party) {
  size_t slash = trainee.find('/');
  auto is_token = [](const std::string& t) {
    if (t.empty()) return false;
    for (char ch : t) {
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
    }
    return true;
  };
  if (slash == std::string::npos || !is_token(trainee.substr(slash + 1))) {
    return Refuse("trainee.pseudonymous", "body.trainee",
                  Quote(trainee) +
                      " is not a pseudonym \"<body>/<token>\" of lower-case letters, digits and "
                      "'-' (e.g. \"uz-mod/trainee-0042\"); trainees are never named");
  }
  ASSIGN_OR_RETURN(std::optional<json> issuer, c.Find("body", trainee.substr(0, slash)));
  if (!issuer || (*issuer)["party"] != party) {
    return Refuse("trainee.pseudonymous", "body.trainee",
                  "the pseudonym must be issued by a registered body of " + party + "; " +
                      Quote(trainee.substr(0, slash)) + " is not one");
  }
  return Status::Ok();
}

// Seats taken by `party`: its trainees enrolled or graduated (a withdrawal
// frees the seat).
int64_t SeatsTaken(const json& course, const std::string& party) {
  int64_t n = 0;
  for (const auto& [id, t] : course["trainees"].items()) {
    if (t["party"] == party && t["status"] != "withdrawn") ++n;
  }
  return n;
}

Result<std::vector<Change>> CoursePlanned(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("course"));
  ASSIGN_OR_RETURN(json institution, c.Need("body", c.body["institution"], "body.institution"));
  if (institution["kind"] != "military_institution") {
    return Refuse("course.military_institution", "body.institution",
                  institution["id"].get<std::string>() + " is a " +
                      institution["kind"].get<std::string>() + ", not a military_institution");
  }
  std::string host = institution["party"];
  if (c.e.party != host) {
    return Refuse("course.by_institution_party", "party",
                  Quote(c.e.party) + " may not plan a course of " +
                      institution["id"].get<std::string>() + "; only its party " + Quote(host) +
                      " may");
  }
  RETURN_IF_ERROR(EndNotBeforeStart(c.body, "start", "end", "course"));
  RETURN_IF_ERROR(CheckAgreement(c, "course", c.body["start"]));
  json seats = json::object();
  for (size_t i = 0; i < c.body["seats"].size(); ++i) {
    const json& s = c.body["seats"][i];
    std::string party = s["party"];
    RETURN_IF_ERROR(c.Need("party", party, Field("seats", i, "party")).status());
    if (seats.contains(party)) {
      return Refuse("course.seats_once", Field("seats", i, "party"),
                    Quote(party) + " is given seats twice");
    }
    seats[party] = s["seats"];
  }
  json course = {{"id", c.id},
                 {"institution", institution["id"]},
                 {"host", host},
                 {"subject", c.body["subject"]},
                 {"level", c.body["level"]},
                 {"language", c.body["language"]},
                 {"start", c.body["start"]},
                 {"end", c.body["end"]},
                 {"seats", seats},
                 {"trainees", json::object()},
                 {"planned_index", c.index}};
  if (c.body.contains("agreement")) course["agreement"] = c.body["agreement"];
  return c.Set("course", std::move(course));
}

Result<std::vector<Change>> CourseTraineeEnrolled(const Call& c) {
  ASSIGN_OR_RETURN(json course, c.Self("course"));
  std::string party = c.body["party"], trainee = c.body["trainee"], date = c.body["date"];
  RETURN_IF_ERROR(ByOneOf(c, {course["host"].get<std::string>(), party}, "course.by_participant",
                          "the institution's party or the trainee's party"));
  if (!course["seats"].contains(party)) {
    return Refuse("course.seats", "body.party",
                  "course " + c.id + " has no seats for " + Quote(party));
  }
  RETURN_IF_ERROR(CheckPseudonym(c, trainee, party));
  if (course["trainees"].contains(trainee)) {
    return Refuse("course.trainee_once", "body.trainee",
                  Quote(trainee) + " is already on course " + c.id);
  }
  if (date > course["end"].get<std::string>()) {
    return Refuse("dates.order", "body.date",
                  date + " is after the course's end (" + course["end"].get<std::string>() + ")");
  }
  int64_t seats = course["seats"][party], taken = SeatsTaken(course, party);
  if (taken + 1 > seats) {
    return Refuse("course.seats", "body.party",
                  "all " + std::to_string(seats) + " seats of " + party + " on course " + c.id +
                      " are taken");
  }
  course["trainees"][trainee] = {
      {"party", party}, {"status", "enrolled"}, {"enrolled", date}, {"enrolled_index", c.index}};
  return c.Set("course", std::move(course));
}

// The trainee's record on the course, still enrolled. A party other than
// the host learns nothing of another party's trainees from the refusal: a
// trainee not of its own party is refused exactly as one not on the course
// (the API's disclosure rule for the course's personal data, applied to
// rule messages).
Result<json*> EnrolledTrainee(const Call& c, json& course) {
  std::string trainee = c.body["trainee"];
  if (c.e.party != course["host"].get<std::string>() &&
      (!course["trainees"].contains(trainee) ||
       course["trainees"][trainee]["party"] != c.e.party)) {
    return Refuse("course.trainee_exists", "body.trainee",
                  Quote(trainee) + " is not a trainee of " + c.e.party + " on course " + c.id);
  }
  if (!course["trainees"].contains(trainee)) {
    return Refuse("course.trainee_exists", "body.trainee",
                  Quote(trainee) + " is not enrolled on course " + c.id);
  }
  json& t = course["trainees"][trainee];
  if (t["status"] != "enrolled") {
    return Refuse("course.trainee_enrolled", "body.trainee",
                  Quote(trainee) + " is " + t["status"].get<std::string>() + ", not enrolled");
  }
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], t["enrolled"], "the enrolment"));
  return &t;
}

Result<std::vector<Change>> CourseTraineeWithdrawn(const Call& c) {
  ASSIGN_OR_RETURN(json course, c.Self("course"));
  ASSIGN_OR_RETURN(json * t, EnrolledTrainee(c, course));
  RETURN_IF_ERROR(ByOneOf(c, {course["host"].get<std::string>(), (*t)["party"].get<std::string>()},
                          "course.by_participant",
                          "the institution's party or the trainee's party"));
  (*t)["status"] = "withdrawn";
  (*t)["withdrawn"] = c.body["date"];
  if (c.body.contains("reason")) (*t)["reason"] = c.body["reason"];
  return c.Set("course", std::move(course));
}

Result<std::vector<Change>> CourseTraineeGraduated(const Call& c) {
  ASSIGN_OR_RETURN(json course, c.Self("course"));
  ASSIGN_OR_RETURN(json * t, EnrolledTrainee(c, course));
  RETURN_IF_ERROR(ByOneOf(c, {course["host"].get<std::string>()}, "course.graduated_by_institution",
                          "the institution's party"));
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], course["start"], "the course's start"));
  (*t)["status"] = "graduated";
  (*t)["graduated"] = c.body["date"];
  (*t)["qualification"] = c.body["qualification"];
  return c.Set("course", std::move(course));
}

// ---- Exercises -------------------------------------------------------------------

// Checks body.participants: registered parties, each once. Returns them as
// stored ({party, units, headcount}) and the set of parties.
Result<json> Participants(const Call& c, std::set<std::string>& parties) {
  json out = json::array();
  for (size_t i = 0; i < c.body["participants"].size(); ++i) {
    const json& p = c.body["participants"][i];
    std::string party = p["party"];
    RETURN_IF_ERROR(c.Need("party", party, Field("participants", i, "party")).status());
    if (!parties.insert(party).second) {
      return Refuse("exercise.participant_once", Field("participants", i, "party"),
                    Quote(party) + " is listed twice");
    }
    out.push_back({{"party", party},
                   {"units", p.value("units", json::array())},
                   {"headcount", p["headcount"]}});
  }
  return out;
}

std::set<std::string> PartiesOf(const json& participants) {
  std::set<std::string> out;
  for (const auto& p : participants) out.insert(p["party"].get<std::string>());
  return out;
}

Result<std::vector<Change>> ExercisePlanned(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("exercise"));
  RETURN_IF_ERROR(EndNotBeforeStart(c.body, "start", "end", "exercise"));
  std::set<std::string> parties;
  ASSIGN_OR_RETURN(json participants, Participants(c, parties));
  RETURN_IF_ERROR(ByOneOf(c, parties, "exercise.by_participant", "a participant"));
  RETURN_IF_ERROR(CheckAgreement(c, "exercise", c.date));
  json ex = {{"id", c.id},
             {"name", c.body["name"]},
             {"kind", c.body["kind"]},
             {"host", c.body["host"]},
             {"location", c.body["location"]},
             {"status", "planned"},
             {"planned", c.date},
             {"planned_index", c.index},
             {"start", c.body["start"]},
             {"end", c.body["end"]},
             {"participants", participants},
             {"observers", c.body.value("observers", json::array())},
             {"postponements", json::array()}};
  if (c.body.contains("agreement")) ex["agreement"] = c.body["agreement"];
  return c.Set("exercise", std::move(ex));
}

// The exercise, still to be held (planned or postponed), recorded by one of
// its planned participants.
Result<json> PendingExercise(const Call& c) {
  ASSIGN_OR_RETURN(json ex, c.Self("exercise"));
  if (ex["status"] != "planned" && ex["status"] != "postponed") {
    return Refuse("exercise.status", "subject",
                  "exercise " + c.id + " is " + ex["status"].get<std::string>() +
                      "; only a planned or postponed exercise can be " +
                      c.e.type.substr(c.e.type.find('.') + 1));
  }
  return ex;
}

Result<std::vector<Change>> ExercisePostponed(const Call& c) {
  ASSIGN_OR_RETURN(json ex, PendingExercise(c));
  RETURN_IF_ERROR(
      ByOneOf(c, PartiesOf(ex["participants"]), "exercise.by_participant", "a participant"));
  RETURN_IF_ERROR(EndNotBeforeStart(c.body, "start", "end", "exercise"));
  std::string old_start = ex["start"];
  if (c.body["start"].get<std::string>() <= old_start) {
    return Refuse("exercise.postponed_later", "body.start",
                  "a postponement moves the start later than " + old_start);
  }
  ex["postponements"].push_back({{"index", c.index},
                                 {"date", c.date},
                                 {"from_start", ex["start"]},
                                 {"from_end", ex["end"]},
                                 {"reason", c.body["reason"]}});
  ex["start"] = c.body["start"];
  ex["end"] = c.body["end"];
  ex["status"] = "postponed";
  return c.Set("exercise", std::move(ex));
}

Result<std::vector<Change>> ExerciseCancelled(const Call& c) {
  ASSIGN_OR_RETURN(json ex, PendingExercise(c));
  RETURN_IF_ERROR(
      ByOneOf(c, PartiesOf(ex["participants"]), "exercise.by_participant", "a participant"));
  RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], ex["planned"], "the plan"));
  ex["status"] = "cancelled";
  ex["cancelled"] = {{"date", c.body["date"]}, {"reason", c.body["reason"]}, {"index", c.index}};
  return c.Set("exercise", std::move(ex));
}

Result<std::vector<Change>> ExerciseConducted(const Call& c) {
  ASSIGN_OR_RETURN(json ex, PendingExercise(c));
  RETURN_IF_ERROR(EndNotBeforeStart(c.body, "start", "end", "exercise"));
  std::set<std::string> parties;
  ASSIGN_OR_RETURN(json participants, Participants(c, parties));
  RETURN_IF_ERROR(ByOneOf(c, parties, "exercise.by_participant", "a participant"));
  RETURN_IF_ERROR(
      c.NotBefore("body.start", c.body["start"], ex["planned"], "the date it was planned"));
  int64_t headcount = 0;
  for (const auto& p : participants) headcount += p["headcount"].get<int64_t>();
  ex["status"] = "conducted";
  ex["conducted"] = {{"start", c.body["start"]},
                     {"end", c.body["end"]},
                     {"participants", participants},
                     {"headcount", headcount},
                     {"index", c.index}};
  if (c.body.contains("observers")) ex["conducted"]["observers"] = c.body["observers"];
  return c.Set("exercise", std::move(ex));
}

// ---- Consultations ---------------------------------------------------------------

Result<std::vector<Change>> ConsultationRequested(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("consultation"));
  ASSIGN_OR_RETURN(json requester, c.Need("body", c.body["requested_by"], "body.requested_by"));
  if (requester["party"] != c.e.party) {
    return Refuse("consultation.by_requester", "body.requested_by",
                  requester["id"].get<std::string>() + " is a body of " +
                      requester["party"].get<std::string>() + ", not of the recording party " +
                      c.e.party);
  }
  RETURN_IF_ERROR(CheckAgreement(c, "consultation", c.body["date"]));
  return c.Set("consultation", {{"id", c.id},
                                {"topic", c.body["topic"]},
                                {"agreement", c.body["agreement"]},
                                {"requested_by", c.body["requested_by"]},
                                {"requesting_party", c.e.party},
                                {"requested", c.body["date"]},
                                {"requested_index", c.index},
                                {"status", "requested"}});
}

Result<std::vector<Change>> ConsultationHeld(const Call& c) {
  ASSIGN_OR_RETURN(json con, c.Self("consultation"));
  if (con["status"] != "requested") {
    return Refuse(
        "consultation.held_once", "subject",
        "consultation " + c.id + " was already held on " + con["held"]["date"].get<std::string>());
  }
  std::string date = c.body["date"];
  RETURN_IF_ERROR(c.NotBefore("body.date", date, con["requested"], "the request"));
  ASSIGN_OR_RETURN(json agreement, c.Need("agreement", con["agreement"], "subject"));
  std::set<std::string> bodies, parties;
  for (size_t i = 0; i < c.body["participants"].size(); ++i) {
    std::string field = Field("participants", i);
    std::string id = c.body["participants"][i];
    ASSIGN_OR_RETURN(json b, c.Need("body", id, field));
    if (!bodies.insert(id).second) {
      return Refuse("consultation.participant_once", field, Quote(id) + " is listed twice");
    }
    std::string party = b["party"];
    if (!Contains(agreement["parties"], party)) {
      return Refuse("consultation.participant_of_agreement", field,
                    id + " is a body of " + party + ", not a party to agreement " +
                        agreement["id"].get<std::string>());
    }
    parties.insert(party);
  }
  RETURN_IF_ERROR(
      ByOneOf(c, parties, "consultation.by_participant", "the party of a participating body"));
  json actions = json::array();
  std::set<std::string> ids;
  json given = c.body.value("actions", json::array());
  for (size_t i = 0; i < given.size(); ++i) {
    const json& a = given[i];
    std::string id = a["id"];
    if (!ids.insert(id).second) {
      return Refuse("consultation.action_unique", Field("actions", i, "id"),
                    Quote(id) + " is given twice");
    }
    if (!bodies.contains(a["owner"].get<std::string>())) {
      return Refuse("consultation.action_owner", Field("actions", i, "owner"),
                    a["owner"].dump() + " is not one of the participating bodies");
    }
    RETURN_IF_ERROR(c.NotBefore(Field("actions", i, "due"), a["due"], date, "the meeting"));
    ASSIGN_OR_RETURN(json owner, c.Need("body", a["owner"], Field("actions", i, "owner")));
    actions.push_back({{"id", id},
                       {"action", a["action"]},
                       {"owner", a["owner"]},
                       {"owner_party", owner["party"]},
                       {"due", a["due"]},
                       {"status", "open"}});
  }
  con["status"] = "held";
  con["held"] = {{"date", date},
                 {"place", c.body["place"]},
                 {"participants", c.body["participants"]},
                 {"outcome", c.body["outcome"]},
                 {"index", c.index}};
  con["actions"] = actions;
  return c.Set("consultation", std::move(con));
}

Result<std::vector<Change>> ConsultationActionCompleted(const Call& c) {
  ASSIGN_OR_RETURN(json con, c.Self("consultation"));
  if (con["status"] != "held") {
    return Refuse("consultation.held", "subject",
                  "consultation " + c.id + " has not been held; it has no follow-up actions yet");
  }
  std::string id = c.body["action"];
  for (auto& a : con["actions"]) {
    if (a["id"] != id) continue;
    if (a["status"] != "open") {
      return Refuse("consultation.action_open", "body.action",
                    Quote(id) + " was already completed on " + a["completed"].get<std::string>());
    }
    if (c.e.party != a["owner_party"]) {
      return Refuse("consultation.action_by_owner", "party",
                    Quote(c.e.party) + " may not complete it; only the owner " +
                        a["owner"].get<std::string>() + " (" + a["owner_party"].get<std::string>() +
                        ") may");
    }
    RETURN_IF_ERROR(c.NotBefore("body.date", c.body["date"], con["held"]["date"], "the meeting"));
    a["status"] = "completed";
    a["completed"] = c.body["date"];
    a["completed_index"] = c.index;
    if (c.body.contains("note")) a["note"] = c.body["note"];
    return c.Set("consultation", std::move(con));
  }
  return Refuse("consultation.action_exists", "body.action",
                "consultation " + c.id + " has no follow-up action " + Quote(id));
}

// ---- Specialist visits -----------------------------------------------------------

Result<std::vector<Change>> VisitPlanned(const Call& c) {
  RETURN_IF_ERROR(c.MustBeNew("visit"));
  ASSIGN_OR_RETURN(json host, c.Need("body", c.body["host"], "body.host"));
  std::string host_party = host["party"], visiting = c.body["visiting_party"];
  RETURN_IF_ERROR(c.Need("party", visiting, "body.visiting_party").status());
  if (visiting == host_party) {
    return Refuse("visit.foreign_specialists", "body.visiting_party",
                  "the specialists visit a body of another party; " +
                      host["id"].get<std::string>() + " is a body of " + host_party);
  }
  RETURN_IF_ERROR(ByOneOf(c, {host_party, visiting}, "visit.by_participant",
                          "the host's or the visiting party"));
  RETURN_IF_ERROR(EndNotBeforeStart(c.body, "start", "end", "visit"));
  RETURN_IF_ERROR(CheckAgreement(c, "visit", c.date));
  json v = {{"id", c.id},
            {"field", c.body["field"]},
            {"host", c.body["host"]},
            {"host_party", host_party},
            {"visiting_party", visiting},
            {"specialists", c.body["specialists"]},
            {"purpose", c.body["purpose"]},
            {"start", c.body["start"]},
            {"end", c.body["end"]},
            {"status", "planned"},
            {"planned", c.date},
            {"planned_index", c.index}};
  if (c.body.contains("agreement")) v["agreement"] = c.body["agreement"];
  return c.Set("visit", std::move(v));
}

Result<std::vector<Change>> VisitCompleted(const Call& c) {
  ASSIGN_OR_RETURN(json v, c.Self("visit"));
  if (v["status"] != "planned") {
    return Refuse("visit.status", "subject", "visit " + c.id + " is already completed");
  }
  RETURN_IF_ERROR(
      ByOneOf(c, {v["host_party"].get<std::string>(), v["visiting_party"].get<std::string>()},
              "visit.by_participant", "the host's or the visiting party"));
  RETURN_IF_ERROR(EndNotBeforeStart(c.body, "start", "end", "visit"));
  RETURN_IF_ERROR(
      c.NotBefore("body.start", c.body["start"], v["planned"], "the date it was planned"));
  v["status"] = "completed";
  v["completed"] = {{"start", c.body["start"]},
                    {"end", c.body["end"]},
                    {"specialists", c.body.value("specialists", v["specialists"])},
                    {"index", c.index}};
  if (c.body.contains("report")) v["completed"]["report"] = c.body["report"];
  return c.Set("visit", std::move(v));
}

const std::vector<std::string> kExerciseKinds = {
    "counter_terrorism", "air_defence",  "combined_arms",  "command_staff",     "mountain",
    "border_security",   "peacekeeping", "special_forces", "search_and_rescue", "medical",
    "logistics",         "naval",        "other"};

}  // namespace

void AddCooperationRules(RuleTable& r) {
  const std::vector<FieldSpec> participant = {Country("party"),
                                              ArrayOf("units", FieldType::kString, 0, 100, false),
                                              Int("headcount", 0, 1'000'000)};
  r["course.planned"] = {
      "course",
      {Str("institution"), Str("subject"), Str("level"), Str("language"), Date("start"),
       Date("end"), ArrayOfObjects("seats", {Country("party"), Int("seats", 1, 10'000)}, 1, 50),
       Str("agreement", false)},
      CoursePlanned};
  r["course.trainee_enrolled"] = {
      "course", {Str("trainee"), Country("party"), Date("date")}, CourseTraineeEnrolled};
  r["course.trainee_withdrawn"] = {
      "course", {Str("trainee"), Date("date"), Text("reason", false)}, CourseTraineeWithdrawn};
  r["course.trainee_graduated"] = {
      "course", {Str("trainee"), Date("date"), Str("qualification")}, CourseTraineeGraduated};
  r["exercise.planned"] = {
      "exercise",
      {Str("name"), Enum("kind", kExerciseKinds), Date("start"), Date("end"), Country("host"),
       Str("location"), ArrayOfObjects("participants", participant, 1, 50),
       ArrayOf("observers", FieldType::kString, 0, 50, false), Str("agreement", false)},
      ExercisePlanned};
  r["exercise.postponed"] = {
      "exercise", {Date("start"), Date("end"), Text("reason")}, ExercisePostponed};
  r["exercise.cancelled"] = {"exercise", {Date("date"), Text("reason")}, ExerciseCancelled};
  r["exercise.conducted"] = {
      "exercise",
      {Date("start"), Date("end"), ArrayOfObjects("participants", participant, 1, 50),
       ArrayOf("observers", FieldType::kString, 0, 50, false)},
      ExerciseConducted};
  r["consultation.requested"] = {
      "consultation",
      {Text("topic"), Str("requested_by"), Str("agreement"), Date("date")},
      ConsultationRequested};
  r["consultation.held"] = {
      "consultation",
      {Date("date"), Str("place"), ArrayOf("participants", FieldType::kString, 1, 100),
       Text("outcome"),
       ArrayOfObjects("actions", {Str("id"), Text("action"), Str("owner"), Date("due")}, 0, 200,
                      false)},
      ConsultationHeld};
  r["consultation.action_completed"] = {"consultation",
                                        {Str("action"), Date("date"), Text("note", false)},
                                        ConsultationActionCompleted};
  r["visit.planned"] = {
      "visit",
      {Str("field"), Str("host"), Country("visiting_party"), Int("specialists", 1, 10'000),
       Date("start"), Date("end"), Text("purpose"), Str("agreement", false)},
      VisitPlanned};
  r["visit.completed"] = {
      "visit",
      {Date("start"), Date("end"), Int("specialists", 1, 10'000, false), Text("report", false)},
      VisitCompleted};
}

}  // namespace accord::domain::internal
