import { mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject } from "../../engine/compile/compile.js";
import type { Action, Graph } from "../../engine/compile/graph.js";
import { duckdbDialect } from "../../engine/warehouses/duckdb/dialect.js";
import { copyFixture, FIXTURES, writeProjectFile } from "../helpers.js";

const compile = (projectDir: string, vars: Record<string, string> = {}) =>
  compileProject({ projectDir, renderSpec: duckdbDialect.renderSpec, engine: "duckdb", vars });

const byId = (g: Graph, id: string): Action => {
  const a = g.actions.find((x) => x.id === id);
  if (!a) throw new Error(`no action ${id} in ${g.actions.map((x) => x.id).join(", ")}`);
  return a;
};

describe("compile", () => {
  it("compiles every action type of the fixture with DuckDB quoting", async () => {
    const g = await compile(path.join(FIXTURES, "all-kinds"));
    expect(g.errors).toEqual([]);
    const kinds = Object.fromEntries(g.actions.map((a) => [a.id, a.kind]));
    expect(kinds).toMatchObject({
      "fx_src.raw_customers": "declaration",
      "fx.stg_customers": "view",
      "fx.customers": "table",
      "fx.orders_inc": "incremental",
      "fx.events_log": "incremental",
      "fx.op_snapshot": "operation",
      "fx.js_emails": "table",
      "fx_assertions.positive_amounts": "assertion",
    });
    const customers = byId(g, "fx.customers");
    expect(customers.kind === "table" && customers.query).toContain('FROM "fx"."stg_customers"');
    expect(customers.kind === "table" && customers.preOps).toHaveLength(2);
    expect(customers.kind === "table" && customers.postOps[0]).toContain(`COMMENT ON TABLE "fx"."customers"`);
    expect(customers.columns.map((c) => c.path.join("."))).toEqual(["id", "email"]);
    expect(customers.description).toBe("One row per customer.");
    // The database equal to workflow settings' defaultProject is dropped: DuckDB uses the file's catalog.
    expect(customers.target).toEqual({ schema: "fx", name: "customers" });
  });

  it("renders built-in assertions with the engine's quoting and string literals", async () => {
    const g = await compile(path.join(FIXTURES, "all-kinds"));
    const unique = byId(g, "fx_assertions.fx_customers_assertions_uniqueKey_0");
    expect(unique.kind === "assertion" && unique.query).toContain('GROUP BY "id"');
    expect(unique.kind === "assertion" && unique.parentAction).toBe("fx.customers");
    const rows = byId(g, "fx_assertions.fx_customers_assertions_rowConditions");
    expect(rows.kind === "assertion" && rows.query).toContain("'length(email) > 3' AS failing_row_condition");
    expect(rows.kind === "assertion" && rows.query).not.toContain("`");
  });

  it("splits incremental queries and keeps uniqueKey / protected", async () => {
    const g = await compile(path.join(FIXTURES, "all-kinds"));
    const inc = byId(g, "fx.orders_inc");
    if (inc.kind !== "incremental") throw new Error("expected incremental");
    expect(inc.uniqueKey).toEqual(["order_id"]);
    expect(inc.query).not.toContain("WHERE updated_at >");
    expect(inc.incrementalQuery).toContain('WHERE updated_at > (SELECT MAX(updated_at) FROM "fx"."orders_inc")');
    const log = byId(g, "fx.events_log");
    expect(log.kind === "incremental" && log.protected).toBe(true);
    expect(byId(g, "fx.disabled_table").disabled).toBe(true);
    const op = byId(g, "fx.op_snapshot");
    // On DuckDB the fixture's engine-specific DROP statement is empty (the planner skips it).
    expect(op.kind === "operation" && op.queries.filter((q) => q.trim()).length).toBe(2);
    expect(op.kind === "operation" && op.hasOutput).toBe(true);
  });

  it("applies --vars over workflow settings and exposes rcu_engine to includes", async () => {
    const g = await compile(path.join(FIXTURES, "all-kinds"), { min_amount: "10" });
    expect(g.vars).toMatchObject({ min_amount: "10", rcu_engine: "duckdb" });
    const a = byId(g, "fx_assertions.positive_amounts");
    expect(a.kind === "assertion" && a.query).toContain("amount < 10");
  });

  it("isolates compiles: globals set by project code do not leak into the next compile", async () => {
    const dir = await copyFixture("all-kinds");
    await writeProjectFile(dir, "includes/counter.js", "global.rcuCounter = (global.rcuCounter || 0) + 1;\nmodule.exports = { n: global.rcuCounter };\n");
    await writeProjectFile(dir, "definitions/counter.sqlx", 'config { type: "view" }\nSELECT ${counter.n} AS n\n');
    for (let i = 0; i < 3; i++) {
      const g = await compile(dir);
      const v = byId(g, "fx.counter");
      expect(v.kind === "view" && v.query.trim()).toBe("SELECT 1 AS n");
    }
    expect((globalThis as Record<string, unknown>).rcuCounter).toBeUndefined();
  });

  it("keeps includes away from the file system and Node built-ins", async () => {
    const dir = await copyFixture("all-kinds");
    await writeProjectFile(dir, "includes/evil.js", 'const fs = require("fs");\nmodule.exports = { x: fs.readFileSync("/etc/passwd", "utf8") };\n');
    const g = await compile(dir);
    const err = g.errors.find((e) => e.file === "includes/evil.js");
    expect(err?.message).toMatch(/Cannot require "fs"/);
    await writeProjectFile(dir, "includes/evil.js", 'module.exports = { x: typeof process + typeof require("path") };\n');
    const g2 = await compile(dir);
    expect(g2.errors.find((e) => e.file === "includes/evil.js")?.message).toMatch(/Cannot require "path"/);
  });

  it("reports a missing ref with its file and action", async () => {
    const dir = await copyFixture("all-kinds");
    await writeProjectFile(dir, "definitions/broken.sqlx", 'config { type: "table" }\nSELECT * FROM ${ref("no_such_table")}\n');
    const g = await compile(dir);
    expect(g.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: "definitions/broken.sqlx", message: expect.stringMatching(/no_such_table/) })]),
    );
  });

  it("reports a cycle naming the actions in it", async () => {
    const dir = await copyFixture("all-kinds");
    await writeProjectFile(dir, "definitions/cycle_a.sqlx", 'config { type: "table" }\nSELECT * FROM ${ref("cycle_b")}\n');
    await writeProjectFile(dir, "definitions/cycle_b.sqlx", 'config { type: "table" }\nSELECT * FROM ${ref("cycle_a")}\n');
    const g = await compile(dir);
    const messages = g.errors.map((e) => e.message).join("\n");
    expect(messages).toMatch(/circular|cycle/i);
    expect(messages).toContain("cycle_a");
    expect(messages).toContain("cycle_b");
  });

  it("reports a SQLX syntax error and a duplicate action with the file", async () => {
    const dir = await copyFixture("all-kinds");
    await writeProjectFile(dir, "definitions/bad_syntax.sqlx", 'config { type: "table", \nSELECT 1\n');
    await mkdir(path.join(dir, "definitions", "more"));
    await writeProjectFile(dir, "definitions/more/customers.sqlx", 'config { type: "table" }\nSELECT 1 AS id\n');
    const g = await compile(dir);
    expect(g.errors.some((e) => e.file === "definitions/bad_syntax.sqlx")).toBe(true);
    expect(g.errors.some((e) => /customers/.test(e.message) && /(duplicate|ambiguous|unique)/i.test(e.message))).toBe(true);
  });

  it("stops project code that never returns", async () => {
    const dir = await copyFixture("all-kinds");
    await writeProjectFile(dir, "includes/loop.js", "while (true) {}\n");
    await expect(
      compileProject({ projectDir: dir, renderSpec: duckdbDialect.renderSpec, engine: "duckdb", timeoutMs: 500 }),
    ).rejects.toThrow(/did not finish within 500 ms/);
  });
});
