// Contracts: the list, and one contract with its lines, both signatures,
// fulfilment and price flags.
import type { Ctx } from "../context";
import { h, route } from "../dom";
import { date, money, num, pct } from "../format";
import { eventsSection } from "../ui/events";
import { section } from "../ui/states";
import { facts, table } from "../ui/table";
import type { Contract, Line } from "./data";

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
      return h("span", { class: `badge ${s ? "ok" : "warn"}` }, s ? `${p} signed ${date(s.date)}` : `${p} not signed`);
    }),
  );
}

function progress(done: number, total: number, label: string): HTMLElement {
  return h("span", {}, h("progress", { max: total || 1, value: done, "aria-label": label }), ` ${num(done)} / ${num(total)} (${pct(done, total)})`);
}

export async function contractsPage(ctx: Ctx): Promise<void> {
  const el = h("section", {});
  ctx.main.append(h("h1", {}, "Contracts"), el);
  await section(el, "contracts", () => ctx.api.list<Contract>("contracts"), (rows) =>
    table("Contracts", [
      { label: "Contract", value: (c) => h("a", { href: route("contracts", c.id) }, c.id), csv: (c) => c.id },
      { label: "Agreement", value: (c) => c.agreement },
      { label: "Supplier → recipient", value: (c) => `${c.supplier} → ${c.recipient}` },
      { label: "Status", value: (c) => c.status.replace(/_/g, " ") },
      { label: "Value", value: (c) => money(c.lines.reduce((s, l) => s + l.unit_price_minor * l.quantity, 0), c.lines[0]?.currency), numeric: true },
      { label: "Fulfilment", value: (c) => progress(delivered(c), ordered(c), `Fulfilment of ${c.id}`) },
      { label: "Signatures", value: signatureCell },
      { label: "Price flags", value: (c) => (c.lines.some((l) => l.price_flag) ? h("span", { class: "flag" }, "above domestic price") : "none") },
    ], rows, "No contracts recorded."),
  );
}

function lineRatio(l: Line): string {
  return l.domestic_price_minor ? pct(l.unit_price_minor, l.domestic_price_minor) : "—";
}

export async function contractPage(ctx: Ctx, id: string): Promise<void> {
  const el = h("section", {});
  ctx.main.append(h("h1", {}, `Contract ${id}`), h("p", {}, h("a", { href: "#/contracts" }, "All contracts")), el);
  await section(el, "the contract", () => ctx.api.get<Contract>("contracts", id), (c) => {
    const c2 = c as Contract & Record<string, unknown>;
    return [
      facts([
        ["Agreement", String(c.agreement)],
        ["Supplier", `${c.supplier} (${String(c2.supplier_body ?? "")})`],
        ["Recipient", `${c.recipient} (${String(c2.recipient_body ?? "")})`],
        ["Channel", `${String(c2.channel ?? "—")}${c2.intermediary_body ? ` via ${String(c2.intermediary_body)}` : ""}`],
        ["Status", `${c.status.replace(/_/g, " ")}${c2.in_force_from ? ` from ${String(c2.in_force_from)}` : ""}`],
        ["Drafted", date(c2.drafted as string)],
        ["Fulfilment", progress(delivered(c), ordered(c), "Fulfilment of the contract")],
      ]),
      h("h2", {}, "Signatures"),
      table("Signatures of both parties", [
        { label: "Party", value: (p: string) => p },
        { label: "Role", value: (p) => (p === c.supplier ? "supplier" : "recipient") },
        { label: "Signed", value: (p) => (c.signatures?.[p] ? h("span", { class: "badge ok" }, `signed ${date(c.signatures[p].date)}`) : h("span", { class: "badge warn" }, "not signed")) },
        { label: "By", value: (p) => c.signatures?.[p]?.actor ?? "—" },
      ], [c.supplier, c.recipient]),
      h("h2", {}, "Lines"),
      table("Contract lines with prices and fulfilment", [
        { label: "Line", value: (l) => l.line, numeric: true },
        { label: "Product", value: (l) => l.product },
        { label: "Status", value: (l) => (l.status ?? "new").replace(/_/g, " ") },
        { label: "Quantity", value: (l) => num(l.quantity), numeric: true },
        { label: "Unit price", value: (l) => money(l.unit_price_minor, l.currency), numeric: true },
        { label: "Domestic price", value: (l) => (l.domestic_price_minor ? money(l.domestic_price_minor, l.currency) : "—"), numeric: true },
        { label: "Of domestic", value: lineRatio, numeric: true },
        { label: "Price flag", value: (l) => (l.price_flag ? h("span", { class: "flag" }, `above tolerance${l.justification ? `: ${l.justification}` : ""}`) : "none") },
        { label: "Delivered", value: (l) => progress(c.delivered?.[String(l.line)] ?? 0, l.quantity, `Line ${l.line} delivered`) },
        { label: "In transit", value: (l) => num(c.in_transit?.[String(l.line)] ?? 0), numeric: true },
      ], c.lines),
      c.delivery_schedule?.length
        ? table("Delivery schedule", [
            { label: "Year", value: (s) => s.year },
            { label: "Line", value: (s) => s.line, numeric: true },
            { label: "Quantity", value: (s) => num(s.quantity), numeric: true },
          ], c.delivery_schedule)
        : null,
      h("h2", {}, "Documents"),
      facts([
        ["Shipments", h("span", {}, ((c2.shipments as string[]) ?? []).map((s, i) => [i ? ", " : "", h("a", { href: route("shipments", s) }, s)]))],
        ["Licences", ((c2.licences as string[]) ?? []).join(", ") || "—"],
        ["End-user certificates", ((c2.certificates as string[]) ?? []).join(", ") || "—"],
        ["Amendments", String(((c2.amendments as unknown[]) ?? []).length)],
      ]),
      h("h2", {}, "Log entries"),
      eventsSection(ctx.api, `contract/${c.id}`),
    ];
  });
}
