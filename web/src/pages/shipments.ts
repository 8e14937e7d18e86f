// Shipments: the list, and one shipment with its chain of custody.
import type { Ctx } from "../context";
import { h, route } from "../dom";
import { date, num } from "../format";
import { label, t } from "../i18n";
import { section } from "../ui/states";
import { facts, table } from "../ui/table";
import { verifyButton } from "../ui/verify";
import type { Shipment } from "./data";
import { recordHref } from "./record";

const items = (s: Shipment) => s.lines.reduce((n, l) => n + l.serials.length, 0);

export async function shipmentsPage(ctx: Ctx): Promise<void> {
  const el = h("section", {});
  ctx.main.append(h("h1", {}, t("shipments.title")), el);
  await section(el, t("shipments.loading"), () => ctx.api.list<Shipment>("shipments"), (rows) =>
    table(t("shipments.title"), [
      { label: t("col.shipment"), value: (s) => h("a", { href: route("shipments", s.id) }, s.id) },
      { label: t("col.contract"), value: (s) => h("a", { href: route("contracts", s.contract) }, s.contract) },
      { label: t("col.route"), value: (s) => ((s.route as string[]) ?? []).join(" → ") },
      { label: t("col.dispatched"), value: (s) => date(s.dispatched) },
      { label: t("col.received"), value: (s) => date(s.received) },
      { label: t("col.items"), value: (s) => num(items(s)), numeric: true },
      { label: t("col.status"), value: (s) => h("span", { class: `badge ${s.differences?.length ? "bad" : s.received ? "ok" : "warn"}` }, label("status", s.status)) },
    ], rows, t("shipments.none")),
  );
}

export async function shipmentPage(ctx: Ctx, id: string): Promise<void> {
  const el = h("section", {});
  ctx.main.append(
    h("h1", {}, t("shipment.title", { id })),
    h("p", {}, h("a", { href: "#/shipments" }, t("shipment.all")), " · ", h("a", { href: recordHref(`shipment/${id}`), class: "record-next" }, t("record.next"))),
    el,
  );
  await section(el, t("shipment.loading"), () => ctx.api.get<Shipment>("shipments", id), (s) => {
    const x = s as Shipment & Record<string, unknown>;
    return [
      facts([
        [t("col.contract"), h("a", { href: route("contracts", s.contract) }, s.contract)],
        [t("col.status"), label("status", s.status)],
        [t("col.route"), ((x.route as string[]) ?? []).join(" → ")],
        [t("shipment.modeCarrier"), `${label("status", String(x.mode ?? "—"))}, ${String(x.carrier ?? "—")}`],
        [t("shipment.licence"), String(x.licence ?? "—")],
        [t("shipment.transitPermits"), ((x.transit_permits as string[]) ?? []).join(", ") || "—"],
        [t("shipment.seals"), ((x.seals as string[]) ?? []).join(", ") || "—"],
        [t("col.dispatched"), date(s.dispatched)],
        [t("col.received"), date(s.received)],
      ]),
      h("h2", {}, t("shipment.custody")),
      s.custody?.length
        ? h(
            "ol",
            { class: "timeline", "aria-label": t("shipment.custody") },
            s.custody.map((c) =>
              h(
                "li",
                {},
                h("strong", {}, date(c.date)),
                ` ${c.from} → ${c.to}`,
                c.place ? ` ${t("shipment.at", { place: c.place })}` : "",
                c.seals_intact === false ? [" ", h("span", { class: "badge bad" }, t("shipment.sealsBroken"))] : c.seals_intact ? [" ", h("span", { class: "badge ok" }, t("shipment.sealsIntact"))] : null,
                h("span", { class: "muted" }, ` (${t("common.logEntry", { index: String(c.index) })})`),
                verifyButton(ctx.api, c.index, t("shipment.custodyStep", { index: String(c.index) })),
              ),
            ),
          )
        : h("p", { class: "state empty" }, t("shipment.noCustody")),
      h("h2", {}, t("col.items")),
      table(t("shipment.itemsTable"), [
        { label: t("col.line"), value: (r) => r.line, numeric: true },
        { label: t("col.product"), value: (r) => r.product },
        { label: t("col.serial"), value: (r) => h("a", { href: route("items", r.product, r.serial) }, r.serial) },
        { label: t("shipment.difference"), value: (r) => {
          const d = s.differences?.find((d) => d.product === r.product && d.serial === r.serial);
          return d ? h("span", { class: "flag" }, label("status", d.kind)) : t("common.none");
        } },
      ], s.lines.flatMap((l) => l.serials.map((serial) => ({ line: l.line, product: l.product, serial })))),
      (x.cases as string[])?.length ? facts([[t("shipment.casesOpened"), ((x.cases as string[]) ?? []).join(", ")]]) : null,
    ];
  });
}
