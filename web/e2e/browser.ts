// Helpers shared by the end-to-end tests: sign in, wait for a page to
// settle, and the pages of the UI with an address that shows each.
import type { Page } from "playwright-core";

// By element ids rather than words, so that it works in every language.
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/#/signin`);
  await page.locator("#token").fill(token);
  await page.locator("main form button[type=submit]").click();
  await page.locator("#who button").waitFor();
}

// Waits until no section of the page is still loading.
export async function settled(page: Page): Promise<void> {
  await page.locator("h1").first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll("[aria-busy=true], .state.loading").length === 0, null, { timeout: 15000 });
}

// Every page, by a name for screenshots and an address on the demo registry.
export const PAGE_ADDRESSES: [string, string][] = [
  ["overview", "#/"],
  ["contracts", "#/contracts"],
  ["contract", "#/contracts/RU-UZ-2019-002"],
  ["shipments", "#/shipments"],
  ["shipment", "#/shipments/SH-2021-TAIFUN"],
  ["items", "#/items?serial=MI35M-UZ-0002"],
  ["item", "#/items/mi-35m/MI35M-UZ-0002"],
  ["monitoring", "#/monitoring"],
  ["cooperation", "#/cooperation"],
  ["reports", "#/reports?r=att&party=UZ&year=2019"],
  ["log", "#/log?index=5"],
  ["transparency", "#/public"],
  ["record", "#/record?type=agreement.registered"],
];
