import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, launchBrowser, startDemo, stopDemo, type Demo } from "./server";
import { PAGE_ADDRESSES, settled, signIn as signInAt } from "./browser";

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

async function newPage(width = 1280, height = 900, locale = "en-GB"): Promise<{ context: BrowserContext; page: Page }> {
  // The browser's language decides the UI's (navigator.languages).
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, locale });
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return { context, page };
}

async function signIn(page: Page, token: string): Promise<void> {
  await signInAt(page, demo.url, token);
}

// Every form control on the page has an accessible name.
async function expectLabelledControls(page: Page): Promise<void> {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((el) => {
        const c = el as HTMLInputElement;
        return c.type !== "hidden" && (c.labels?.length ?? 0) === 0 && !c.getAttribute("aria-label");
      })
      .map((el) => el.outerHTML),
  );
  expect(unlabelled).toEqual([]);
}

const TITLES: Record<string, RegExp> = {
  overview: /Overview/,
  contracts: /Contracts/,
  contract: /Contract RU-UZ-2019-002/,
  shipments: /Shipments/,
  shipment: /Shipment SH-2021-TAIFUN/,
  items: /Items/,
  item: /Item mi-35m\/MI35M-UZ-0002/,
  monitoring: /End-use monitoring/,
  cooperation: /Cooperation/,
  reports: /Reports/,
  log: /The log/,
  transparency: /Transparency/,
  record: /Record a step/,
};
const PAGES: [string, string, RegExp][] = PAGE_ADDRESSES.map(([name, hash]) => [name, hash, TITLES[name]]);

describe("signed in with records and log access", () => {
  it("signs in and shows agreements, deliveries and contract values on the overview", async () => {
    const { context, page } = await newPage();
    await signIn(page, demo.tokens.officer);
    await settled(page);
    expect(await page.locator("h1").textContent()).toBe("Overview");
    const agreements = page.getByRole("table", { name: "Agreements and their status" });
    expect(await agreements.textContent()).toContain("RU-UZ-2016-MTC");
    expect(await agreements.textContent()).toContain("in force");
    const deliveries = await page.getByRole("table", { name: "Deliveries per year" }).textContent();
    expect(deliveries).toContain("2019");
    expect(deliveries).toContain("48.6"); // 4 Mi-35M x 11.5 + 10 Taifun-K x 0.26
    const values = await page.getByRole("table", { name: "Contract value at contract and at domestic prices" }).textContent();
    expect(values).toContain("108%"); // RU-UZ-2019-002: 27 000 000 / 25 000 000
    expect(values).toContain("1 above tolerance");
    // Every case of the demo has been resolved by now.
    expect(await page.locator(".card", { hasText: "Open cases" }).textContent()).toBe("0Open cases");
    expect(await page.locator("canvas").count()).toBeGreaterThan(1);
    await context.close();
  });

  it("visits every page at 1280 and 390 px, with no script errors and labelled controls", async () => {
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      const { context, page } = await newPage(width, height);
      await signIn(page, demo.tokens.admin);
      for (const [name, hash, title] of PAGES) {
        await page.goto(`${demo.url}/${hash}`);
        await settled(page);
        expect(await page.locator("h1").first().textContent()).toMatch(title);
        // No section failed (an error box would say why).
        const errors = await page.locator(".state.error").allTextContents();
        expect(errors, `${name} at ${width}px`).toEqual([]);
        await expectLabelledControls(page);
        // Nothing wider than the screen but the scrollable tables.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name} at ${width}px overflows by ${overflow}px`).toBeLessThanOrEqual(1);
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
      }
      await context.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it("shows a contract's lines, both signatures, fulfilment and its price flag", async () => {
    const { context, page } = await newPage();
    await signIn(page, demo.tokens.officer);
    await page.goto(`${demo.url}/#/contracts/RU-UZ-2019-002`);
    await settled(page);
    const sigs = await page.getByRole("table", { name: "Signatures of both parties" }).textContent();
    expect(sigs).toContain("signed 12 Mar 2019");
    expect(sigs).toContain("signed 15 Mar 2019");
    const lines = await page.getByRole("table", { name: "Contract lines with prices and fulfilment" }).textContent();
    expect(lines).toContain("taifun-k-53949");
    expect(lines).toContain("above tolerance");
    expect(lines).toContain("20 / 20 (100%)");
    // Its log entries, each verifiable.
    expect(await page.locator("[data-verify]").count()).toBeGreaterThan(2);
    await context.close();
  });

  it("finds an item by serial and shows its history with the repair", async () => {
    const { context, page } = await newPage();
    await signIn(page, demo.tokens.officer);
    await page.goto(`${demo.url}/#/items`);
    await settled(page);
    await page.getByLabel("Serial number").fill("MI35M-UZ-0002");
    await page.getByLabel("Serial number").press("Enter");
    await page.getByText("1 item matches").waitFor();
    await page.getByRole("link", { name: "MI35M-UZ-0002" }).click();
    await settled(page);
    const history = await page.getByRole("list", { name: "History of the item" }).textContent();
    expect(history).toContain("repair completed");
    expect(history).toContain("received");
    await context.close();
  });

  it("shows the custody timeline of a shipment and the case its damaged item opened", async () => {
    const { context, page } = await newPage();
    await signIn(page, demo.tokens.officer);
    await page.goto(`${demo.url}/#/shipments/SH-2021-TAIFUN`);
    await settled(page);
    const custody = await page.getByRole("list", { name: "Chain of custody" }).textContent();
    expect(custody).toContain("ru-kamaz → RZD freight (illustrative)");
    expect(custody).toContain("at Tashkent");
    expect(await page.getByRole("table", { name: "Items by serial number" }).textContent()).toContain("damaged");
    await page.goto(`${demo.url}/#/monitoring`);
    await settled(page);
    const cases = await page.getByRole("table", { name: /^Cases opened by / }).textContent();
    expect(cases).toContain("SH-2021-TAIFUN-receipt");
    expect(cases).toContain("TAIFUN-UZ-0017 (damaged)");
    await context.close();
  });

  it("shows monitoring as of a date: items due, compliance, inspections and cases", async () => {
    const { context, page } = await newPage();
    await signIn(page, demo.tokens.inspector);
    await page.goto(`${demo.url}/#/monitoring`);
    await settled(page);
    await page.getByLabel("As of").fill("2022-12-01");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/as_of=2022-12-01/);
    await settled(page);
    // Only admins see the total of monitored items (it counts every party's).
    expect(await page.locator("main").textContent()).toMatch(/As of 1 Dec 2022: 0 delinquent, 11 due within 30 days\./);
    // The date input's own display follows the browser; the date in words beside it does not.
    expect(await page.locator("#as-of-words").textContent()).toBe("1 December 2022");
    const dueTable = await page.getByRole("table", { name: "Items due within 30 days" }).textContent();
    expect(dueTable).toContain("MI35M-UZ-0001");
    // MI35M-UZ-0002 was inventoried on receipt at the repair plant (2022-03-14): due only in 2023.
    expect(dueTable).not.toContain("MI35M-UZ-0002");
    const compliance = await page.getByRole("table", { name: "Monitoring compliance by agreement" }).textContent();
    expect(compliance).toContain("RU-UZ-2016-MTC");
    const inspections = await page.getByRole("table", { name: "Inspections scheduled by 1 Dec 2022" }).textContent();
    expect(inspections).toMatch(/EUM-2018-R73.*other date \(late\).*not sighted 1/);
    expect(inspections).not.toContain("EUM-2023-MI35M"); // scheduled later
    const cases = await page.getByRole("table", { name: "Cases opened by 1 Dec 2022" }).textContent();
    expect(cases).toContain("late access answer, 6 days");
    expect(cases).not.toContain("undefined");
    // As of 2018-11-01 the late-answer case was still open, 6 days old.
    await page.goto(`${demo.url}/#/monitoring?as_of=2018-11-01`);
    await settled(page);
    const early = await page.getByRole("table", { name: "Cases opened by 1 Nov 2018" }).textContent();
    expect(early).toMatch(/EUM-2018-R73-late-1.*open.*26 Oct 20186/);
    expect(early).not.toContain("SH-2021-TAIFUN-receipt");
    await page.screenshot({ path: join(ARTIFACTS, "monitoring-as-of-2022-12-01-1280.png"), fullPage: true });
    await context.close();
  });

  it("lists exercises, courses, consultations and visits on the cooperation page", async () => {
    const { context, page } = await newPage();
    await signIn(page, demo.tokens.officer);
    await page.goto(`${demo.url}/#/cooperation`);
    await settled(page);
    expect(await page.getByRole("table", { name: "Exercises", exact: true }).textContent()).toContain("EX-2017-FORISH");
    expect(await page.getByRole("table", { name: "Courses" }).textContent()).toContain("ru-combined-arms-academy");
    expect(await page.getByRole("table", { name: "Consultations" }).count()).toBe(1);
    expect(await page.getByRole("table", { name: "Specialist visits" }).count()).toBe(1);
    expect(await page.getByRole("table", { name: "Cooperation per year" }).textContent()).toContain("1,100"); // participants in 2017
    await context.close();
  });

  it("is usable from the keyboard: skip link, then focus moves to each page's heading", async () => {
    const { context, page } = await newPage();
    await signIn(page, demo.tokens.officer);
    await page.goto(`${demo.url}/#/contracts`);
    await settled(page);
    await page.reload();
    await settled(page);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    // Follow a link with the keyboard: the new page's heading gets the focus.
    await page.getByRole("link", { name: "RU-UZ-2018-001" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.tagName === "H1");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Contract RU-UZ-2018-001");
    await context.close();
  });
});

describe("in-browser verification", () => {
  async function pinnedPage(token: string): Promise<{ context: BrowserContext; page: Page }> {
    const p = await newPage();
    await signIn(p.page, token);
    await p.page.goto(`${demo.url}/#/log`);
    await settled(p.page);
    await p.page.getByLabel("Log verifier key").fill(demo.logVkey);
    await p.page.getByRole("button", { name: "Pin this key" }).click();
    await p.page.locator('[data-checkpoint="verified"]').waitFor();
    return p;
  }

  it("checks the checkpoint's signature and the party's cosignature against the pinned key", async () => {
    const { context, page } = await pinnedPage(demo.tokens.auditor);
    const sigs = await page.getByRole("table", { name: "Signatures and cosignatures" }).textContent();
    expect(sigs).toContain("accord.demo/registry");
    expect(sigs).toMatch(/uz\.demo\/mod.*cosignature.*valid/);
    expect(sigs).not.toContain("INVALID");
    await context.close();
  });

  it("verifies a custody step's inclusion proof, content included", async () => {
    const { context, page } = await pinnedPage(demo.tokens.officer);
    await page.goto(`${demo.url}/#/shipments/SH-2019-MI35M`);
    await settled(page);
    await page.locator('[data-verify="76"]').click();
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor();
    expect(await verdict.getAttribute("data-verdict")).toBe("verified");
    const text = await page.locator(".verify-result").filter({ has: verdict }).textContent();
    expect(text).toContain("Entry content: the entry hashes to");
    expect(text).toContain("Inclusion proof");
    await context.close();
  });

  it("rejects a tampered proof (one byte of the served proof flipped)", async () => {
    const { context, page } = await pinnedPage(demo.tokens.officer);
    let tampered = 0;
    await page.route("**/v1/log/proof/inclusion*", async (route) => {
      const res = await route.fetch();
      const proof = (await res.json()) as { proof: string[] };
      const raw = Buffer.from(proof.proof[0], "base64");
      raw[3] ^= 0x01;
      proof.proof[0] = raw.toString("base64");
      tampered++;
      await route.fulfill({ response: res, json: proof });
    });
    await page.goto(`${demo.url}/#/log?index=76`);
    await settled(page);
    await page.locator('[data-verify="76"]').click();
    const verdict = page.locator("[data-verdict]");
    await verdict.waitFor();
    expect(tampered).toBe(1);
    expect(await verdict.getAttribute("data-verdict")).toBe("rejected");
    expect(await page.locator(".verify-result").textContent()).toContain("✗ Inclusion proof");
    await page.screenshot({ path: join(ARTIFACTS, "verify-tampered-1280.png"), fullPage: true });
    await context.close();
  });

  it("lets an auditor verify an entry the node withholds from them, and says the content was not checked", async () => {
    const { context, page } = await pinnedPage(demo.tokens.auditor);
    // An entry of an agreement the auditor is not assigned to, and one of theirs.
    const entries = await page.evaluate(async (token) => {
      const res = await fetch("/v1/log/entries?start=0", { headers: { Authorization: `Bearer ${token}` } });
      return ((await res.json()) as { entries: { index: number; withheld?: boolean }[] }).entries;
    }, demo.tokens.auditor);
    const withheld = entries.find((e) => e.withheld)!.index;
    const readable = entries.find((e) => !e.withheld && e.index > 0)!.index;
    await page.goto(`${demo.url}/#/log?index=${withheld}`);
    await settled(page);
    expect(await page.locator("main").textContent()).toContain("This entry is withheld from your role");
    await page.locator(`[data-verify="${withheld}"]`).click();
    await page.locator("[data-verdict]").waitFor();
    expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("verified");
    expect(await page.locator(".verify-result").textContent()).toContain("content was not checked");
    await page.screenshot({ path: join(ARTIFACTS, "verify-withheld-1280.png"), fullPage: true });
    // An entry the auditor may read is checked with its content.
    await page.goto(`${demo.url}/#/log?index=${readable}`);
    await settled(page);
    await page.locator(`[data-verify="${readable}"]`).click();
    await page.locator("[data-verdict]").waitFor();
    expect(await page.locator(".verify-result").textContent()).toContain("Entry content: the entry hashes to");
    await context.close();
  });

  it("refuses to call anything verified without a pinned key", async () => {
    const { context, page } = await newPage();
    await signIn(page, demo.tokens.officer);
    await page.goto(`${demo.url}/#/log?index=3`);
    await settled(page);
    await page.locator('[data-verify="3"]').click();
    await page.getByText("no log key is pinned in this browser").waitFor();
    await context.close();
  });
});

describe("observers", () => {
  it("read the transparency page without signing in when the node publishes reports", async () => {
    const { context, page } = await newPage(390, 844);
    await page.goto(`${demo.url}/#/public`);
    await settled(page);
    const tiv = await page.getByRole("table", { name: "TIV per year" }).textContent();
    expect(tiv).toContain("2019");
    expect(tiv).toContain("48.6");
    expect(await page.getByRole("table", { name: "Cooperation per year" }).textContent()).toContain("2017");
    await page.screenshot({ path: join(ARTIFACTS, "transparency-anonymous-390.png"), fullPage: true });
    // Records stay behind sign-in.
    await page.goto(`${demo.url}/#/contracts`);
    await page.getByLabel("Access token").waitFor();
    await context.close();
  });

  const SERIAL = /(MI35M|TAIFUN|BTR80|BTR82A|R73|PECHORA)[-A-Z]*-\d{4}/i;

  it("sees no serial numbers anywhere", async () => {
    const { context, page } = await newPage();
    await signIn(page, demo.tokens.observer);
    const navText = await page.getByRole("navigation", { name: "Main" }).textContent();
    expect(navText).not.toContain("Items");
    for (const hash of ["#/public", "#/reports", "#/items?serial=MI35M", "#/items/mi-35m/MI35M-UZ-0002", "#/shipments/SH-2021-TAIFUN", "#/log?index=76"]) {
      await page.goto(`${demo.url}/${hash}`);
      await settled(page);
      // What the page shows, less its heading (which repeats the address typed).
      const body = await page.evaluate(() => [...document.querySelectorAll("main > :not(h1)")].map((e) => e.textContent).join(" "));
      expect(body, hash).not.toMatch(SERIAL);
    }
    // What the observer was refused is said in words.
    await page.goto(`${demo.url}/#/shipments`);
    await settled(page);
    expect(await page.locator("main").textContent()).toContain("Your role may not read this.");
    await context.close();
  });
});

describe("errors in words", () => {
  it("refuses an unknown token with a sentence", async () => {
    const { context, page } = await newPage();
    await page.goto(`${demo.url}/#/signin`);
    await page.getByLabel("Access token").fill("0000000000000000.not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("The token was not accepted");
    await context.close();
  });

  it("downloads a report's CSV and checks its content", async () => {
    const { context, page } = await newPage();
    await signIn(page, demo.tokens.admin);
    await page.goto(`${demo.url}/#/reports?r=att&party=UZ&year=2019`);
    await settled(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    const path = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(path);
    const csv = readFileSync(path, "utf8");
    expect(download.suggestedFilename()).toBe("att-UZ-2019.csv");
    expect(csv).toContain("Mi-35M");
    expect(csv).toContain("Taifun-K-53949");
    expect(csv).toContain(",4,400000000000,RUB,"); // the full form: the admin sees values (minor units)
    await context.close();
  });

  it("shows every report as a table and a chart", async () => {
    const { context, page } = await newPage();
    await signIn(page, demo.tokens.officer);
    for (const [r, table] of [["tiv", "TIV per year"], ["att", "Imports"], ["unroca", "Exports"], ["cooperation", "Cooperation per year"]]) {
      await page.goto(`${demo.url}/#/reports?r=${r}&party=${r === "att" ? "UZ" : "RU"}&year=2019`);
      await settled(page);
      expect(await page.getByRole("table", { name: table }).count(), r).toBe(1);
      expect(await page.locator("main canvas").count(), r).toBeGreaterThan(0);
    }
    await context.close();
  });
});
