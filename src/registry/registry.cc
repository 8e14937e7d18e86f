#include "registry/registry.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <unordered_set>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "domain/envelope.h"
#include "note/signer_file.h"
#include "registry/dry_run.h"
#include "util/encoding.h"

namespace accord::registry {
namespace {

using nlohmann::json;

// Reads entity documents from the projection tables, parsing each at most
// once while `cache` (if given) is valid: the caller guarantees that the
// stored state does not change behind it (the batch's own changes live in
// an OverlayState above it, and Registry::Record updates the cache itself
// after a commit).
class StoredState : public domain::StateReader {
 public:
  explicit StoredState(storage::EntityStore& store, Registry::DocCache* cache = nullptr)
      : store_(store), cache_(cache) {}
  Result<std::optional<json>> Get(std::string_view kind, std::string_view id) override {
    std::pair<std::string, std::string> key(kind, id);
    if (cache_ != nullptr) {
      auto it = cache_->find(key);
      if (it != cache_->end()) return it->second;
    }
    ASSIGN_OR_RETURN(std::optional<std::string> doc, store_.Get(kind, id));
    ASSIGN_OR_RETURN(std::optional<json> parsed, Parse(kind, id, doc));
    if (cache_ != nullptr) cache_->emplace(std::move(key), parsed);
    return parsed;
  }

  // Reads the documents of `keys` (kind, id) not cached yet into the cache,
  // one query per kind: what Get would read one at a time.
  Status Prefetch(const std::set<std::pair<std::string, std::string>>& keys) {
    if (cache_ == nullptr) return Status::Ok();
    std::map<std::string, std::vector<std::string>> by_kind;
    for (const auto& key : keys) {
      if (!cache_->contains(key)) by_kind[key.first].push_back(key.second);
    }
    for (const auto& [kind, ids] : by_kind) {
      ASSIGN_OR_RETURN(auto docs, store_.GetMany(kind, ids));
      for (size_t i = 0; i < ids.size(); ++i) {
        ASSIGN_OR_RETURN(std::optional<json> parsed, Parse(kind, ids[i], docs[i]));
        cache_->emplace(std::pair(kind, ids[i]), std::move(parsed));
      }
    }
    return Status::Ok();
  }

 private:
  static Result<std::optional<json>> Parse(std::string_view kind, std::string_view id,
                                           const std::optional<std::string>& doc) {
    if (!doc) return std::optional<json>();
    json j = json::parse(*doc, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      return Status::Corruption("stored " + std::string(kind) + " " + std::string(id) +
                                " is not valid JSON");
    }
    return std::optional<json>(std::move(j));
  }

  storage::EntityStore& store_;
  Registry::DocCache* cache_;
};

// An event checked and decided, ready to append.
struct Prepared {
  domain::Event event;
  std::string leaf;
  std::vector<domain::Change> changes;
  std::string hash;  // EventHash
};

// The event index of replays: the hex SHA-256 of an event's signed message,
// to the log index of its first occurrence. A projection like the others
// (rebuilt, digested), kept in a typed table so every backend has it.
constexpr char kEventHashTable[] = "event_hashes";

std::string EventHash(const std::string& signing_message) {
  return HexEncode(AsBytes(Sha256(signing_message)));
}

// The index of the event whose signed message hashes to `hash`, if logged.
Result<std::optional<uint64_t>> FindEvent(storage::EntityStore& store, const std::string& hash) {
  ASSIGN_OR_RETURN(auto cursor, store.OpenRows(kEventHashTable, {"idx"},
                                               {{"hash", storage::RowCondition::Op::kEq, hash}}));
  std::vector<storage::RowValue> row;
  ASSIGN_OR_RETURN(bool found, cursor->Next(row));
  if (!found || !std::holds_alternative<int64_t>(row[0])) return std::optional<uint64_t>();
  return std::optional<uint64_t>(static_cast<uint64_t>(std::get<int64_t>(row[0])));
}

// The indexes of those of `hashes` already logged, in one query.
Result<std::map<std::string, uint64_t>> FindEvents(storage::EntityStore& store,
                                                   const std::vector<std::string>& hashes) {
  std::map<std::string, uint64_t> logged;
  if (hashes.empty()) return logged;
  std::vector<storage::RowValue> values(hashes.begin(), hashes.end());
  ASSIGN_OR_RETURN(auto cursor,
                   store.OpenRows(kEventHashTable, {"hash", "idx"},
                                  {{"hash", storage::RowCondition::Op::kIn, {}, values}}));
  std::vector<storage::RowValue> row;
  for (;;) {
    ASSIGN_OR_RETURN(bool found, cursor->Next(row));
    if (!found) break;
    if (row.size() == 2 && std::holds_alternative<std::string>(row[0]) &&
        std::holds_alternative<int64_t>(row[1])) {
      logged.emplace(std::get<std::string>(row[0]),
                     static_cast<uint64_t>(std::get<int64_t>(row[1])));
    }
  }
  return logged;
}

// How many submissions Record reads ahead for at once (FindEvents,
// StoredState::Prefetch).
constexpr size_t kReadAheadWindow = 256;

Status ReplayRefusal(uint64_t index) {
  return Status::AlreadyExists("this event is already in the log at index " +
                               std::to_string(index) + " (a replay appends nothing)");
}

// Writes the changes of event `idx` to the projections.
Status Project(storage::EntityStore& store, const domain::Event& e,
               const std::vector<domain::Change>& changes, uint64_t idx,
               const std::string& logged_at) {
  for (const domain::Change& c : changes) {
    ASSIGN_OR_RETURN(std::string doc, domain::CanonicalJson(c.doc));
    RETURN_IF_ERROR(store.Put(c.kind, c.id, doc, idx));
    for (const domain::Row& row : c.rows) RETURN_IF_ERROR(store.PutRow(row.table, row.values));
  }
  return store.IndexEvent({idx, e.type, e.subject, e.party, e.time, logged_at});
}

// The bound of a replay's document cache (Record's is Registry::kMaxCachedDocs).
constexpr size_t kMaxReplayCachedDocs = 200000;

// Replays log entry `idx` into `into`, reading the state through `state`
// (which must see what `into` has written): parse, check the signature and
// the rules, project. Corruption naming the entry if any check fails.
// `written`, if given, is the cache `state` reads through: the entry's
// changes are written to it too. `fresh_hashes`, if given, holds the first
// 8 bytes of every event hash in `into`'s index (which the caller cleared
// before the first entry), so that only a prefix seen before costs a query.
Status ReplayEntry(const domain::RuleContext& ctx, domain::StateReader& state,
                   Registry::DocCache* written, std::unordered_set<uint64_t>* fresh_hashes,
                   storage::EntityStore& into, uint64_t idx, std::string_view data) {
  auto fail = [&](const Status& s) {
    return Status::Corruption("log entry " + std::to_string(idx) + ": " + s.message());
  };
  auto leaf = domain::ParseLeaf(data);
  if (!leaf.ok()) return fail(leaf.status());
  auto event = domain::ParseEvent(leaf->event);
  if (!event.ok()) return fail(event.status());
  auto key = domain::SignerKey(ctx, state, *event, leaf->key_id, leaf->logged_at.substr(0, 10));
  if (!key.ok()) return fail(key.status());
  std::string message = domain::SigningMessage(*event);
  if (!Ed25519Verify(*key, message, leaf->signature)) {
    return fail(Status::VerificationFailed("the event's signature does not verify"));
  }
  auto changes = domain::Decide(ctx, state, *event, idx);
  if (!changes.ok()) return fail(changes.status());
  RETURN_IF_ERROR(Project(into, *event, *changes, idx, leaf->logged_at));
  if (written != nullptr) {
    if (written->size() > kMaxReplayCachedDocs) written->clear();
    for (domain::Change& c : *changes) (*written)[{c.kind, c.id}] = std::move(c.doc);
  }
  // A log written before replays were refused may hold one twice: the
  // index keeps the first.
  std::string hash = EventHash(message);
  if (fresh_hashes == nullptr ||
      !fresh_hashes->insert(std::stoull(hash.substr(0, 16), nullptr, 16)).second) {
    ASSIGN_OR_RETURN(std::optional<uint64_t> logged, FindEvent(into, hash));
    if (logged) return Status::Ok();
  }
  return into.PutRow(kEventHashTable, {hash, static_cast<int64_t>(idx)});
}

// Declares the domain's typed projection tables, and the event hashes, to
// the store.
Status DefineRowTables(storage::EntityStore& store) {
  for (const domain::RowTableSpec& t : domain::RowTables()) {
    storage::RowTable table{t.name, {}, t.key_columns};
    for (const auto& [name, integer] : t.columns) table.columns.push_back({name, integer});
    RETURN_IF_ERROR(store.DefineTable(table));
  }
  return store.DefineTable({kEventHashTable, {{"hash", false}, {"idx", true}}, 1});
}

}  // namespace

Status Registry::CreateMirror(const std::string& db_path, const note::VerifierKey& log_key,
                              const std::string& source) {
  ASSIGN_OR_RETURN(auto db, storage::CreateDatabase(db_path));
  RETURN_IF_ERROR(log::Log::InitializeMirror(db->log(), log_key, source));
  storage::EntityStore& entities = db->entities();
  ASSIGN_OR_RETURN(auto txn, db->log().BeginWrite());
  RETURN_IF_ERROR(entities.EnsureSchema());
  RETURN_IF_ERROR(DefineRowTables(entities));
  RETURN_IF_ERROR(txn->PutMeta(kMetaFormat, kFormatV1));
  return txn->Commit();
}

Status Registry::AppendMirrored(uint64_t first, std::span<const std::string> leaves,
                                const std::string& checkpoint, uint64_t* bad_index) {
  doc_cache_.clear();
  cache_log_size_ = kNoCache;
  auto appended =
      log_->AppendVerified(leaves, checkpoint, [&](storage::LogWriteTxn&, uint64_t at) -> Status {
        if (at != first) {
          return Status::FailedPrecondition("the mirror holds " + std::to_string(at) +
                                            " entries, not " + std::to_string(first) +
                                            " (is another `accord mirror` running on it?)");
        }
        StoredState state(*entities_);  // reads what the batch has written
        for (size_t i = 0; i < leaves.size(); ++i) {
          Status s = ReplayEntry(ctx_, state, nullptr, nullptr, *entities_, first + i, leaves[i]);
          if (!s.ok()) {
            if (bad_index != nullptr && s.code() == StatusCode::kCorruption) {
              *bad_index = first + i;
            }
            return s;
          }
        }
        return Status::Ok();
      });
  return appended.status();
}

Status Registry::Create(const std::string& db_path, std::string_view origin,
                        const note::Signer& node_key, const std::string& node_key_file) {
  ASSIGN_OR_RETURN(auto db, storage::CreateDatabase(db_path));
  RETURN_IF_ERROR(log::Log::Initialize(db->log(), origin, node_key));
  storage::EntityStore& entities = db->entities();
  ASSIGN_OR_RETURN(auto txn, db->log().BeginWrite());
  RETURN_IF_ERROR(entities.EnsureSchema());
  RETURN_IF_ERROR(DefineRowTables(entities));
  RETURN_IF_ERROR(txn->PutMeta(kMetaFormat, kFormatV1));
  RETURN_IF_ERROR(txn->PutMeta(kMetaNodeKeyFile, node_key_file));
  return txn->Commit();
}

Result<std::unique_ptr<Registry>> Registry::Open(const std::string& db_path, bool writable,
                                                 Options options) {
  std::unique_ptr<Registry> r(new Registry());
  r->options_ = std::move(options);
  if (writable && r->options_.read_only) {
    return Status::InvalidArgument("a registry opened read-only cannot be writable");
  }
  ASSIGN_OR_RETURN(r->db_, storage::OpenDatabase(db_path, r->options_.read_only
                                                              ? storage::OpenMode::kReadOnly
                                                              : storage::OpenMode::kReadWrite));
  r->store_ = &r->db_->log();
  r->entities_ = &r->db_->entities();
  ASSIGN_OR_RETURN(std::optional<std::string> format, r->store_->GetMeta(kMetaFormat));
  if (!format || *format != kFormatV1) {
    return Status::InvalidArgument(db_path +
                                   " is a bare log, not an Accord registry (create one "
                                   "with `accord init`)");
  }
  ASSIGN_OR_RETURN(r->mirror_of_, r->store_->GetMeta(log::kMetaMirrorOf));
  if (writable && r->mirror_of_) {
    return Status::FailedPrecondition(db_path + " is a read-only mirror of " + *r->mirror_of_ +
                                      " (kept by `accord mirror`): it records no events; send "
                                      "them to the sequencer");
  }
  if (writable) {
    ASSIGN_OR_RETURN(std::optional<std::string> key_file, r->store_->GetMeta(kMetaNodeKeyFile));
    if (!key_file) return Status::Corruption("no node key recorded in " + db_path);
    auto signer = note::LoadSignerFile(*key_file);
    if (!signer.ok()) return signer.status().WithContext("node key " + *key_file);
    r->node_key_ = std::make_unique<note::Signer>(std::move(signer).value());
  }
  ASSIGN_OR_RETURN(r->log_, log::Log::Open(*r->store_, r->node_key_.get()));
  RETURN_IF_ERROR(DefineRowTables(*r->entities_));
  ASSIGN_OR_RETURN(r->ref_, domain::ReferenceData::Load(r->options_.iso_codes_dir));
  r->ctx_.ref = &r->ref_;
  r->ctx_.registry_key_id = r->log_->verifier().key_id;
  r->ctx_.registry_public_key = r->log_->verifier().public_key;
  return r;
}

int64_t Registry::Now() const {
  return options_.clock ? options_.clock() : static_cast<int64_t>(std::time(nullptr));
}

namespace {

// Prepares the events of one batch (Record and DryRun): signs or verifies
// each, refuses replays (in the log, or earlier in the batch), and decides it
// against the state as the earlier events of the batch leave it.
class BatchPreparer {
 public:
  BatchPreparer(const domain::RuleContext& ctx, storage::EntityStore& entities,
                const note::Signer* signer, int64_t now)
      : ctx_(ctx),
        entities_(entities),
        signer_(signer),
        now_(now),
        logged_at_(domain::FormatRfc3339(now)) {}

  const std::string& logged_at() const { return logged_at_; }

  Result<Prepared> Prepare(const Submission& item, domain::StateReader& state, uint64_t index) {
    if (item.parsed == nullptr) {
      return Status::Internal("an event reached Record unparsed (use ParseSubmissions)");
    }
    domain::Event event = *item.parsed;
    if (event.time_unix > now_ + 86400) {
      return Status::InvalidArgument("time: " + event.time + " is in the future (now " +
                                     logged_at_ + ")");
    }
    uint32_t key_id = 0;
    if (item.is_signed()) {
      key_id = item.key_id;
    } else if (signer_ != nullptr) {
      key_id = signer_->key_id();
    } else {
      return Status::InvalidArgument(
          R"(the event carries no "key" and "sig", and no signing key was given (--key))");
    }
    ASSIGN_OR_RETURN(std::string public_key,
                     domain::SignerKey(ctx_, state, event, key_id, logged_at_.substr(0, 10)));
    const std::string message = domain::SigningMessage(event);
    std::string signature;
    if (item.is_signed()) {
      if (!item.signed_here && !Ed25519Verify(public_key, message, item.signature)) {
        return Status::VerificationFailed("sig: the signature does not verify with key " +
                                          domain::KeyIdHex(key_id) + " of " + event.party);
      }
      signature = item.signature;
    } else {
      if (signer_->Verifier().public_key != public_key) {
        return Status::FailedPrecondition("key: the signing key " + signer_->name() +
                                          " is not the registered key " + domain::KeyIdHex(key_id));
      }
      Submission signed_item = item;
      SignSubmission(*signer_, signed_item);
      signature = std::move(signed_item.signature);
    }
    // A replay: the same signed content (whatever key or signature comes
    // with it) already logged, or earlier in this batch.
    std::string hash = EventHash(message);
    if (auto it = batch_hashes_.find(hash); it != batch_hashes_.end()) {
      return Status::AlreadyExists("this event repeats " + LineContext(it->second) +
                                   " of the same input (a replay appends nothing)");
    }
    if (auto it = logged_hashes_.find(hash); it != logged_hashes_.end()) {
      return ReplayRefusal(it->second);
    }
    ASSIGN_OR_RETURN(std::vector<domain::Change> changes,
                     domain::Decide(ctx_, state, event, index));
    // Ids made from the body (an item from a serial number, ...) keep to
    // the same alphabet as subjects.
    for (const domain::Change& c : changes) {
      if (!domain::IsSafeId(c.id)) {
        return Status::InvalidArgument("the event would create " + c.kind + " \"" + c.id +
                                       "\", which is not a safe id (segments separated by '/', "
                                       "each of ASCII letters, digits, '-', '_', '.' and ':', "
                                       "not starting with '.')");
      }
    }
    ASSIGN_OR_RETURN(std::string leaf, domain::MakeLeaf(event, key_id, signature, logged_at_));
    batch_hashes_.emplace(hash, item.line);
    return Prepared{std::move(event), std::move(leaf), std::move(changes), std::move(hash)};
  }

  // Reads what preparing items [begin, end) asks the store, one query per
  // table rather than one per event (on PostgreSQL each is a round trip):
  // which of them are logged already, and their subjects' documents. The
  // store does not change until every item is prepared, so what is read
  // ahead stays true.
  Status ReadAhead(const std::vector<Submission>& items, size_t begin, size_t end,
                   StoredState& stored) {
    std::vector<std::string> hashes;
    std::set<std::pair<std::string, std::string>> subjects;
    for (size_t i = begin; i < end; ++i) {
      if (items[i].parsed == nullptr) continue;
      const domain::Event& e = *items[i].parsed;
      hashes.push_back(EventHash(domain::SigningMessage(e)));
      subjects.emplace(e.subject_kind(), e.subject_id());
    }
    ASSIGN_OR_RETURN(auto logged, FindEvents(entities_, hashes));
    logged_hashes_.merge(logged);
    return stored.Prefetch(subjects);
  }

 private:
  const domain::RuleContext& ctx_;
  storage::EntityStore& entities_;
  const note::Signer* signer_;
  const int64_t now_;
  const std::string logged_at_;
  // Event hashes of this batch so far, to their input lines.
  std::map<std::string, size_t> batch_hashes_;
  // Of the events read ahead so far, those already logged.
  std::map<std::string, uint64_t> logged_hashes_;
};

}  // namespace

Result<RecordResult> Registry::Record(const std::vector<Submission>& items,
                                      const note::Signer* signer, bool keep_going) {
  RecordResult result;
  BatchPreparer preparer(ctx_, *entities_, signer, Now());
  const std::string& logged_at = preparer.logged_at();

  // The documents the batch writes, to update the cache after the commit.
  std::vector<domain::Change> written;
  auto appended = log_->AppendProduced([&](storage::LogWriteTxn&,
                                           uint64_t first) -> Result<std::vector<std::string>> {
    // Parsed documents stay valid while nobody else appends.
    if (first != cache_log_size_ || doc_cache_.size() > kMaxCachedDocs) doc_cache_.clear();
    cache_log_size_ = kNoCache;  // until this batch has committed
    StoredState stored(*entities_, &doc_cache_);
    domain::OverlayState state(stored);
    std::vector<Prepared> ready;
    for (size_t i = 0; i < items.size(); ++i) {
      if (i % kReadAheadWindow == 0) {
        RETURN_IF_ERROR(
            preparer.ReadAhead(items, i, std::min(items.size(), i + kReadAheadWindow), stored));
      }
      const Submission& item = items[i];
      auto p = preparer.Prepare(item, state, first + ready.size());
      if (!p.ok()) {
        Status s = p.status().WithContext(LineContext(item.line));
        if (!keep_going) return s;
        result.refused.push_back({item.line, s});
        continue;
      }
      state.Apply(p->changes);
      ready.push_back(std::move(p).value());
    }
    std::vector<std::string> leaves;
    for (size_t i = 0; i < ready.size(); ++i) {
      RETURN_IF_ERROR(Project(*entities_, ready[i].event, ready[i].changes, first + i, logged_at));
      RETURN_IF_ERROR(
          entities_->PutRow(kEventHashTable, {ready[i].hash, static_cast<int64_t>(first + i)}));
      result.recorded.push_back({first + i, ready[i].event.type, ready[i].event.subject});
      leaves.push_back(std::move(ready[i].leaf));
      for (domain::Change& c : ready[i].changes) written.push_back(std::move(c));
    }
    return leaves;
  });
  if (!appended.ok()) {
    doc_cache_.clear();
    return appended.status();
  }
  for (domain::Change& c : written) doc_cache_[{c.kind, c.id}] = std::move(c.doc);
  cache_log_size_ = appended->first + appended->count;
  return result;
}

Result<DryRunResult> DryRun(Registry& registry, const std::vector<Submission>& items,
                            const note::Signer* signer, int64_t now) {
  BatchPreparer preparer(registry.rule_context(), registry.projections(), signer, now);
  ASSIGN_OR_RETURN(uint64_t first, registry.log().Size());
  // No cache: another connection may append between two dry runs.
  StoredState stored(registry.projections());
  domain::OverlayState state(stored);
  DryRunResult result;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i % kReadAheadWindow == 0) {
      RETURN_IF_ERROR(
          preparer.ReadAhead(items, i, std::min(items.size(), i + kReadAheadWindow), stored));
    }
    const uint64_t index = first + result.events.size();
    auto p = preparer.Prepare(items[i], state, index);
    if (!p.ok()) return p.status().WithContext(LineContext(items[i].line));
    state.Apply(p->changes);
    WouldRecord w{{index, p->event.type, p->event.subject}, {}};
    for (const domain::Change& c : p->changes) w.changes.push_back({c.kind, c.id, c.doc});
    result.events.push_back(std::move(w));
  }
  return result;
}

Status Registry::Replay(storage::EntityStore& into) {
  doc_cache_.clear();
  cache_log_size_ = kNoCache;
  RETURN_IF_ERROR(into.Clear());
  // It reads what it has just written: through a cache that each event's
  // changes update (as Record's does), so that a server backend answers
  // only the first read of each document. Bounded like Record's.
  DocCache cache;
  StoredState state(into, &cache);
  // The event hashes indexed so far, by their first 8 bytes: the table was
  // cleared above, so a hash it holds was put there by this replay, and only
  // a prefix seen before needs a query.
  std::unordered_set<uint64_t> hash_prefixes;
  ASSIGN_OR_RETURN(uint64_t n, store_->Size());
  return store_->ScanEntries(0, n, [&](uint64_t idx, std::string_view data) -> Status {
    return ReplayEntry(ctx_, state, &cache, &hash_prefixes, into, idx, data);
  });
}

Result<uint64_t> Registry::Rebuild() {
  ASSIGN_OR_RETURN(auto txn, store_->BeginWrite());
  RETURN_IF_ERROR(Replay(*entities_));
  RETURN_IF_ERROR(txn->Commit());
  return store_->Size();
}

Status Registry::CheckProjections() {
  ASSIGN_OR_RETURN(std::string before, entities_->Digest());
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Database> scratch, storage::CreateScratchDatabase());
  // One transaction for the whole replay (in memory, never committed).
  ASSIGN_OR_RETURN(auto txn, scratch->log().BeginWrite());
  RETURN_IF_ERROR(scratch->entities().EnsureSchema());
  RETURN_IF_ERROR(DefineRowTables(scratch->entities()));
  Status replay = Replay(scratch->entities());
  auto after = replay.ok() ? scratch->entities().Digest() : Result<std::string>(replay);
  txn->Rollback();
  if (!after.ok()) return after.status();
  if (*after != before) {
    return Status::Corruption("the projections differ from what the log implies (digest " + before +
                              ", replay gives " + *after + "); run `accord rebuild`");
  }
  return Status::Ok();
}

Result<std::string> Registry::Digest() {
  return entities_->Digest();
}

Result<std::optional<json>> Registry::Get(std::string_view kind, std::string_view id) {
  StoredState state(*entities_);
  return state.Get(kind, id);
}

Result<std::vector<json>> Registry::List(std::string_view kind) {
  std::vector<json> out;
  RETURN_IF_ERROR(entities_->List(kind, [&](std::string_view, std::string_view doc) {
    json j = json::parse(doc, nullptr, false);
    if (j.is_discarded()) return Status::Corruption("stored " + std::string(kind) + " is not JSON");
    out.push_back(std::move(j));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<json>> Registry::ListPage(std::string_view kind,
                                             const std::optional<std::string>& after,
                                             const std::vector<storage::DocFilter>& filters,
                                             size_t limit) {
  ASSIGN_OR_RETURN(std::vector<storage::EntityRow> rows,
                   entities_->ListPage(kind, after, filters, limit));
  std::vector<json> out;
  out.reserve(rows.size());
  for (const storage::EntityRow& row : rows) {
    json j = json::parse(row.doc, nullptr, false);
    if (j.is_discarded()) return Status::Corruption("stored " + std::string(kind) + " is not JSON");
    out.push_back(std::move(j));
  }
  return out;
}

Result<std::vector<storage::EventIndexRow>> Registry::History(std::string_view subject) {
  return entities_->EventsAbout(subject);
}

Result<json> Registry::EventAt(uint64_t index) {
  ASSIGN_OR_RETURN(std::vector<std::string> entries, store_->ReadEntries(index, index + 1));
  ASSIGN_OR_RETURN(domain::Leaf leaf, domain::ParseLeaf(entries[0]));
  return json{{"index", index},
              {"event", leaf.event},
              {"key", domain::KeyIdHex(leaf.key_id)},
              {"logged_at", leaf.logged_at}};
}

}  // namespace accord::registry
