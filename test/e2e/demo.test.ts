/**
 * `rcu demo --run` end to end on embedded DuckDB: the sample estate is generated, landed
 * (rows in = landed + rejected for every file, matching the generator's manifest), resolved, and
 * the summary's accuracy is measured against the estate's ground truth.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, duck, ROOT, tempDir } from "../helpers.js";

describe("rcu demo --run", () => {
  it("generates, lands, resolves and summarises the sample estate", async () => {
    const out = await tempDir("rcu-demo-");
    const r = await cli(["demo", "--people", "2000", "--out", out, "--run", "--threads", "2"], ROOT);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Demo summary/);
    expect(r.stdout).toMatch(/people resolved: +[\d,]+ person records → [\d,]+ users/);

    const manifest = JSON.parse(await readFile(path.join(out, "data", "manifest.json"), "utf8")) as {
      files: Record<string, { rows: number; malformed: number }>;
      truth: Record<string, number>;
    };
    const db = path.join(out, "warehouse.duckdb");
    const loads = await duck<{ source: string; stream: string; rows_in: number; rows_landed: number; rows_rejected: number }>(
      db,
      "SELECT source, stream, rows_in, rows_landed, rows_rejected FROM rcu_meta.loads WHERE status = 'succeeded'",
    );
    const dataFiles = Object.entries(manifest.files).filter(([f]) => !f.startsWith("truth/"));
    expect(loads).toHaveLength(dataFiles.length);
    const totalIn = loads.reduce((n, l) => n + l.rows_in, 0);
    expect(totalIn).toBe(dataFiles.reduce((n, [, f]) => n + f.rows, 0));
    expect(loads.reduce((n, l) => n + l.rows_rejected, 0)).toBe(dataFiles.reduce((n, [, f]) => n + f.malformed, 0));
    for (const l of loads) expect(l.rows_in).toBe(l.rows_landed + l.rows_rejected);

    // Every person-bearing record of the truth is resolved to exactly one user.
    const [records] = await duck<{ n: number }>(db, "SELECT COUNT(*) AS n FROM rcu_identity.identity_map");
    expect(records!.n).toBe(Object.values(manifest.truth).reduce((a, b) => a + b, 0));

    const ev = await cli(["evaluate", "--config", path.join(out, "rcu.yaml"), "--truth", path.join(out, "data", "truth", "persons.csv"), "--json"], ROOT);
    const e = JSON.parse(ev.stdout) as { pairwise: { precision: number; recall: number; f1: number }; missingFromWarehouse: number };
    expect(e.missingFromWarehouse).toBe(0);
    // Regression floors at the level measured when this test was written (see bench/RESULTS.md);
    // the target (F1 >= 0.99 on the sample estate) is not reached yet.
    expect(e.pairwise.precision).toBeGreaterThanOrEqual(0.97);
    expect(e.pairwise.f1).toBeGreaterThanOrEqual(0.9);
  }, 180_000);
});
