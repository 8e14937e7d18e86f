// The message catalogues: every language has every key, with the same
// placeholders and the plural forms its language needs; every key is used;
// every event type has a label; no page holds English UI text of its own.
// And the pieces that choose and format: pickLocale, t(), translit, format.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CATALOGUES, INTL_TAG, LOCALES, label, pickLocale, setLocale, t, translate, type Key } from "../src/i18n";
import { en } from "../src/i18n/en";
import { latinToCyrillic } from "../src/i18n/translit";
import type { Message } from "../src/i18n/types";
import { date, dateTime, intlHasData, longDate, milli, money, num, pct, uzLatnDate } from "../src/format";

const SRC = resolve(import.meta.dirname, "../src");
const LABEL_PREFIXES = ["status.", "event.", "field.", "history.", "role."];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}
const placeholders = (m: Message) =>
  [...new Set((typeof m === "string" ? [m] : Object.values(m)).flatMap((s) => [...(s as string).matchAll(/\{(\w+)\}/g)].map((x) => x[1])))].sort();

afterEach(() => setLocale("en", false));

describe("message catalogues", () => {
  const keys = Object.keys(en).sort();

  it.each(LOCALES.filter((l) => l !== "en"))("%s has exactly the keys of en.ts", (l) => {
    const have = Object.keys(CATALOGUES[l]).sort();
    expect(keys.filter((k) => !have.includes(k)), "missing").toEqual([]);
    expect(have.filter((k) => !keys.includes(k)), "not in en.ts").toEqual([]);
  });

  it.each([...LOCALES])("%s: no empty message, the same placeholders as English, every plural form", (l) => {
    const needed = new Intl.PluralRules(INTL_TAG[l]).resolvedOptions().pluralCategories.filter((c) => c !== "zero" && c !== "two");
    for (const k of keys as Key[]) {
      const m = CATALOGUES[l][k];
      for (const s of typeof m === "string" ? [m] : Object.values(m)) expect((s as string).trim(), `${l} ${k}`).not.toBe("");
      expect(placeholders(m), `${l} ${k}`).toEqual(placeholders(en[k]));
      expect(typeof m, `${l} ${k}: plural in one language, plural in all`).toBe(typeof en[k]);
      if (typeof m !== "string") for (const c of needed) expect((m as unknown as Record<string, string>)[c], `${l} ${k} lacks "${c}"`).toBeDefined();
    }
  });

  it("uses every key: each one (but the labels of API values) appears quoted in web/src", () => {
    const text = sources(SRC)
      .filter((p) => !p.includes(`${join("src", "i18n")}`))
      .map((p) => readFileSync(p, "utf8"))
      .join("\n");
    const unused = keys.filter((k) => !LABEL_PREFIXES.some((p) => k.startsWith(p)) && !text.includes(`"${k}"`));
    expect(unused).toEqual([]);
  });

  it("labels every event type of docs/EVENTS.md, and only those", () => {
    const doc = readFileSync(resolve(import.meta.dirname, "../../docs/EVENTS.md"), "utf8");
    const types = [...doc.matchAll(/^## `([a-z_]+\.[a-z_]+)`/gm)].map((m) => m[1]).sort();
    expect(types.length).toBeGreaterThan(50);
    const labelled = keys.filter((k) => k.startsWith("event.")).map((k) => k.slice("event.".length)).sort();
    expect(labelled).toEqual(types);
  });

  it("Latin Uzbek uses ‘ (U+2018) in o‘ and g‘, never ' or ʻ or `", () => {
    for (const [k, m] of Object.entries(CATALOGUES["uz-Latn"])) {
      for (const s of typeof m === "string" ? [m] : Object.values(m)) {
        expect(s as string, k).not.toMatch(/[oOgG]['ʻ`’]/);
      }
    }
  });

  it("Cyrillic Uzbek has no Latin words but kept identifiers", () => {
    const allowed = /^(TIV|CSV|RFC|SHA|Ed25519|WebCrypto|Accord|signed|note|name\+keyid\+key|base64|s)$/;
    for (const [k, m] of Object.entries(CATALOGUES["uz-Cyrl"])) {
      for (const s of typeof m === "string" ? [m] : Object.values(m)) {
        const latin = (s as string).replace(/\{\w+\}/g, "").match(/[A-Za-z][A-Za-z0-9+]*/g) ?? [];
        expect(latin.filter((w) => !allowed.test(w)), k).toEqual([]);
      }
    }
  });
});

// A page's own English: capitalised words in a string literal, a literal
// label or caption, a literal child of h(). Translated text comes from t().
describe("no hard-coded UI text in the pages", () => {
  const files = sources(SRC).filter((p) => !/[/\\](i18n|verify)[/\\]/.test(p));
  // Literals that are not UI text: HTTP headers, MIME types, products' names.
  const ALLOWED = [/^Bearer\b/, /^Content-Disposition$/, /^Authorization$/, /^WebCrypto$/, /^Accord$/];

  it.each(files.map((p) => [relative(SRC, p), p]))("%s", (_name, p) => {
    const src = readFileSync(p, "utf8")
      .replace(/^.*\/\/ not UI text$/gm, "") // keys the code matches, marked so
      .replace(/^\s*\/\/.*$/gm, "") // comments
      .replace(/\/\*[\s\S]*?\*\//g, "");
    const found: string[] = [];
    // Quoted literals ("..." and `...` without their ${} parts).
    for (const m of src.matchAll(/"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)) {
      const lit = (m[1] ?? m[2] ?? "").replace(/\$\{[^}]*\}/g, " ");
      if (ALLOWED.some((a) => a.test(lit.trim()))) continue;
      // Two or more words of letters with a capital or a sentence's end, or
      // one capitalised word of three letters or more: English UI text.
      const sentence = /[A-Za-z]{2,} [a-z]{2,}/.test(lit) && (/[A-Z][a-z]/.test(lit) || /[a-z][.:!?…]$/.test(lit.trim()));
      const word = /^[A-Z][a-z]{2,}$/.test(lit.trim());
      if (sentence || word) found.push(lit);
    }
    expect(found).toEqual([]);
  });
});

describe("choosing the language", () => {
  it("takes the stored choice first, then the browser's languages in order", () => {
    expect(pickLocale("uz-Cyrl", ["ru-RU"])).toBe("uz-Cyrl");
    expect(pickLocale(null, ["de-DE", "ru-RU", "en"])).toBe("ru");
    expect(pickLocale(null, ["uz"])).toBe("uz-Latn");
    expect(pickLocale(null, ["uz-UZ"])).toBe("uz-Latn");
    expect(pickLocale(null, ["uz-Cyrl-UZ"])).toBe("uz-Cyrl");
    expect(pickLocale(null, ["en-US", "ru"])).toBe("en");
    expect(pickLocale("xx", ["fr"])).toBe("en");
    expect(pickLocale(null, [])).toBe("en");
  });
});

describe("t()", () => {
  it("fills placeholders and picks Russian plural forms one/few/many", () => {
    expect(translate("ru", "common.days", { count: 1 })).toBe("1 день");
    expect(translate("ru", "common.days", { count: 3 })).toBe("3 дня");
    expect(translate("ru", "common.days", { count: 5 })).toBe("5 дней");
    expect(translate("ru", "common.days", { count: 21 })).toBe("21 день");
    expect(translate("ru", "common.days", { count: 112 })).toBe("112 дней");
    expect(translate("en", "common.days", { count: 1 })).toBe("1 day");
    expect(translate("en", "common.days", { count: 30 })).toBe("30 days");
    expect(translate("uz-Latn", "common.days", { count: 30 })).toBe("30 kun");
    expect(translate("en", "contract.title", { id: "RU-UZ-2018-001" })).toBe("Contract RU-UZ-2018-001");
    expect(translate("ru", "log.entries", { count: 1234 })).toBe("1\u00a0234 записи");
  });

  it("follows setLocale, and labels API values (unknown ones as they are)", () => {
    setLocale("ru", false);
    expect(t("nav.items")).toBe("Изделия");
    expect(label("status", "in_force")).toBe("в силе");
    expect(label("event", "contract.signed")).toBe("контракт подписан");
    expect(label("status", "some_new_status")).toBe("some new status");
    setLocale("uz-Cyrl", false);
    expect(t("app.title")).toBe("Accord — Ҳарбий-техник ҳамкорлик реестри");
  });
});

describe("Uzbek Latin → Cyrillic", () => {
  it.each([
    ["Harbiy-texnik hamkorlik reyestri", "Ҳарбий-техник ҳамкорлик реестри"],
    ["O‘zbekcha", "Ўзбекча"],
    ["Yetkazib beruvchi", "Етказиб берувчи"],
    ["Eksport va import", "Экспорт ва импорт"],
    ["yo‘q", "йўқ"],
    ["g‘alaba", "ғалаба"],
    ["Qo‘shimcha imzo", "Қўшимча имзо"],
    ["Chiqish", "Чиқиш"],
    ["ma’lumot", "маълумот"],
    ["Mas’uliyatni topshirish zanjiri", "Масъулиятни топшириш занжири"],
    ["Litsenziyalar", "Лицензиялар"],
    ["Tayyorlanmoqda: {what}", "Тайёрланмоқда: {what}"],
    ["HAQIQIY EMAS", "ҲАҚИҚИЙ ЭМАС"],
    ["hal etilgan", "ҳал этилган"],
    ["SIPRI TIV (mln)", "СИПРИ TIV (млн)"],
    ["mening", "менинг"],
    ["BMTning reyestri", "БМТнинг реестри"],
    ["WebCrypto", "WebCrypto"],
  ])("%s → %s", (lat, cyr) => {
    expect(latinToCyrillic(lat)).toBe(cyr);
  });
});

describe("formatting per language", () => {
  it("money: minor units to units with the currency code, per ISO 4217 digits", () => {
    expect(money(400000000000, "RUB")).toBe("4,000,000,000\u00a0RUB");
    expect(money(12345, "USD")).toBe("123.45\u00a0USD");
    expect(money(500, "JPY")).toBe("500\u00a0JPY");
    expect(money(null, "RUB")).toBe("—");
    setLocale("ru", false);
    expect(money(2700000000, "RUB")).toBe("27\u00a0000\u00a0000\u00a0RUB");
    expect(money(12345, "USD")).toBe("123,45\u00a0USD");
  });

  it("dates with the month in words, never 12/03/2026", () => {
    expect(date("2026-03-12")).toBe("12 Mar 2026");
    expect(date("2019-03-12T10:00:00Z")).toBe("12 Mar 2019");
    expect(longDate("2026-03-12")).toBe("12 March 2026");
    expect(date("not a date")).toBe("not a date");
    expect(date(null)).toBe("—");
    setLocale("ru", false);
    expect(date("2026-03-12")).toMatch(/^12 мар\.? 2026/);
    setLocale("uz-Latn", false);
    expect(date("2026-03-12")).toMatch(/12.*mar.*2026/);
    setLocale("uz-Cyrl", false);
    expect(date("2026-03-12")).toMatch(/12.*мар.*2026/);
  });

  it("Latin Uzbek dates of our own match CLDR's (for browsers without the data)", () => {
    expect(intlHasData("uz-Latn-UZ")).toBe(true); // Node has full ICU
    for (let m = 0; m < 12; m++) {
      const d = new Date(Date.UTC(2026, m, 12));
      const intl = (month: "short" | "long") => new Intl.DateTimeFormat("uz-Latn-UZ", { day: "numeric", month, year: "numeric", timeZone: "UTC" }).format(d);
      expect(uzLatnDate(d)).toBe(intl("short"));
      expect(uzLatnDate(d, true)).toBe(intl("long"));
    }
    expect(dateTime("2019-03-12T10:00:05Z")).toBe("12 Mar 2019, 10:00:05 UTC");
  });

  it("numbers, thousandths and percentages", () => {
    expect(num(1100)).toBe("1,100");
    expect(milli(48600, 2)).toBe("48.6");
    expect(pct(27, 25)).toBe("108%");
    setLocale("ru", false);
    expect(num(1100)).toBe("1\u00a0100");
    expect(milli(48600, 2)).toBe("48,6");
    expect(pct(27, 25)).toBe("108\u00a0%");
  });
});
