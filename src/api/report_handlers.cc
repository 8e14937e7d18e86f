// GET /v1/reports/<name>: the reports of registry/reports.h over HTTP, in
// the form api::CanReadReport allows the caller.
#include "api/http_util.h"
#include "api/server_impl.h"
#include "registry/reports.h"

namespace accord::api {

using nlohmann::json;

// GET /v1/reports/<name>: the same bytes as `accord report <name>`, with
// format=json (the default) or csv, plus the report's other formats.
Status Server::Impl::Report(const httplib::Request& req, httplib::Response& res, Ctx& ctx,
                            const registry::ReportSpec& spec) {
  std::vector<std::string_view> allowed = {"format"};
  for (const registry::ReportParam& p : spec.params) allowed.push_back(p.name);
  RETURN_IF_ERROR(CheckParams(req, allowed));
  RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadReports));
  registry::ReportRequest rr;
  rr.param_prefix = "query parameter ";
  for (const auto& [k, v] : req.params) {
    if (k == "format") {
      rr.format = v;
    } else {
      rr.params[k] = v;
    }
  }
  if (rr.format.empty()) rr.format = "json";
  // "csv" is the report's CSV, whatever the CLI calls it (sipri-csv).
  bool has_csv = false;
  for (const registry::ReportFormat& f : spec.formats) has_csv = has_csv || f.name == "csv";
  if (rr.format == "csv" && !has_csv) {
    for (const registry::ReportFormat& f : spec.formats) {
      if (f.content_type.starts_with("text/csv")) rr.format = f.name;
    }
  }
  ASSIGN_OR_RETURN(rr.form, CanReadReport(ctx.who, spec, rr.params));
  ASSIGN_OR_RETURN(registry::ReportOutput out,
                   registry::RunReport(*ctx.reader->registry, spec, rr));
  if (!out.content_type.starts_with("application/json")) {
    res.set_header("Content-Disposition", "attachment; filename=\"" + out.filename + "\"");
  }
  if (rr.form == registry::ReportForm::kPublic) res.set_header("X-Accord-Report-Form", "public");
  res.set_content(out.body, out.content_type);
  return Status::Ok();
}

}  // namespace accord::api
