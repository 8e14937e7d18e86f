// Contracts: the list, and one contract with its lines, both signatures,
// fulfilment and price flags.
import type { Ctx } from "../context";
import { h, route } from "../dom";
import { date, money, num, pct } from "../format";
import { label, t } from "../i18n";
import { eventsSection } from "../ui/events";
import { section } from "../ui/states";
import { facts, table } from "../ui/table";
import type { Contract, Line } from "./data";
import { recordHref } from "./record";

function ordered(c: Contract): number {
  return c.lines.reduce((s, l) => s + l.quantity, 0);
}
function delivered(c: Contract): number {
  return Object.values(c.delivered ?? {}).reduce((s, n) => s + n, 0);
}

function signatureCell(c: Contract): HTMLElement {
  const parties = [c.supplier, c.recipient];
  return h(
    "span",
    {},
    parties.map((p) => {
      const s = c.signatures?.[p];
      return h("span", { class: `badge ${s ? "ok" : "warn"}` }, s ? t("contracts.partySigned", { party: p, date: date(s.date) }) : t("contracts.partyNotSigned", { party: p }));
    }),
  );
}

function progress(done: number, total: number, what: string): HTMLElement {
  return h("span", {}, h("progress", { max: total || 1, value: done, "aria-label": what }), ` ${num(done)} / ${num(total)} (${pct(done, total)})`);
}

export async function contractsPage(ctx: Ctx): Promise<void> {
  const el = h("section", {});
  ctx.main.append(h("h1", {}, t("contracts.title")), el);
  await section(el, t("contracts.loading"), () => ctx.api.list<Contract>("contracts"), (rows) =>
    table(t("contracts.title"), [
      { label: t("col.contract"), value: (c) => h("a", { href: route("contracts", c.id) }, c.id), csv: (c) => c.id },
      { label: t("col.agreement"), value: (c) => c.agreement },
      { label: t("col.supplierRecipient"), value: (c) => `${c.supplier} → ${c.recipient}` },
      { label: t("col.status"), value: (c) => label("status", c.status) },
      { label: t("col.value"), value: (c) => money(c.lines.reduce((s, l) => s + l.unit_price_minor * l.quantity, 0), c.lines[0]?.currency), numeric: true },
      { label: t("col.fulfilment"), value: (c) => progress(delivered(c), ordered(c), t("contracts.fulfilmentOf", { id: c.id })) },
      { label: t("col.signatures"), value: signatureCell },
      { label: t("col.priceFlags"), value: (c) => (c.lines.some((l) => l.price_flag) ? h("span", { class: "flag" }, t("contracts.aboveDomestic")) : t("common.none")) },
    ], rows, t("contracts.none")),
  );
}

function lineRatio(l: Line): string {
  return l.domestic_price_minor ? pct(l.unit_price_minor, l.domestic_price_minor) : "—";
}

export async function contractPage(ctx: Ctx, id: string): Promise<void> {
  const el = h("section", {});
  ctx.main.append(
    h("h1", {}, t("contract.title", { id })),
    h("p", {}, h("a", { href: "#/contracts" }, t("contract.all")), " · ", h("a", { href: recordHref(`contract/${id}`), class: "record-next" }, t("record.next"))),
    el,
  );
  await section(el, t("contract.loading"), () => ctx.api.get<Contract>("contracts", id), (c) => {
    const c2 = c as Contract & Record<string, unknown>;
    return [
      facts([
        [t("col.agreement"), String(c.agreement)],
        [t("col.supplier"), `${c.supplier} (${String(c2.supplier_body ?? "")})`],
        [t("col.recipient"), `${c.recipient} (${String(c2.recipient_body ?? "")})`],
        [t("col.channel"), c2.intermediary_body ? t("contract.channelVia", { channel: label("status", String(c2.channel ?? "—")), via: String(c2.intermediary_body) }) : label("status", String(c2.channel ?? "—"))],
        [t("col.status"), c2.in_force_from ? t("contract.statusFrom", { status: label("status", c.status), date: date(String(c2.in_force_from)) }) : label("status", c.status)],
        [t("col.drafted"), date(c2.drafted as string)],
        [t("col.fulfilment"), progress(delivered(c), ordered(c), t("contract.fulfilment"))],
      ]),
      h("h2", {}, t("col.signatures")),
      table(t("contract.signaturesTable"), [
        { label: t("col.party"), value: (p: string) => p },
        { label: t("col.role"), value: (p) => (p === c.supplier ? t("contract.roleSupplier") : t("contract.roleRecipient")) },
        { label: t("col.signed"), value: (p) => (c.signatures?.[p] ? h("span", { class: "badge ok" }, t("contract.signedOn", { date: date(c.signatures[p].date) })) : h("span", { class: "badge warn" }, t("contract.notSigned"))) },
        { label: t("col.by"), value: (p) => c.signatures?.[p]?.actor ?? "—" },
      ], [c.supplier, c.recipient]),
      h("h2", {}, t("contract.lines")),
      table(t("contract.linesTable"), [
        { label: t("col.line"), value: (l) => l.line, numeric: true },
        { label: t("col.product"), value: (l) => l.product },
        { label: t("col.status"), value: (l) => label("status", l.status ?? "new") },
        { label: t("col.quantity"), value: (l) => num(l.quantity), numeric: true },
        { label: t("col.unitPrice"), value: (l) => money(l.unit_price_minor, l.currency), numeric: true },
        { label: t("col.domesticPrice"), value: (l) => (l.domestic_price_minor ? money(l.domestic_price_minor, l.currency) : "—"), numeric: true },
        { label: t("col.ofDomestic"), value: lineRatio, numeric: true },
        { label: t("col.priceFlag"), value: (l) => (l.price_flag ? h("span", { class: "flag" }, l.justification ? t("contract.aboveToleranceWhy", { why: l.justification }) : t("contract.aboveTolerance")) : t("common.none")) },
        { label: t("col.delivered"), value: (l) => progress(c.delivered?.[String(l.line)] ?? 0, l.quantity, t("contract.lineDelivered", { line: String(l.line) })) },
        { label: t("col.inTransit"), value: (l) => num(c.in_transit?.[String(l.line)] ?? 0), numeric: true },
      ], c.lines),
      c.delivery_schedule?.length
        ? table(t("contract.schedule"), [
            { label: t("col.year"), value: (s) => s.year },
            { label: t("col.line"), value: (s) => s.line, numeric: true },
            { label: t("col.quantity"), value: (s) => num(s.quantity), numeric: true },
          ], c.delivery_schedule)
        : null,
      h("h2", {}, t("contract.documents")),
      facts([
        [t("nav.shipments"), h("span", {}, ((c2.shipments as string[]) ?? []).map((s, i) => [i ? ", " : "", h("a", { href: route("shipments", s) }, s)]))],
        [t("contract.licences"), ((c2.licences as string[]) ?? []).join(", ") || "—"],
        [t("contract.certificates"), ((c2.certificates as string[]) ?? []).join(", ") || "—"],
        [t("contract.amendments"), num(((c2.amendments as unknown[]) ?? []).length)],
      ]),
      h("h2", {}, t("events.title")),
      eventsSection(ctx.api, `contract/${c.id}`),
    ];
  });
}
