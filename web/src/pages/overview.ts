// The state of cooperation at a glance.
import { ApiError, type Entity } from "../api";
import type { Ctx } from "../context";
import { h, route } from "../dom";
import { date, milli, money, num, pct, today } from "../format";
import { barChart } from "../ui/chart";
import { complianceView } from "./eum";
import { errorBox, section } from "../ui/states";
import { table } from "../ui/table";
import { contractValues, deliveriesPerYear, loadDeliveryData } from "./data";

interface Agreement extends Entity {
  title?: string;
  status: string;
  parties?: string[];
  signed_date?: string;
  in_force_from?: string;
  pricing_rule?: string;
}

export async function overviewPage(ctx: Ctx): Promise<void> {
  const { api, main } = ctx;
  const agreements = h("section", { "aria-labelledby": "ov-agreements" });
  const figures = h("section", { "aria-labelledby": "ov-deliveries" });
  const monitoring = h("section", { "aria-labelledby": "ov-monitoring" });
  const coop = h("section", { "aria-labelledby": "ov-coop" });
  main.append(
    h("h1", {}, "Overview"),
    h("h2", { id: "ov-agreements" }, "Agreements"),
    agreements,
    h("h2", { id: "ov-deliveries" }, "Deliveries and contract value"),
    figures,
    h("div", { class: "grid" }, h("div", {}, h("h2", { id: "ov-monitoring" }, "End-use monitoring"), monitoring), h("div", {}, h("h2", { id: "ov-coop" }, "Exercises and training"), coop)),
  );
  await Promise.all([
    section(agreements, "agreements", () => api.list<Agreement>("agreements"), (rows) =>
      table("Agreements and their status", [
        { label: "Agreement", value: (a) => a.id },
        { label: "Title", value: (a) => a.title ?? "" },
        { label: "Parties", value: (a) => (a.parties ?? []).join(", ") },
        { label: "Signed", value: (a) => date(a.signed_date) },
        { label: "Status", value: (a) => h("span", { class: `badge ${a.status === "in_force" ? "ok" : "warn"}` }, a.status.replace(/_/g, " ")) },
        { label: "In force from", value: (a) => date(a.in_force_from) },
        { label: "Pricing rule", value: (a) => a.pricing_rule ?? "—" },
      ], rows, "No agreements recorded."),
    ),
    section(figures, "deliveries", () => loadDeliveryData(api), (d) => {
      const years = deliveriesPerYear(d.shipments, d.contracts, d.products);
      const values = contractValues(d.contracts);
      const items = years.reduce((s, y) => s + y.items, 0);
      const tiv = years.reduce((s, y) => s + y.tivMilli, 0);
      const flagged = values.reduce((s, v) => s + v.flagged, 0);
      const priced = values.filter((v) => v.domesticMinor !== null && v.domesticMinor > 0);
      return [
        h(
          "div",
          { class: "cards" },
          card("Contracts", num(d.contracts.length)),
          card("Shipments", num(d.shipments.length)),
          card("Items delivered", num(items)),
          card("TIV delivered (millions)", milli(tiv, 2)),
          card("Lines above domestic price", num(flagged), flagged > 0 ? "bad" : "ok"),
        ),
        h(
          "div",
          { class: "grid" },
          h("div", {},
            barChart("Deliveries per year: items (bars) and TIV in millions (line)", years.map((y) => String(y.year)), [
              { label: "Items", data: years.map((y) => y.items) },
              { label: "TIV (millions)", data: years.map((y) => y.tivMilli / 1000), axis: "y2", type: "line" },
            ], { y: "items", y2: "TIV" }),
            table("Deliveries per year", [
              { label: "Year", value: (y) => y.year },
              { label: "Items", value: (y) => num(y.items), numeric: true },
              { label: "TIV (millions)", value: (y) => milli(y.tivMilli, 2), numeric: true },
            ], years, "No deliveries received yet."),
          ),
          h("div", {},
            barChart("Contract price as % of the supplier's domestic price", priced.map((v) => v.id), [
              { label: "Contract / domestic (%)", data: priced.map((v) => Math.round((1000 * v.contractMinor) / v.domesticMinor!) / 10) },
            ], { y: "%" }),
            table("Contract value at contract and at domestic prices", [
              { label: "Contract", value: (v) => h("a", { href: route("contracts", v.id) }, v.id) },
              { label: "At contract prices", value: (v) => money(v.contractMinor, v.currency), numeric: true },
              { label: "At domestic prices", value: (v) => (v.domesticMinor === null ? "no domestic price" : money(v.domesticMinor, v.currency)), numeric: true },
              { label: "Contract / domestic", value: (v) => (v.domesticMinor ? pct(v.contractMinor, v.domesticMinor) : "—"), numeric: true },
              { label: "Flagged lines", value: (v) => (v.flagged ? h("span", { class: "flag" }, `${v.flagged} above tolerance`) : "none") },
            ], values, "No contracts recorded."),
          ),
        ),
      ];
    }),
    section(monitoring, "monitoring compliance", async () => {
      const [cases, eum] = await Promise.all([
        api.list("cases"),
        api.report("eum", { "as-of": today() }).catch((e) => (e instanceof ApiError && e.status === 404 ? e : Promise.reject(e))),
      ]);
      return { cases, eum };
    }, ({ cases, eum }) => {
      const open = cases.filter((c) => c.status === "open").length;
      return [
        h("div", { class: "cards" }, card("Open cases", num(open), open ? "bad" : "ok"), card("Cases in all", num(cases.length))),
        eum instanceof ApiError ? errorBox(eum, "Monitoring compliance report") : complianceView(eum),
        h("p", {}, h("a", { href: "#/monitoring" }, "Monitoring in detail")),
      ];
    }),
    section(coop, "cooperation", () => api.report<Record<string, number>[]>("cooperation"), (rows) => [
      barChart("Exercises held and trainees enrolled per year", rows.map((r) => String(r.year)), [
        { label: "Exercises held", data: rows.map((r) => r.exercises_held ?? 0) },
        { label: "Trainees enrolled", data: rows.map((r) => r.trainees_enrolled ?? 0) },
        { label: "Trainees graduated", data: rows.map((r) => r.trainees_graduated ?? 0) },
      ]),
      table("Exercises and trainees per year", [
        { label: "Year", value: (r) => r.year },
        { label: "Exercises held", value: (r) => num(r.exercises_held), numeric: true },
        { label: "Participants", value: (r) => num(r.participants), numeric: true },
        { label: "Trainees enrolled", value: (r) => num(r.trainees_enrolled), numeric: true },
        { label: "Trainees graduated", value: (r) => num(r.trainees_graduated), numeric: true },
      ], rows, "No cooperation recorded."),
    ]),
  ]);
}

function card(label: string, value: string, tone = ""): HTMLElement {
  return h("div", { class: `card ${tone}` }, h("span", { class: "big" }, value), label);
}
