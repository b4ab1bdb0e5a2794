/**
 * `rcu docs` in a real headless browser (Debian's chromium through playwright-core): the site of
 * the sample estate's project loads, search finds a mart, clicking its node in the lineage graph
 * shows its upstream, columns with warehouse types and descriptions, and last run. A screenshot is
 * kept in target/test-artifacts/docs-site.png.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT, tempDir } from "../helpers.js";

const CHROMIUM = "/usr/bin/chromium";
let browser: Browser;
let site = "";

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run sh scripts/ensure-chromium.sh (npm test does) or apt-get install chromium`);
  const out = await tempDir("rcu-docs-");
  expect((await cli(["demo", "--people", "200", "--out", out, "--run"], ROOT)).code).toBe(0);
  const r = await cli(["docs", "--config", path.join(out, "rcu.yaml"), "--out", path.join(out, "site")], ROOT);
  expect(r.code).toBe(0);
  site = pathToFileURL(path.join(out, "site", "index.html")).href;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe("rcu docs site", () => {
  it("loads, finds a mart by search, and shows its upstream when its node is clicked", async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(site);
    await page.waitForFunction(() => ((globalThis as unknown as { rcuGraph?: { nodes(): { length: number } } }).rcuGraph?.nodes().length ?? 0) > 50);
    expect(errors).toEqual([]);
    await expect(page.title()).resolves.toMatch(/rcu catalogue/);

    await page.fill("#search", "customer_360");
    const found = await page.locator("#results a").allTextContents();
    expect(found).toContain("rcu_marts.customer_360");

    // A real click on the node in the graph canvas (centred and zoomed so it is big enough).
    const id = "rcu_marts.customer_360";
    const pos = await page.evaluate((nodeId) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const cy = (globalThis as unknown as { rcuGraph: any }).rcuGraph;
      const node = cy.getElementById(nodeId);
      cy.zoom(1.5);
      cy.center(node);
      return node.renderedPosition() as { x: number; y: number };
    }, id);
    const box = (await page.locator("#graph").boundingBox())!;
    await page.mouse.click(box.x + pos.x, box.y + pos.y);
    await expect(page.locator("#details").getAttribute("data-selected")).resolves.toBe(id);
    const upstream = await page.locator("#details h3:text-is('Upstream') + ul.links a").allTextContents();
    expect(upstream).toEqual(expect.arrayContaining(["rcu_core.users", "rcu_marts.customer_scores", "rcu_core.fact_orders"]));
    await expect(page.locator("#details .run").textContent()).resolves.toMatch(/Last run: success · \d+ rows/);
    const revenue = page.locator("#details table.columns tr:has(td:text-is('revenue'))");
    await expect(revenue.textContent()).resolves.toMatch(/DECIMAL|DOUBLE|HUGEINT/);

    // Following an upstream link selects it.
    await page.locator("#details a[data-id='rcu_core.users']").first().click();
    await expect(page.locator("#details").getAttribute("data-selected")).resolves.toBe("rcu_core.users");

    const artefacts = path.join(ROOT, "target", "test-artifacts");
    await mkdir(artefacts, { recursive: true });
    await page.screenshot({ path: path.join(artefacts, "docs-site.png") });
    expect(errors).toEqual([]);
  }, 60_000);
});
