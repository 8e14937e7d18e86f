// The UI's languages: which one is used (the user's choice kept in local
// storage, else the first of the browser's languages we have, else English),
// and t(key, params), the only way a page gets a user-visible string.
//
// Every string lives in one catalogue per language (en.ts is the reference;
// the others are typed against its keys, and test/i18n.test.ts fails on a
// key missing from any of them or defined but unused). Keys starting with
// "status.", "event.", "field.", "history." or "role." are labels of values
// the API returns (statuses, event types, field names, the steps of an
// item's history, users' roles), looked up with label(); the data
// itself (ids, designations, comments) is never translated.
import { en, type Key } from "./en";
import { ru } from "./ru";
import { uzLatn } from "./uz-Latn";
import { uzCyrl } from "./uz-Cyrl";
import type { Message, Plural } from "./types";

export type { Key } from "./en";

export const LOCALES = ["en", "ru", "uz-Latn", "uz-Cyrl"] as const;
export type Locale = (typeof LOCALES)[number];

// Each language by its own name, as the switcher offers it.
export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  ru: "Русский",
  "uz-Latn": "O‘zbekcha",
  "uz-Cyrl": "Ўзбекча",
};

// The locale Intl formats numbers and dates with. English is British usage:
// day before month, the month in words (never 12/03/2026).
export const INTL_TAG: Record<Locale, string> = {
  en: "en-GB",
  ru: "ru-RU",
  "uz-Latn": "uz-Latn-UZ",
  "uz-Cyrl": "uz-Cyrl-UZ",
};

export const CATALOGUES: Record<Locale, Record<Key, Message>> = {
  en,
  ru,
  "uz-Latn": uzLatn,
  "uz-Cyrl": uzCyrl,
};

const STORAGE_KEY = "accord.lang";

function isLocale(s: string | null | undefined): s is Locale {
  return !!s && (LOCALES as readonly string[]).includes(s);
}

// The language for a stored choice and the browser's languages (in order of
// preference, as navigator.languages gives them). "uz" alone, "uz-UZ" and
// "uz-Latn-*" are Latin Uzbek; "uz-Cyrl-*" is Cyrillic Uzbek.
export function pickLocale(stored: string | null, preferred: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const raw of preferred) {
    const tag = raw.toLowerCase();
    const lang = tag.split("-")[0];
    if (lang === "ru") return "ru";
    if (lang === "uz") return tag.includes("cyrl") ? "uz-Cyrl" : "uz-Latn";
    if (lang === "en") return "en";
  }
  return "en";
}

function storedChoice(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

let current: Locale = pickLocale(storedChoice(), globalThis.navigator?.languages ?? []);

export function locale(): Locale {
  return current;
}

export function intlTag(): string {
  return INTL_TAG[current];
}

// Switches the language; `remember` keeps the choice for later visits.
export function setLocale(l: Locale, remember = true): void {
  current = l;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }
  if (globalThis.document) document.documentElement.lang = l;
}

export type Params = Record<string, string | number>;

// Shown instead of a message the catalogue lacks (the tests look for it).
export const MISSING = "⟦";

function pluralForm(m: Plural, count: number, l: Locale): string {
  const cat = new Intl.PluralRules(INTL_TAG[l]).select(count) as keyof Plural;
  return m[cat] ?? m.other;
}

// The message `key` in language `l` with {name} placeholders filled in. A
// plural message picks its form by params.count; numbers are formatted for
// the language.
export function translate(l: Locale, key: Key, params: Params = {}): string {
  const m = CATALOGUES[l][key] ?? en[key];
  if (m === undefined) return `${MISSING}${key}⟧`;
  const text = typeof m === "string" ? m : pluralForm(m, Number(params.count ?? 0), l);
  return text.replace(/\{(\w+)\}/g, (all, name: string) => {
    const v = params[name];
    if (v === undefined) return all;
    return typeof v === "number" ? new Intl.NumberFormat(INTL_TAG[l]).format(v) : v;
  });
}

export function t(key: Key, params?: Params): string {
  return translate(current, key, params);
}

export type LabelKind = "status" | "event" | "field" | "history" | "role";

// The label of a value the API returns (a status, an event type, a field
// name); one the catalogue does not know is shown as it is, underscores as
// spaces.
export function label(kind: LabelKind, raw: string | null | undefined): string {
  if (raw === null || raw === undefined || raw === "") return "—";
  const key = `${kind}.${raw}` as Key;
  const m = CATALOGUES[current][key];
  if (m === undefined) return raw.replace(/_/g, " ");
  return translate(current, key);
}
