// The `accord` command line. This is the only file that includes CLI11.
#include <CLI/CLI.hpp>
#include <iostream>
#include <tuple>

#include "cli/commands.h"
#include "cli/cooperation_commands.h"
#include "cli/eum_commands.h"
#include "cli/io.h"
#include "cli/report_commands.h"
#include "cli/serve_commands.h"
#include "cli/sipri_commands.h"

namespace {

using namespace accord::cli;

void AddLogCommands(CLI::App& app, int& rc) {
  CLI::App* log = app.add_subcommand("log", "The verifiable log: append, prove, verify");
  log->require_subcommand(1);

  static LogInitOptions init;
  auto* c = log->add_subcommand("init", "Create a new log in a database file");
  c->add_option("--db", init.db, "Database file to create")->required();
  c->add_option("--origin", init.origin, "Checkpoint origin line, e.g. example.org/accord")
      ->required();
  c->add_option("--key", init.key, "The log's signing key (.skey)")->required();
  c->callback([&] { rc = RunLogInit(init); });

  static LogAppendOptions append;
  c = log->add_subcommand("append", "Append each input line as one leaf; print the new indexes");
  c->add_option("--db", append.db, "Database file")->required();
  c->add_option("--key", append.key, "Signing key (default: the one given at init)");
  c->add_flag("--hex", append.hex, "Each line is the hex of the leaf's bytes");
  c->add_option("input", append.input, "Input file, or - for standard input")
      ->capture_default_str();
  c->callback([&] { rc = RunLogAppend(append); });

  static LogRootOptions root;
  static uint64_t root_size = 0;
  c = log->add_subcommand("root", "Print the hex Merkle root of the first N leaves");
  c->add_option("--db", root.db, "Database file")->required();
  auto* size_opt = c->add_option("--size", root_size, "Tree size N (default: all leaves)");
  c->callback([&, size_opt] {
    if (size_opt->count()) root.size = root_size;
    rc = RunLogRoot(root);
  });

  static LogProveOptions prove;
  static uint64_t prove_size = 0;
  c = log->add_subcommand("prove", "Print an inclusion proof as JSON");
  c->add_option("--db", prove.db, "Database file")->required();
  c->add_option("--index", prove.index, "Leaf index")->required();
  auto* psize = c->add_option("--size", prove_size, "Tree size (default: all leaves)");
  c->callback([&, psize] {
    if (psize->count()) prove.size = prove_size;
    rc = RunLogProve(prove);
  });

  static LogConsistencyOptions cons;
  static uint64_t cons_to = 0;
  c = log->add_subcommand("consistency", "Print a consistency proof as JSON");
  c->add_option("--db", cons.db, "Database file")->required();
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
  c->add_option("--db", cp.db, "Database file")->required();
  c->callback([&] { rc = RunLogCheckpoint(cp); });

  static LogVerifyOptions lv;
  c = log->add_subcommand("verify",
                          "Recompute the tree from every entry, check stored hashes and the "
                          "latest checkpoint");
  c->add_option("--db", lv.db, "Database file")->required();
  c->add_option("--vkey", lv.vkeys, "Trusted verifier key(s) (default: the log's own)")
      ->allow_extra_args(false);
  c->callback([&] { rc = RunLogVerify(lv); });

  static LogCosignOptions cs;
  c = log->add_subcommand("cosign",
                          "Add a cosignature (C2SP tlog-cosignature v1) to the latest "
                          "checkpoint");
  c->add_option("--db", cs.db, "Database file")->required();
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
  c->add_option("--db", init.db, "Registry file to create")->required();
  c->add_option("--origin", init.origin,
                "Log origin / node key name (default accord.local/<name>)");
  c->callback([&] { rc = RunInit(init); });

  static RecordOptions rec;
  c = app.add_subcommand("record",
                         "Validate, sign and append events: one JSON object or NDJSON, all or "
                         "nothing unless --continue");
  c->add_option("--db", rec.db, "Registry file")->required();
  c->add_option("--key", rec.key, "Signing key for events without \"key\" and \"sig\"");
  c->add_flag("--continue", rec.keep_going, "Append the valid events and list the refused ones");
  c->add_option("input", rec.input, "Input file, or - for standard input")->capture_default_str();
  c->callback([&] { rc = RunRecord(rec); });

  static DbOptions rebuild;
  c = app.add_subcommand("rebuild", "Replay the log into fresh projection tables");
  c->add_option("--db", rebuild.db, "Registry file")->required();
  c->callback([&] { rc = RunRebuild(rebuild); });

  static DbOptions digest;
  c = app.add_subcommand("digest", "Print one hash over the content of every projection table");
  c->add_option("--db", digest.db, "Registry file")->required();
  c->callback([&] { rc = RunDigest(digest); });

  static DbOptions verify;
  c = app.add_subcommand("verify",
                         "Verify the log, every event's signature and rules, and that the "
                         "projections match the log");
  c->add_option("--db", verify.db, "Registry file")->required();
  c->callback([&] { rc = RunVerify(verify); });

  static ShowOptions show;
  c = app.add_subcommand("show",
                         "Show agreements|parties|bodies|products|prices|contracts|programmes|"
                         "certificates|licences|shipments|items|repairs|cases|inspections|"
                         "consents|declarations, contract ID, or dvc SHIPMENT");
  c->add_option("what", show.what, "What to show")->required();
  c->add_option("id", show.id, "The contract's id (for `show contract ID`)");
  c->add_option("--db", show.db, "Registry file")->required();
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
  c->add_option("--db", trace.db, "Registry file")->required();
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
  c->add_option("--db", demo.db, "Registry file to create")->required();
  c->add_flag("--force", demo.force, "Replace an existing registry and its keys");
  c->callback([&] { rc = RunDemo(demo); });
}

void AddServeCommands(CLI::App& app, int& rc) {
  static ServeOptions serve;
  auto* c = app.add_subcommand("serve", "Serve the REST/JSON API under /v1 (until SIGINT/SIGTERM)");
  c->add_option("--db", serve.db, "Registry file")->required();
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
  c->callback([&] { rc = RunServe(serve); });

  CLI::App* user = app.add_subcommand("user", "API users and their bearer tokens");
  user->require_subcommand(1);
  static UserAddOptions add;
  c = user->add_subcommand("add", "Add a user; prints its bearer token once");
  c->add_option("name", add.name, "User name")->required();
  c->add_option("--party", add.party, "The user's party, e.g. RU")->required();
  c->add_option("--role", add.role, "officer|inspector|auditor|observer|admin")->required();
  c->add_option("--db", add.db, "Registry file")->required();
  c->callback([&] { rc = RunUserAdd(add); });

  static UserListOptions list;
  c = user->add_subcommand("list", "List the users");
  c->add_option("--db", list.db, "Registry file")->required();
  c->add_flag("--json", list.json, "JSON instead of a table");
  c->callback([&] { rc = RunUserList(list); });

  static UserNameOptions revoke;
  c = user->add_subcommand("revoke", "Revoke a user's token at once");
  c->add_option("name", revoke.name, "User name")->required();
  c->add_option("--db", revoke.db, "Registry file")->required();
  c->callback([&] { rc = RunUserRevoke(revoke); });

  static UserAssignOptions assign;
  c = user->add_subcommand("assign", "Let an auditor read an agreement");
  c->add_option("name", assign.name, "Auditor's user name")->required();
  c->add_option("--agreement", assign.agreement, "Agreement id")->required();
  c->add_option("--db", assign.db, "Registry file")->required();
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
  c->add_option("--db", sipri.db, "Registry file (created if it does not exist)")->required();
  c->add_option("--dataset", sipri.dataset,
                std::string("Dataset name (default: ") + kDefaultFlatDataset +
                    " for flat exports, " + kDefaultClassicDataset + " for the classic register)");
  c->add_flag("--strict", sipri.strict, "Any rejected line or unusable file imports nothing");
  c->add_option("--batch", sipri.batch, "Events per transaction")->capture_default_str();
  c->add_option("files", sipri.files, "SIPRI CSV export(s)")->required();
  c->callback([&] { rc = RunImportSipri(sipri); });

  CLI::App* report = app.add_subcommand("report", "Reports from the registry");
  report->require_subcommand(1);
  static ReportTivOptions tiv;
  static int tiv_from = 0, tiv_to = 0;
  c = report->add_subcommand("tiv",
                             "SIPRI trend-indicator value volumes (millions, two decimals) per "
                             "group of deliveries");
  c->add_option("--db", tiv.db, "Registry file")->required();
  c->add_option("--dataset", tiv.dataset, "Dataset")->capture_default_str();
  c->add_option("--by", tiv.by,
                "Comma list of recipient, supplier, year, category (none: one total)");
  c->add_option("--supplier", tiv.supplier, "Only this supplier (as SIPRI spells it)");
  c->add_option("--recipient", tiv.recipient, "Only this recipient (as SIPRI spells it)");
  auto* from = c->add_option("--from", tiv_from, "First delivery year");
  auto* to = c->add_option("--to", tiv_to, "Last delivery year");
  c->add_option("--format", tiv.format, "csv, json or table")->capture_default_str();
  c->callback([&, from, to] {
    if (from->count()) tiv.from = tiv_from;
    if (to->count()) tiv.to = tiv_to;
    rc = RunReportTiv(tiv);
  });
}

void AddCooperationCommands(CLI::App& app, int& rc) {
  // `report` is a group other reports share (e.g. `report tiv`): join it if
  // it exists, else create it. (Called after the functions that create it.)
  CLI::App* report = nullptr;
  for (CLI::App* sub : app.get_subcommands([](CLI::App* a) { return a->get_name() == "report"; })) {
    report = sub;
  }
  if (report == nullptr) {
    report = app.add_subcommand("report", "Reports from the registry");
    report->require_subcommand(1);
  }
  static ReportCooperationOptions coop;
  static int coop_from = 0, coop_to = 0;
  auto* c = report->add_subcommand(
      "cooperation",
      "Per year: exercises held and planned, participants, trainees enrolled and graduated by "
      "institution, consultations held, open follow-up actions, specialist visits, joint "
      "activities");
  c->add_option("--db", coop.db, "Registry file")->required();
  auto* from = c->add_option("--from", coop_from, "First year");
  auto* to = c->add_option("--to", coop_to, "Last year");
  c->add_option("--agreement", coop.agreement, "Only activities under this agreement");
  c->add_option("--format", coop.format, "table, csv or json")->capture_default_str();
  c->callback([&, from, to] {
    if (from->count()) coop.from = coop_from;
    if (to->count()) coop.to = coop_to;
    rc = RunReportCooperation(coop);
  });
}

void AddTransferReportCommands(CLI::App& app, int& rc) {
  // Joins the shared `report` group (created by AddSipriCommands).
  CLI::App* report = app.get_subcommand("report");
  static ReportTransfersOptions att, unroca;
  for (auto [name, opts, help] :
       {std::tuple{"att", &att,
                   "Arms Trade Treaty annual report (Art. 13(3)) of a party: exports and imports, "
                   "authorized and actual, by UN Register category and partner state"},
        std::tuple{
            "unroca", &unroca,
            "UN Register of Conventional Arms standardized form of a party: actual "
            "exports and imports by category, partner, origin and intermediate locations"}}) {
    auto* c = report->add_subcommand(name, help);
    c->add_option("--db", opts->db, "Registry file")->required();
    c->add_option("--year", opts->year, "Calendar year reported")->required();
    c->add_option("--party", opts->party, "Reporting state (ISO 3166 alpha-2, e.g. UZ)")
        ->required();
    c->add_option("--format", opts->format, "csv, json or md")->capture_default_str();
    if (opts == &att) {
      c->callback([&] { rc = RunReportAtt(att); });
    } else {
      c->callback([&] { rc = RunReportUnroca(unroca); });
    }
  }
  static ReportRegisterOptions reg;
  auto* c = report->add_subcommand(
      "register",
      "Accord's own deliveries as a SIPRI-style trade register (SIPRI's flat export format, "
      "readable by `accord import sipri`)");
  c->add_option("--db", reg.db, "Registry file")->required();
  c->add_option("--format", reg.format, "sipri-csv or json")->capture_default_str();
  c->callback([&] { rc = RunReportRegister(reg); });
}

void AddEumCommands(CLI::App& app, int& rc) {
  auto* eum = app.add_subcommand("eum", "End-use monitoring: inventory obligations");
  eum->require_subcommand(1);
  static EumDueOptions due;
  auto* c = eum->add_subcommand(
      "due",
      "Items under enhanced monitoring whose serial-number inventory is delinquent (overdue) or "
      "due soon, per recipient unit, as of a date");
  c->add_option("--db", due.db, "Registry file")->required();
  c->add_option("--as-of", due.as_of,
                "YYYY-MM-DD or an RFC 3339 date-time (its UTC date); default today (UTC)");
  c->add_option("--within", due.within_days, "List items due within this many days")
      ->capture_default_str();
  c->add_flag("--json", due.json, "JSON instead of a table");
  c->callback([&] { rc = RunEumDue(due); });

  static ReportEumOptions report;
  c = app.get_subcommand("report")->add_subcommand(
      "eum",
      "End-use monitoring compliance per agreement and recipient as of a date: items "
      "inventoried on time, delinquent items, access requests answered in time, open cases by "
      "age, confirmed violations");
  c->add_option("--db", report.db, "Registry file")->required();
  c->add_option("--as-of", report.as_of,
                "YYYY-MM-DD or an RFC 3339 date-time (its UTC date); default today (UTC)");
  c->add_option("--format", report.format, "table, csv or json")->capture_default_str();
  c->callback([&] { rc = RunReportEum(report); });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"accord: a verifiable registry for military-technical cooperation"};
  app.set_version_flag("--version", "accord 0.1.0");
  app.require_subcommand(1);
  int rc = 0;
  AddLogCommands(app, rc);
  AddKeyCommands(app, rc);
  AddRegistryCommands(app, rc);
  AddServeCommands(app, rc);
  AddSipriCommands(app, rc);
  AddCooperationCommands(app, rc);
  AddTransferReportCommands(app, rc);
  AddEumCommands(app, rc);
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
