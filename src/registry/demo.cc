#include "registry/demo.h"

#include <map>

#include "domain/envelope.h"
#include "util/encoding.h"

namespace accord::registry {
namespace {

using nlohmann::json;

class Scenario {
 public:
  explicit Scenario(const DemoKeys& keys) : keys_(keys) {}

  // Adds one event by `party` ("registry", "RU" or "UZ") dated `date`.
  void Add(const std::string& party, const std::string& actor, const std::string& date,
           const std::string& type, const std::string& subject, json body) {
    json e = {
        {"v", 1},         {"type", type},       {"time", date + "T00:00:00Z"}, {"party", party},
        {"actor", actor}, {"subject", subject}, {"body", std::move(body)}};
    const note::Signer* s = party == "RU" ? keys_.ru : party == "UZ" ? keys_.uz : keys_.node;
    auto message = domain::SigningMessage(e);
    if (!message.ok()) {
      status_ = message.status();
      return;
    }
    e["key"] = domain::KeyIdHex(s->key_id());
    e["sig"] = Base64Encode(s->Sign(*message));
    auto text = domain::CanonicalJson(e);
    if (!text.ok()) {
      status_ = text.status();
      return;
    }
    events_.push_back(*text);
  }

  Result<std::vector<std::string>> Take() {
    if (!status_.ok()) return status_;
    return std::move(events_);
  }

 private:
  const DemoKeys& keys_;
  std::vector<std::string> events_;
  Status status_;
};

json Line(int line, const std::string& product, int64_t qty, int64_t price,
          const std::string& currency) {
  return {{"line", line},
          {"product", product},
          {"quantity", qty},
          {"unit_price_minor", price},
          {"currency", currency}};
}

std::vector<std::string> Serials(const std::string& prefix, int from, int to) {
  std::vector<std::string> out;
  char buf[16];
  for (int i = from; i <= to; ++i) {
    std::snprintf(buf, sizeof buf, "%04d", i);
    out.push_back(prefix + buf);
  }
  return out;
}

// Certificates, licences and deliveries following SIPRI's delivery years,
// with synthetic serial numbers; one receipt with a damaged item; one repair
// round trip at the supplier's repair plant.
void AddDeliveries(Scenario& s) {
  const std::string uz = "uz-mod/logistics", ru = "ru-fsvts/licensing", ship = "ru-mod/logistics";
  auto unit = [&](const std::string& id, const std::string& name, const std::string& city) {
    s.Add("UZ", "uz-mod/registrar", "2016-11-01", "body.registered", "body/" + id,
          {{"party", "UZ"}, {"kind", "military_unit"}, {"name", name}, {"city", city}});
  };
  unit("uz-aviation", "Army aviation helicopter regiment (illustrative)", "Kagan");
  unit("uz-air-force", "Air Force fighter base (illustrative)", "Karshi");
  unit("uz-ground", "Motorized rifle brigade (illustrative)", "Tashkent");
  unit("uz-ground-south", "Southern military district depot (illustrative)", "Termez");

  auto certificate = [&](const std::string& contract, const std::string& date,
                         const std::string& use) {
    s.Add("UZ", uz, date, "certificate.issued", "certificate/EUC-" + contract,
          {{"contract", contract},
           {"end_user", "uz-mod"},
           {"end_use", use},
           {"final_destination", "UZ"},
           {"no_reexport_without_consent", true},
           {"no_wmd_use", true},
           {"signatory",
            {{"name", "Deputy Minister of Defence"},
             {"office", "Ministry of Defence (illustrative)"}}},
           {"date", date}});
  };
  auto licence = [&](const std::string& party, const std::string& id, const std::string& kind,
                     const std::string& contract, const std::string& product, int64_t qty,
                     const std::string& from, const std::string& to, json extra) {
    json body = {{"kind", kind},
                 {"contract", contract},
                 {"lines", {{{"product", product}, {"quantity", qty}}}},
                 {"valid_from", from},
                 {"valid_to", to}};
    body.update(extra);
    s.Add(party, party == "RU" ? ru : uz, from, "licence.issued", "licence/" + id, body);
  };
  auto shipment = [&](const std::string& id, const std::string& contract,
                      const std::string& licence_id, std::vector<std::string> transit,
                      const std::string& date, const std::string& mode, const std::string& carrier,
                      const std::string& place, std::vector<std::string> route,
                      const std::vector<std::string>& serials) {
    json body = {{"contract", contract},
                 {"licence", licence_id},
                 {"date", date},
                 {"carrier", carrier},
                 {"mode", mode},
                 {"place", place},
                 {"route", route},
                 {"seals", {"SEAL-" + id}},
                 {"lines", {{{"line", 1}, {"serials", serials}}}}};
    if (!transit.empty()) body["transit_permits"] = transit;
    s.Add("RU", ship, date, "shipment.dispatched", "shipment/" + id, body);
  };
  auto receive = [&](const std::string& id, const std::string& date, const std::string& product,
                     const std::string& unit_id, const std::string& location,
                     const std::vector<std::string>& serials, const std::string& damaged = "") {
    json items = json::array();
    for (const auto& x : serials) {
      json it = {{"product", product}, {"serial", x}};
      if (x == damaged) it["condition"] = "damaged";
      items.push_back(it);
    }
    s.Add("UZ", uz, date, "shipment.received", "shipment/" + id,
          {{"date", date},
           {"unit", unit_id},
           {"location", location},
           {"seals_intact", true},
           {"items", items}});
  };

  // BTR-80 (2001, through Rosoboronexport): 23 in 2001, 27 in 2002, by rail through Kazakhstan.
  certificate("RU-UZ-2001-001", "2001-04-10", "Ground forces of the Republic of Uzbekistan");
  licence("RU", "RU-EXP-2001-017", "export", "RU-UZ-2001-001", "btr-80", 50, "2001-05-01",
          "2002-12-31", {{"issuing_body", "ru-fsvts"}});
  licence(
      "UZ", "KZ-TR-2001-004", "transit", "RU-UZ-2001-001", "btr-80", 50, "2001-05-01", "2002-12-31",
      {{"transit_state", "KZ"}, {"authority", "Transit authority of Kazakhstan (illustrative)"}});
  auto btr80a = Serials("BTR80-UZ-", 1, 23), btr80b = Serials("BTR80-UZ-", 24, 50);
  shipment("SH-2001-BTR80", "RU-UZ-2001-001", "RU-EXP-2001-017", {"KZ-TR-2001-004"}, "2001-06-01",
           "rail", "RZD freight (illustrative)", "Arzamas", {"RU", "KZ", "UZ"}, btr80a);
  receive("SH-2001-BTR80", "2001-06-20", "btr-80", "uz-ground", "Tashkent", btr80a);
  shipment("SH-2002-BTR80", "RU-UZ-2001-001", "RU-EXP-2001-017", {"KZ-TR-2001-004"}, "2002-05-10",
           "rail", "RZD freight (illustrative)", "Arzamas", {"RU", "KZ", "UZ"}, btr80b);
  receive("SH-2002-BTR80", "2002-05-28", "btr-80", "uz-ground", "Tashkent", btr80b);

  // R-73 (2016): 35 in 2017, 40 in 2018, by air.
  certificate("RU-UZ-2016-R73", "2016-12-22",
              "Air Force of the Republic of Uzbekistan, MiG-29 armament");
  licence("RU", "RU-EXP-2017-002", "export", "RU-UZ-2016-R73", "r-73", 75, "2017-01-10",
          "2018-12-31", {{"issuing_body", "ru-fsvts"}});
  licence(
      "UZ", "KZ-TR-2017-011", "transit", "RU-UZ-2016-R73", "r-73", 75, "2017-01-10", "2018-12-31",
      {{"transit_state", "KZ"}, {"authority", "Transit authority of Kazakhstan (illustrative)"}});
  auto r73a = Serials("R73-UZ-", 1, 35), r73b = Serials("R73-UZ-", 36, 75);
  shipment("SH-2017-R73", "RU-UZ-2016-R73", "RU-EXP-2017-002", {"KZ-TR-2017-011"}, "2017-09-01",
           "air", "Military transport aviation (illustrative)", "Moscow", {"RU", "KZ", "UZ"}, r73a);
  receive("SH-2017-R73", "2017-09-02", "r-73", "uz-air-force", "Karshi", r73a);
  shipment("SH-2018-R73", "RU-UZ-2016-R73", "RU-EXP-2017-002", {"KZ-TR-2017-011"}, "2018-08-01",
           "air", "Military transport aviation (illustrative)", "Moscow", {"RU", "KZ", "UZ"}, r73b);
  receive("SH-2018-R73", "2018-08-02", "r-73", "uz-air-force", "Karshi", r73b);

  // Mi-35M (2018): 4 each in 2019, 2020, 2021, by air with a custody hand-over at Tashkent.
  certificate("RU-UZ-2018-001", "2018-02-10", "Army aviation of the Armed Forces of Uzbekistan");
  s.Add("UZ", uz, "2018-02-15", "certificate.countersigned", "certificate/EUC-RU-UZ-2018-001",
        {{"authority", "uz-gov"}, {"date", "2018-02-15"}});
  licence("RU", "RU-EXP-2018-031", "export", "RU-UZ-2018-001", "mi-35m", 12, "2018-03-01",
          "2022-12-31", {{"issuing_body", "ru-fsvts"}});
  licence("UZ", "UZ-IMP-2018-009", "import", "RU-UZ-2018-001", "mi-35m", 12, "2018-03-01",
          "2022-12-31", {{"issuing_body", "uz-gov"}});
  licence(
      "UZ", "KZ-TR-2019-002", "transit", "RU-UZ-2018-001", "mi-35m", 12, "2019-01-01", "2022-12-31",
      {{"transit_state", "KZ"}, {"authority", "Transit authority of Kazakhstan (illustrative)"}});
  const std::string carrier = "Military transport aviation (illustrative)";
  for (int year : {2019, 2020, 2021}) {
    int first = 1 + (year - 2019) * 4;
    auto serials = Serials("MI35M-UZ-", first, first + 3);
    std::string id = "SH-" + std::to_string(year) + "-MI35M";
    std::string d = std::to_string(year) + "-10-01";
    json body = {{"contract", "RU-UZ-2018-001"},
                 {"licence", "RU-EXP-2018-031"},
                 {"import_permit", "UZ-IMP-2018-009"},
                 {"transit_permits", {"KZ-TR-2019-002"}},
                 {"date", d},
                 {"carrier", carrier},
                 {"mode", "air"},
                 {"place", "Rostov-on-Don"},
                 {"route", {"RU", "KZ", "UZ"}},
                 {"seals", {"SEAL-" + id}},
                 {"lines", {{{"line", 1}, {"serials", serials}}}}};
    s.Add("RU", ship, d, "shipment.dispatched", "shipment/" + id, body);
    s.Add("UZ", uz, std::to_string(year) + "-10-02", "shipment.custody_transferred",
          "shipment/" + id,
          {{"from", carrier},
           {"to", "uz-mod"},
           {"place", "Tashkent airport"},
           {"date", std::to_string(year) + "-10-02"},
           {"seals_intact", true}});
    receive(id, std::to_string(year) + "-10-04", "mi-35m", "uz-aviation", "Kagan", serials);
  }

  // Taifun-K (2019): 10 in 2019, 10 in 2021 by rail; one vehicle of 2021 arrives damaged.
  certificate("RU-UZ-2019-002", "2019-03-20", "Ground forces of the Republic of Uzbekistan");
  licence("RU", "RU-EXP-2019-044", "export", "RU-UZ-2019-002", "taifun-k-53949", 20, "2019-04-01",
          "2021-12-31", {{"issuing_body", "ru-fsvts"}});
  licence(
      "UZ", "KZ-TR-2019-019", "transit", "RU-UZ-2019-002", "taifun-k-53949", 20, "2019-04-01",
      "2021-12-31",
      {{"transit_state", "KZ"}, {"authority", "Transit authority of Kazakhstan (illustrative)"}});
  auto taifun_a = Serials("TAIFUN-UZ-", 1, 10), taifun_b = Serials("TAIFUN-UZ-", 11, 20);
  shipment("SH-2019-TAIFUN", "RU-UZ-2019-002", "RU-EXP-2019-044", {"KZ-TR-2019-019"}, "2019-11-05",
           "rail", "RZD freight (illustrative)", "Naberezhnye Chelny", {"RU", "KZ", "UZ"},
           taifun_a);
  receive("SH-2019-TAIFUN", "2019-11-21", "taifun-k-53949", "uz-ground", "Tashkent", taifun_a);
  shipment("SH-2021-TAIFUN", "RU-UZ-2019-002", "RU-EXP-2019-044", {"KZ-TR-2019-019"}, "2021-04-12",
           "rail", "RZD freight (illustrative)", "Naberezhnye Chelny", {"RU", "KZ", "UZ"},
           taifun_b);
  receive("SH-2021-TAIFUN", "2021-04-29", "taifun-k-53949", "uz-ground", "Tashkent", taifun_b,
          "TAIFUN-UZ-0017");
  s.Add("UZ", uz, "2022-02-01", "item.relocated", "item/taifun-k-53949/TAIFUN-UZ-0003",
        {{"unit", "uz-ground-south"}, {"location", "Termez"}, {"date", "2022-02-01"}});

  // BTR-82A (2019): 4 in 2021.
  certificate("RU-UZ-2019-003", "2019-07-01", "Ground forces of the Republic of Uzbekistan");
  licence("RU", "RU-EXP-2020-003", "export", "RU-UZ-2019-003", "btr-82a", 4, "2020-01-10",
          "2021-12-31", {{"issuing_body", "ru-fsvts"}});
  licence(
      "UZ", "KZ-TR-2021-007", "transit", "RU-UZ-2019-003", "btr-82a", 4, "2021-01-10", "2021-12-31",
      {{"transit_state", "KZ"}, {"authority", "Transit authority of Kazakhstan (illustrative)"}});
  auto btr82 = Serials("BTR82A-UZ-", 1, 4);
  shipment("SH-2021-BTR82A", "RU-UZ-2019-003", "RU-EXP-2020-003", {"KZ-TR-2021-007"}, "2021-10-04",
           "rail", "RZD freight (illustrative)", "Arzamas", {"RU", "KZ", "UZ"}, btr82);
  receive("SH-2021-BTR82A", "2021-10-20", "btr-82a", "uz-ground", "Tashkent", btr82);

  // A repair round trip at the supplier's repair plant.
  const std::string rep = "repair/REP-2022-001";
  s.Add("UZ", uz, "2022-03-01", "repair.ordered", rep,
        {{"enterprise", "ru-repair-plant"},
         {"work", "Scheduled overhaul of the main gearbox (illustrative)"},
         {"items", {{{"product", "mi-35m"}, {"serial", "MI35M-UZ-0002"}}}}});
  s.Add("UZ", uz, "2022-03-10", "repair.dispatched", rep,
        {{"leg", "out"}, {"carrier", carrier}, {"seals", {"SEAL-REP-1"}}});
  s.Add("RU", ship, "2022-03-14", "repair.received", rep,
        {{"leg", "out"}, {"date", "2022-03-14"}, {"seals_intact", true}});
  s.Add("RU", ship, "2022-06-20", "repair.completed", rep,
        {{"date", "2022-06-20"}, {"report", "Gearbox overhauled, flight-tested (illustrative)"}});
  s.Add("RU", ship, "2022-06-25", "repair.dispatched", rep,
        {{"leg", "back"}, {"carrier", carrier}, {"seals", {"SEAL-REP-2"}}});
  s.Add("UZ", uz, "2022-06-28", "repair.received", rep,
        {{"leg", "back"}, {"date", "2022-06-28"}, {"seals_intact", true}, {"unit", "uz-aviation"}});
}

// Cooperation beyond deliveries (issue 6): the seed's 2017 activities.
//
// "Joint activities" of a year are counted as `accord report cooperation`
// counts them: exercises held + consultations held + specialist visits
// completed (training is counted apart). The seed reports 36 joint
// activities in 2017, double 2016's 18, and also that the October 2017
// exercise at Forish was the first joint Russian-Uzbek exercise in over
// twelve years; so the exercises held are the two the seed names, and the
// rest are consultations and visits:
//   2016: 0 exercises + 8 consultations + 10 visits = 18
//   2017: 2 exercises (April, Tajikistan; October, Forish)
//         + 14 consultations + 20 visits = 36
// Apart from the two exercises, the training renewal and the consultation on
// end-use monitoring, the activities are generic and illustrative, and their
// topics, dates and headcounts say so.
void AddCooperation(Scenario& s) {
  const std::string ru = "ru-mod/international-cooperation",
                    uz = "uz-mod/international-cooperation";
  const std::string allied = "RU-UZ-2005", mtc = "RU-UZ-2016-MTC";
  // Tajikistan hosts the April 2017 exercise: a party of the registry (no
  // key needed: it records nothing itself).
  s.Add("registry", "registry/admin", "2017-01-10", "party.registered", "party/TJ",
        {{"name", "Republic of Tajikistan"}});
  s.Add("RU", "ru-mod/registrar", "2016-11-01", "body.registered", "body/ru-combined-arms-academy",
        {{"party", "RU"},
         {"kind", "military_institution"},
         {"name", "Combined Arms Academy of the Armed Forces of the Russian Federation"},
         {"city", "Moscow"}});
  s.Add("RU", "ru-mod/registrar", "2016-11-01", "body.registered", "body/ru-gs-academy",
        {{"party", "RU"},
         {"kind", "military_institution"},
         {"name",
          "Military Academy of the General Staff of the Armed Forces of the Russian "
          "Federation"},
         {"city", "Moscow"}});

  auto two = [](int n) { return (n < 10 ? "0" : "") + std::to_string(n); };

  // Consultations: requested on day 1 and held on day 20 of a month.
  const std::vector<std::string> topics = {"Air defence cooperation",
                                           "Counter-terrorism training",
                                           "Border security on the Afghan border",
                                           "Spare parts for Soviet-era helicopters",
                                           "Military medicine",
                                           "Military education exchanges",
                                           "Communications equipment",
                                           "Logistics of military-purpose goods",
                                           "Engineering units",
                                           "Mountain warfare doctrine",
                                           "Cyber defence",
                                           "Peacekeeping training",
                                           "Search and rescue",
                                           "Military topography"};
  int consultation = 0;
  auto consult = [&](int year, int month, const std::string& topic, bool uz_asks) {
    std::string id = "consultation/C-" + std::to_string(year) + "-" + two(++consultation);
    std::string agreement = year == 2017 && month >= 5 ? mtc : allied;
    std::string req = std::to_string(year) + "-" + two(month) + "-01";
    std::string held = std::to_string(year) + "-" + two(month) + "-20";
    s.Add(uz_asks ? "UZ" : "RU", uz_asks ? uz : ru, req, "consultation.requested", id,
          {{"topic", topic + " (illustrative)"},
           {"requested_by", uz_asks ? "uz-mod" : "ru-mod"},
           {"agreement", agreement},
           {"date", req}});
    s.Add(uz_asks ? "RU" : "UZ", uz_asks ? ru : uz, held, "consultation.held", id,
          {{"date", held},
           {"place", month % 2 ? "Tashkent" : "Moscow"},
           {"participants", {"ru-mod", "uz-mod"}},
           {"outcome", "Views exchanged; working contacts agreed (illustrative)"}});
  };
  for (int i = 0; i < 8; ++i) consult(2016, 2 + i, topics[i], i % 2 == 0);
  consultation = 0;
  for (int i = 0; i < 13; ++i) {
    consult(2017, 1 + (i * 11) / 12, topics[i], i % 2 == 1);  // months 1..12
  }
  // The 14th of 2017: end-use monitoring under the new treaty, with
  // follow-up actions (one done on time, one late, one still open).
  const std::string eum = "consultation/C-2017-EUM";
  s.Add("UZ", uz, "2017-05-10", "consultation.requested", eum,
        {{"topic",
          "Procedures for monitoring the presence and intended use of supplied products "
          "under the 2016 treaty"},
         {"requested_by", "uz-mod"},
         {"agreement", mtc},
         {"date", "2017-05-10"}});
  s.Add("UZ", uz, "2017-06-20", "consultation.held", eum,
        {{"date", "2017-06-20"},
         {"place", "Tashkent"},
         {"participants", {"uz-mod", "ru-mod", "ru-fsvts"}},
         {"outcome",
          "Inspection procedure agreed: notice, escorts, findings per serial number "
          "(illustrative)"},
         {"actions",
          {{{"id", "A1"},
            {"action", "Send the draft inspection schedule for 2018"},
            {"owner", "ru-fsvts"},
            {"due", "2017-10-01"}},
           {{"id", "A2"},
            {"action", "Designate escort officers for inspections"},
            {"owner", "uz-mod"},
            {"due", "2017-12-15"}},
           {{"id", "A3"},
            {"action", "Exchange points of contact for specialist visits"},
            {"owner", "ru-mod"},
            {"due", "2018-03-01"}}}}});
  s.Add("RU", "ru-fsvts/monitoring", "2017-09-25", "consultation.action_completed", eum,
        {{"action", "A1"}, {"date", "2017-09-25"}, {"note", "Schedule sent (illustrative)"}});
  s.Add("UZ", uz, "2018-01-20", "consultation.action_completed", eum,
        {{"action", "A2"},
         {"date", "2018-01-20"},
         {"note", "Six officers designated (illustrative)"}});

  // Specialist visits: planned a month ahead, completed as planned.
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"helicopter maintenance", "ru-rostvertol"},
      {"air defence systems", "uz-mod"},
      {"armoured vehicle repair", "uz-mod"},
      {"military medicine", "uz-mod"},
      {"communications", "uz-mod"},
      {"engineering", "uz-mod"},
      {"logistics", "uz-mod"},
      {"training methods", "uz-mod"},
      {"helicopter pilot training", "ru-rostvertol"},
      {"vehicle production", "ru-kamaz"}};
  int visit = 0;
  auto specialists = [&](int year, int month) {
    const auto& [field, host] = fields[visit % fields.size()];
    std::string id = "visit/V-" + std::to_string(year) + "-" + two(++visit);
    bool to_russia = host.rfind("ru-", 0) == 0;
    std::string visiting = to_russia ? "UZ" : "RU";
    std::string planned = std::to_string(year) + "-" + two(month) + "-01";
    std::string start = std::to_string(year) + "-" + two(month) + "-10";
    std::string end = std::to_string(year) + "-" + two(month) + "-17";
    json body = {{"field", field},
                 {"host", host},
                 {"visiting_party", visiting},
                 {"specialists", 3 + visit % 4},
                 {"start", start},
                 {"end", end},
                 {"purpose", "Exchange of expertise in " + field + " (illustrative)"},
                 {"agreement", year == 2017 && month >= 5 ? mtc : allied}};
    s.Add(visiting, visiting == "RU" ? ru : uz, planned, "visit.planned", id, body);
    s.Add(to_russia ? "RU" : "UZ", to_russia ? ru : uz, end, "visit.completed", id,
          {{"start", start}, {"end", end}});
  };
  for (int i = 0; i < 10; ++i) specialists(2016, 2 + i);
  visit = 0;
  for (int i = 0; i < 20; ++i) specialists(2017, 1 + (i * 12) / 20);  // months 1..12

  // April 2017: a Russian counter-terrorism exercise in Tajikistan with
  // Uzbek participation (seed, note 16); dates, place and headcounts
  // illustrative.
  const std::string tj = "exercise/EX-2017-TJ-CT";
  s.Add("RU", ru, "2017-02-15", "exercise.planned", tj,
        {{"name", "Counter-terrorism exercise in Tajikistan"},
         {"kind", "counter_terrorism"},
         {"start", "2017-04-18"},
         {"end", "2017-04-21"},
         {"host", "TJ"},
         {"location", "Harb-Maidon training range (illustrative)"},
         {"participants",
          {{{"party", "RU"}, {"units", {"201st military base (illustrative)"}}, {"headcount", 400}},
           {{"party", "UZ"}, {"units", {"Special forces unit (illustrative)"}}, {"headcount", 100}},
           {{"party", "TJ"}, {"units", {"Mobile forces (illustrative)"}}, {"headcount", 300}}}},
         {"agreement", allied}});
  s.Add("RU", ru, "2017-04-21", "exercise.conducted", tj,
        {{"start", "2017-04-18"},
         {"end", "2017-04-21"},
         {"participants",
          {{{"party", "RU"}, {"units", {"201st military base (illustrative)"}}, {"headcount", 400}},
           {{"party", "UZ"}, {"units", {"Special forces unit (illustrative)"}}, {"headcount", 100}},
           {{"party", "TJ"}, {"units", {"Mobile forces (illustrative)"}}, {"headcount", 300}}}}});

  // October 2017: the first joint Russian-Uzbek exercise in over twelve years,
  // at the Forish range in Jizzakh province (seed, note 15: TASS, 3 October
  // 2017); headcounts illustrative.
  const std::string forish = "exercise/EX-2017-FORISH";
  json forish_participants = {
      {{"party", "RU"},
       {"units", {"Central Military District mountain unit (illustrative)"}},
       {"headcount", 100}},
      {{"party", "UZ"},
       {"units", {"Eastern Military District mountain unit (illustrative)"}},
       {"headcount", 200}}};
  s.Add("UZ", uz, "2017-08-15", "exercise.planned", forish,
        {{"name", "Joint Russian-Uzbek tactical exercise"},
         {"kind", "counter_terrorism"},
         {"start", "2017-10-03"},
         {"end", "2017-10-07"},
         {"host", "UZ"},
         {"location", "Forish range, Jizzakh province"},
         {"participants", forish_participants},
         {"agreement", mtc}});
  s.Add("UZ", uz, "2017-10-07", "exercise.conducted", forish,
        {{"start", "2017-10-03"}, {"end", "2017-10-07"}, {"participants", forish_participants}});

  // The renewal of training of Uzbek officers at Russian military
  // institutions (disrupted in 2012): intakes illustrative.
  const std::string caa = "course/CAA-2017-CMD", gsa = "course/GSA-2017-STRAT";
  s.Add("RU", "ru-mod/training-directorate", "2017-05-15", "course.planned", caa,
        {{"institution", "ru-combined-arms-academy"},
         {"subject", "Command and staff course for battalion and brigade officers (illustrative)"},
         {"level", "command_staff"},
         {"language", "ru"},
         {"start", "2017-09-01"},
         {"end", "2018-06-29"},
         {"seats", {{{"party", "UZ"}, {"seats", 10}}}},
         {"agreement", mtc}});
  s.Add("RU", "ru-mod/training-directorate", "2017-05-15", "course.planned", gsa,
        {{"institution", "ru-gs-academy"},
         {"subject", "Operational-strategic course (illustrative)"},
         {"level", "general_staff"},
         {"language", "ru"},
         {"start", "2017-09-01"},
         {"end", "2019-06-28"},
         {"seats", {{{"party", "UZ"}, {"seats", 4}}}},
         {"agreement", mtc}});
  auto trainee = [&](int n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "uz-mod/trainee-%04d", n);
    return std::string(buf);
  };
  for (int n = 1; n <= 8; ++n) {
    s.Add("UZ", "uz-mod/personnel", "2017-08-21", "course.trainee_enrolled", caa,
          {{"trainee", trainee(n)}, {"party", "UZ"}, {"date", "2017-08-21"}});
  }
  for (int n = 9; n <= 11; ++n) {
    s.Add("UZ", "uz-mod/personnel", "2017-08-21", "course.trainee_enrolled", gsa,
          {{"trainee", trainee(n)}, {"party", "UZ"}, {"date", "2017-08-21"}});
  }
  s.Add("UZ", "uz-mod/personnel", "2017-12-04", "course.trainee_withdrawn", caa,
        {{"trainee", trainee(5)}, {"date", "2017-12-04"}, {"reason", "Recalled (illustrative)"}});
  for (int n = 1; n <= 8; ++n) {
    if (n == 5) continue;
    s.Add("RU", "ru-mod/training-directorate", "2018-06-29", "course.trainee_graduated", caa,
          {{"trainee", trainee(n)},
           {"date", "2018-06-29"},
           {"qualification", "Command and staff diploma (illustrative)"}});
  }
  for (int n = 9; n <= 11; ++n) {
    s.Add("RU", "ru-mod/training-directorate", "2019-06-28", "course.trainee_graduated", gsa,
          {{"trainee", trainee(n)},
           {"date", "2019-06-28"},
           {"qualification", "Operational-strategic diploma (illustrative)"}});
  }
}

}  // namespace

// End-use monitoring (issue 5): serial-number inventories of the R-73
// missiles (enhanced in the catalogue) and the Mi-35M helicopters (designated
// by their contract), one late access answer, one missile not sighted and
// found again, an expenditure declared and verified, one request for consent
// to re-transfer, and the closure of the 2021 delivery case. Dates, findings
// and documents are illustrative.
void AddMonitoring(Scenario& s) {
  const std::string ru = "ru-mod/eum-inspectorate", uz = "uz-mod/eum-liaison";
  auto refs = [](const std::string& product, const std::vector<std::string>& serials) {
    json out = json::array();
    for (const auto& x : serials) out.push_back({{"product", product}, {"serial", x}});
    return out;
  };
  // Every serial sighted, except those named in `other` (serial -> result).
  auto findings = [](const std::string& product, const std::vector<std::string>& serials,
                     const std::map<std::string, std::string>& other = {}) {
    json out = json::array();
    for (const auto& x : serials) {
      auto it = other.find(x);
      out.push_back({{"product", product},
                     {"serial", x},
                     {"result", it == other.end() ? "sighted" : it->second}});
    }
    return out;
  };
  auto security = [](const std::string& failed = "", const std::string& note = "") {
    json out = json::array();
    for (const char* check :
         {"perimeter", "access_control", "locks_and_keys", "inventory_records"}) {
      json c = {{"check", check}, {"result", failed == check ? "not_met" : "met"}};
      if (failed == check) c["note"] = note;
      out.push_back(c);
    }
    return out;
  };
  struct Visit {
    std::string id, agreement, kind;
    json scope;
    std::string requested, visit, answered;
    std::string other_date;  // the recipient proposes another date
    std::string completed;
    json findings, security;
  };
  auto inspect = [&](const Visit& v) {
    const std::string subject = "inspection/" + v.id;
    s.Add("RU", ru, v.requested, "inspection.scheduled", subject,
          {{"agreement", v.agreement},
           {"recipient", "UZ"},
           {"kind", v.kind},
           {"scope", v.scope},
           {"planned_date", v.visit},
           {"team_size", 3}});
    s.Add("RU", ru, v.requested, "inspection.access_requested", subject,
          {{"date", v.requested}, {"visit_date", v.visit}});
    if (v.answered.empty()) return;
    json answer = {{"date", v.answered}, {"answer", "granted"}};
    if (!v.other_date.empty()) {
      answer["answer"] = "other_date";
      answer["visit_date"] = v.other_date;
    }
    s.Add("UZ", uz, v.answered, "inspection.access_answered", subject, answer);
    if (v.completed.empty()) return;
    json done = {{"date", v.completed}, {"findings", v.findings}};
    if (!v.security.is_null()) done["security"] = v.security;
    s.Add("RU", ru, v.completed, "inspection.completed", subject, done);
  };

  // R-73 at the fighter base: 35 received 2017-09-02, 40 on 2018-08-02.
  const json air_force = {{"units", {"uz-air-force"}}};
  auto r73 = Serials("R73-UZ-", 1, 75);
  auto r73a = Serials("R73-UZ-", 1, 35);
  inspect({"EUM-2017-R73", "RU-UZ-2005", "enhanced_inventory", air_force, "2017-10-10",
           "2017-11-20", "2017-10-25", "", "2017-11-21", findings("r-73", r73a), security()});
  // 2018: the access answer comes six days after the deadline, proposing
  // another date, so the second batch's first inventory is five days late;
  // one missile is not sighted.
  inspect({"EUM-2018-R73", "RU-UZ-2005", "enhanced_inventory", air_force, "2018-09-20",
           "2018-10-25", "2018-10-26", "2018-11-05", "2018-11-05",
           findings("r-73", r73, {{"R73-UZ-0040", "not_sighted"}}),
           security("inventory_records", "Movement log of the missile store incomplete")});
  const std::string findings_case = "case/EUM-2018-R73-findings";
  s.Add("UZ", uz, "2018-11-20", "case.note_added", findings_case,
        {{"date", "2018-11-20"},
         {"note",
          "R73-UZ-0040 was at the regiment's missile maintenance point for scheduled testing; "
          "the movement log did not record the transfer"}});
  s.Add("UZ", uz, "2018-11-25", "case.action_recorded", findings_case,
        {{"date", "2018-11-25"},
         {"action", "Movement log of the missile store completed and countersigned"},
         {"due", "2018-12-31"}});
  inspect({"EUM-2019-R73-FOLLOWUP",
           "RU-UZ-2005",
           "compliance_visit",
           {{"items", refs("r-73", {"R73-UZ-0040"})}},
           "2019-01-10",
           "2019-02-05",
           "2019-01-15",
           "",
           "2019-02-05",
           findings("r-73", {"R73-UZ-0040"}),
           json()});
  s.Add("RU", ru, "2019-02-20", "case.closed", findings_case,
        {{"date", "2019-02-20"},
         {"outcome", "resolved"},
         {"summary", "R73-UZ-0040 sighted on 2019-02-05; movement log corrected"}});
  s.Add("RU", ru, "2019-02-20", "case.closed", "case/EUM-2018-R73-late-1",
        {{"date", "2019-02-20"},
         {"outcome", "resolved"},
         {"summary", "Points of contact for access requests agreed"}});
  std::vector<std::string> r73_left(r73.begin() + 2, r73.end());
  const char* annual[][4] = {// requested, visit, answered, completed
                             {"2019-09-20", "2019-10-30", "2019-09-30", "2019-10-30"},
                             {"2020-09-10", "2020-10-20", "2020-09-20", "2020-10-20"},
                             {"2021-09-05", "2021-10-15", "2021-09-15", "2021-10-15"},
                             {"2022-09-01", "2022-10-10", "2022-09-10", "2022-10-10"},
                             {"2023-08-25", "2023-10-05", "2023-09-05", "2023-10-05"},
                             {"2024-08-20", "2024-10-01", "2024-08-30", "2024-10-01"},
                             {"2025-08-15", "2025-09-25", "2025-08-25", "2025-09-25"},
                             {"2026-08-10", "2026-09-20", "2026-08-20", "2026-09-20"}};
  for (const auto& a : annual) {
    std::string year(a[0], 4);
    bool after_expenditure = std::string(a[3]) > "2021-09-15";
    if (year == "2021") {
      // Two missiles expended in a live-fire exercise, verified at this visit.
      s.Add("UZ", uz, "2021-09-15", "declaration.filed", "declaration/UZ-2021-R73-EXP",
            {{"kind", "expenditure"},
             {"date", "2021-09-15"},
             {"circumstances", "Expended in a live-fire exercise of the Air Force (illustrative)"},
             {"items", refs("r-73", {"R73-UZ-0001", "R73-UZ-0002"})},
             {"evidence",
              {{{"kind", "document"}, {"reference", "Firing record 2021/7 (illustrative)"}}}}});
    }
    inspect({"EUM-" + year + "-R73", "RU-UZ-2005", "enhanced_inventory", air_force, a[0], a[1],
             a[2], "", a[3], findings("r-73", after_expenditure ? r73_left : r73), security()});
  }
  s.Add("RU", ru, "2021-10-20", "declaration.verified", "declaration/UZ-2021-R73-EXP",
        {{"date", "2021-10-20"},
         {"outcome", "confirmed"},
         {"inspection", "EUM-2021-R73"},
         {"note", "Firing record checked against the store's movement log"}});

  // Mi-35M with the helicopter regiment: 4 a year from 2019; MI35M-UZ-0002 at
  // the repair plant from March to June 2022. The 2025 inventory was the
  // last: the next one, due 2026-11-20, is awaiting the recipient's answer.
  const json aviation = {{"units", {"uz-aviation"}}};
  const char* mi35[][5] = {// requested, visit, answered, completed, helicopters delivered by then
                           {"2019-11-10", "2019-12-20", "2019-11-20", "2019-12-20", "4"},
                           {"2020-11-05", "2020-12-15", "2020-11-15", "2020-12-15", "8"},
                           {"2021-11-01", "2021-12-10", "2021-11-10", "2021-12-10", "12"},
                           {"2022-10-25", "2022-12-05", "2022-11-05", "2022-12-05", "12"},
                           {"2023-10-20", "2023-11-30", "2023-10-30", "2023-11-30", "12"},
                           {"2024-10-15", "2024-11-25", "2024-10-25", "2024-11-25", "12"},
                           {"2025-10-10", "2025-11-20", "2025-10-20", "2025-11-20", "12"}};
  for (const auto& m : mi35) {
    std::string year(m[0], 4);
    inspect({"EUM-" + year + "-MI35M", "RU-UZ-2016-MTC", "enhanced_inventory", aviation, m[0], m[1],
             m[2], "", m[3], findings("mi-35m", Serials("MI35M-UZ-", 1, std::stoi(m[4]))),
             security()});
  }
  inspect({"EUM-2026-MI35M", "RU-UZ-2016-MTC", "enhanced_inventory", aviation, "2026-11-10",
           "2026-12-15", "", "", "", json(), json()});

  // The 2021 delivery case: the vehicle damaged in transit.
  s.Add("RU", "ru-mod/logistics", "2021-07-15", "case.closed", "case/SH-2021-TAIFUN-receipt",
        {{"date", "2021-07-15"},
         {"outcome", "resolved"},
         {"summary", "TAIFUN-UZ-0017 repaired under warranty by the supplier (illustrative)"}});

  // A request for consent to re-transfer two BTR-80 to a third state.
  const std::string consent = "consent/UZ-2023-BTR80-TJ";
  s.Add("UZ", "uz-mod/international-cooperation", "2023-03-01", "consent.requested", consent,
        {{"date", "2023-03-01"},
         {"third_party", "TJ"},
         {"end_user", "Border troops of the Republic of Tajikistan (illustrative)"},
         {"purpose", "Training of border troops (illustrative)"},
         {"items", refs("btr-80", {"BTR80-UZ-0001", "BTR80-UZ-0002"})}});
  s.Add("RU", "ru-fsvts/licensing", "2023-04-10", "consent.granted", consent,
        {{"date", "2023-04-10"},
         {"conditions",
          "No further re-transfer without the written consent of the Russian Federation"}});
  s.Add("UZ", "uz-mod/logistics", "2023-06-01", "consent.transfer_recorded", consent,
        {{"date", "2023-06-01"}, {"items", refs("btr-80", {"BTR80-UZ-0001", "BTR80-UZ-0002"})}});
}

Result<std::vector<std::string>> DemoEvents(const DemoKeys& keys) {
  Scenario s(keys);
  const std::string reg = "registry", admin = "registry/admin";
  // The registry admits the two parties and their keys.
  s.Add(reg, admin, "2016-11-01", "party.registered", "party/RU", {{"name", "Russian Federation"}});
  s.Add(reg, admin, "2016-11-01", "party.registered", "party/UZ",
        {{"name", "Republic of Uzbekistan"}});
  s.Add(reg, admin, "2016-11-01", "party.key_registered", "party/RU",
        {{"vkey", keys.ru->Verifier().Encode()}, {"valid_from", "1992-01-01"}});
  s.Add(reg, admin, "2016-11-01", "party.key_registered", "party/UZ",
        {{"vkey", keys.uz->Verifier().Encode()}, {"valid_from", "1992-01-01"}});

  // Bodies.
  const std::string ru = "ru-mod/registrar", uz = "uz-mod/registrar";
  auto body = [&](const std::string& party, const std::string& id, const std::string& kind,
                  const std::string& name, const std::string& city) {
    s.Add(party, party == "RU" ? ru : uz, "2016-11-01", "body.registered", "body/" + id,
          {{"party", party}, {"kind", kind}, {"name", name}, {"city", city}});
  };
  body("RU", "ru-mod", "ministry_of_defence", "Ministry of Defence of the Russian Federation",
       "Moscow");
  body("RU", "ru-fsvts", "export_control_authority",
       "Federal Service for Military-Technical Cooperation", "Moscow");
  body("RU", "ru-rostvertol", "enterprise", "Rostvertol (Russian Helicopters)", "Rostov-on-Don");
  body("RU", "ru-vympel", "enterprise", "Vympel Design Bureau", "Moscow");
  body("RU", "ru-kamaz", "enterprise", "KAMAZ", "Naberezhnye Chelny");
  body("RU", "ru-amz", "enterprise", "Arzamas Machine-Building Plant", "Arzamas");
  body("RU", "ru-repair-plant", "enterprise", "Helicopter repair plant (illustrative)",
       "Novosibirsk");
  body("RU", "ru-roe", "intermediary_agency", "Rosoboronexport", "Moscow");
  body("UZ", "uz-mod", "ministry_of_defence", "Ministry of Defence of the Republic of Uzbekistan",
       "Tashkent");
  body("UZ", "uz-gov", "government_authority",
       "Cabinet of Ministers of the Republic of Uzbekistan (illustrative countersigning authority)",
       "Tashkent");

  // Earlier agreements (ratification dates illustrative).
  s.Add("RU", "ru-mfa/registrar", "1992-05-30", "agreement.registered", "agreement/RU-UZ-1992",
        {{"title", "Treaty on Friendship, Cooperation and Mutual Assistance"},
         {"parties", {"RU", "UZ"}},
         {"signed_date", "1992-05-30"},
         {"signed_place", "Tashkent"},
         {"signatories",
          {{{"party", "RU"}, {"name", "Boris Yeltsin"}, {"office", "President"}},
           {{"party", "UZ"}, {"name", "Islam Karimov"}, {"office", "President"}}}},
         {"pricing_rule", "negotiated"}});
  s.Add("RU", "ru-mfa/registrar", "1992-12-01", "agreement.ratified", "agreement/RU-UZ-1992",
        {{"date", "1992-12-01"}, {"instrument", "ratification (date illustrative)"}});
  s.Add("UZ", "uz-mfa/registrar", "1992-12-01", "agreement.ratified", "agreement/RU-UZ-1992",
        {{"date", "1992-12-01"}, {"instrument", "ratification (date illustrative)"}});
  s.Add("RU", "ru-mfa/registrar", "2005-11-14", "agreement.registered", "agreement/RU-UZ-2005",
        {{"title", "Treaty on Allied Relations"},
         {"parties", {"RU", "UZ"}},
         {"signed_date", "2005-11-14"},
         {"signed_place", "Moscow"},
         {"signatories",
          {{{"party", "RU"}, {"name", "Vladimir Putin"}, {"office", "President"}},
           {{"party", "UZ"}, {"name", "Islam Karimov"}, {"office", "President"}}}},
         {"pricing_rule", "negotiated"}});
  s.Add("UZ", "uz-mfa/registrar", "2006-03-01", "agreement.ratified", "agreement/RU-UZ-2005",
        {{"date", "2006-03-01"}, {"instrument", "ratification (date illustrative)"}});
  s.Add("RU", "ru-mfa/registrar", "2006-05-01", "agreement.ratified", "agreement/RU-UZ-2005",
        {{"date", "2006-05-01"}, {"instrument", "ratification (date illustrative)"}});

  // The 2016 treaty.
  const std::string mtc = "agreement/RU-UZ-2016-MTC";
  s.Add("RU", "ru-mod/treaty-office", "2016-11-29", "agreement.registered", mtc,
        {{"title", "Treaty on the Development of Military-Technical Cooperation"},
         {"parties", {"RU", "UZ"}},
         {"signed_date", "2016-11-29"},
         {"signed_place", "Moscow"},
         {"signatories",
          {{{"party", "RU"}, {"name", "Sergey Shoigu"}, {"office", "Minister of Defence"}},
           {{"party", "UZ"}, {"name", "Kabul Berdiyev"}, {"office", "Minister of Defence"}}}},
         {"pricing_rule", "domestic"},
         {"price_tolerance_bp", 500},
         {"access_deadline_days", 30},
         {"inventory_initial_days", 90},
         {"inventory_period_days", 365}});
  s.Add("UZ", "uz-senate/clerk", "2017-03-30", "agreement.ratified", mtc,
        {{"date", "2017-03-30"}, {"instrument", "Ratified by the Senate of the Oliy Majlis"}});
  s.Add("RU", "ru-president/office", "2017-04-17", "agreement.ratified", mtc,
        {{"date", "2017-04-17"}, {"instrument", "Federal Law on ratification, signed 2017-04-17"}});

  // Catalogue (TIV per unit from SIPRI, in thousandths of a million).
  auto product = [&](const std::string& id, const std::string& designation, const std::string& desc,
                     const std::string& unroca, const std::string& sipri, bool enhanced,
                     int64_t tiv) {
    s.Add("RU", "ru-fsvts/catalogue", "2016-12-01", "product.registered", "product/" + id,
          {{"supplier", "RU"},
           {"designation", designation},
           {"description", desc},
           {"unroca_category", unroca},
           {"sipri_category", sipri},
           {"enhanced_monitoring", enhanced},
           {"tiv_per_unit_milli", tiv}});
  };
  product("mi-35m", "Mi-35M", "combat helicopter", "V", "aircraft", false, 11500);
  product("r-73", "R-73", "short-range air-to-air missile (R-73E)", "VII", "missiles", true, 150);
  product("taifun-k-53949", "Taifun-K-53949", "armoured personnel carrier", "II",
          "armoured_vehicles", false, 260);
  product("btr-82a", "BTR-82A", "infantry fighting vehicle", "II", "armoured_vehicles", false, 950);
  product("btr-80", "BTR-80", "armoured personnel carrier", "II", "armoured_vehicles", false, 350);
  product("s-125-pechora-2m", "S-125 Pechora-2M", "surface-to-air missile system", "VII",
          "air_defence_systems", true, 30000);

  // Domestic price list (illustrative amounts, in kopecks).
  auto price = [&](const std::string& id, const std::string& from, int64_t rub) {
    s.Add("RU", "ru-mod/pricing", from, "product.price_published", "product/" + id,
          {{"currency", "RUB"}, {"amount_minor", rub * 100}, {"valid_from", from}});
  };
  price("mi-35m", "2017-01-01", 1'000'000'000);
  price("taifun-k-53949", "2017-01-01", 25'000'000);
  price("btr-82a", "2017-01-01", 40'000'000);
  price("mi-35m", "2019-01-01", 1'050'000'000);

  // A historical deal through the intermediary (before the treaty).
  const std::string c2001 = "contract/RU-UZ-2001-001";
  s.Add("UZ", "uz-mod/procurement", "2001-03-01", "contract.drafted", c2001,
        {{"agreement", "RU-UZ-1992"},
         {"supplier_body", "ru-amz"},
         {"recipient_body", "uz-mod"},
         {"channel", "intermediary"},
         {"intermediary_body", "ru-roe"},
         {"lines", {Line(1, "btr-80", 50, 60'000'000, "USD")}},
         {"delivery_schedule",
          {{{"line", 1}, {"year", 2001}, {"quantity", 23}},
           {{"line", 1}, {"year", 2002}, {"quantity", 27}}}}});
  s.Add("UZ", "uz-mod/procurement", "2001-04-01", "contract.signed", c2001,
        {{"date", "2001-04-01"}});
  s.Add("RU", "ru-roe/contracts", "2001-04-01", "contract.signed", c2001, {{"date", "2001-04-01"}});

  const std::string c2016 = "contract/RU-UZ-2016-R73";
  s.Add("UZ", "uz-mod/procurement", "2016-12-10", "contract.drafted", c2016,
        {{"agreement", "RU-UZ-2005"},
         {"supplier_body", "ru-vympel"},
         {"recipient_body", "uz-mod"},
         {"channel", "direct"},
         {"lines", {Line(1, "r-73", 75, 30'000'000, "USD")}},
         {"delivery_schedule",
          {{{"line", 1}, {"year", 2017}, {"quantity", 35}},
           {{"line", 1}, {"year", 2018}, {"quantity", 40}}}}});
  s.Add("RU", "ru-mod/contracts", "2016-12-20", "contract.signed", c2016, {{"date", "2016-12-20"}});
  s.Add("UZ", "uz-mod/procurement", "2016-12-20", "contract.signed", c2016,
        {{"date", "2016-12-20"}});

  // Direct deals under the 2016 treaty at domestic prices.
  const std::string mi35 = "contract/RU-UZ-2018-001";
  s.Add("UZ", "uz-mod/procurement", "2018-01-15", "contract.drafted", mi35,
        {{"agreement", "RU-UZ-2016-MTC"},
         {"supplier_body", "ru-rostvertol"},
         {"recipient_body", "uz-mod"},
         {"channel", "direct"},
         // The catalogue does not flag the Mi-35M; this contract designates its
         // helicopters for enhanced end-use monitoring.
         {"lines", {[] {
            json l = Line(1, "mi-35m", 12, 100'000'000'000, "RUB");
            l["enhanced_monitoring"] = true;
            return l;
          }()}},
         {"delivery_schedule",
          {{{"line", 1}, {"year", 2019}, {"quantity", 4}},
           {{"line", 1}, {"year", 2020}, {"quantity", 4}},
           {{"line", 1}, {"year", 2021}, {"quantity", 4}}}}});
  s.Add("UZ", "uz-mod/procurement", "2018-01-25", "contract.signed", mi35,
        {{"date", "2018-01-25"}});
  s.Add("RU", "ru-mod/contracts", "2018-01-30", "contract.signed", mi35, {{"date", "2018-01-30"}});

  const std::string taifun = "contract/RU-UZ-2019-002";
  json taifun_line = Line(1, "taifun-k-53949", 20, 2'700'000'000, "RUB");
  taifun_line["justification"] = "armoured cab and climate kit for desert operation (illustrative)";
  s.Add("UZ", "uz-mod/procurement", "2019-03-01", "contract.drafted", taifun,
        {{"agreement", "RU-UZ-2016-MTC"},
         {"supplier_body", "ru-kamaz"},
         {"recipient_body", "uz-mod"},
         {"channel", "direct"},
         {"lines", {taifun_line}},
         {"delivery_schedule",
          {{{"line", 1}, {"year", 2019}, {"quantity", 10}},
           {{"line", 1}, {"year", 2021}, {"quantity", 10}}}}});
  s.Add("RU", "ru-mod/contracts", "2019-03-12", "contract.signed", taifun,
        {{"date", "2019-03-12"}});
  s.Add("UZ", "uz-mod/procurement", "2019-03-15", "contract.signed", taifun,
        {{"date", "2019-03-15"}});

  const std::string btr = "contract/RU-UZ-2019-003";
  s.Add("UZ", "uz-mod/procurement", "2019-06-01", "contract.drafted", btr,
        {{"agreement", "RU-UZ-2016-MTC"},
         {"supplier_body", "ru-amz"},
         {"recipient_body", "uz-mod"},
         {"channel", "direct"},
         {"lines", {Line(1, "btr-82a", 4, 4'100'000'000, "RUB")}},
         {"delivery_schedule", {{{"line", 1}, {"year", 2021}, {"quantity", 4}}}}});
  s.Add("RU", "ru-mod/contracts", "2019-06-20", "contract.signed", btr, {{"date", "2019-06-20"}});
  s.Add("UZ", "uz-mod/procurement", "2019-06-24", "contract.signed", btr, {{"date", "2019-06-24"}});

  // The modernization programme.
  const std::string prog = "programme/UZ-REEQUIP-2018";
  s.Add(
      "UZ", "uz-mod/planning", "2018-01-10", "programme.registered", prog,
      {{"title", "Modernization and re-equipment of the Armed Forces of Uzbekistan (illustrative)"},
       {"agreement", "RU-UZ-2016-MTC"},
       {"recipient", "UZ"},
       {"from", "2018-01-01"},
       {"to", "2025-12-31"},
       {"targets",
        {{{"product", "mi-35m"}, {"quantity", 12}},
         {{"product", "taifun-k-53949"}, {"quantity", 20}},
         {{"product", "btr-82a"}, {"quantity", 4}}}}});
  for (const char* c : {"RU-UZ-2018-001", "RU-UZ-2019-002", "RU-UZ-2019-003"}) {
    s.Add("UZ", "uz-mod/planning", "2019-07-01", "programme.contract_linked", prog,
          {{"contract", c}});
  }
  AddDeliveries(s);
  AddCooperation(s);
  AddMonitoring(s);
  return s.Take();
}

Result<size_t> RecordDemo(Registry& registry, const DemoKeys& keys) {
  ASSIGN_OR_RETURN(std::vector<std::string> events, DemoEvents(keys));
  std::vector<Submission> items;
  for (size_t i = 0; i < events.size(); ++i) {
    ASSIGN_OR_RETURN(Submission item, ParseSubmission(events[i], i + 1));
    items.push_back(std::move(item));
  }
  ASSIGN_OR_RETURN(RecordResult result, registry.Record(items, nullptr, /*keep_going=*/false));
  return result.recorded.size();
}

}  // namespace accord::registry
