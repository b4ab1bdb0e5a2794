/** `--log-format json`: one parseable JSON object per event on stderr, stdout left to results. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempDir } from "../helpers.js";

describe("--log-format json", () => {
  it("logs extract and run events as JSON lines with levels, and keeps stdout for --json", async () => {
    const dir = await tempDir("rcu-logs-");
    await writeFile(path.join(dir, "people.csv"), "id,name\n1,Ada\n2,\"Bob\n");
    await writeFile(path.join(dir, "workflow_settings.yaml"), "defaultProject: p\ndefaultDataset: core\ndefaultAssertionDataset: checks\n");
    await writeFile(path.join(dir, "rcu.yaml"), "sources:\n  crm:\n    type: files\n    format: csv\n    streams:\n      people: { path: people.csv }\n");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(path.join(dir, "definitions"));
    await writeFile(path.join(dir, "definitions", "sources.js"), 'declare({ schema: "raw", name: "crm_people" });\n');
    await writeFile(path.join(dir, "definitions", "ok.sqlx"), 'config { type: "table" }\nSELECT COUNT(*) AS n FROM ${ref("raw", "crm_people")}\n');
    await writeFile(path.join(dir, "definitions", "bad.sqlx"), 'config { type: "table" }\nSELECT CAST(\'x\' AS INTEGER) AS n\n');
    const r = await cli(["run", "--log-format", "json", "--json"], dir);
    expect(r.code).toBe(1);
    expect(() => JSON.parse(r.stdout)).not.toThrow(); // the run results, nothing else
    const lines = r.stderr.trim().split("\n").map((l) => JSON.parse(l) as { ts: string; level: string; event: string; action?: string; status?: string; error?: { code: string } });
    expect(lines.every((l) => !Number.isNaN(Date.parse(l.ts)))).toBe(true);
    expect(lines.map((l) => l.event)).toEqual(expect.arrayContaining(["load_start", "load_end", "run_start", "action_start", "action_end", "run_end"]));
    const load = lines.find((l) => l.event === "load_end") as unknown as { rowsIn: number; rowsLanded: number; rowsRejected: number };
    expect(load).toMatchObject({ rowsIn: 2, rowsLanded: 1, rowsRejected: 1 });
    const bad = lines.find((l) => l.event === "action_end" && l.action === "core.bad")!;
    expect(bad).toMatchObject({ level: "error", status: "failed", error: { code: "SQL" } });
    expect(lines.find((l) => l.event === "run_end")).toMatchObject({ level: "error", status: "failed" });
    expect((await cli(["run", "--log-format", "yaml"], dir)).code).toBe(2);
  });
});
