/**
 * The run log in the warehouse (rcu_meta.action_runs) failing mid-run. Its writes are chained off
 * the workers' path; a failed one used to leave a rejected promise with no handler until the
 * run's end, and Node ends the process on an unhandled rejection — mid-run, with no
 * run_results.json (seen on Redshift when a Data API poll timed out). Now the run goes on, the
 * actions' results are complete, and the unwritten log rows are counted and reported.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResults } from "../../engine/execute/results.js";
import { cli, duck, tempDir } from "../helpers.js";

/** A DuckDB project of the given definitions (file name → SQLX); its directory and warehouse. */
async function project(definitions: Record<string, string>): Promise<{ dir: string; db: string }> {
  const dir = await tempDir("rcu-meta-log-");
  const db = path.join(dir, "warehouse.duckdb");
  await mkdir(path.join(dir, "definitions"));
  await writeFile(path.join(dir, "workflow_settings.yaml"), "defaultProject: p\ndefaultDataset: fx\ndefaultAssertionDataset: fx_assertions\n");
  await writeFile(path.join(dir, "rcu.yaml"), `default_profile: dev\nprofiles:\n  dev:\n    engine: duckdb\n    path: ${JSON.stringify(db)}\n`);
  for (const [file, sqlx] of Object.entries(definitions)) await writeFile(path.join(dir, "definitions", file), sqlx);
  return { dir, db };
}

/** `rcu run --json` that succeeds, without a word on stderr: its results. */
async function runJson(dir: string): Promise<RunResults> {
  const json = await cli(["run", "--json"], dir);
  expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: "" });
  return JSON.parse(json.stdout) as RunResults;
}

describe("a run whose meta log cannot be written", () => {
  it("runs every action, reports them all, and counts the log rows it could not write", async () => {
    // The first action takes the log table away (as a lost connection or a revoked grant would);
    // the two after it still run.
    const { dir, db } = await project({
      "a_drop_log.sqlx": 'config { type: "operations" }\nDROP TABLE rcu_meta.action_runs\n',
      "b_table.sqlx": 'config { type: "table", dependencies: ["a_drop_log"] }\nSELECT 1 AS one\n',
      "c_view.sqlx": 'config { type: "view" }\nSELECT one FROM ${ref("b_table")}\n',
    });

    const r = await runJson(dir);
    expect(r.status).toBe("success");
    expect(r.actions.map((a) => [a.id, a.status])).toEqual([["fx.a_drop_log", "success"], ["fx.b_table", "success"], ["fx.c_view", "success"]]);
    expect(r.metaLog?.unwrittenActions).toBe(3);
    expect(r.metaLog?.firstError).toMatchObject({ code: "SQL", doing: "write rcu_meta.action_runs", engine: "duckdb" });
    expect(String(r.metaLog?.firstError.message)).toMatch(/action_runs/);
    expect((JSON.parse(await readFile(path.join(dir, "target", "run_results.json"), "utf8")) as RunResults).metaLog?.unwrittenActions).toBe(3);
    expect(await duck(db, "SELECT one FROM fx.c_view")).toEqual([{ one: 1 }]);

    // Without --json, the summary says so.
    await duck(db, "DROP TABLE IF EXISTS rcu_meta.action_runs");
    const text = await cli(["run"], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Run succeeded .*\nwarning: 3 action\(s\) could not be logged to rcu_meta\.action_runs, so `rcu status` misses them/);
    expect(r.metaLog?.runRowUnwritten).toBe(false);
  });

  it("finishes when the run's own row cannot be updated either, and says rcu_meta.runs still says running", async () => {
    const { dir } = await project({
      "a_drop_meta.sqlx": 'config { type: "operations" }\nDROP TABLE rcu_meta.action_runs;\nDROP TABLE rcu_meta.runs\n',
      "b_table.sqlx": 'config { type: "table", dependencies: ["a_drop_meta"] }\nSELECT 1 AS one\n',
    });
    const r = await runJson(dir);
    expect(r.actions.map((a) => a.status)).toEqual(["success", "success"]);
    expect(r.metaLog).toMatchObject({ unwrittenActions: 2, runRowUnwritten: true, firstError: { doing: "write rcu_meta.action_runs" } });
    expect((JSON.parse(await readFile(path.join(dir, "target", "run_results.json"), "utf8")) as RunResults).runId).toBe(r.runId);
    const text = await cli(["run"], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\nwarning: 2 action\(s\) could not be logged to rcu_meta\.action_runs; rcu_meta\.runs could not be updated \(it still says running\)/);
  });
});
