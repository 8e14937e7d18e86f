// Renders JSON of a shape the UI does not know in advance (a report that a
// node adds later): arrays of objects as tables, objects as facts, nested
// values as compact text.
import { h, type Child } from "../dom";
import { facts, table, type Column } from "./table";
import { label } from "../i18n";

export function scalar(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "object") {
    if (Array.isArray(v) && v.every((x) => typeof x !== "object")) return v.join(", ");
    return JSON.stringify(v);
  }
  return String(v);
}

export function rowsToColumns(rows: Record<string, unknown>[]): Column<Record<string, unknown>>[] {
  const keys: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  return keys.map((k) => ({
    label: label("field", k),
    numeric: rows.every((r) => typeof r[k] === "number" || r[k] === undefined),
    value: (r: Record<string, unknown>) => scalar(r[k]),
  }));
}

export function renderJson(title: string, v: unknown, depth = 0): Child {
  if (Array.isArray(v)) {
    if (v.every((x) => x && typeof x === "object" && !Array.isArray(x))) {
      const rows = v as Record<string, unknown>[];
      return table(title, rowsToColumns(rows), rows);
    }
    return facts([[title, scalar(v)]]);
  }
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const simple: [string, Child][] = [];
    const nested: Child[] = [];
    for (const [k, x] of Object.entries(o)) {
      if (x && typeof x === "object" && depth < 2 && !(Array.isArray(x) && x.every((y) => typeof y !== "object"))) {
        nested.push(renderJson(`${title} — ${label("field", k)}`, x, depth + 1));
      } else simple.push([label("field", k), scalar(x)]);
    }
    return h("div", {}, simple.length ? [h("h3", {}, title), facts(simple)] : null, nested);
  }
  return facts([[title, scalar(v)]]);
}
