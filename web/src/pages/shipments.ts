// Shipments: the list, and one shipment with its chain of custody.
import type { Ctx } from "../context";
import { h, route } from "../dom";
import { date, num } from "../format";
import { section } from "../ui/states";
import { facts, table } from "../ui/table";
import { verifyButton } from "../ui/verify";
import type { Shipment } from "./data";

const items = (s: Shipment) => s.lines.reduce((n, l) => n + l.serials.length, 0);

export async function shipmentsPage(ctx: Ctx): Promise<void> {
  const el = h("section", {});
  ctx.main.append(h("h1", {}, "Shipments"), el);
  await section(el, "shipments", () => ctx.api.list<Shipment>("shipments"), (rows) =>
    table("Shipments", [
      { label: "Shipment", value: (s) => h("a", { href: route("shipments", s.id) }, s.id) },
      { label: "Contract", value: (s) => h("a", { href: route("contracts", s.contract) }, s.contract) },
      { label: "Route", value: (s) => ((s.route as string[]) ?? []).join(" → ") },
      { label: "Dispatched", value: (s) => date(s.dispatched) },
      { label: "Received", value: (s) => date(s.received) },
      { label: "Items", value: (s) => num(items(s)), numeric: true },
      { label: "Status", value: (s) => h("span", { class: `badge ${s.differences?.length ? "bad" : s.received ? "ok" : "warn"}` }, s.status.replace(/_/g, " ")) },
    ], rows, "No shipments recorded."),
  );
}

export async function shipmentPage(ctx: Ctx, id: string): Promise<void> {
  const el = h("section", {});
  ctx.main.append(h("h1", {}, `Shipment ${id}`), h("p", {}, h("a", { href: "#/shipments" }, "All shipments")), el);
  await section(el, "the shipment", () => ctx.api.get<Shipment>("shipments", id), (s) => {
    const x = s as Shipment & Record<string, unknown>;
    return [
      facts([
        ["Contract", h("a", { href: route("contracts", s.contract) }, s.contract)],
        ["Status", s.status.replace(/_/g, " ")],
        ["Route", ((x.route as string[]) ?? []).join(" → ")],
        ["Mode and carrier", `${String(x.mode ?? "—")}, ${String(x.carrier ?? "—")}`],
        ["Licence", String(x.licence ?? "—")],
        ["Transit permits", ((x.transit_permits as string[]) ?? []).join(", ") || "—"],
        ["Seals", ((x.seals as string[]) ?? []).join(", ") || "—"],
        ["Dispatched", date(s.dispatched)],
        ["Received", date(s.received)],
      ]),
      h("h2", {}, "Chain of custody"),
      s.custody?.length
        ? h(
            "ol",
            { class: "timeline", "aria-label": "Chain of custody" },
            s.custody.map((c) =>
              h(
                "li",
                {},
                h("strong", {}, date(c.date)),
                ` ${c.from} → ${c.to}`,
                c.place ? ` at ${c.place}` : "",
                c.seals_intact === false ? h("span", { class: "badge bad" }, " seals broken") : c.seals_intact ? h("span", { class: "badge ok" }, "seals intact") : null,
                h("span", { class: "muted" }, ` (log entry ${c.index})`),
                verifyButton(ctx.api, c.index, `custody step ${c.index}`),
              ),
            ),
          )
        : h("p", { class: "state empty" }, "No custody recorded yet."),
      h("h2", {}, "Items"),
      table("Items by serial number", [
        { label: "Line", value: (r) => r.line, numeric: true },
        { label: "Product", value: (r) => r.product },
        { label: "Serial", value: (r) => h("a", { href: route("items", r.product, r.serial) }, r.serial) },
        { label: "Difference at receipt", value: (r) => {
          const d = s.differences?.find((d) => d.product === r.product && d.serial === r.serial);
          return d ? h("span", { class: "flag" }, d.kind) : "none";
        } },
      ], s.lines.flatMap((l) => l.serials.map((serial) => ({ line: l.line, product: l.product, serial })))),
      (x.cases as string[])?.length ? facts([["Cases opened", ((x.cases as string[]) ?? []).join(", ")]]) : null,
    ];
  });
}
