import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runExtract } from "../../connectors/extract.js";
import { buildChild } from "./build-child.js";
import { testProject, type TestProject } from "./helpers.js";

let extractJs = "";
let childDir = "";
beforeAll(async () => {
  childDir = await mkdtemp(path.join(tmpdir(), "rcu-child-"));
  extractJs = await buildChild(childDir);
});
afterAll(async () => {
  if (childDir) await rm(childDir, { recursive: true, force: true });
});

let p: TestProject;
afterEach(async () => p?.dispose());

const sources = (batch: number) => ({
  crm: { type: "files", format: "csv", streams: { big: { path: "in/*.csv", batch_size: batch } } },
});

function csv(from: number, n: number): string {
  let s = "id,name,note\n";
  for (let i = from; i < from + n; i++) s += `${i},name ${i},"note, ${i}"\n`;
  return s;
}

/** Run runExtract in a child; SIGKILL it once it has reported `killAfterRows` rows read. */
async function runAndKill(p: TestProject, killAfterRows: number, selfKillAtCommit = false): Promise<{ killed: boolean; out: string }> {
  const script = `
    import { runExtract } from ${JSON.stringify(extractJs)};
    import { DuckDBWarehouse } from ${JSON.stringify(path.join(path.dirname(extractJs), "..", "engine/warehouses/duckdb/driver.js"))};
    const warehouse = new DuckDBWarehouse({ engine: "duckdb", path: ${JSON.stringify(p.dbPath)}, options: { threads: "1" } });
    await runExtract({ sources: ${JSON.stringify(sources(2000))}, warehouse, env: {}, projectDir: ${JSON.stringify(p.dir)},
      onEvent: (e) => { if (${selfKillAtCommit} && e.type === "committing") process.kill(process.pid, "SIGKILL"); if (e.type === "progress") process.stdout.write("rows " + e.rows + "\\n"); } });
    process.stdout.write("done\\n");
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let killed = false;
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    const m = [...out.matchAll(/rows (\d+)/g)].pop();
    if (!killed && m && Number(m[1]) >= killAfterRows) {
      killed = true;
      child.kill("SIGKILL");
    }
  });
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const signal = await new Promise((r) => child.on("exit", (_code, sig) => r(sig)));
  return { killed: killed || signal === "SIGKILL", out };
}

describe("crash safety", () => {
  it("a load killed with SIGKILL mid-way leaves nothing visible; the next run lands everything once", async () => {
    p = await testProject();
    await p.write("in/a.csv", csv(1, 30_000));
    await p.write("in/b.csv", csv(30_001, 30_000));
    const { killed, out } = await runAndKill(p, 20_000);
    expect(killed, out).toBe(true);
    expect(out).not.toContain("done");

    await p.reopen();
    const tables = await p.query(`SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema IN ('raw', 'rcu_meta')`);
    const raw = tables.find((t) => t.t === "raw.crm_big");
    if (raw) expect((await p.query(`SELECT COUNT(*) AS n FROM raw.crm_big`))[0]!.n).toBe(0);
    const ledger = await p.query(`SELECT COUNT(*) AS n FROM rcu_meta.loads`);
    expect(ledger[0]!.n).toBe(0);
    const state = await p.query(`SELECT COUNT(*) AS n FROM rcu_meta.extract_state`);
    expect(state[0]!.n).toBe(0);

    const r = await runExtract({ sources: sources(2000), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(r.streams[0]).toMatchObject({ status: "succeeded", rowsIn: 60_000, rowsLanded: 60_000 });
    const counts = await p.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM raw.crm_big`);
    expect(counts[0]).toEqual({ n: 60_000, d: 60_000 });
    const leftovers = await p.query(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'rcu_meta' AND table_name LIKE '\\_stg\\_%' ESCAPE '\\'`);
    expect(leftovers[0]!.n).toBe(0);
    // And a further re-run lands nothing.
    const again = await runExtract({ sources: sources(2000), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(again.streams[0]!.rowsLanded).toBe(0);
  });

  it("a killed second load keeps the first intact; re-running adds only the new file", async () => {
    p = await testProject();
    await p.write("in/a.csv", csv(1, 5_000));
    await runExtract({ sources: sources(2000), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    await p.close();
    await p.write("in/b.csv", csv(5_001, 40_000));
    const { killed } = await runAndKill(p, 10_000);
    expect(killed).toBe(true);
    await p.reopen();
    expect((await p.query(`SELECT COUNT(*) AS n FROM raw.crm_big`))[0]!.n).toBe(5_000);
    const r = await runExtract({ sources: sources(2000), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(r.streams[0]).toMatchObject({ rowsLanded: 40_000, inputs: ["in/b.csv"], skippedInputs: ["in/a.csv"] });
    const counts = await p.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM raw.crm_big`);
    expect(counts[0]).toEqual({ n: 45_000, d: 45_000 });
  });

  it("a load killed inside its publish transaction, just before COMMIT, leaves nothing visible", async () => {
    p = await testProject();
    await p.write("in/a.csv", csv(1, 8_000));
    await p.close();
    const { killed, out } = await runAndKill(p, Number.MAX_SAFE_INTEGER, true);
    expect(killed, out).toBe(true);
    expect(out).toContain("rows 8000");
    await p.reopen();
    const raw = await p.query(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'raw'`);
    expect(raw[0]!.n).toBe(0);
    expect((await p.query(`SELECT COUNT(*) AS n FROM rcu_meta.loads`))[0]!.n).toBe(0);
    expect((await p.query(`SELECT COUNT(*) AS n FROM rcu_meta.extract_state`))[0]!.n).toBe(0);
    const r = await runExtract({ sources: sources(2000), warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(r.streams[0]).toMatchObject({ status: "succeeded", rowsLanded: 8_000 });
    expect((await p.query(`SELECT COUNT(DISTINCT id) AS n FROM raw.crm_big`))[0]!.n).toBe(8_000);
  });
});
