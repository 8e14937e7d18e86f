// The UI in each of its languages: chosen from the browser's languages,
// every page drawn with no missing message and no overflow, <html lang> set,
// the header's switcher remembered across a reload. Screenshots of the
// overview (and of the monitoring page and a contract) per language are
// kept in the artifacts (overview-ru-1280.png, …).
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGE_ADDRESSES, settled, signIn } from "./browser";
import { ARTIFACTS, launchBrowser, startDemo, stopDemo, type Demo } from "./server";

let demo: Demo;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stopDemo(demo);
});

async function newPage(locale: string, width = 1280, height = 900): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height }, locale });
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return { context, page };
}

// Browser language → the UI's language, its <html lang>, the overview's
// heading and a word of the menu.
// heading and a word of the menu; on the overview, a date (RU-UZ-1992 was
// signed on 30 May 1992) and a number (175.75 million TIV delivered) as
// the language writes them.
const LANGUAGES: { browser: string; lang: string; overview: string; nav: string; date: string; number: string }[] = [
  { browser: "en-US", lang: "en", overview: "Overview", nav: "Shipments", date: "30 May 1992", number: "175.75" },
  { browser: "ru-RU", lang: "ru", overview: "Обзор", nav: "Отгрузки", date: "30 мая 1992 г.", number: "175,75" },
  { browser: "uz-UZ", lang: "uz-Latn", overview: "Umumiy ma’lumot", nav: "Jo‘natmalar", date: "30-may, 1992", number: "175,75" },
  { browser: "uz-Cyrl-UZ", lang: "uz-Cyrl", overview: "Умумий маълумот", nav: "Жўнатмалар", date: "30 май, 1992", number: "175,75" },
];

const SHOTS = new Set(["overview", "monitoring", "contract", "item"]);

describe("every page in every language", () => {
  const english = new Map<string, string>();

  for (const { browser: locale, lang, overview, nav, date, number } of LANGUAGES) {
    it(`${lang} (browser ${locale}) at 1280 and 390 px`, async () => {
      for (const [width, height] of [[1280, 900], [390, 844]]) {
        const { context, page } = await newPage(locale, width, height);
        await signIn(page, demo.url, demo.tokens.admin);
        for (const [name, hash] of PAGE_ADDRESSES) {
          await page.goto(`${demo.url}/${hash}`);
          await settled(page);
          const where = `${lang} ${name} at ${width}px`;
          expect(await page.evaluate(() => document.documentElement.lang), where).toBe(lang);
          const h1 = (await page.locator("h1").first().textContent()) ?? "";
          if (name === "overview") {
            expect(h1, where).toBe(overview);
            const main = await page.locator("main").textContent();
            expect(main, where).toContain(date);
            expect(main, where).toContain(number);
          }
          // Translated: the heading differs from the English one.
          if (lang === "en") english.set(name, h1);
          else expect(h1, where).not.toBe(english.get(name));
          expect(await page.locator("#nav").textContent(), where).toContain(nav);
          // No message is missing from the catalogue (t() marks those ⟦key⟧).
          const text = await page.evaluate(() => document.body.innerText + [...document.querySelectorAll("[aria-label]")].map((e) => e.getAttribute("aria-label")).join(" "));
          expect(text, where).not.toContain("⟦");
          expect(text, where).not.toContain("undefined");
          // No date in ICU's fallback pattern ("1992 M05 30": no locale data).
          expect(text, where).not.toMatch(/\d{4} M\d\d/);
          expect(await page.locator(".state.error").allTextContents(), where).toEqual([]);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `${where} overflows by ${overflow}px`).toBeLessThanOrEqual(1);
          if (SHOTS.has(name) && (width === 1280 || name === "overview")) {
            await page.screenshot({ path: join(ARTIFACTS, `${name}-${lang}-${width}.png`), fullPage: true });
          }
        }
        await context.close();
      }
      expect(pageErrors).toEqual([]);
    });
  }
});

describe("the language switcher", () => {
  it("switches the page, sets <html lang>, and is remembered across a reload", async () => {
    const { context, page } = await newPage("en-US");
    await signIn(page, demo.url, demo.tokens.officer);
    await page.goto(`${demo.url}/#/monitoring?as_of=2022-12-01`);
    await settled(page);
    expect(await page.locator("h1").textContent()).toBe("End-use monitoring");
    // The header says who is signed in (GET /v1/me).
    expect(await page.locator("#who [data-who]").textContent()).toBe("ru-officer (RU, officer)");
    await page.locator("#lang").selectOption("ru");
    await page.waitForFunction(() => document.documentElement.lang === "ru");
    await settled(page);
    expect(await page.locator("h1").textContent()).toBe("Контроль за конечным использованием");
    expect(await page.locator("#who [data-who]").textContent()).toBe("ru-officer (RU, должностное лицо)");
    // The date in words and the figures in Russian.
    expect(await page.locator("#as-of-words").textContent()).toBe("1 декабря 2022 г.");
    expect(await page.locator("main").textContent()).toMatch(/По состоянию на 1 дек\. 2022 г\.: просрочено — 0, подлежит инвентаризации в течение 30 дней — 11\./);
    await page.reload();
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("ru");
    expect(await page.locator("#lang").inputValue()).toBe("ru");
    expect(await page.locator("h1").textContent()).toBe("Контроль за конечным использованием");
    // The choice wins over the browser's languages on the next visit too.
    const second = await context.newPage();
    await second.goto(`${demo.url}/#/public`);
    await settled(second);
    expect(await second.locator("h1").textContent()).toBe("Открытые данные");
    await page.locator("#lang").selectOption("uz-Cyrl");
    await page.waitForFunction(() => document.documentElement.lang === "uz-Cyrl");
    await settled(page);
    expect(await page.locator("h1").textContent()).toBe("Якуний фойдаланиш устидан назорат");
    await context.close();
  });

  it("words the in-browser verification in the UI's language", async () => {
    const { context, page } = await newPage("ru-RU");
    await signIn(page, demo.url, demo.tokens.officer);
    await page.goto(`${demo.url}/#/log`);
    await settled(page);
    await page.locator("#vkey").fill(demo.logVkey);
    await page.locator("#vkey").evaluate((el) => (el as HTMLTextAreaElement).form!.requestSubmit());
    await page.locator('[data-checkpoint="verified"]').waitFor();
    expect(await page.locator('[data-checkpoint="verified"]').textContent()).toContain("Контрольная точка подписана закрепленным ключом журнала");
    await page.goto(`${demo.url}/#/shipments/SH-2019-MI35M`);
    await settled(page);
    await page.locator('[data-verify="76"]').click();
    await page.locator("[data-verdict]").waitFor();
    expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("verified");
    const text = await page.locator(".verify-result").filter({ has: page.locator("[data-verdict]") }).textContent();
    expect(text).toContain("Проверено: запись 76 содержится в журнале.");
    expect(text).toContain("✓ Содержание записи: хеш записи:");
    expect(text).toContain("✓ Доказательство включения: запись 76 входит в дерево");
    await page.screenshot({ path: join(ARTIFACTS, "verify-ru-1280.png"), fullPage: true });
    await context.close();
  });

  it("shows money in units with the currency code, and labels rather than raw values", async () => {
    const { context, page } = await newPage("ru-RU");
    await signIn(page, demo.url, demo.tokens.officer);
    await page.goto(`${demo.url}/#/contracts/RU-UZ-2019-002`);
    await settled(page);
    const lines = (await page.getByRole("table", { name: "Позиции контракта: цены и исполнение" }).textContent()) ?? "";
    // Prices in roubles, not kopecks: grouped with spaces, the code after.
    expect(lines).toMatch(/\d{1,3}(\u00a0\d{3})+\u00a0RUB/);
    expect(lines).toContain("сверх допуска");
    await page.goto(`${demo.url}/#/`);
    await settled(page);
    expect(await page.getByRole("table", { name: "Соглашения и их статус" }).textContent()).toContain("в силе");
    // Data is not translated: ids and designations stay as recorded.
    expect(await page.locator("main").textContent()).toContain("RU-UZ-2016-MTC");
    await context.close();
  });
});
