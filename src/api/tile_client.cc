// cpp-httplib is included here only, of the mirror's code.
#include "api/tile_client.h"

#include <httplib.h>

#include <chrono>
#include <thread>

#include "api/gatherer.h"
#include "merkle/tile_path.h"

namespace accord::api {

struct HttpTileSource::Impl {
  std::string base;    // "http://host:port/prefix", for messages
  std::string prefix;  // the URL's path, without a trailing "/"
  std::string token;
  std::unique_ptr<httplib::ClientImpl> http;
};

HttpTileSource::HttpTileSource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpTileSource::~HttpTileSource() = default;

Result<std::unique_ptr<HttpTileSource>> HttpTileSource::Open(const std::string& url,
                                                             const std::string& token) {
  // The witness URL's grammar is a node URL's; its path gets a suffix.
  auto parsed = ParseWitnessUrl(url);
  if (!parsed.ok()) {
    return Status::InvalidArgument("--from \"" + url +
                                   "\" is not a node URL; expected http://HOST[:PORT][/PREFIX] "
                                   "or https://... (the log is read under <URL>/tlog)");
  }
  auto impl = std::make_unique<Impl>();
  std::string path = parsed->path;
  constexpr std::string_view kSuffix = "/add-checkpoint";
  if (path.ends_with(kSuffix)) path.resize(path.size() - kSuffix.size());
  while (!path.empty() && path.back() == '/') path.pop_back();
  impl->prefix = path;
  impl->base = url;
  while (!impl->base.empty() && impl->base.back() == '/') impl->base.pop_back();
  impl->token = token;
  if (parsed->tls) {
    impl->http = std::make_unique<httplib::SSLClient>(parsed->host, parsed->port);
  } else {
    impl->http = std::make_unique<httplib::ClientImpl>(parsed->host, parsed->port);
  }
  impl->http->set_keep_alive(true);
  impl->http->set_tcp_nodelay(true);
  impl->http->set_connection_timeout(10, 0);
  impl->http->set_read_timeout(60, 0);
  return std::unique_ptr<HttpTileSource>(new HttpTileSource(std::move(impl)));
}

Result<std::string> HttpTileSource::Get(const std::string& path, bool with_token) {
  const std::string url = impl_->base + path;
  httplib::Headers headers;
  if (with_token && !impl_->token.empty()) {
    headers.emplace("Authorization", "Bearer " + impl_->token);
  }
  int failures = 0, waits = 0;
  while (true) {
    httplib::Result res = impl_->http->Get(impl_->prefix + path, headers);
    if (!res) {
      if (++failures <= 2) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200 * failures));
        continue;
      }
      return Status::IoError("GET " + url + ": no answer after 3 tries (" +
                             httplib::to_string(res.error()) + " error); is the node up?");
    }
    if (res->status == 200) {
      bytes_ += res->body.size();
      return std::move(res->body);
    }
    std::string body = res->body.substr(0, 300);
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
    if (res->status == 429 && ++waits <= 10) {
      int seconds = 1;
      std::string after = res->get_header_value("Retry-After");
      if (!after.empty() && after.find_first_not_of("0123456789") == std::string::npos &&
          after.size() < 4) {
        seconds = std::max(1, std::stoi(after));
      }
      std::this_thread::sleep_for(std::chrono::seconds(std::min(seconds, 30)));
      continue;
    }
    if (res->status == 401 || res->status == 403) {
      std::string why = with_token ? (impl_->token.empty() ? "no --token was given"
                                                           : "the --token given was refused")
                                   : "the node refused an anonymous read";
      Status (*make)(std::string) =
          res->status == 401 ? &Status::Unauthenticated : &Status::PermissionDenied;
      return make("GET " + url + ": HTTP " + std::to_string(res->status) + " (" + why +
                  "; entry bundles need the token of a user with role admin or node on that "
                  "node, e.g. `accord user add NAME --role node ...` there): " +
                  body);
    }
    if (res->status == 404) return Status::NotFound("GET " + url + ": HTTP 404: " + body);
    return Status::IoError("GET " + url + ": HTTP " + std::to_string(res->status) + ": " + body);
  }
}

Result<std::string> HttpTileSource::Checkpoint() {
  return Get("/tlog/checkpoint", false);
}

Result<std::string> HttpTileSource::HashTile(uint32_t level, uint64_t index, uint64_t width) {
  merkle::TilePathInfo t;
  t.level = level;
  t.index = index;
  t.width = width;
  return Get("/tlog/" + merkle::TilePath(t), false);
}

Result<std::string> HttpTileSource::EntryBundle(uint64_t index, uint64_t width) {
  merkle::TilePathInfo t;
  t.entries = true;
  t.index = index;
  t.width = width;
  return Get("/tlog/" + merkle::TilePath(t), true);
}

}  // namespace accord::api
