/**
 * Extracts into two warehouses from one project directory can run at once (a test profile beside
 * the production one; two test suites on one checkout). Each keeps its batch files in a directory
 * of its own warehouse: clearing "batches left by a killed load" at the start of an extract must
 * not delete the batches of a load running into the other warehouse. (Both used to share
 * target/.extract-tmp, and a test suite's extract failed when another one started beside it.)
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { extractTmpDir, runExtract } from "../../connectors/extract.js";
import { DuckDBWarehouse } from "../../engine/warehouses/duckdb/driver.js";
import { testProject, type TestProject } from "./helpers.js";

let p: TestProject;
let other: DuckDBWarehouse | undefined;
afterEach(async () => {
  await other?.close();
  await p?.dispose();
});

const sources = { crm: { type: "files", format: "csv", streams: { people: { path: "in/*.csv" } } } };

describe("extracts into two warehouses from one project directory", () => {
  it("clear only their own warehouse's leftover batch files", async () => {
    p = await testProject();
    await p.write("in/people.csv", "id,name\n1,Anne\n2,Paul\n");
    other = new DuckDBWarehouse({ engine: "duckdb", path: path.join(p.dir, "other.duckdb"), options: { threads: "1" } });
    const mine = extractTmpDir(p.dir, p.warehouse);
    const theirs = extractTmpDir(p.dir, other);
    expect(mine).not.toBe(theirs);
    // A load into the other warehouse, running (its batch file on disk), and one into this
    // warehouse, killed (its batch file left behind).
    await mkdir(path.join(theirs, "load-running"), { recursive: true });
    await writeFile(path.join(theirs, "load-running", "batch-1.jsonl"), '["1","Anne"]\n');
    await mkdir(path.join(mine, "load-killed"), { recursive: true });
    await writeFile(path.join(mine, "load-killed", "batch-1.jsonl"), '["9","Zoé"]\n');

    const summary = await runExtract({ sources, warehouse: p.warehouse, env: {}, projectDir: p.dir });
    expect(summary.ok).toBe(true);
    expect(summary.streams[0]).toMatchObject({ rowsIn: 2, rowsLanded: 2 });
    expect(await readdir(path.join(theirs, "load-running"))).toEqual(["batch-1.jsonl"]);
    expect(await readdir(mine).catch(() => [])).not.toContain("load-killed");
  });
});
