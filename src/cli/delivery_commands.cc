// accord show <the delivery and monitoring lists>|dvc, accord trace; and the
// lists `accord show` knows, from the entity kinds table.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/delivery_views.h"
#include "cli/io.h"
#include "cli/table.h"
#include "domain/entity_kinds.h"
#include "domain/envelope.h"
#include "merkle/hasher.h"
#include "registry/doc_fields.h"
#include "registry/registry.h"
#include "util/encoding.h"

namespace accord::cli {
namespace {

using registry::DocCell;

using nlohmann::json;

bool Keep(const json& doc, const char* field, const std::string& want) {
  return want.empty() || DocCell(doc, field) == want;
}

std::string LicenceLines(const json& l) {
  std::string out;
  for (const auto& line : l["lines"]) {
    std::string product = line["product"];
    int64_t drawn = l["drawn"].value(product, int64_t{0});
    out += (out.empty() ? "" : ", ") + product + " " + std::to_string(drawn) + "/" +
           std::to_string(line["quantity"].get<int64_t>());
  }
  return out;
}

size_t ItemCount(const json& shipment) {
  size_t n = 0;
  for (const auto& l : shipment["lines"]) n += l["serials"].size();
  return n;
}

}  // namespace

std::string ShowLists(std::string_view separator) {
  std::string out;
  auto add = [&](std::string_view what) {
    out += (out.empty() ? "" : std::string(separator)) + std::string(what);
  };
  for (domain::ShowView view : {domain::ShowView::kRegistry, domain::ShowView::kDelivery}) {
    for (const domain::EntityKind& k : domain::EntityKinds()) {
      if (k.show != view) continue;
      add(k.plural);
      // A view of the products, not a kind of its own.
      if (k.name == "product") add("prices");
    }
  }
  return out;
}

const domain::EntityKind* ShowListKind(const std::string& what) {
  const domain::EntityKind* k = domain::FindKindByPlural(what == "prices" ? "products" : what);
  return k != nullptr && k->show == domain::ShowView::kRegistry ? k : nullptr;
}

bool IsDeliveryList(const std::string& what) {
  const domain::EntityKind* k = domain::FindKindByPlural(what);
  return k != nullptr && k->show == domain::ShowView::kDelivery;
}

int ShowDeliveryList(registry::Registry& r, const ShowOptions& o) {
  auto docs = r.List(std::string(domain::FindKindByPlural(o.what)->name));
  if (!docs.ok()) return Fail(docs.status());
  std::vector<json> rows;
  for (const json& d : *docs) {
    bool keep = Keep(d, "contract", o.contract) && Keep(d, "status", o.state);
    if (o.what == "items") {
      keep = Keep(d, "contract", o.contract) && Keep(d, "product", o.product) &&
             Keep(d, "state", o.state) && Keep(d, "unit", o.unit);
    } else if (o.what == "licences" && !o.product.empty()) {
      bool has = false;
      for (const auto& l : d["lines"]) has = has || l["product"] == o.product;
      keep = keep && has;
    } else if (o.what == "shipments" && !o.product.empty()) {
      bool has = false;
      for (const auto& l : d["lines"]) has = has || l["product"] == o.product;
      keep = keep && has;
    }
    if (keep) rows.push_back(d);
  }
  if (o.json) {
    std::cout << json(rows).dump(2) << "\n";
    return kExitOk;
  }
  if (o.what == "certificates") {
    Table t({"id", "contract", "end user", "final destination", "date", "countersigned"});
    for (const auto& c : rows) {
      std::string cs = c.contains("countersigned") ? DocCell(c["countersigned"], "authority") +
                                                         " " + DocCell(c["countersigned"], "date")
                                                   : "";
      t.Add({DocCell(c, "id"), DocCell(c, "contract"), DocCell(c, "end_user"),
             DocCell(c, "final_destination"), DocCell(c, "date"), cs});
    }
    std::cout << t.Render();
  } else if (o.what == "licences") {
    Table t({"id", "kind", "contract", "issued by", "valid", "drawn/licensed"});
    for (const auto& l : rows) {
      std::string by = DocCell(l, "kind") == "transit"
                           ? DocCell(l, "transit_state") + ": " + DocCell(l, "authority")
                           : DocCell(l, "issuing_body");
      t.Add({DocCell(l, "id"), DocCell(l, "kind"), DocCell(l, "contract"), by,
             DocCell(l, "valid_from") + " – " + DocCell(l, "valid_to"), LicenceLines(l)});
    }
    std::cout << t.Render();
  } else if (o.what == "shipments") {
    Table t({"id", "contract", "dispatched", "received", "items", "mode", "route", "status"});
    for (const auto& s : rows) {
      std::string route;
      for (const auto& c : s["route"]) route += (route.empty() ? "" : "→") + c.get<std::string>();
      t.Add({DocCell(s, "id"), DocCell(s, "contract"), DocCell(s, "dispatched"),
             DocCell(s, "received"), std::to_string(ItemCount(s)), DocCell(s, "mode"), route,
             DocCell(s, "status")});
    }
    std::cout << t.Render();
  } else if (o.what == "items") {
    Table t({"product", "serial", "contract", "state", "unit", "location", "received"});
    for (const auto& i : rows) {
      t.Add({DocCell(i, "product"), DocCell(i, "serial"), DocCell(i, "contract"),
             DocCell(i, "state"), DocCell(i, "unit"), DocCell(i, "location"),
             DocCell(i, "received")});
    }
    std::cout << t.Render();
  } else if (o.what == "repairs") {
    Table t({"id", "enterprise", "items", "ordered", "status", "returned", "work"});
    for (const auto& x : rows) {
      t.Add({DocCell(x, "id"), DocCell(x, "enterprise"), std::to_string(x["items"].size()),
             DocCell(x, "ordered"), DocCell(x, "status"), DocCell(x, "returned"),
             DocCell(x, "work")});
    }
    std::cout << t.Render();
  } else if (o.what == "cases") {
    Table t({"id", "kind", "source", "opened", "severity", "assigned", "deadline", "status",
             "differences"});
    for (const auto& c : rows) {
      std::string diffs;
      for (const auto& d : c.value("differences", json::array())) {
        std::string what = d.contains("kind")     ? DocCell(d, "kind")
                           : d.contains("result") ? DocCell(d, "result")
                           : d.contains("security_check")
                               ? "security " + DocCell(d, "security_check")
                               : "";
        std::string serial = d.contains("serial") ? DocCell(d, "serial") : DocCell(d, "item");
        diffs += (diffs.empty() ? "" : ", ") + what +
                 (serial.empty() ? "" : (what.empty() ? "" : " ") + serial);
      }
      t.Add({DocCell(c, "id"), DocCell(c, "kind"), DocCell(c, "source"), DocCell(c, "opened"),
             DocCell(c, "severity"), DocCell(c, "assigned"), DocCell(c, "deadline"),
             DocCell(c, "status"), diffs});
    }
    std::cout << t.Render();
  } else if (o.what == "inspections") {
    Table t({"id", "kind", "agreement", "recipient", "planned", "access", "completed", "findings",
             "status", "case"});
    for (const auto& x : rows) {
      std::string access;
      for (const auto& a : x["access"]) {
        access += (access.empty() ? "" : "; ") + DocCell(a, "requested") + "→" +
                  (a.contains("answered") ? DocCell(a, "answer") + " " + DocCell(a, "answered") +
                                                (a.value("in_time", true) ? "" : " (late)")
                                          : "no answer (deadline " + DocCell(a, "deadline") + ")");
      }
      std::string findings;
      const json counts = x.value("counts", json::object());
      for (const auto& [k, n] : counts.items()) {
        findings += (findings.empty() ? "" : ", ") + k + " " + std::to_string(n.get<int64_t>());
      }
      t.Add({DocCell(x, "id"), DocCell(x, "kind"), DocCell(x, "agreement"), DocCell(x, "recipient"),
             DocCell(x, "planned_date"), access, DocCell(x, "completed"), findings,
             DocCell(x, "status"), DocCell(x, "case")});
    }
    std::cout << t.Render();
  } else if (o.what == "consents") {
    Table t({"id", "recipient", "third party", "end user", "items", "requested", "decided",
             "status", "transferred"});
    for (const auto& x : rows) {
      t.Add({DocCell(x, "id"), DocCell(x, "recipient"), DocCell(x, "third_party"),
             DocCell(x, "end_user"), std::to_string(x["items"].size()), DocCell(x, "requested"),
             DocCell(x, "decided"), DocCell(x, "status"), std::to_string(x["transferred"].size())});
    }
    std::cout << t.Render();
  } else if (o.what == "declarations") {
    Table t({"id", "kind", "declared by", "date", "items", "evidence", "status", "case"});
    for (const auto& x : rows) {
      t.Add({DocCell(x, "id"), DocCell(x, "kind"), DocCell(x, "declared_by"), DocCell(x, "date"),
             std::to_string(x["items"].size()), std::to_string(x["evidence"].size()),
             DocCell(x, "status"), DocCell(x, "case")});
    }
    std::cout << t.Render();
  }
  if (rows.empty()) std::cerr << "(no " << o.what << " match)\n";
  return kExitOk;
}

int ShowDvc(registry::Registry& r, const ShowOptions& o) {
  auto s = r.Get("shipment", o.id);
  if (!s.ok()) return Fail(s.status());
  if (!*s)
    return Fail(Status::NotFound("no shipment \"" + o.id + "\" (see `accord show shipments`)"));
  const json& shipment = **s;
  if (!shipment.contains("dvc")) {
    return Fail(Status::FailedPrecondition(
        "shipment " + o.id + " has no delivery verification certificate: it is " +
        DocCell(shipment, "status") +
        (shipment.contains("cases") ? " (cases " + shipment["cases"].dump() + ")" : "")));
  }
  auto cp = r.log().Checkpoint();
  if (!cp.ok()) return Fail(cp.status());
  json dvc = {{"shipment", o.id},
              {"contract", shipment["contract"]},
              {"supplier", shipment["supplier"]},
              {"recipient", shipment["recipient"]},
              {"dispatched", shipment["dispatched"]},
              {"received", shipment["received"]},
              {"issued", shipment["dvc"]["issued"]},
              {"items", shipment["lines"]},
              {"custody", shipment["custody"]},
              {"log_indexes", shipment["dvc"]["indexes"]},
              {"checkpoint", *cp}};
  if (o.json) {
    std::cout << dvc.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "DELIVERY VERIFICATION CERTIFICATE\n\nshipment   " << o.id << "\ncontract   "
            << DocCell(shipment, "contract") << " (" << DocCell(shipment, "supplier") << " → "
            << DocCell(shipment, "recipient") << ")\ndispatched " << DocCell(shipment, "dispatched")
            << "\nreceived   " << DocCell(shipment, "received") << ", fully reconciled, "
            << ItemCount(shipment) << " items\nissued     " << DocCell(shipment["dvc"], "issued")
            << "\n\n";
  Table items({"line", "product", "serials"});
  for (const auto& l : shipment["lines"]) {
    std::string serials;
    for (const auto& x : l["serials"])
      serials += (serials.empty() ? "" : " ") + x.get<std::string>();
    items.Add({DocCell(l, "line"), DocCell(l, "product"), serials});
  }
  std::cout << items.Render() << "\nchain of custody (each step is the log entry at its index)\n";
  Table c({"log index", "date", "from", "to", "place", "seals intact"});
  for (const auto& step : shipment["custody"]) {
    c.Add({DocCell(step, "index"), DocCell(step, "date"), DocCell(step, "from"),
           DocCell(step, "to"), DocCell(step, "place"),
           step.value("seals_intact", true) ? "yes" : "NO"});
  }
  std::cout << c.Render() << "\nprove any step: accord log prove --db " << o.db
            << " --index N   (against the checkpoint below)\n\n"
            << *cp;
  return kExitOk;
}

int RunTrace(const TraceOptions& o) {
  auto r = registry::Registry::Open(o.db, false);
  if (!r.ok()) return Fail(r.status());
  std::string id = o.product + "/" + o.serial;
  auto item = (*r)->Get("item", id);
  if (!item.ok()) return Fail(item.status());
  if (!*item) {
    return Fail(Status::NotFound("no item " + o.serial + " of product " + o.product +
                                 " (see `accord show items --product " + o.product + "`)"));
  }
  auto cp = (*r)->log().Checkpoint();
  if (!cp.ok()) return Fail(cp.status());
  auto size = (*r)->log().Size();
  if (!size.ok()) return Fail(size.status());
  auto root = (*r)->log().Root(*size);
  if (!root.ok()) return Fail(root.status());
  json steps = json::array();
  for (const auto& h : (**item)["history"]) {
    uint64_t idx = h["index"];
    auto proof = (*r)->log().InclusionProof(idx, *size);
    auto leaf = (*r)->log().LeafHashAt(idx);
    if (!proof.ok() || !leaf.ok()) return Fail(!proof.ok() ? proof.status() : leaf.status());
    std::vector<std::string> p;
    json proof_json = json::array();
    for (const Hash& x : *proof) {
      p.emplace_back(AsBytes(x));
      proof_json.push_back(Base64Encode(AsBytes(x)));
    }
    Status verified = merkle::VerifyInclusion(idx, *size, AsBytes(*leaf), p, AsBytes(*root));
    json step = h;
    step["leafHash"] = Base64Encode(AsBytes(*leaf));
    step["proof"] = proof_json;
    step["proof_verifies"] = verified.ok();
    steps.push_back(step);
  }
  json out = {{"product", o.product},       {"serial", o.serial},
              {"state", (**item)["state"]}, {"contract", (**item)["contract"]},
              {"treeSize", *size},          {"root", Base64Encode(AsBytes(*root))},
              {"checkpoint", *cp},          {"steps", steps}};
  if (o.json) {
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << o.product << " " << o.serial << ": " << DocCell(**item, "state");
  if ((*item)->contains("unit"))
    std::cout << " at " << DocCell(**item, "unit") << " (" << DocCell(**item, "location") << ")";
  std::cout << ", contract " << DocCell(**item, "contract") << "\n\n";
  Table t({"log index", "date", "event", "what", "detail", "proof"});
  for (const auto& s : steps) {
    t.Add({DocCell(s, "index"), DocCell(s, "date"), DocCell(s, "event"), DocCell(s, "what"),
           s.contains("detail") ? s["detail"].dump() : "",
           s["proof_verifies"].get<bool>() ? "verified" : "FAILS"});
  }
  std::cout << t.Render() << "\nproofs against the current checkpoint (size " << *size << "):\n"
            << *cp;
  for (const auto& s : steps) {
    if (!s["proof_verifies"].get<bool>()) {
      return Fail(Status::VerificationFailed("an inclusion proof does not verify"));
    }
  }
  return kExitOk;
}

}  // namespace accord::cli
