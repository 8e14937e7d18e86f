// Reference data the rules consult: ISO 3166 states and ISO 4217 currencies
// (read from Debian's iso-codes JSON, never hand-written), and the fixed
// category lists of the UN Register and SIPRI.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace accord::domain {

struct CountryInfo {
  std::string code;  // ISO 3166-1 alpha-2 (or the alpha-2 of a 3166-3 former state)
  std::string name;
  bool former = false;  // from ISO 3166-3, e.g. SU (USSR), CS (Czechoslovakia)
};

class ReferenceData {
 public:
  // Where Debian's iso-codes package puts its JSON files.
  static constexpr char kDefaultIsoCodesDir[] = "/usr/share/iso-codes/json";

  // Loads iso_3166-1.json, iso_3166-3.json and iso_4217.json from `dir`.
  static Result<ReferenceData> Load(const std::string& dir = kDefaultIsoCodesDir);

  const CountryInfo* FindCountry(std::string_view alpha2) const;
  bool IsCurrency(std::string_view alpha3) const;
  const std::map<std::string, CountryInfo, std::less<>>& countries() const { return countries_; }

  // UN Register of Conventional Arms categories I–VII plus VIII (small arms
  // and light weapons), as Roman numerals.
  static const std::vector<std::string>& UnRegisterCategories();
  // SALW sub-categories of category VIII (ATT reporting template).
  static const std::vector<std::string>& SalwSubcategories();
  // SIPRI armament categories.
  static const std::vector<std::string>& SipriCategories();

 private:
  static Result<ReferenceData> LoadFiles(const std::string& dir);
  std::map<std::string, CountryInfo, std::less<>> countries_;
  std::map<std::string, std::string, std::less<>> currencies_;
};

}  // namespace accord::domain
