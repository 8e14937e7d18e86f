// The form model of the "Record" page, without the DOM: the event types'
// schema as GET /v1/event-types gives it (derived on the server from the
// rule table, never re-typed here), which control each field gets, the
// conversions from what a person types into what the API takes (money in
// units to minor units by the currency's ISO 4217 digits, pasted serial
// lists to arrays), and where a server refusal points in the form.
import { minorDigits } from "../format";

export type FieldType =
  | "string"
  | "text"
  | "integer"
  | "boolean"
  | "date"
  | "datetime"
  | "enum"
  | "country"
  | "currency"
  | "object"
  | "array";

export interface FieldSchema {
  name: string;
  path: string; // "body.lines[].quantity"
  type: FieldType;
  required: boolean;
  min?: number;
  max?: number;
  values?: string[];
  item?: FieldType;
  item_values?: string[];
  fields?: FieldSchema[];
  unit?: "money_minor" | "milli" | "basis_points";
  currency_field?: string;
}

export interface EventTypeSchema {
  type: string;
  subject_kind: string;
  fields: FieldSchema[];
  may_record: boolean;
  party?: string;
}

// The procedures the types are grouped by, in the order the page lists
// them; each takes the types whose first word is one of `prefixes`.
export const PROCEDURES = [
  { key: "agreements", prefixes: ["agreement", "party", "body"] },
  { key: "contracts", prefixes: ["contract", "product", "programme"] },
  { key: "permits", prefixes: ["certificate", "licence"] },
  { key: "shipments", prefixes: ["shipment"] },
  { key: "repairs", prefixes: ["repair"] },
  { key: "inspections", prefixes: ["inspection"] },
  { key: "cases", prefixes: ["case"] },
  { key: "monitoring", prefixes: ["item", "consent", "declaration"] },
  { key: "cooperation", prefixes: ["consultation", "course", "exercise", "visit"] },
  { key: "history", prefixes: ["history"] },
] as const;
export type Procedure = (typeof PROCEDURES)[number]["key"] | "other";

export function procedureOf(type: string): Procedure {
  const first = type.split(".")[0];
  for (const p of PROCEDURES) if ((p.prefixes as readonly string[]).includes(first)) return p.key;
  return "other";
}

// The types a user may record, by procedure, in the order of PROCEDURES
// (and of the types' names within one).
export function groupTypes(types: EventTypeSchema[]): { procedure: Procedure; types: EventTypeSchema[] }[] {
  const order: Procedure[] = [...PROCEDURES.map((p) => p.key), "other"];
  return order
    .map((procedure) => ({
      procedure,
      types: types.filter((t) => t.may_record && procedureOf(t.type) === procedure).sort((a, b) => a.type.localeCompare(b.type)),
    }))
    .filter((g) => g.types.length > 0);
}

// The control a field is entered with.
export type Control =
  | "text" // one line
  | "textarea" // long text
  | "integer"
  | "money" // units of the currency, converted to minor units
  | "fixed" // *_milli: units with up to 3 decimals, converted to thousandths
  | "checkbox"
  | "date"
  | "datetime"
  | "select" // enum
  | "country" // ISO 3166 alpha-2, upper case
  | "currency" // ISO 4217 alpha-3, upper case
  | "list" // an array of scalars, pasted as lines or CSV
  | "group" // an object
  | "rows"; // an array of objects

export function controlOf(f: FieldSchema): Control {
  switch (f.type) {
    case "text":
      return "textarea";
    case "integer":
      return f.unit === "money_minor" ? "money" : f.unit === "milli" ? "fixed" : "integer";
    case "boolean":
      return "checkbox";
    case "date":
      return "date";
    case "datetime":
      return "datetime";
    case "enum":
      return "select";
    case "country":
      return "country";
    case "currency":
      return "currency";
    case "object":
      return "group";
    case "array":
      return f.item === "object" ? "rows" : "list";
    default:
      return "text";
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: "number" | "fraction" | "range" | "empty" };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// A decimal amount as a person types it, in units with up to `digits`
// fraction digits, to an integer count of 10^-digits: "1 100 000 000" or
// "1,100,000,000" RUB is 110000000000 kopecks, "12,50" and "12.50" are 1250;
// group separators are spaces (also no-break and thin), apostrophes, or the
// separator that is not the decimal one. A lone separator followed by
// exactly three digits is a group separator ("1,100" is 1100) unless the
// currency has three digits. Exact (no floating point); refuses more fraction
// digits than `digits` ("fraction"), and values past 2^53 - 1 ("range").
export function parseUnits(text: string, digits: number): Parsed<number> {
  let s = text.replace(/[\s\u00a0\u202f\u2009'’]/g, "");
  if (s === "") return { ok: false, error: "empty" };
  let negative = false;
  if (s.startsWith("-") || s.startsWith("−")) {
    negative = true;
    s = s.slice(1);
  }
  if (!/^[0-9.,]+$/.test(s) || !/[0-9]/.test(s)) return { ok: false, error: "number" };
  const lastDot = s.lastIndexOf(".");
  const lastComma = s.lastIndexOf(",");
  let decimal: string | null = null;
  if (lastDot >= 0 && lastComma >= 0) {
    decimal = lastDot > lastComma ? "." : ",";
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? "." : ",";
    const count = s.split(sep).length - 1;
    const after = s.length - s.lastIndexOf(sep) - 1;
    decimal = count === 1 && !(after === 3 && digits !== 3) ? sep : null;
  }
  let whole = s;
  let fraction = "";
  if (decimal !== null) {
    const at = s.lastIndexOf(decimal);
    whole = s.slice(0, at);
    fraction = s.slice(at + 1);
  }
  if (/[.,]/.test(fraction)) return { ok: false, error: "number" };
  // Groups of three digits after the first: "1,100,000", not "1,1,00".
  const groups = whole.split(/[.,]/);
  if (groups.length > 1 && (groups[0] === "" || groups.slice(1).some((g) => g.length !== 3))) return { ok: false, error: "number" };
  whole = groups.join("");
  if (whole === "" && fraction === "") return { ok: false, error: "number" };
  if (fraction.length > digits) return { ok: false, error: "fraction" };
  const n = BigInt((whole || "0") + fraction.padEnd(digits, "0"));
  if (n > MAX_SAFE) return { ok: false, error: "range" };
  return { ok: true, value: Number(negative ? -n : n) };
}

// Money typed in units of `currency` to the API's minor units.
export function toMinor(text: string, currency: string): Parsed<number> {
  return parseUnits(text, currency ? minorDigits(currency) : 2);
}

// Minor units back to the units a person types (no grouping): 110000000000
// RUB is "1100000000", 1250 is "12.50".
export function fromMinor(minor: number, currency: string): string {
  const digits = currency ? minorDigits(currency) : 2;
  const negative = minor < 0;
  const s = String(Math.abs(minor)).padStart(digits + 1, "0");
  const whole = s.slice(0, s.length - digits);
  const fraction = digits ? s.slice(s.length - digits) : "";
  return (negative ? "-" : "") + whole + (fraction && /[1-9]/.test(fraction) ? "." + fraction : "");
}

// A list pasted as text: one value per line, or separated by commas,
// semicolons or tabs (a CSV row or column); quotes around a value are
// dropped, blanks ignored. Duplicates are kept (the caller reports them).
export function parseList(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    for (const cell of line.split(/[,;\t]/)) {
      let v = cell.trim();
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/""/g, '"').trim();
      if (v !== "") out.push(v);
    }
  }
  return out;
}

export function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

// An integer typed with optional group separators, within [min, max].
export function parseInteger(text: string, min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Parsed<number> {
  const r = parseUnits(text, 0);
  if (!r.ok) return r.error === "fraction" ? { ok: false, error: "number" } : r;
  if (r.value < min || r.value > max) return { ok: false, error: "range" };
  return r;
}

// The concrete path of a field inside rows: the schema's "body.lines[].currency"
// with the row numbers of `at` ("body.lines[0].unit_price_minor") filled in.
export function concretePath(template: string, indexes: number[]): string {
  let i = 0;
  return template.replace(/\[\]/g, () => `[${indexes[i++] ?? 0}]`);
}

// The row numbers of a concrete path, in order: "body.a[2].b[0].c" -> [2, 0].
export function indexesOf(path: string): number[] {
  return [...path.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
}

// Where a refusal from the API points: the first field path its message
// names ("rule contract.domestic_price: body.lines[0].unit_price_minor: ...",
// "body.lines[2].quantity: ...", "time: ...", "subject: ..."), or null.
export function refusalPath(message: string): string | null {
  const m = /(?:^|[\s:(])((?:body(?:\.[A-Za-z0-9_]+|\[\d+\])+)|time|subject|party|actor)(?=:)/.exec(message);
  return m ? m[1] : null;
}

// The nearest path of `known` (the form's fields) to `path`: itself, or the
// field that holds it ("body.lines[0].serials[3]" -> "body.lines[0].serials").
export function nearestField(path: string, known: Iterable<string>): string | null {
  const set = new Set(known);
  let p = path;
  for (;;) {
    if (set.has(p)) return p;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) return null;
    p = p.slice(0, cut);
  }
}

// A new, random Idempotency-Key for one submission.
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return "form-" + c.randomUUID();
  return "form-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
}
