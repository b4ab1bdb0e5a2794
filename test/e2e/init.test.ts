/** `rcu init DIR`: a new project that compiles with rcu and runs end to end, with valid examples. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../cli/config.js";
import { SOURCE_EXAMPLES } from "../../cli/commands/init.js";
import { cli, duck, tempDir } from "../helpers.js";

describe("rcu init", () => {
  it("scaffolds a project that runs on the sample estate, and refuses a non-empty directory", async () => {
    const parent = await tempDir("rcu-init-");
    const r = await cli(["init", "shop", "--people", "300"], parent);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const dir = path.join(parent, "shop");
    expect(r.stdout).toContain("Next: cd shop && rcu run");
    const run = await cli(["run"], dir);
    expect(run.code).toBe(0);
    const [users] = await duck<{ n: number }>(path.join(dir, "warehouse.duckdb"), "SELECT COUNT(*) AS n FROM rcu_marts.customer_360");
    expect(users!.n).toBeGreaterThan(200);
    const again = await cli(["init", "shop"], parent);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is not empty/);
    expect(await readFile(path.join(dir, "rcu.yaml"), "utf8")).toContain("#   crm_db:");
  }, 120_000);

  it("ships connector and destination examples that are valid once uncommented", async () => {
    const parent = await tempDir("rcu-init-");
    expect((await cli(["init", "p", "--people", "50"], parent)).code).toBe(0);
    const dir = path.join(parent, "p");
    const base = parse(await readFile(path.join(dir, "rcu.yaml"), "utf8")) as Record<string, Record<string, unknown>>;
    const examples = parse(SOURCE_EXAMPLES) as Record<string, Record<string, unknown>>;
    await writeFile(path.join(dir, "rcu.yaml"), stringify({ ...base, sources: { ...base.sources, ...examples.sources }, destinations: examples.destinations }));
    const config = await loadConfig(dir);
    expect(Object.keys(config.sources)).toEqual(expect.arrayContaining(["erp", "eshop_api", "crm_db"]));
    expect(Object.keys(config.destinations)).toEqual(["newsletter", "contact_centre"]);
  }, 60_000);
});
