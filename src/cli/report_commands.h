// accord report att | unroca | register: the reports states owe about their
// arms transfers, from the registry's own delivery records
// (registry/transfer_reports.h).
#pragma once

#include <string>

namespace accord::cli {

struct ReportTransfersOptions {
  std::string db;
  int year = 0;
  std::string party;          // ISO 3166 alpha-2
  std::string format = "md";  // csv | json | md
};
// The Arms Trade Treaty annual report (Art. 13(3)) of a party for a year.
int RunReportAtt(const ReportTransfersOptions& o);
// The UN Register of Conventional Arms standardized form of a party for a year.
int RunReportUnroca(const ReportTransfersOptions& o);

struct ReportRegisterOptions {
  std::string db;
  std::string format = "sipri-csv";  // sipri-csv | json
};
// Accord's deliveries as SIPRI's flat trade register export.
int RunReportRegister(const ReportRegisterOptions& o);

}  // namespace accord::cli
