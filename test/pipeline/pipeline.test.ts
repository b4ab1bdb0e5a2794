/**
 * The whole standard pipeline on every engine in `test/e2e/engines.ts` (filter with
 * RCU_TEST_ENGINES=duckdb,snowflake): one small sample estate is generated, then on each engine
 * landed (extract) and built (every definition: identity, star schema, marts), and the results
 * are compared across engines — the partition of person records into users, the golden records,
 * the facts and the customer 360 — exactly (see docs/warehouses.md, "Same results on every engine").
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEstate } from "../../sample/generate.js";
import { demoConfigYaml } from "../../sample/demo-config.js";
import { cli, ROOT, tempDir } from "../helpers.js";
import { e2eEngines, type E2eEngine, type EngineTarget } from "../e2e/engines.js";
import { compareSnapshots, snapshot, type Snapshot } from "./snapshot.js";

const PEOPLE = 400;
const SEED = 7;
const engines = e2eEngines();
const snapshots = new Map<string, Snapshot>();

let dataDir: string;
beforeAll(async () => {
  dataDir = path.join(await tempDir("rcu-pipeline-data-"), "data");
  await generateEstate({ people: PEOPLE, seed: SEED, outDir: dataDir, workers: 0 });
});

describe.each(engines)("standard pipeline on $name", (engine: E2eEngine) => {
  let dir: string;
  let wh: EngineTarget;
  beforeAll(async () => {
    dir = await tempDir(`rcu-pipeline-${engine.name}-`);
    wh = await engine.setup(dir);
  });
  afterAll(async () => {
    await wh?.close();
  });

  it("lands every source and builds every definition", async () => {
    const config = path.join(dir, "rcu.yaml");
    await writeFile(config, demoConfigYaml({ projectDir: ROOT, dataDir, warehouse: path.join(dir, "unused.duckdb"), profile: wh.profile }));
    const r = await cli(["run", "--config", config, "--threads", "2"], ROOT, wh.env);
    // On failure, show each failed action's first lines (its statement is long).
    const failures = r.stdout.split(/\n(?=\S)/).filter((b) => /^FAIL/.test(b)).map((b) => b.slice(0, 1200));
    expect({ code: r.code, failures, stderr: r.stderr }).toEqual({ code: 0, failures: [], stderr: "" });
    expect(r.stdout).toMatch(/Run succeeded/);
    const snap = await snapshot(wh.sql);
    expect(snap.users.length).toBeGreaterThan(PEOPLE / 2);
    expect(snap.figures.fact_orders_rows).toBeGreaterThan(0);
    snapshots.set(engine.name, snap);
  }, 180_000);
});

describe.runIf(engines.length > 1)("the same results on every engine", () => {
  it("resolves the same people, golden records, facts and customer 360", () => {
    const [first, ...others] = engines.map((e) => e.name);
    const base = snapshots.get(first!);
    expect(base, `${first} ran`).toBeDefined();
    for (const name of others) {
      const other = snapshots.get(name);
      expect(other, `${name} ran`).toBeDefined();
      const diff = compareSnapshots(base!, other!);
      console.log(`${first} vs ${name}: ${JSON.stringify(diff.summary)}`);
      expect(diff.differences, `${first} vs ${name}`).toEqual([]);
    }
  });
});
