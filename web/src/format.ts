// Formatting of the API's values for display, in the UI's language (Intl):
// counts, fixed-point values, money, percentages and dates. Every page
// formats through these functions; CSV and JSON downloads do not (they stay
// the server's, English and machine-readable).
import { intlTag, locale } from "./i18n";

// Whether this browser's Intl has the locale's data: Debian's Chromium
// ships Uzbek (Latin) without it, and formats "2026 M03 12", "1,234,567.5".
const hasData = new Map<string, boolean>();
export function intlHasData(tag: string): boolean {
  let ok = hasData.get(tag);
  if (ok === undefined) {
    const month = new Intl.DateTimeFormat(tag, { month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2026, 2, 12)));
    hasData.set(tag, (ok = !/M\d/.test(month)));
  }
  return ok;
}

// The tag numbers are formatted with: the locale's, or for Latin Uzbek
// without data the Cyrillic one (the same digits and separators: 1 234,5).
export function numberTag(): string {
  const tag = intlTag();
  if (locale() === "uz-Latn" && !intlHasData(tag)) return "uz-Cyrl-UZ";
  return tag;
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(opts: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const k = `n|${numberTag()}|${JSON.stringify(opts)}`;
  let f = cache.get(k) as Intl.NumberFormat | undefined;
  if (!f) cache.set(k, (f = new Intl.NumberFormat(numberTag(), opts)));
  return f;
}

// CLDR's Uzbek (Latin) month names and date pattern ("12-mar, 2026",
// "12-mart, 2026"), for browsers whose Intl lacks them; the unit tests
// check them against Node's full ICU.
const UZ_MONTHS_SHORT = ["yan", "fev", "mar", "apr", "may", "iyn", "iyl", "avg", "sen", "okt", "noy", "dek"];
const UZ_MONTHS_LONG = ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr", "noyabr", "dekabr"];
export function uzLatnDate(d: Date, long = false): string {
  return `${d.getUTCDate()}-${(long ? UZ_MONTHS_LONG : UZ_MONTHS_SHORT)[d.getUTCMonth()]}, ${d.getUTCFullYear()}`;
}
const ownUzbek = () => locale() === "uz-Latn" && !intlHasData(intlTag());
function dateFormat(opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = `d|${intlTag()}|${JSON.stringify(opts)}`;
  let f = cache.get(k) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(k, (f = new Intl.DateTimeFormat(intlTag(), { timeZone: "UTC", ...opts })));
  return f;
}

export function num(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : numberFormat().format(n);
}

// The digits after the decimal point of a currency (ISO 4217: 2 for RUB,
// UZS and USD, 0 for JPY, 3 for KWD), as the API's minor units count them.
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2; // not an ISO 4217 code: assume hundredths
  }
}

// Money: the API gives integer minor units (kopecks, tiyin, cents) with an
// ISO 4217 code; shown in units with the code, the fraction only when there
// is one ("27,000,000 RUB" in English, "27 000 000 RUB" in Russian).
export function money(minor: number | null | undefined, currency = ""): string {
  if (minor === null || minor === undefined) return "—";
  const digits = currency ? minorDigits(currency) : 2;
  const major = minor / 10 ** digits;
  const fraction = minor % 10 ** digits === 0 ? 0 : digits;
  const s = numberFormat({ minimumFractionDigits: fraction, maximumFractionDigits: fraction }).format(major);
  return currency ? `${s}\u00a0${currency}` : s; // no line break inside an amount
}

// Fixed-point thousandths (fields named *_milli).
export function milli(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return "—";
  return numberFormat({ maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v / 1000);
}

// A percentage, rounded to whole percent.
export function percent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "—";
  return numberFormat({ style: "percent", maximumFractionDigits: 0 }).format(p / 100);
}

export function pct(part: number, whole: number): string {
  if (!whole) return "—";
  return percent((100 * part) / whole);
}

// A calendar date ("2026-03-12" or an RFC 3339 time) with the month in
// words, so that day and month cannot be confused: "12 Mar 2026",
// "12 мар. 2026 г.", "12-mar, 2026". Text that is not a date is shown as is.
export function date(s: string | null | undefined): string {
  if (!s) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return s;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime())) return s;
  if (ownUzbek()) return uzLatnDate(d);
  return dateFormat({ day: "numeric", month: "short", year: "numeric" }).format(d);
}

// The same date in full ("12 March 2026"): shown beside a date input, whose
// own display follows the browser's settings rather than the page's language.
export function longDate(s: string | null | undefined): string {
  const m = s ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
  if (!m) return "—";
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime())) return "—";
  if (ownUzbek()) return uzLatnDate(d, true);
  return dateFormat({ day: "numeric", month: "long", year: "numeric" }).format(d);
}

// A moment (RFC 3339 or seconds since the epoch) with date and time, UTC.
export function dateTime(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === "") return "—";
  const d = typeof v === "number" ? new Date(v * 1000) : new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  if (ownUzbek()) return `${uzLatnDate(d)}, ${d.toISOString().slice(11, 19)} UTC`;
  return `${dateFormat({ day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(d)} UTC`;
}

export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86400000);
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
