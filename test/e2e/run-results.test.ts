/**
 * target/run_results.json and target/runs/<run id>/: every run keeps its own results file, the
 * top-level one is the latest. Two runs from one project directory no longer overwrite each
 * other's results (before, the second replaced the first's only copy).
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResults } from "../../engine/execute/results.js";
import { cli, copyFixture, duck } from "../helpers.js";

describe("run results files", () => {
  it("keeps each run's results under target/runs/<run id>, and the latest as target/run_results.json", async () => {
    const dir = await copyFixture("all-kinds");
    const db = path.join(dir, "warehouse.duckdb");
    await writeFile(path.join(dir, "rcu.yaml"), `default_profile: dev\nprofiles:\n  dev:\n    engine: duckdb\n    path: ${JSON.stringify(db)}\n`);
    await duck(db, `CREATE SCHEMA fx_src;
      CREATE TABLE fx_src.raw_customers AS SELECT * FROM (VALUES (1, 'Ada', 'ada@example.com')) t(id, name, email);
      CREATE TABLE fx_src.raw_orders AS SELECT * FROM (VALUES (10, 1, 12.5::DOUBLE, TIMESTAMP '2024-01-01 10:00:00')) t(order_id, customer_id, amount, updated_at);`);
    const first = await cli(["run", "--select", "fx.stg_customers", "--json"], dir);
    const second = await cli(["run", "--select", "fx.customers", "--json"], dir);
    expect([first.code, second.code], first.stdout.slice(0, 2000) + first.stderr).toEqual([0, 0]);
    const [a, b] = [JSON.parse(first.stdout) as RunResults, JSON.parse(second.stdout) as RunResults];
    const read = async (...p: string[]) => JSON.parse(await readFile(path.join(dir, "target", ...p), "utf8")) as RunResults;
    expect((await readdir(path.join(dir, "target", "runs"))).sort()).toEqual([a.runId, b.runId].sort());
    expect((await read("runs", a.runId, "run_results.json")).actions.map((x) => x.id)).toEqual(["fx.stg_customers"]);
    expect((await read("runs", b.runId, "run_results.json")).actions.map((x) => x.id)).toEqual(["fx.customers"]);
    expect((await read("run_results.json")).runId).toBe(b.runId);
    // No temporary file is left beside the latest.
    expect((await readdir(path.join(dir, "target"))).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

