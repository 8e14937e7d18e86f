#include "registry/demo.h"

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

}  // namespace

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
         {"lines", {Line(1, "mi-35m", 12, 100'000'000'000, "RUB")}},
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
  return s.Take();
}

Result<size_t> RecordDemo(Registry& registry, const DemoKeys& keys) {
  ASSIGN_OR_RETURN(std::vector<std::string> events, DemoEvents(keys));
  std::vector<Submission> items;
  for (size_t i = 0; i < events.size(); ++i) items.push_back({i + 1, events[i]});
  ASSIGN_OR_RETURN(RecordResult result, registry.Record(items, nullptr, /*keep_going=*/false));
  return result.recorded.size();
}

}  // namespace accord::registry
