/**
 * `rcu status` as a health check: freshness against the thresholds in rcu.yaml (warn / error),
 * the failed actions of the latest run, the row counts of recent loads, and exit code 1 when a
 * stream is past its error threshold or the latest run failed.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, duck, tempDir } from "../helpers.js";

describe("rcu status", () => {
  it("grades freshness, lists failed actions and row trends, and exits 1 when unhealthy", async () => {
    const dir = await tempDir("rcu-status-");
    await writeFile(path.join(dir, "people.csv"), "id,name\n1,Ada\n2,Bob\n");
    await writeFile(path.join(dir, "workflow_settings.yaml"), "defaultProject: p\ndefaultDataset: core\ndefaultAssertionDataset: checks\n");
    await writeFile(path.join(dir, "rcu.yaml"), `sources:
  crm:
    type: files
    format: csv
    freshness: { warn_after: 1h, error_after: 2h }
    streams:
      people: { path: people.csv }
      later: { path: people.csv, freshness: { warn_after: 10m } }
`);
    const { mkdir } = await import("node:fs/promises");
    await mkdir(path.join(dir, "definitions"));
    await writeFile(path.join(dir, "definitions", "broken.sqlx"), 'config { type: "table" }\nSELECT CAST(\'x\' AS INTEGER) AS n\n');
    const db = path.join(dir, "warehouse.duckdb");

    const run = await cli(["run"], dir);
    expect(run.code).toBe(1); // the broken model
    await writeFile(path.join(dir, "people.csv"), "id,name\n1,Ada\n");
    expect((await cli(["extract", "--full"], dir)).code).toBe(0);

    let r = await cli(["status", "--json"], dir);
    let st = JSON.parse(r.stdout) as {
      healthy: boolean;
      failedActions: Array<{ action_id: string }>;
      freshness: Array<{ stream: string; state: string; rowsTrend: number[]; warnAfterMinutes: number | null; errorAfterMinutes: number | null }>;
    };
    expect(r.code).toBe(1); // the latest run failed
    expect(st.healthy).toBe(false);
    expect(st.failedActions.map((a) => a.action_id)).toEqual(["core.broken"]);
    const people = st.freshness.find((f) => f.stream === "people")!;
    expect(people).toMatchObject({ state: "ok", warnAfterMinutes: 60, errorAfterMinutes: 120, rowsTrend: [1, 2] });
    expect(st.freshness.find((f) => f.stream === "later")).toMatchObject({ warnAfterMinutes: 10, errorAfterMinutes: null });

    // Fix the model: healthy again. Then age the loads.
    await writeFile(path.join(dir, "definitions", "broken.sqlx"), 'config { type: "table" }\nSELECT 1 AS n\n');
    expect((await cli(["run", "--skip-extract"], dir)).code).toBe(0);
    expect((await cli(["status"], dir)).code).toBe(0);
    await duck(db, "UPDATE rcu_meta.loads SET finished_at = finished_at - INTERVAL 90 MINUTE");
    r = await cli(["status", "--json"], dir);
    st = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(st.freshness.map((f) => [f.stream, f.state])).toEqual([["people", "warn"], ["later", "warn"]]);
    await duck(db, "UPDATE rcu_meta.loads SET finished_at = finished_at - INTERVAL 60 MINUTE");
    r = await cli(["status"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR crm\.people: \d+ min ago \(warn > 60 min, error > 120 min\)  rows: 1 ← 2/);
    expect(r.stdout).toMatch(/WARN  crm\.later: \d+ min ago \(warn > 10 min\)/);
  }, 60_000);
});
