#include "domain/reference.h"

#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

namespace accord::domain {
namespace {

Result<nlohmann::json> ReadJson(const std::string& path) {
  std::ifstream f(path);
  if (!f) {
    return Status::NotFound("cannot read " + path +
                            " (Debian package iso-codes provides it; run scripts/deps)");
  }
  std::stringstream ss;
  ss << f.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Corruption(path + " is not valid JSON");
  return j;
}

}  // namespace

Result<ReferenceData> ReferenceData::Load(const std::string& dir) {
  // Parsing the iso-codes files costs milliseconds; every registry connection
  // (the API opens one per worker) needs the same data, so it is read once
  // per directory and copied.
  static std::mutex mu;
  static std::map<std::string, ReferenceData> loaded;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = loaded.find(dir);
    if (it != loaded.end()) return it->second;
  }
  ASSIGN_OR_RETURN(ReferenceData ref, LoadFiles(dir));
  std::lock_guard<std::mutex> lock(mu);
  loaded.emplace(dir, ref);
  return ref;
}

Result<ReferenceData> ReferenceData::LoadFiles(const std::string& dir) {
  ReferenceData ref;
  ASSIGN_OR_RETURN(nlohmann::json current, ReadJson(dir + "/iso_3166-1.json"));
  for (const auto& c : current.value("3166-1", nlohmann::json::array())) {
    std::string code = c.value("alpha_2", "");
    if (code.size() == 2) {
      ref.countries_[code] = {code, c.value("common_name", c.value("name", "")), false};
    }
  }
  ASSIGN_OR_RETURN(nlohmann::json former, ReadJson(dir + "/iso_3166-3.json"));
  for (const auto& c : former.value("3166-3", nlohmann::json::array())) {
    std::string code = c.value("alpha_2", "");
    // Some alpha-2 codes were reassigned (e.g. to a successor state); the
    // current assignment wins.
    if (code.size() == 2 && !ref.countries_.contains(code)) {
      ref.countries_[code] = {code, c.value("name", ""), true};
    }
  }
  ASSIGN_OR_RETURN(nlohmann::json money, ReadJson(dir + "/iso_4217.json"));
  for (const auto& c : money.value("4217", nlohmann::json::array())) {
    std::string code = c.value("alpha_3", "");
    if (code.size() == 3) ref.currencies_[code] = c.value("name", "");
  }
  if (ref.countries_.size() < 200 || ref.currencies_.size() < 100) {
    return Status::Corruption("iso-codes data in " + dir + " looks incomplete");
  }
  return ref;
}

const CountryInfo* ReferenceData::FindCountry(std::string_view alpha2) const {
  auto it = countries_.find(alpha2);
  return it == countries_.end() ? nullptr : &it->second;
}

bool ReferenceData::IsCurrency(std::string_view alpha3) const {
  return currencies_.find(alpha3) != currencies_.end();
}

const std::vector<std::string>& ReferenceData::UnRegisterCategories() {
  static const std::vector<std::string> v = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII"};
  return v;
}

const std::vector<std::string>& ReferenceData::SalwSubcategories() {
  // ATT reporting template: small arms and light weapons sub-categories.
  static const std::vector<std::string> v = {"revolvers_pistols",
                                             "rifles_carbines",
                                             "submachine_guns",
                                             "assault_rifles",
                                             "light_machine_guns",
                                             "other_small_arms",
                                             "heavy_machine_guns",
                                             "grenade_launchers",
                                             "portable_anti_tank_guns",
                                             "recoilless_rifles",
                                             "portable_anti_tank_missile_launchers",
                                             "mortars_under_75mm",
                                             "other_light_weapons"};
  return v;
}

const std::vector<std::string>& ReferenceData::SipriCategories() {
  static const std::vector<std::string> v = {"aircraft",
                                             "air_defence_systems",
                                             "armoured_vehicles",
                                             "artillery",
                                             "engines",
                                             "missiles",
                                             "naval_weapons",
                                             "other",
                                             "satellites",
                                             "sensors",
                                             "ships"};
  return v;
}

}  // namespace accord::domain
