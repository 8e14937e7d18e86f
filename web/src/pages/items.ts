// Items: search by serial number, and one item with its history.
import type { Ctx } from "../context";
import type { Entity } from "../api";
import { h, route } from "../dom";
import { date } from "../format";
import { label, t } from "../i18n";
import { scalar } from "../ui/generic";
import { section } from "../ui/states";
import { facts, table } from "../ui/table";
import { verifyButton } from "../ui/verify";

interface Item extends Entity {
  product: string;
  serial: string;
  state: string;
  contract?: string;
  shipment?: string;
  holder?: string;
  unit?: string;
  location?: string;
  condition?: string;
  received?: string;
  history?: { date: string; event: string; what: string; index: number; detail?: Record<string, unknown> }[];
}

// Detail fields whose values are words of the API's (translated), not data.
const STATUS_FIELDS = new Set(["condition", "result"]);

export async function itemsPage(ctx: Ctx, query: URLSearchParams): Promise<void> {
  const q = query.get("serial") ?? "";
  const input = h("input", { id: "serial", name: "serial", type: "search", value: q, autocomplete: "off", placeholder: t("items.placeholder", { example: "MI35M-UZ-0002" }) });
  const form = h(
    "form",
    { class: "inline", role: "search" },
    h("label", { for: "serial" }, t("col.serialNumber"), input),
    h("button", { type: "submit" }, t("items.search")),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = `#/items?serial=${encodeURIComponent(input.value.trim())}`;
  });
  const el = h("section", { "aria-live": "polite" });
  ctx.main.append(h("h1", {}, t("items.title")), h("p", {}, t("items.about")), form, el);
  await section(el, t("items.loading"), () => ctx.api.list<Item>("items"), (rows) => {
    const needle = q.toLowerCase();
    const found = needle ? rows.filter((r) => r.serial.toLowerCase().includes(needle)) : rows;
    return [
      needle ? h("p", { role: "status" }, t("items.matches", { count: found.length, q })) : null,
      table(needle ? t("items.matching", { q }) : t("items.all"), [
        { label: t("col.serial"), value: (i) => h("a", { href: route("items", i.product, i.serial) }, i.serial) },
        { label: t("col.product"), value: (i) => i.product },
        { label: t("col.state"), value: (i) => label("status", i.state) },
        { label: t("col.holder"), value: (i) => i.holder ?? "—" },
        { label: t("col.location"), value: (i) => i.location ?? "—" },
        { label: t("col.contract"), value: (i) => i.contract ?? "—" },
      ], found, needle ? t("items.noMatch", { q }) : t("items.none")),
    ];
  });
}

export async function itemPage(ctx: Ctx, id: string): Promise<void> {
  const el = h("section", {});
  ctx.main.append(h("h1", {}, t("item.title", { id })), h("p", {}, h("a", { href: "#/items" }, t("item.search"))), el);
  await section(el, t("item.loading"), () => ctx.api.get<Item>("items", id), (i) => [
    facts([
      [t("col.product"), i.product],
      [t("col.serialNumber"), i.serial],
      [t("col.state"), label("status", i.state)],
      [t("item.condition"), label("status", i.condition)],
      [t("col.holder"), `${i.holder ?? "—"}${i.unit && i.unit !== i.holder ? ` (${t("item.unit", { unit: i.unit })})` : ""}`],
      [t("col.location"), i.location ?? "—"],
      [t("col.contract"), i.contract ? h("a", { href: route("contracts", i.contract) }, i.contract) : "—"],
      [t("col.shipment"), i.shipment ? h("a", { href: route("shipments", i.shipment) }, i.shipment) : "—"],
      [t("col.received"), date(i.received)],
    ]),
    h("h2", {}, t("item.history")),
    i.history?.length
      ? h(
          "ol",
          { class: "timeline", "aria-label": t("item.historyList") },
          i.history.map((e) =>
            h(
              "li",
              {},
              h("strong", {}, `${date(e.date)} ${label("history", e.what)}`),
              ` (${label("event", e.event)}; ${t("common.logEntry", { index: String(e.index) })})`,
              e.detail ? h("div", { class: "muted" }, Object.entries(e.detail).map(([k, v]) => `${label("field", k)}: ${STATUS_FIELDS.has(k) && typeof v === "string" ? label("status", v) : scalar(v)}`).join("; ")) : null,
              verifyButton(ctx.api, e.index),
            ),
          ),
        )
      : h("p", { class: "state empty" }, t("item.noHistory")),
  ]);
}
