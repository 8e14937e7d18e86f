// Data tables: a caption, headed columns, scrollable on narrow screens.
import { h, type Child } from "../dom";
import { empty } from "./states";
import { t } from "../i18n";

export interface Column<T> {
  label: string;
  value: (row: T) => Child;
  numeric?: boolean;
  // The plain value for CSV export (defaults to the text of `value`).
  csv?: (row: T) => string | number;
}

export function table<T>(caption: string, columns: Column<T>[], rows: T[], emptyText = t("state.nothing")): HTMLElement {
  if (rows.length === 0) return h("div", { class: "table-empty" }, h("h3", { class: "caption" }, caption), empty(emptyText));
  return h(
    "div",
    { class: "table-wrap", role: "region", "aria-label": caption, tabindex: 0 },
    h(
      "table",
      {},
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.numeric ? "num" : null }, c.label)))),
      h(
        "tbody",
        {},
        rows.map((r) => h("tr", {}, columns.map((c) => h("td", { class: c.numeric ? "num" : null }, c.value(r))))),
      ),
    ),
  );
}

function cell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<T>(columns: Column<T>[], rows: T[]): string {
  const text = (c: Column<T>, r: T): string | number => {
    if (c.csv) return c.csv(r);
    const v = c.value(r);
    if (v instanceof Node) return v.textContent ?? "";
    return v === null || v === undefined || v === false ? "" : String(v);
  };
  const lines = [columns.map((c) => cell(c.label)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => cell(text(c, r))).join(","));
  return lines.join("\r\n") + "\r\n";
}

// Offers `text` as a file download.
export function download(filename: string, text: string, type = "text/csv"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: filename, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// A definition list of label/value pairs.
export function facts(pairs: [string, Child][]): HTMLElement {
  return h("dl", { class: "facts" }, pairs.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "—")]));
}
