// Recording through forms, as the Russian officer of the demo: a new
// Mi-35M contract drafted in a form generated from the server's schema
// (money typed in roubles; a price above the domestic price plus the
// agreement's tolerance is refused at its field by the live dry run, then
// corrected), then signed for Russia with the keyboard only, in Russian.
// Both steps then appear in the contract's history. Screenshots in English
// and Russian are kept in the e2e artifacts.
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, launchBrowser, startDemo, stopDemo, type Demo } from "./server";
import { settled, signIn } from "./browser";

let demo: Demo;
let browser: Browser;
const pageErrors: string[] = [];
const CONTRACT = "RU-UZ-2026-MI35M";
// The field of a path (ids are made from paths, see forms/fields.ts).
const field = (page: Page, path: string) => page.locator(`[data-path="${path}"]`);

beforeAll(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stopDemo(demo);
});

async function newPage(locale: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

// The dry run's verdict once it has settled after the last keystroke.
async function verdict(page: Page): Promise<string> {
  await page.waitForFunction(() => {
    const p = document.querySelector("#dry-run .state");
    return p !== null && !p.classList.contains("loading");
  });
  await page.waitForTimeout(600); // a debounced check may still be on its way
  await page.waitForFunction(() => !document.querySelector("#dry-run .state.loading"));
  return (await page.locator("#dry-run").textContent()) ?? "";
}

describe("recording through forms", () => {
  it("drafts a contract in a form: a refusal at its field, corrected, recorded, in the history", async () => {
    const page = await newPage("en-GB");
    await signIn(page, demo.url, demo.tokens.officer);
    await page.getByRole("link", { name: "Record", exact: true }).click();
    await settled(page);
    expect(await page.locator("h1").textContent()).toBe("Record a step");
    // Grouped by procedure; only what a Russian officer may record.
    const groups = await page.locator("#event-type optgroup").evaluateAll((gs) => gs.map((g) => g.getAttribute("label")));
    expect(groups).toContain("Contracts, catalogue and programmes");
    expect(groups).toContain("Shipments and receipts");
    await page.locator("#event-type").selectOption("contract.drafted");
    await page.getByLabel("Identifier (contract)").fill(CONTRACT);
    await page.getByLabel("agreement", { exact: true }).fill("RU-UZ-2016-MTC");
    await page.getByLabel("channel").selectOption("direct");
    await page.getByLabel("supplier (body)").fill("ru-rostvertol");
    await page.getByLabel("recipient (body)").fill("uz-mod");
    const line = (name: string) => field(page, `body.lines[0].${name}`).locator("input, select, textarea").first();
    await line("line").fill("1");
    await line("product").fill("mi-35m");
    await line("quantity").fill("6");
    await line("currency").fill("rub"); // upper-cased as typed
    expect(await line("currency").inputValue()).toBe("RUB");
    // 1 300 000 000 RUB: above the domestic price (1 050 000 000) plus the
    // agreement's tolerance, with no justification.
    await line("unit_price_minor").fill("1 300 000 000");
    expect(await field(page, "body.lines[0].unit_price_minor").locator(".unit").textContent()).toBe("RUB");
    expect(await verdict(page)).toContain("✗");
    const priceError = field(page, "body.lines[0].unit_price_minor").locator(".field-error");
    await priceError.waitFor();
    expect(await priceError.textContent()).toContain("contract.domestic_price");
    expect(await line("unit_price_minor").getAttribute("aria-invalid")).toBe("true");
    await page.screenshot({ path: join(ARTIFACTS, "record-refusal-en-1280.png"), fullPage: true });
    // Corrected: 1 100 000 000 RUB is within the tolerance.
    await line("unit_price_minor").fill("1 100 000 000");
    const ok = await verdict(page);
    expect(ok).toContain("✓");
    expect(ok).toContain(`contract ${CONTRACT}`);
    expect(await priceError.isHidden()).toBe(true);
    // The dry runs recorded nothing.
    const before = await page.evaluate(async (id) => {
      const r = await fetch(`/v1/contracts/${id}`, { headers: { Authorization: `Bearer ${sessionStorage.getItem("accord.token")}` } });
      return r.status;
    }, CONTRACT);
    expect(before).toBe(404);
    await page.getByRole("button", { name: "Record", exact: true }).click();
    const done = page.locator("#record-result .record-done");
    await done.waitFor();
    expect(await done.textContent()).toMatch(/contract drafted: recorded as log entry \d+/i);
    await page.screenshot({ path: join(ARTIFACTS, "record-done-en-1280.png"), fullPage: true });
    const entry = await page.locator("#record-entry").getAttribute("href");
    expect(entry).toMatch(/^#\/log\?index=\d+$/);
    await page.locator("#record-entity").click();
    await settled(page);
    expect(await page.locator("h1").textContent()).toContain(CONTRACT);
    await page.locator('[data-event="contract.drafted"]').waitFor();
    // The price as recorded: 1 100 000 000 RUB, in kopecks on the server.
    const c = await page.evaluate(async (id) => {
      const r = await fetch(`/v1/contracts/${id}`, { headers: { Authorization: `Bearer ${sessionStorage.getItem("accord.token")}` } });
      return (await r.json()) as { lines: { unit_price_minor: number; quantity: number }[] };
    }, CONTRACT);
    expect(c.lines[0].unit_price_minor).toBe(110000000000);
    expect(c.lines[0].quantity).toBe(6);
    await page.context().close();
  });

  it("signs it for Russia with the keyboard only, in Russian, from the contract's page", async () => {
    const page = await newPage("ru-RU");
    await signIn(page, demo.url, demo.tokens.officer);
    await page.goto(`${demo.url}/#/contracts/${CONTRACT}`);
    await settled(page);
    // "Record the next step", reached with Tab.
    const next = page.locator("a.record-next");
    expect(await next.textContent()).toBe("Записать следующий шаг");
    for (let i = 0; i < 60 && !(await next.evaluate((a) => a === document.activeElement)); i++) await page.keyboard.press("Tab");
    expect(await next.evaluate((a) => a === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    await settled(page);
    expect(await page.locator("h1").textContent()).toBe("Запись события");
    // The step, chosen in the list with the keyboard: focus the list, then
    // move to "contract signed".
    const select = page.locator("#event-type");
    for (let i = 0; i < 20 && !(await select.evaluate((s) => s === document.activeElement)); i++) await page.keyboard.press("Tab");
    const wanted = await select.evaluate((s) => [...(s as HTMLSelectElement).options].findIndex((o) => o.value === "contract.signed"));
    expect(wanted).toBeGreaterThan(0);
    for (let i = 0; i < wanted; i++) await page.keyboard.press("ArrowDown");
    expect(await select.inputValue()).toBe("contract.signed");
    // The subject is prefilled from the contract's page.
    expect(await page.locator("#f-subject").inputValue()).toBe(CONTRACT);
    // Tab to the signature date and type today's date (day first).
    const today = new Date().toISOString().slice(0, 10);
    const [y, m, d] = today.split("-");
    const bodyDate = page.locator("#f-body-date");
    for (let i = 0; i < 10 && !(await bodyDate.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press("Tab");
    expect(await bodyDate.evaluate((e) => e === document.activeElement)).toBe(true);
    // The input's own field order follows the browser's settings, not the
    // page's: day first as in Russia, else month first, retyped from the
    // first part (Shift+Tab moves back through its parts).
    await page.keyboard.type(`${d}${m}${y}`);
    if ((await bodyDate.inputValue()) !== today) {
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.type(`${m}${d}${y}`);
    }
    expect(await bodyDate.inputValue()).toBe(today);
    expect(await verdict(page)).toContain("✓");
    await page.screenshot({ path: join(ARTIFACTS, "record-sign-ru-1280.png"), fullPage: true });
    // Tab on to the button, and press it with Enter.
    const submit = page.locator("form.record-form button[type=submit]");
    for (let i = 0; i < 10 && !(await submit.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press("Tab");
    expect(await submit.evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    const done = page.locator("#record-result .record-done");
    await done.waitFor();
    expect(await done.textContent()).toMatch(/записано как запись журнала \d+/);
    await page.screenshot({ path: join(ARTIFACTS, "record-done-ru-1280.png"), fullPage: true });
    // Focus is on the link to the contract: Enter opens it.
    await page.keyboard.press("Enter");
    await settled(page);
    await page.locator('[data-event="contract.signed"]').waitFor();
    expect(await page.locator('[data-event="contract.drafted"]').count()).toBe(1);
    await page.context().close();
    expect(pageErrors).toEqual([]);
  });
});
