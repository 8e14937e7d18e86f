// The `accord` command line. This is the only file that includes CLI11.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <deque>
#include <iostream>
#include <map>
#include <tuple>

#include "cli/commands.h"
#include "cli/delivery_views.h"
#include "cli/eum_commands.h"
#include "cli/io.h"
#include "cli/mirror_command.h"
#include "cli/report_commands.h"
#include "cli/serve_commands.h"
#include "cli/sipri_commands.h"
#include "cli/witness_commands.h"
#include "registry/reports.h"

namespace {

using namespace accord::cli;

void AddLogCommands(CLI::App& app, int& rc) {
  CLI::App* log = app.add_subcommand("log", "The verifiable log: append, prove, verify");
  log->require_subcommand(1);

  static LogInitOptions init;
  auto* c = log->add_subcommand("init", "Create a new log in a database file");
  c->add_option("--db", init.db, "Log to create: an SQLite file or a postgresql:// URI")
      ->required();
  c->add_option("--origin", init.origin, "Checkpoint origin line, e.g. example.org/accord")
      ->required();
  c->add_option("--key", init.key, "The log's signing key (.skey)")->required();
  c->callback([&] { rc = RunLogInit(init); });

  static LogAppendOptions append;
  c = log->add_subcommand("append", "Append each input line as one leaf; print the new indexes");
  c->add_option("--db", append.db, "Log: an SQLite file or a postgresql:// URI")->required();
  c->add_option("--key", append.key, "Signing key (default: the one given at init)");
  c->add_flag("--hex", append.hex, "Each line is the hex of the leaf's bytes");
  c->add_option("input", append.input, "Input file, or - for standard input")
      ->capture_default_str();
  c->callback([&] { rc = RunLogAppend(append); });

  static LogRootOptions root;
  static uint64_t root_size = 0;
  c = log->add_subcommand("root", "Print the hex Merkle root of the first N leaves");
  c->add_option("--db", root.db, "Log: an SQLite file or a postgresql:// URI")->required();
  auto* size_opt = c->add_option("--size", root_size, "Tree size N (default: all leaves)");
  c->callback([&, size_opt] {
    if (size_opt->count()) root.size = root_size;
    rc = RunLogRoot(root);
  });

  static LogProveOptions prove;
  static uint64_t prove_size = 0;
  c = log->add_subcommand("prove", "Print an inclusion proof as JSON");
  c->add_option("--db", prove.db, "Log: an SQLite file or a postgresql:// URI")->required();
  c->add_option("--index", prove.index, "Leaf index")->required();
  auto* psize = c->add_option("--size", prove_size, "Tree size (default: all leaves)");
  c->callback([&, psize] {
    if (psize->count()) prove.size = prove_size;
    rc = RunLogProve(prove);
  });

  static LogConsistencyOptions cons;
  static uint64_t cons_to = 0;
  c = log->add_subcommand("consistency", "Print a consistency proof as JSON");
  c->add_option("--db", cons.db, "Log: an SQLite file or a postgresql:// URI")->required();
  c->add_option("--from", cons.from, "Older tree size")->required();
  auto* to = c->add_option("--to", cons_to, "Newer tree size (default: all leaves)");
  c->callback([&, to] {
    if (to->count()) cons.to = cons_to;
    rc = RunLogConsistency(cons);
  });

  static VerifyProofOptions vp;
  c = log->add_subcommand("verify-proof",
                          "Verify an inclusion or consistency proof JSON file (exit 0 valid, 1 "
                          "invalid, 2 malformed)");
  c->add_option("file", vp.file, "Proof file (JSON), or - for standard input")->required();
  c->callback([&] { rc = RunVerifyProof(vp); });

  static LogCheckpointOptions cp;
  c = log->add_subcommand("checkpoint", "Print the latest signed checkpoint");
  c->add_option("--db", cp.db, "Log: an SQLite file or a postgresql:// URI")->required();
  c->callback([&] { rc = RunLogCheckpoint(cp); });

  static LogVerifyOptions lv;
  c = log->add_subcommand("verify",
                          "Recompute the tree from every entry, check stored hashes and every "
                          "stored checkpoint (read-only: changes no file)");
  c->add_option("--db", lv.db, "Log: an SQLite file or a postgresql:// URI")->required();
  c->add_option("--vkey", lv.vkeys, "Trusted verifier key(s) (default: the log's own)")
      ->allow_extra_args(false);
  c->add_option("--policy", lv.policy,
                "C2SP tlog-policy file: the latest checkpoint must also meet its quorum");
  c->callback([&] { rc = RunLogVerify(lv); });

  static LogCosignOptions cs;
  c = log->add_subcommand("cosign",
                          "Add a cosignature (C2SP tlog-cosignature v1) to the latest "
                          "checkpoint");
  c->add_option("--db", cs.db, "Log: an SQLite file or a postgresql:// URI")->required();
  c->add_option("--key", cs.key, "The cosigner's signing key (.skey)")->required();
  c->callback([&] { rc = RunLogCosign(cs); });
}

void AddKeyCommands(CLI::App& app, int& rc) {
  static KeygenOptions kg;
  auto* c =
      app.add_subcommand("keygen", "Generate an Ed25519 key pair: DIR/NAME.skey, DIR/NAME.vkey");
  c->add_option("name", kg.name, "Key name, e.g. example.org/log")->required();
  c->add_option("--out", kg.out_dir, "Output directory")->capture_default_str();
  c->callback([&] { rc = RunKeygen(kg); });

  CLI::App* key = app.add_subcommand("key", "Inspect keys");
  key->require_subcommand(1);
  static KeyVkeyOptions kv;
  c = key->add_subcommand("vkey", "Print the verifier key of a signing key");
  c->add_option("skey", kv.skey, "Signing key file")->required();
  c->add_flag("--cosigner", kv.cosigner, "The key as a tlog-cosignature/v1 cosigner (type 0x04)");
  c->callback([&] { rc = RunKeyVkey(kv); });

  CLI::App* note = app.add_subcommand("note", "Sign and verify C2SP signed notes");
  note->require_subcommand(1);
  static NoteSignOptions ns;
  c = note->add_subcommand("sign", "Sign a note text (must end in a newline)");
  c->add_option("--key", ns.key, "Signing key (.skey)")->required();
  c->add_option("input", ns.input, "Input file, or - for standard input")->capture_default_str();
  c->callback([&] { rc = RunNoteSign(ns); });

  static NoteVerifyOptions nv;
  c = note->add_subcommand("verify", "Verify a signed note; print its text");
  c->add_option("--vkey", nv.vkeys, "Trusted verifier key(s)")->required()->allow_extra_args(false);
  c->add_option("input", nv.input, "Input file, or - for standard input")->capture_default_str();
  c->callback([&] { rc = RunNoteVerify(nv); });
}

void AddRegistryCommands(CLI::App& app, int& rc) {
  static InitOptions init;
  auto* c = app.add_subcommand("init", "Create an empty registry (and the node's key beside it)");
  c->add_option("--db", init.db, "Registry to create: an SQLite file or a postgresql:// URI")
      ->required();
  c->add_option("--origin", init.origin,
                "Log origin / node key name (default accord.local/<name>)");
  c->add_option("--key-dir", init.key_dir,
                "For a postgresql:// --db: where the node key goes (default: current directory)");
  c->callback([&] { rc = RunInit(init); });

  static RecordOptions rec;
  c = app.add_subcommand("record",
                         "Validate, sign and append events: one JSON object or NDJSON, all or "
                         "nothing unless --continue");
  c->add_option("--db", rec.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->add_option("--key", rec.key, R"(Signing key for events without "key" and "sig")");
  c->add_flag("--continue", rec.keep_going, "Append the valid events and list the refused ones");
  c->add_option("input", rec.input, "Input file, or - for standard input")->capture_default_str();
  c->callback([&] { rc = RunRecord(rec); });

  static DbOptions rebuild;
  c = app.add_subcommand("rebuild", "Replay the log into fresh projection tables");
  c->add_option("--db", rebuild.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->callback([&] { rc = RunRebuild(rebuild); });

  static DbOptions digest;
  c = app.add_subcommand("digest", "Print one hash over the content of every projection table");
  c->add_option("--db", digest.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->callback([&] { rc = RunDigest(digest); });

  static MigrateOptions migrate;
  c = app.add_subcommand("migrate",
                         "Copy a registry to an empty database (SQLite file or postgresql:// URI), "
                         "rebuild its projections and check both sides agree");
  c->add_option("--from", migrate.from, "Source registry: an SQLite file or a postgresql:// URI")
      ->required();
  c->add_option("--to", migrate.to,
                "Destination: a new SQLite file or an empty PostgreSQL database")
      ->required();
  c->add_option("--batch", migrate.batch, "Log entries per transaction")->capture_default_str();
  c->callback([&] { rc = RunMigrate(migrate); });

  static VerifyOptions verify;
  c = app.add_subcommand("verify",
                         "Verify the log, every event's signature and rules, every stored "
                         "checkpoint, and that the projections match the log (read-only: "
                         "changes no file)");
  c->add_option("--db", verify.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->add_option("--checkpoint", verify.checkpoints,
                "A checkpoint of this log kept elsewhere (a witness's, a mirror's, a cosigned "
                "copy): the log must hold it (repeatable)");
  c->callback([&] { rc = RunVerify(verify); });

  static ShowOptions show;
  c = app.add_subcommand("show", "Show " + ShowLists("|") + ", contract ID, or dvc SHIPMENT");
  c->add_option("what", show.what, "What to show")->required();
  c->add_option("id", show.id, "The contract's id (for `show contract ID`)");
  c->add_option("--db", show.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->add_flag("--json", show.json, "JSON instead of a table");
  c->add_option("--contract", show.contract, "Only those of this contract");
  c->add_option("--product", show.product, "Only those of this product");
  c->add_option("--state", show.state, "Only those in this state (items) or status");
  c->add_option("--unit", show.unit, "Only items held by this unit");
  c->callback([&] { rc = RunShow(show); });

  static TraceOptions trace;
  c = app.add_subcommand("trace",
                         "An item's whole chain of custody, each step with its log index and an "
                         "inclusion proof against the current checkpoint");
  c->add_option("product", trace.product, "Product id, e.g. mi-35m")->required();
  c->add_option("serial", trace.serial, "Serial number")->required();
  c->add_option("--db", trace.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->add_flag("--json", trace.json, "JSON with the proofs");
  c->callback([&] { rc = RunTrace(trace); });

  static EventsOptions events;
  c = app.add_subcommand("events", "List every event type with its subject and body fields");
  c->add_flag("--json", events.json, "JSON");
  c->add_flag("--markdown", events.markdown, "Markdown (docs/EVENTS.md)");
  c->callback([&] { rc = RunEvents(events); });

  static DemoOptions demo;
  c = app.add_subcommand("demo",
                         "Create a registry holding the demo scenario (the 2016 RU-UZ treaty)");
  c->add_option("--db", demo.db, "Registry to create: an SQLite file or a postgresql:// URI")
      ->required();
  c->add_flag("--force", demo.force, "Replace an existing registry and its keys");
  c->add_option("--key-dir", demo.key_dir,
                "For a postgresql:// --db: where the node and party keys go (default: current "
                "directory)");
  c->callback([&] { rc = RunDemo(demo); });
}

void AddServeCommands(CLI::App& app, int& rc) {
  static ServeOptions serve;
  auto* c = app.add_subcommand("serve", "Serve the REST/JSON API under /v1 (until SIGINT/SIGTERM)");
  c->add_option("--db", serve.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->add_option("--listen", serve.listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  c->add_option("--tls-cert", serve.tls_cert, "TLS certificate (PEM); needs --tls-key");
  c->add_option("--tls-key", serve.tls_key, "TLS private key (PEM)");
  c->add_option("--party-keys", serve.party_keys,
                "Directory of <party>.skey files: the node signs its users' events with them");
  c->add_option("--static", serve.static_dir, "Directory of web UI files served under /");
  c->add_option("--threads", serve.threads, "Worker threads (= concurrent connections)")
      ->capture_default_str();
  c->add_option("--rate", serve.rate, "Requests per second per token (0: unlimited)")
      ->capture_default_str();
  c->add_option("--burst", serve.burst, "Burst of requests per token")->capture_default_str();
  c->add_option("--max-body", serve.max_body, "Largest request body in bytes")
      ->capture_default_str();
  c->add_flag("--no-group-commit", serve.no_group_commit,
              "One transaction per request (for comparison)");
  c->add_flag("--public-reports", serve.public_reports,
              "Serve the aggregate (observer-level) reports under /v1/reports without a token");
  c->add_option("--read-db", serve.read_db,
                "A PostgreSQL hot standby of --db (postgresql:// URI): GET requests read there");
  c->add_option("--witness-key", serve.witness_key,
                "Witness signing key (.skey, not the log's key): serve POST /tlog/add-checkpoint");
  c->add_option("--witness-log", serve.witness_logs,
                "Verifier key (.vkey) of a log to witness; repeat for several");
  c->add_flag("--insecure-http", serve.insecure_http,
              "Serve plain HTTP on an address other than loopback (e.g. behind a TLS proxy)");
  c->add_option("--policy", serve.policy,
                "C2SP tlog-policy file: after each commit, ask its witnesses (witness NAME VKEY "
                "URL) to cosign the checkpoint and keep their cosignatures with it");
  c->add_option("--cosign-timeout", serve.cosign_timeout,
                "Seconds one witness gets to answer add-checkpoint, its retry after a 409 "
                "included (gathering runs beside the writes, never holding them up)")
      ->check(CLI::Range(0.001, 3600.0))
      ->capture_default_str();
  c->callback([&] { rc = RunServe(serve); });

  CLI::App* witness = app.add_subcommand("witness", "The witness's records (tlog-witness)");
  witness->require_subcommand(1);
  static WitnessEvidenceOptions evidence;
  c = witness->add_subcommand("evidence",
                              "List the checkpoints refused as a log's fork or inconsistency");
  c->add_option("--db", evidence.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->add_flag("--json", evidence.json, "JSON instead of a table");
  c->callback([&] { rc = RunWitnessEvidence(evidence); });

  CLI::App* checkpoint = app.add_subcommand("checkpoint", "Checkpoints and their cosignatures");
  checkpoint->require_subcommand(1);
  static CheckpointVerifyOptions cv;
  c = checkpoint->add_subcommand(
      "verify", "Check a signed checkpoint against a C2SP tlog-policy (exit 0 valid, 1 not)");
  c->add_option("--policy", cv.policy, "Policy file (log, witness, group, quorum lines)")
      ->required();
  c->add_option("checkpoint", cv.input, "Signed checkpoint file, or - for standard input")
      ->capture_default_str();
  c->add_flag("--json", cv.json, "Print the verdict as JSON");
  c->callback([&] { rc = RunCheckpointVerify(cv); });

  CLI::App* user = app.add_subcommand("user", "API users and their bearer tokens");
  user->require_subcommand(1);
  static UserAddOptions add;
  c = user->add_subcommand("add", "Add a user; prints its bearer token once");
  c->add_option("name", add.name, "User name")->required();
  c->add_option("--party", add.party, "The user's party, e.g. RU")->required();
  c->add_option("--role", add.role, "officer|inspector|auditor|observer|admin|node")->required();
  c->add_option("--db", add.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->callback([&] { rc = RunUserAdd(add); });

  static UserListOptions list;
  c = user->add_subcommand("list", "List the users");
  c->add_option("--db", list.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->add_flag("--json", list.json, "JSON instead of a table");
  c->callback([&] { rc = RunUserList(list); });

  static UserNameOptions revoke;
  c = user->add_subcommand("revoke", "Revoke a user's token at once");
  c->add_option("name", revoke.name, "User name")->required();
  c->add_option("--db", revoke.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->callback([&] { rc = RunUserRevoke(revoke); });

  static UserAssignOptions assign;
  c = user->add_subcommand("assign", "Let an auditor read an agreement");
  c->add_option("name", assign.name, "Auditor's user name")->required();
  c->add_option("--agreement", assign.agreement, "Agreement id")->required();
  c->add_option("--db", assign.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->callback([&] { rc = RunUserAssign(assign); });
}

void AddSipriCommands(CLI::App& app, int& rc) {
  CLI::App* import = app.add_subcommand("import", "Import history from outside sources");
  import->require_subcommand(1);
  static ImportSipriOptions sipri;
  auto* c = import->add_subcommand(
      "sipri",
      "Import SIPRI Arms Transfers Database exports (classic register or flat export) as "
      "history events signed by the node's key; creates the registry if needed");
  c->add_option("--db", sipri.db,
                "Registry: an SQLite file or a postgresql:// URI (created if it does not exist)")
      ->required();
  c->add_option("--dataset", sipri.dataset,
                std::string("Dataset name (default: ") + kDefaultFlatDataset +
                    " for flat exports, " + kDefaultClassicDataset + " for the classic register)");
  c->add_flag("--strict", sipri.strict, "Any rejected line or unusable file imports nothing");
  c->add_option("--batch", sipri.batch, "Events per transaction")->capture_default_str();
  c->add_option("--key-dir", sipri.key_dir,
                "For a postgresql:// --db: where a new registry's node key goes (default: "
                "current directory)");
  c->add_option("files", sipri.files, "SIPRI CSV export(s)")->required();
  c->callback([&] { rc = RunImportSipri(sipri); });
}

// `accord report <name>` for every report of registry::Reports(): its
// parameters are the options, plus --db and --format.
void AddReportCommands(CLI::App& app, int& rc) {
  CLI::App* report = app.add_subcommand("report", "Reports from the registry");
  report->require_subcommand(1);
  struct Bound {
    ReportOptions options;
    std::map<std::string, std::string> values;
    std::map<std::string, CLI::Option*> given;
  };
  static std::deque<Bound> bound;
  for (const accord::registry::ReportSpec& spec : accord::registry::Reports()) {
    Bound& b = bound.emplace_back();
    auto* c = report->add_subcommand(spec.name, spec.help);
    c->add_option("--db", b.options.db, "Registry: an SQLite file or a postgresql:// URI")
        ->required();
    for (const accord::registry::ReportParam& p : spec.params) {
      std::string help = p.help;
      if (!p.default_value.empty()) help += " (default: " + p.default_value + ")";
      CLI::Option* opt = c->add_option("--" + p.name, b.values[p.name], help);
      if (p.required) opt->required();
      b.given[p.name] = opt;
    }
    std::string formats;
    for (const auto& f : spec.formats) formats += (formats.empty() ? "" : ", ") + f.name;
    c->add_option("--format", b.options.format,
                  formats + " (default: " + spec.default_format + ")");
    std::string name = spec.name;
    c->callback([&rc, &b, name] {
      for (const auto& [param, opt] : b.given) {
        if (opt->count()) b.options.params[param] = b.values[param];
      }
      rc = RunReport(name, b.options);
    });
  }
}

void AddEumCommands(CLI::App& app, int& rc) {
  auto* eum = app.add_subcommand("eum", "End-use monitoring: inventory obligations");
  eum->require_subcommand(1);
  static EumDueOptions due;
  auto* c = eum->add_subcommand(
      "due",
      "Items under enhanced monitoring whose serial-number inventory is delinquent (overdue) or "
      "due soon, per recipient unit, as of a date");
  c->add_option("--db", due.db, "Registry: an SQLite file or a postgresql:// URI")->required();
  c->add_option("--as-of", due.as_of,
                "YYYY-MM-DD or an RFC 3339 date-time (its UTC date); default today (UTC)");
  c->add_option("--within", due.within_days, "List items due within this many days")
      ->capture_default_str();
  c->add_flag("--json", due.json, "JSON instead of a table");
  c->callback([&] { rc = RunEumDue(due); });
}

void AddMirrorCommand(CLI::App& app, int& rc) {
  static MirrorOptions mirror;
  auto* c = app.add_subcommand(
      "mirror",
      "Keep a verified copy of a node's log (C2SP tlog-tiles): check the checkpoint's signature "
      "and consistency, every tile and entry, replay every event's signature and rules into the "
      "mirror's projections; exit 3 with evidence on any mismatch");
  c->add_option("--db", mirror.db,
                "The mirror: an SQLite file or a postgresql:// URI (created if it does not exist)")
      ->required();
  c->add_option("--from", mirror.from, "The node's base URL, e.g. http://127.0.0.1:8080")
      ->required();
  c->add_option("--log-vkey", mirror.log_vkey, "The log's verifier key file (.vkey)")->required();
  c->add_option("--token", mirror.token,
                "Bearer token of a user with role admin or node on that node (entry bundles)");
  c->add_flag("--once", mirror.once, "Sync to the current checkpoint and exit");
  c->add_option("--interval", mirror.interval, "Seconds between syncs (without --once)")
      ->capture_default_str();
  c->add_option("--key-dir", mirror.key_dir,
                "For a postgresql:// --db: where evidence files go (default: current directory)");
  c->callback([&] { rc = RunMirror(mirror); });
}

// Builds the command tree and runs the chosen command; main() only adds a last
// catch, since CLI11 may throw while the tree is being built.
int RunAccord(int argc, char** argv) {
  CLI::App app{"accord: a verifiable registry for military-technical cooperation"};
  app.set_version_flag("--version", "accord 0.1.0");
  app.require_subcommand(1);
  int rc = 0;
  AddLogCommands(app, rc);
  AddKeyCommands(app, rc);
  AddRegistryCommands(app, rc);
  AddServeCommands(app, rc);
  AddSipriCommands(app, rc);
  AddReportCommands(app, rc);
  AddEumCommands(app, rc);
  AddMirrorCommand(app, rc);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "accord: " << e.what() << "\n(run with --help for usage)\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "accord: unexpected error: " << e.what() << "\n";
    return kExitFailure;
  }
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return RunAccord(argc, argv);
  } catch (...) {
    std::fputs("accord: unexpected error\n", stderr);
    return kExitFailure;
  }
}
