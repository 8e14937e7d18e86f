// Items: search by serial number, and one item with its history.
import type { Ctx } from "../context";
import type { Entity } from "../api";
import { h, route } from "../dom";
import { date } from "../format";
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

export async function itemsPage(ctx: Ctx, query: URLSearchParams): Promise<void> {
  const q = query.get("serial") ?? "";
  const input = h("input", { id: "serial", name: "serial", type: "search", value: q, autocomplete: "off", placeholder: "e.g. MI35M-UZ-0002" });
  const form = h(
    "form",
    { class: "inline", role: "search" },
    h("label", { for: "serial" }, "Serial number", input),
    h("button", { type: "submit" }, "Search"),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = `#/items?serial=${encodeURIComponent(input.value.trim())}`;
  });
  const el = h("section", { "aria-live": "polite" });
  ctx.main.append(h("h1", {}, "Items"), h("p", {}, "Every delivered item by serial number, with its custody, repairs and monitoring."), form, el);
  await section(el, "items", () => ctx.api.list<Item>("items"), (rows) => {
    const needle = q.toLowerCase();
    const found = needle ? rows.filter((r) => r.serial.toLowerCase().includes(needle)) : rows;
    return [
      needle ? h("p", { role: "status" }, `${found.length} ${found.length === 1 ? "item matches" : "items match"} “${q}”.`) : null,
      table(needle ? `Items matching “${q}”` : "All items", [
        { label: "Serial", value: (i) => h("a", { href: route("items", i.product, i.serial) }, i.serial) },
        { label: "Product", value: (i) => i.product },
        { label: "State", value: (i) => i.state.replace(/_/g, " ") },
        { label: "Holder", value: (i) => i.holder ?? "—" },
        { label: "Location", value: (i) => i.location ?? "—" },
        { label: "Contract", value: (i) => i.contract ?? "—" },
      ], found, needle ? `No item has a serial number containing “${q}”.` : "No items recorded."),
    ];
  });
}

export async function itemPage(ctx: Ctx, id: string): Promise<void> {
  const el = h("section", {});
  ctx.main.append(h("h1", {}, `Item ${id}`), h("p", {}, h("a", { href: "#/items" }, "Search items")), el);
  await section(el, "the item", () => ctx.api.get<Item>("items", id), (i) => [
    facts([
      ["Product", i.product],
      ["Serial number", i.serial],
      ["State", i.state.replace(/_/g, " ")],
      ["Condition", i.condition ?? "—"],
      ["Holder", `${i.holder ?? "—"}${i.unit && i.unit !== i.holder ? ` (unit ${i.unit})` : ""}`],
      ["Location", i.location ?? "—"],
      ["Contract", i.contract ? h("a", { href: route("contracts", i.contract) }, i.contract) : "—"],
      ["Shipment", i.shipment ? h("a", { href: route("shipments", i.shipment) }, i.shipment) : "—"],
      ["Received", date(i.received)],
    ]),
    h("h2", {}, "History"),
    i.history?.length
      ? h(
          "ol",
          { class: "timeline", "aria-label": "History of the item" },
          i.history.map((e) =>
            h(
              "li",
              {},
              h("strong", {}, `${date(e.date)} ${e.what}`),
              ` (${e.event}, log entry ${e.index})`,
              e.detail ? h("div", { class: "muted" }, Object.entries(e.detail).map(([k, v]) => `${k}: ${scalar(v)}`).join("; ")) : null,
              verifyButton(ctx.api, e.index),
            ),
          ),
        )
      : h("p", { class: "state empty" }, "No history recorded."),
  ]);
}
