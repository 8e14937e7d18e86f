// Issue #14, the minor list: each a small fix with its check here —
// duplicate Authorization headers, the Bearer scheme's case, the Content-Type
// of POST /v1/events, and the security headers on every answer.
#include "api_test_util.h"
#include "util/utf8.h"

namespace accord::testing {
namespace {

class ApiHardeningTest : public ApiServerTest {};

std::string StatusLine(const std::string& answer) {
  return answer.substr(0, answer.find("\r\n"));
}

TEST_F(ApiHardeningTest, TwoAuthorizationHeadersAre400) {
  std::string t = s_->users.token["ru-officer"];
  std::string answer = RawRequest(s_->port,
                                  "GET /v1/contracts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                  "Authorization: Bearer " +
                                      t + "\r\nAuthorization: Bearer " + t + "\r\n\r\n");
  EXPECT_EQ(StatusLine(answer), "HTTP/1.1 400 Bad Request") << answer;
  EXPECT_NE(answer.find("more than once"), std::string::npos) << answer;
}

TEST_F(ApiHardeningTest, TheBearerSchemeIsCaseInsensitive) {
  auto c = s_->Client();
  for (const char* scheme : {"bearer ", "BEARER ", "Bearer "}) {
    auto r = c.Get("/v1/contracts",
                   {{"Authorization", std::string(scheme) + s_->users.token["ru-officer"]}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << scheme << r->body;
  }
  ExpectError(c.Get("/v1/contracts", {{"Authorization", "Basic abc"}}), 401);
}

TEST_F(ApiHardeningTest, PostNeedsAJsonContentTypeAndJsonIsOneEvent) {
  uint64_t before = LogSize(s_->db);
  std::string ev = BodyEvent("RU", "ctype-1");
  std::string answer = RawRequest(
      s_->port,
      "POST /v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " +
          s_->users.token["ru-officer"] + "\r\nContent-Length: " + std::to_string(ev.size()) +
          "\r\n\r\n" + ev);
  EXPECT_EQ(StatusLine(answer), "HTTP/1.1 415 Unsupported Media Type") << answer;
  EXPECT_NE(answer.find("not missing"), std::string::npos) << answer;
  // Two objects under application/json.
  auto r = s_->Post("ru-officer", ev + "\n" + BodyEvent("RU", "ctype-2") + "\n");
  ExpectError(r, 400, "invalid_argument");
  EXPECT_NE(r->body.find("application/x-ndjson"), std::string::npos) << r->body;
  EXPECT_EQ(LogSize(s_->db), before);
  // The media type is case-insensitive and may carry parameters.
  r = s_->Post("ru-officer", ev, "Application/JSON; charset=utf-8");
  EXPECT_EQ(r->status, 201) << r->body;
}

// Issue #14, Low-medium 7: confusable ids are refused at the input path,
// from the API as from the CLI.
TEST_F(ApiHardeningTest, ConfusableIdsAreRefused) {
  uint64_t before = LogSize(s_->db);
  for (const std::string id : {"RU-\xd0\xa3Z-plant",   // Cyrillic U
                               "plant\xe2\x80\x8b-1",  // zero-width space
                               "plant-\xe2\x80\xae"
                               "1",  // right-to-left override
                               "a/../b", "a?b#c%20", "<script>alert(1)</script>"}) {
    SCOPED_TRACE(id);
    auto r = s_->Post("ru-officer", BodyEvent("RU", id));
    ExpectError(r, 400, "invalid_argument");
    EXPECT_NE(r->body.find("not a safe id"), std::string::npos) << r->body;
    CommandResult c = Accord({"record", "--db", s_->db, "--key", s_->dir / "d.keys/ru.skey"},
                             BodyEvent("RU", id));
    EXPECT_EQ(c.exit_code, 2) << Describe(c);
    EXPECT_TRUE(Contains(c.err, "not a safe id")) << c.err;
  }
  EXPECT_EQ(LogSize(s_->db), before);
}

// Issue #14, minor: invalid UTF-8 in any query parameter is 400, on every
// route that takes one (it matched nothing and answered 200 before).
TEST_F(ApiHardeningTest, InvalidUtf8InFiltersIs400) {
  for (const char* path :
       {"/v1/items?contract=%FF", "/v1/items?contract=ab%C0%AF", "/v1/courses?agreement=%ED%A0%80",
        "/v1/log/history?subject=course/%FF", "/v1/reports/tiv?recipient=%FE",
        "/v1/eum/due?as-of=%FF", "/v1/items?%FF=1"}) {
    SCOPED_TRACE(path);
    auto r = s_->Get("admin", path);
    ExpectError(r, 400, "invalid_argument");
    // The message itself is valid UTF-8 (the bad bytes escaped).
    EXPECT_EQ(FindInvalidUtf8(r->body), std::string::npos) << r->body;
  }
}

TEST_F(ApiHardeningTest, SecurityHeadersOnEveryAnswer) {
  for (const auto& [user, path] :
       std::vector<std::pair<std::string, std::string>>{{"", "/v1/health"},
                                                        {"ru-officer", "/v1/contracts"},
                                                        {"", "/v1/contracts"},
                                                        {"ru-officer", "/v1/no/such/route"}}) {
    SCOPED_TRACE(path);
    auto r = s_->Get(user, path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  }
  auto ui = s_->Get("", "/index.html");
  ASSERT_TRUE(ui);
  EXPECT_EQ(ui->status, 200);
  EXPECT_EQ(ui->get_header_value("X-Content-Type-Options"), "nosniff");
  std::string csp = ui->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
}

}  // namespace
}  // namespace accord::testing
