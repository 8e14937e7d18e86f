// The HTTP side of a mirror (log/mirror.h): a log::TileSource that fetches
// a node's C2SP tlog-tiles resources with cpp-httplib,
//   GET <url>/tlog/checkpoint
//   GET <url>/tlog/tile/<L>/<N>[.p/<W>]
//   GET <url>/tlog/tile/entries/<N>[.p/<W>]    with Authorization: Bearer <token>
// over one keep-alive connection. A 429 answer is waited out (its
// Retry-After, at most 30 s, ten times in a row at most); a connection that
// fails is tried again twice. 401/403 on an entry bundle say which token is
// needed; 404 is NotFound; any other status is an IoError naming the URL.
#pragma once

#include <memory>
#include <string>

#include "log/mirror.h"
#include "util/status.h"

namespace accord::api {

class HttpTileSource : public log::TileSource {
 public:
  // `url` is http(s)://HOST[:PORT][/PREFIX], the node's base URL (the tlog
  // routes are under <url>/tlog). InvalidArgument if it is not one.
  static Result<std::unique_ptr<HttpTileSource>> Open(const std::string& url,
                                                      const std::string& token);
  ~HttpTileSource() override;

  Result<std::string> Checkpoint() override;
  Result<std::string> HashTile(uint32_t level, uint64_t index, uint64_t width) override;
  Result<std::string> EntryBundle(uint64_t index, uint64_t width) override;

  // Bytes received in bodies so far.
  uint64_t bytes() const { return bytes_; }

 private:
  struct Impl;
  explicit HttpTileSource(std::unique_ptr<Impl> impl);
  Result<std::string> Get(const std::string& path, bool with_token);
  std::unique_ptr<Impl> impl_;
  uint64_t bytes_ = 0;
};

}  // namespace accord::api
