/**
 * The definitions stay valid Dataform: the official CLI (`npx dataform compile`, pinned in
 * devDependencies) compiles the project's own definitions/ with no errors and finds the same
 * actions rcu does.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { compileProject } from "../../engine/compile/compile.js";
import { duckdbDialect } from "../../engine/warehouses/duckdb/dialect.js";
import { ROOT } from "../helpers.js";

const run = promisify(execFile);

interface OfficialGraph {
  tables?: Array<{ target: { schema: string; name: string } }>;
  assertions?: Array<{ target: { schema: string; name: string } }>;
  operations?: Array<{ target: { schema: string; name: string } }>;
  declarations?: Array<{ target: { schema: string; name: string } }>;
  graphErrors?: { compilationErrors?: unknown[] };
}

describe("official Dataform CLI", () => {
  it("compiles the project's definitions/ with no errors and the same actions as rcu", async () => {
    const cliPath = path.join(ROOT, "node_modules", "@dataform", "cli", "bundle.js");
    const { stdout } = await run(process.execPath, [cliPath, "compile", ROOT, "--json"], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: "1" },
    });
    const official = JSON.parse(stdout) as OfficialGraph;
    expect(official.graphErrors?.compilationErrors ?? []).toEqual([]);
    const ids = (xs: Array<{ target: { schema: string; name: string } }> | undefined) =>
      (xs ?? []).map((x) => `${x.target.schema}.${x.target.name}`);
    const officialIds = [...ids(official.tables), ...ids(official.assertions), ...ids(official.operations), ...ids(official.declarations)].sort();

    const ours = await compileProject({ projectDir: ROOT, renderSpec: duckdbDialect.renderSpec, engine: "duckdb" });
    expect(ours.errors).toEqual([]);
    expect(ours.actions.map((a) => a.id).sort()).toEqual(officialIds);
    expect(officialIds.length).toBeGreaterThan(0);
  }, 120_000);
});
