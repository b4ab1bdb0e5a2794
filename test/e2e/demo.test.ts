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

    // rcu status: the run and every load, and each configured stream's freshness.
    const config = path.join(out, "rcu.yaml");
    const status = await cli(["status", "--config", config, "--json", "--limit", "50"], ROOT);
    expect(status.code).toBe(0);
    const st = JSON.parse(status.stdout) as { runs: Array<{ status: string }>; loads: Array<{ status: string }>; freshness: unknown[] };
    expect(st.runs[0]!.status).toBe("success");
    expect(st.loads.filter((l) => l.status === "succeeded")).toHaveLength(dataFiles.length);
    expect(st.freshness).toHaveLength(dataFiles.length);
    const text = await cli(["status", "--config", config], ROOT);
    expect(text.stdout).toMatch(/crm\.contacts: \d+ min ago/);

    // A second extract over unchanged files lands nothing twice.
    const again = await cli(["extract", "--config", config, "--json"], ROOT);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout) as { streams: Array<{ status: string; rowsLanded: number }> };
    expect(summary.streams.every((x) => x.status === "unchanged" && x.rowsLanded === 0)).toBe(true);

    // rcu identity explain: a CRM contact's person, its records and the edges that link them.
    const [crm] = await duck<{ record_key: string; user_id: string }>(db, `SELECT m.record_key, m.user_id FROM rcu_identity.identity_map m
      WHERE m.user_id IN (SELECT user_id FROM rcu_identity.identity_map GROUP BY user_id HAVING COUNT(*) >= 3)
        AND m.record_key LIKE 'crm_contacts:%' ORDER BY m.record_key LIMIT 1`);
    const explain = await cli(["identity", "explain", crm!.record_key, "--config", config, "--json"], ROOT);
    expect(explain.code).toBe(0);
    const x = JSON.parse(explain.stdout) as { userId: string; records: Array<{ record_key: string }>; pairs: Array<{ linked: boolean }> };
    expect(x.userId).toBe(crm!.user_id);
    expect(x.records.map((r) => r.record_key)).toContain(crm!.record_key);
    expect(x.records.length).toBeGreaterThanOrEqual(3);
    expect(x.pairs.filter((p) => p.linked).length).toBeGreaterThanOrEqual(x.records.length - 1);
    const byUser = await cli(["identity", "explain", crm!.user_id, "--config", config], ROOT);
    expect(byUser.stdout).toContain(`user ${crm!.user_id}`);
    expect(byUser.stdout).toMatch(/linking edge\(s\)/);
    const unknown = await cli(["identity", "explain", "nobody:0", "--config", config], ROOT);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("No record or user");
  }, 180_000);

  it("starts a new warehouse when it regenerates the estate, so nothing is landed twice", async () => {
    const out = await tempDir("rcu-demo-force-");
    const first = await cli(["demo", "--people", "200", "--out", out, "--run"], ROOT);
    expect(first.code).toBe(0);
    const again = await cli(["demo", "--people", "200", "--seed", "8", "--out", out, "--force", "--run"], ROOT);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Removed");
    const manifest = JSON.parse(await readFile(path.join(out, "data", "manifest.json"), "utf8")) as { files: Record<string, { rows: number }> };
    const dataFiles = Object.entries(manifest.files).filter(([f]) => !f.startsWith("truth/"));
    const db = path.join(out, "warehouse.duckdb");
    // One load per file of the new estate (web and email events are append streams: with the old
    // warehouse kept, the new files' events were added to the old ones).
    const loads = await duck<{ n: number; rows_in: number }>(db, "SELECT COUNT(*) AS n, SUM(rows_in) AS rows_in FROM rcu_meta.loads WHERE status = 'succeeded'");
    expect(loads).toEqual([{ n: dataFiles.length, rows_in: dataFiles.reduce((n, [, f]) => n + f.rows, 0) }]);
    const [users] = await duck<{ n: number }>(db, "SELECT COUNT(DISTINCT user_id) AS n FROM rcu_identity.identity_map");
    expect(users!.n).toBeLessThan(400);
  }, 180_000);
});
