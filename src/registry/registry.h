// The registry: the log, the treaty rules and the projections together.
//
// Recording an event means (once ParseSubmissions has parsed it strictly and
// checked its envelope): find the
// key that must have signed it (rules), verify or make the signature, decide
// it against the current state (rules), and append the leaf together with the
// projection changes in one transaction. A stream is validated event by event
// against the state as the earlier events of the same stream leave it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/envelope.h"
#include "domain/reference.h"
#include "domain/rules.h"
#include "log/log.h"
#include "note/note.h"
#include "registry/submission.h"
#include "storage/database.h"

namespace accord::registry {

// log_meta keys of a registry.
inline constexpr char kMetaFormat[] = "registry_format";
inline constexpr char kFormatV1[] = "accord-registry/1";
inline constexpr char kMetaNodeKeyFile[] = "signer_key_file";

struct Options {
  std::string iso_codes_dir = domain::ReferenceData::kDefaultIsoCodesDir;
  // Seconds since the epoch, for "logged at" times (tests fix it).
  std::function<int64_t()> clock;
  // Open the database read-only (storage::OpenMode::kReadOnly): nothing of
  // it changes, every write fails. Only for a registry opened not writable.
  bool read_only = false;
};

struct Recorded {
  uint64_t index = 0;
  std::string type;
  std::string subject;
};

struct RecordResult {
  std::vector<Recorded> recorded;
  std::vector<Refusal> refused;  // only with keep_going
};

class Registry {
 public:
  // Parsed entity documents, by (kind, id); nullopt records "no such entity".
  using DocCache = std::map<std::pair<std::string, std::string>, std::optional<nlohmann::json>>;

  // `db_path` is a --db locator (storage/database.h): a file path for SQLite.
  // Creates a new registry database whose log is keyed by `node_key`; the path of
  // the key file is remembered so that later writes can sign checkpoints.
  static Status Create(const std::string& db_path, std::string_view origin,
                       const note::Signer& node_key, const std::string& node_key_file);
  // Creates a new registry database that mirrors the log whose key is
  // `log_key`, followed from `source` (log/mirror.h): no key of its own, no
  // checkpoint until the first verified one; Open(writable) refuses it.
  static Status CreateMirror(const std::string& db_path, const note::VerifierKey& log_key,
                             const std::string& source);
  // Opens a registry. With `writable`, loads the node key from the file
  // recorded at creation (appending signs checkpoints with it).
  static Result<std::unique_ptr<Registry>> Open(const std::string& db_path, bool writable,
                                                Options options = {});

  // Records `items` (parsed by ParseSubmissions). Unsigned events are signed
  // with `signer` (which must be a key the rules accept for them). Without `keep_going` the
  // first refused event refuses the whole batch and nothing is appended; with
  // it, the valid events are appended and the refused ones listed.
  Result<RecordResult> Record(const std::vector<Submission>& items, const note::Signer* signer,
                              bool keep_going);

  // For a mirror (log::ApplyFn): replays leaves [first, ...), authenticated
  // against `checkpoint`, into the projections (every signature and rule
  // checked, as Rebuild does) and appends them with Log::AppendVerified, all
  // in one transaction. A refused entry sets `bad_index` (if given); nothing
  // of the batch is written on any error.
  Status AppendMirrored(uint64_t first, std::span<const std::string> leaves,
                        const std::string& checkpoint, uint64_t* bad_index);
  // The URL this registry mirrors, or nullopt if it is no mirror.
  const std::optional<std::string>& mirror_of() const { return mirror_of_; }

  // Replays the whole log into fresh projection tables, verifying every
  // event's signature and rule again. Returns the number of events.
  Result<uint64_t> Rebuild();
  // Replays the log into fresh projections in a scratch database in memory
  // (storage::CreateScratchDatabase) and compares the digests: OK if the
  // stored projections are exactly what the log implies. Writes nothing to
  // the registry's database, so it works on one opened read-only.
  Status CheckProjections();
  // The digest of all projection tables.
  Result<std::string> Digest();

  Result<std::optional<nlohmann::json>> Get(std::string_view kind, std::string_view id);
  Result<std::vector<nlohmann::json>> List(std::string_view kind);
  // One page of List: at most `limit` documents of `kind` whose ids come
  // after `after`, in id order, matching every filter (storage::DocFilter);
  // read with one keyset query.
  Result<std::vector<nlohmann::json>> ListPage(std::string_view kind,
                                               const std::optional<std::string>& after,
                                               const std::vector<storage::DocFilter>& filters,
                                               size_t limit);
  Result<std::vector<storage::EventIndexRow>> History(std::string_view subject);
  // The event recorded at log index `index`.
  Result<nlohmann::json> EventAt(uint64_t index);

  // The projection store, for reports that aggregate its typed tables
  // (domain::RowTables()) with EntityStore::SumRows.
  storage::EntityStore& projections() { return *entities_; }
  log::Log& log() { return *log_; }
  const domain::ReferenceData& reference() const { return ref_; }
  const domain::RuleContext& rule_context() const { return ctx_; }

 private:
  Registry() = default;
  // Replays the whole log into `into` (cleared first), which is this
  // registry's projections or a scratch store.
  Status Replay(storage::EntityStore& into);
  int64_t Now() const;

  static constexpr uint64_t kNoCache = ~uint64_t{0};
  static constexpr size_t kMaxCachedDocs = 200000;
  // Documents as of log size cache_log_size_ (kNoCache: none are valid).
  DocCache doc_cache_;
  uint64_t cache_log_size_ = kNoCache;

  Options options_;
  std::unique_ptr<storage::Database> db_;
  storage::LogStore* store_ = nullptr;        // db_->log()
  storage::EntityStore* entities_ = nullptr;  // db_->entities(): same transactions

  std::optional<std::string> mirror_of_;
  std::unique_ptr<note::Signer> node_key_;
  std::unique_ptr<log::Log> log_;
  domain::ReferenceData ref_;
  domain::RuleContext ctx_;
};

}  // namespace accord::registry
