// The C2SP transparency-log routes of every node (c2sp.org/tlog-tiles v0.1.0
// and c2sp.org/tlog-witness v1.0.0), beside the JSON API:
//
//   GET  /tlog/checkpoint              the latest signed checkpoint (public)
//   GET  /tlog/tile/<L>/<N>[.p/<W>]    hash tiles (public: hashes disclose nothing)
//   GET  /tlog/tile/entries/<N>[.p/<W>] entry bundles: each leaf as a big-endian
//                                      u16 length and its bytes (roles admin, node)
//   POST /tlog/add-checkpoint          the witness, with --witness-key (log/witness.h)
//   GET  /v1/log/checkpoint            the latest checkpoint (public)
//   GET  /v1/log/checkpoints/<size>    the checkpoint of that size as stored, with
//                                      its cosignatures (public)
//
// With --policy, SetUpGatherer starts the client side of tlog-witness
// (api/gatherer.h), which adds witnesses' cosignatures to the stored
// checkpoints these routes serve.
//
// Public routes take a request without a token as an anonymous caller (rate
// limited per address); a token given is still checked. Tile paths follow
// merkle/tile_path.h; tiles and bundles past the tree are 404.
#include <cstring>

#include "api/http_util.h"
#include "api/server_impl.h"
#include "log/witness.h"
#include "merkle/tile_path.h"
#include "note/signer_file.h"
#include "util/file_io.h"

namespace accord::api {

namespace {

constexpr char kNoCache[] = "no-store";
constexpr char kImmutable[] = "public, max-age=31536000, immutable";
constexpr char kPrivateImmutable[] = "private, max-age=31536000, immutable";
// A partial tile's content never changes either, but it may be replaced by
// the full tile; caches keep it a short while.
constexpr char kPartial[] = "public, max-age=60";
constexpr char kPrivatePartial[] = "private, max-age=60";
constexpr char kOctets[] = "application/octet-stream";

// The largest leaf an entry bundle can carry (its length prefix is 16 bits).
constexpr size_t kMaxBundleLeaf = 65535;

}  // namespace

std::vector<RouteInfo> TlogRouteInfo() {
  return {{"get", "/v1/log/checkpoints/{size}"},
          {"get", "/tlog/checkpoint"},
          {"get", "/tlog/tile/{L}/{N}"},
          {"get", "/tlog/tile/entries/{N}"},
          {"post", "/tlog/add-checkpoint"}};
}

httplib::Server::Handler Server::Impl::WrapPublic(Fn fn) {
  return [this, fn = std::move(fn)](const httplib::Request& req, httplib::Response& res) {
    ReaderPool& pool = GetReaders();
    auto lease = pool.Acquire();
    if (!lease.ok()) return SetError(res, lease.status());
    std::unique_ptr<Reader> reader = std::move(lease).value();
    Ctx ctx;
    ctx.reader = reader.get();
    Status s = Serve(req, res, ctx, fn, /*anonymous_ok=*/true);
    pool.Release(std::move(reader));
    if (!s.ok()) SetError(res, s);
  };
}

Status Server::Impl::SetUpWitness() {
  if (o.witness_key_file.empty()) {
    if (!o.witness_log_files.empty()) {
      return Status::InvalidArgument("--witness-log needs --witness-key (the witness's own key)");
    }
    return Status::Ok();
  }
  if (o.witness_log_files.empty()) {
    return Status::InvalidArgument(
        "--witness-key needs at least one --witness-log VKEYFILE (a log to witness)");
  }
  ASSIGN_OR_RETURN(note::Signer key, note::LoadSignerFile(o.witness_key_file));
  std::vector<note::VerifierKey> logs;
  for (const std::string& path : o.witness_log_files) {
    auto text = ReadFileLimited(path, 4096);
    if (!text.ok()) return text.status().WithContext("--witness-log " + path);
    auto k = note::ParseVerifierKey(*text);
    if (!k.ok()) {
      return Status::InvalidArgument("--witness-log " + path +
                                     " is not a signed-note verifier key (" + k.status().message() +
                                     "); expected <name>+<id>+<base64>");
    }
    logs.push_back(std::move(k).value());
  }
  // The witness key must not be the node's own log key.
  ASSIGN_OR_RETURN(auto lease, readers->Acquire());
  std::string log_key = lease->registry->log().verifier().public_key;
  std::string log_name = lease->registry->log().verifier().name;
  readers->Release(std::move(lease));
  if (key.Verifier().public_key == log_key) {
    return Status::InvalidArgument("--witness-key " + o.witness_key_file +
                                   " is this node's log key (" + log_name +
                                   "); a witness cosigns with a key of its own");
  }
  ASSIGN_OR_RETURN(auto store, storage::OpenWitnessStore(o.db));
  ASSIGN_OR_RETURN(
      witness, log::Witness::Create(std::move(store), std::move(key), std::move(logs), o.clock));
  return Status::Ok();
}

Status Server::Impl::SetUpGatherer() {
  if (o.policy_file.empty()) return Status::Ok();
  if (o.cosign_timeout_ms <= 0) {
    return Status::InvalidArgument("--cosign-timeout must be more than 0 seconds");
  }
  auto text = ReadFileLimited(o.policy_file, 1 << 20);
  if (!text.ok()) return text.status().WithContext("--policy " + o.policy_file);
  auto policy = note::ParsePolicy(*text);
  if (!policy.ok()) return policy.status().WithContext("--policy " + o.policy_file);
  GathererOptions g;
  g.db = o.db;
  g.policy = std::move(policy).value();
  g.timeout = std::chrono::milliseconds(o.cosign_timeout_ms);
  g.log = o.log;
  auto started = Gatherer::Start(std::move(g));
  if (!started.ok()) return started.status().WithContext("--policy " + o.policy_file);
  gatherer = std::move(started).value();
  return Status::Ok();
}

void Server::Impl::TlogRoutes() {
  httplib::Server& s = *http;
  auto bind = [this](Status (Impl::*m)(const httplib::Request&, httplib::Response&, Ctx&)) {
    return WrapPublic([this, m](const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
      return (this->*m)(req, res, ctx);
    });
  };
  s.Get("/v1/log/checkpoint", bind(&Impl::Checkpoint));
  s.Get("/v1/log/checkpoints/(.+)", bind(&Impl::CheckpointOfSize));
  s.Get("/tlog/checkpoint", bind(&Impl::Checkpoint));
  s.Get("/tlog/tile/(.+)", bind(&Impl::TlogTile));
  s.Post("/tlog/add-checkpoint",
         [this](const httplib::Request& req, httplib::Response& res) { AddCheckpoint(req, res); });
}

// GET /v1/log/checkpoint and /tlog/checkpoint.
Status Server::Impl::Checkpoint(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
  RETURN_IF_ERROR(CheckParams(req, {}));
  ASSIGN_OR_RETURN(std::string note, ctx.reader->registry->log().Checkpoint());
  res.set_header("Cache-Control", kNoCache);
  res.set_content(note, "text/plain; charset=utf-8");
  return Status::Ok();
}

Status Server::Impl::CheckpointOfSize(const httplib::Request& req, httplib::Response& res,
                                      Ctx& ctx) {
  RETURN_IF_ERROR(CheckParams(req, {}));
  std::string text = req.matches[1].str();
  if (text.empty() || text.size() > 19 ||
      text.find_first_not_of("0123456789") != std::string::npos ||
      (text.size() > 1 && text[0] == '0')) {
    return Status::InvalidArgument("checkpoint size \"" + text.substr(0, 40) +
                                   "\" is not a decimal tree size without leading zeros");
  }
  uint64_t size = std::stoull(text);
  ASSIGN_OR_RETURN(std::optional<std::string> note, ctx.reader->log_store->CheckpointAt(size));
  if (!note) {
    ASSIGN_OR_RETURN(uint64_t n, ctx.reader->log_store->Size());
    return Status::NotFound("no checkpoint of size " + std::to_string(size) +
                            " is stored (the log's size is " + std::to_string(n) + ")");
  }
  res.set_header("Cache-Control", kNoCache);  // cosignatures may still be added
  res.set_content(*note, "text/plain; charset=utf-8");
  return Status::Ok();
}

// GET /tlog/tile/<L>/<N>[.p/<W>] and /tlog/tile/entries/<N>[.p/<W>].
Status Server::Impl::TlogTile(const httplib::Request& req, httplib::Response& res, Ctx& ctx) {
  RETURN_IF_ERROR(CheckParams(req, {}));
  ASSIGN_OR_RETURN(merkle::TilePathInfo t,
                   merkle::ParseTilePath(std::string_view(req.path).substr(std::strlen("/tlog/"))));
  std::string name = merkle::TilePath(t);
  if (t.entries) {
    RETURN_IF_ERROR(Authorize(ctx.who, Action::kReadEntryBundles));
    ASSIGN_OR_RETURN(uint64_t size, ctx.reader->log_store->Size());
    if (t.index > (UINT64_MAX >> 8) - 1) return Status::NotFound(name + " is beyond the tree");
    uint64_t begin = t.index * merkle::kTileWidth, end = begin + t.width;
    if (end > size) {
      return Status::NotFound(name + " is beyond the tree (size " + std::to_string(size) + ")");
    }
    std::string bundle;
    Status s = ctx.reader->log_store->ScanEntries(
        begin, end, [&](uint64_t idx, std::string_view leaf) -> Status {
          if (leaf.size() > kMaxBundleLeaf) {
            return Status::Internal("entry " + std::to_string(idx) + " is " +
                                    std::to_string(leaf.size()) +
                                    " bytes, more than an entry bundle can carry (65,535)");
          }
          bundle += static_cast<char>(leaf.size() >> 8);
          bundle += static_cast<char>(leaf.size() & 0xff);
          bundle.append(leaf);
          return Status::Ok();
        });
    RETURN_IF_ERROR(s);
    res.set_header("Cache-Control", t.full() ? kPrivateImmutable : kPrivatePartial);
    res.set_content(bundle, kOctets);
    return Status::Ok();
  }
  auto tile = ctx.reader->log_store->ReadTile({t.level, t.index});
  if (!tile.ok() && tile.status().code() == StatusCode::kNotFound) {
    return Status::NotFound(name + " is beyond the tree");
  }
  RETURN_IF_ERROR(tile.status());
  if (tile->width() < t.width) {
    return Status::NotFound(name + " is beyond the tree (that tile holds " +
                            std::to_string(tile->width()) + " hashes)");
  }
  res.set_header("Cache-Control", t.full() ? kImmutable : kPartial);
  res.set_content(tile->hashes.substr(0, t.width * kHashSize), kOctets);
  return Status::Ok();
}

// POST /tlog/add-checkpoint: no token (tlog-witness authenticates the
// checkpoint's signature, not the caller); answers in text, as the
// protocol says.
void Server::Impl::AddCheckpoint(const httplib::Request& req, httplib::Response& res) {
  if (!witness) {
    res.status = 404;
    res.set_content("this node is not a witness (start it with --witness-key and --witness-log)\n",
                    "text/plain; charset=utf-8");
    return;
  }
  if (int wait = limiter->Take("witness@" + req.remote_addr); wait > 0) {
    res.status = 429;
    res.set_header("Retry-After", std::to_string(wait));
    res.set_content("too many requests; retry after " + std::to_string(wait) + " s\n",
                    "text/plain; charset=utf-8");
    return;
  }
  log::WitnessAnswer a = witness->AddCheckpoint(req.body);
  res.status = a.status;
  res.set_header("Cache-Control", kNoCache);
  res.set_content(a.body, a.content_type);
}

}  // namespace accord::api
