// Formatting of the API's integer units for display.

const nf = new Intl.NumberFormat("en-GB");

export function num(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : nf.format(n);
}

// Money in minor units with an ISO 4217 currency code.
export function money(minor: number | null | undefined, currency = ""): string {
  if (minor === null || minor === undefined) return "—";
  const major = minor / 100;
  const s = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 }).format(major);
  return currency ? `${s} ${currency}` : s;
}

// Fixed-point thousandths (fields named *_milli).
export function milli(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return "—";
  return new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v / 1000);
}

export function pct(part: number, whole: number): string {
  if (!whole) return "—";
  return `${Math.round((100 * part) / whole)}%`;
}

export function date(s: string | null | undefined): string {
  if (!s) return "—";
  return s.length > 10 ? s.slice(0, 10) : s;
}

export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86400000);
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
