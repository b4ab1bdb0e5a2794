/**
 * End to end on every engine in `engines.ts` (filter with RCU_TEST_ENGINES=duckdb,snowflake): the
 * CLI in-process against a real warehouse — a DuckDB file, or Snowflake through snowflake-sdk and
 * the protocol test server.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunResults } from "../../engine/execute/results.js";
import { cli, copyFixture, duck } from "../helpers.js";
import { e2eEngines, type EngineTarget } from "./engines.js";

const SEED = `
    CREATE SCHEMA IF NOT EXISTS fx_src;
    CREATE OR REPLACE TABLE fx_src.raw_customers AS SELECT * FROM (VALUES
      (1, ' Ada ', 'ADA@example.com'), (2, 'Bob', 'bob@example.com'), (3, 'Chloé', ' chloe@example.fr ')) t(id, name, email);
    CREATE OR REPLACE TABLE fx_src.raw_orders AS SELECT * FROM (VALUES
      (10, 1, 12.5::DOUBLE, TIMESTAMP '2024-01-01 10:00:00'), (11, 2, 30.0, TIMESTAMP '2024-01-02 10:00:00')) t(order_id, customer_id, amount, updated_at);
  `;

describe.each(e2eEngines())("rcu run on $name", (engine) => {
  let dir: string;
  let wh: EngineTarget;
  const d = engine.dialect;
  const q = (schema: string, name: string) => d.qualify({ schema, name });
  /**
   * The statement that builds a table: beside it where DDL is not transactional (then swapped in),
   * else in place: replaced in one statement, or dropped then created inside the transaction.
   */
  const builds = (schema: string, name: string) =>
    !d.capabilities.transactionalDdl
      ? `CREATE TABLE ${q(schema, `${name}__rcu_new`)}`
      : d.capabilities.createOrReplaceTable
        ? `CREATE OR REPLACE TABLE ${q(schema, name)}`
        : `CREATE TABLE ${q(schema, name)}`;
  /** The first line of the dialect's incremental upsert (MERGE, or a scratch table then DELETE + INSERT). */
  const upserts = (schema: string, name: string) => d.upsert({ schema, name }, "SELECT 1", ["k"], ["k"])[0]!.split("\n")[0]!;
  const run = (args: string[]) => cli(args, dir, wh.env);
  const results = async (): Promise<RunResults> =>
    JSON.parse(await readFile(path.join(dir, "target", "run_results.json"), "utf8")) as RunResults;

  beforeEach(async () => {
    dir = await copyFixture("all-kinds");
    wh = await engine.setup(dir);
    await wh.sql(engine.seed ?? SEED);
  });
  afterEach(async () => {
    await wh?.close();
  });

  it("builds every action type and records results", async () => {
    const r = await run(["run", "--threads", "3"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Run succeeded/);
    expect(await wh.sql("SELECT id, name, email FROM fx.customers ORDER BY id")).toEqual([
      { id: 1, name: "Ada", email: "ada@example.com" },
      { id: 2, name: "Bob", email: "bob@example.com" },
      { id: 3, name: "Chloé", email: "chloe@example.fr" },
    ]);
    const relations = await wh.relations();
    expect(relations.get("fx.stg_customers")).toBe("view");
    expect(await wh.sql("SELECT customers FROM fx.after_op")).toEqual([{ customers: 3 }]);
    expect(await wh.comment({ schema: "fx", name: "customers" })).toBe("built by rcu");
    expect(await wh.sql("SELECT count(*) AS n FROM fx_src.build_audit")).toEqual([{ n: 1 }]);
    expect(relations.has("fx.disabled_table")).toBe(false);
    expect([...relations.keys()].some((k) => k.endsWith("__rcu_new"))).toBe(false);

    const res = await results();
    expect(res.status).toBe("success");
    expect(res.threads).toBe(3);
    const status = Object.fromEntries(res.actions.map((a) => [a.id, a.status]));
    expect(status["fx.disabled_table"]).toBe("disabled");
    expect(status["fx_src.raw_customers"]).toBeUndefined(); // declarations are not work
    const customers = res.actions.find((a) => a.id === "fx.customers")!;
    expect(customers.rowsAffected).toBe(engine.ctasRowCount ? 3 : null);
    expect(customers.statements.some((s) => s.startsWith(builds("fx", "customers")))).toBe(true);
    expect(res.summary).toMatchObject({ failed: 0, skipped: 0, disabled: 1 });

    const runs = await wh.sql("SELECT run_id, status, actions_total, actions_failed FROM rcu_meta.runs");
    expect(runs).toEqual([{ run_id: res.runId, status: "success", actions_total: res.summary.total, actions_failed: 0 }]);
    expect(await wh.sql(`SELECT count(*) AS n FROM rcu_meta.action_runs WHERE run_id = '${res.runId}'`)).toEqual([{ n: res.actions.length }]);
  });

  it("merges incremental tables on their unique key across runs, and appends without one", async () => {
    expect((await run(["run"])).code).toBe(0);
    await wh.sql(`
      UPDATE fx_src.raw_orders SET amount = 99.0, updated_at = TIMESTAMP '2024-02-01 00:00:00' WHERE order_id = 11;
      INSERT INTO fx_src.raw_orders VALUES (12, 3, 5.25, TIMESTAMP '2024-02-02 00:00:00');
    `);
    const second = await run(["run", "--select", "tag:daily+"]);
    expect(second.code).toBe(0);
    expect(await wh.sql("SELECT order_id, CAST(amount AS DOUBLE PRECISION) AS amount FROM fx.orders_inc ORDER BY order_id")).toEqual([
      { order_id: 10, amount: 12.5 },
      { order_id: 11, amount: 99 },
      { order_id: 12, amount: 5.25 },
    ]);
    // No unique key: the changed order is appended as a new event, nothing is rewritten.
    expect(await wh.sql("SELECT order_id, count(*) AS n FROM fx.events_log GROUP BY order_id ORDER BY order_id")).toEqual([
      { order_id: 10, n: 1 },
      { order_id: 11, n: 2 },
      { order_id: 12, n: 1 },
    ]);
    const merge = (await results()).actions.find((a) => a.id === "fx.orders_inc")!;
    expect(merge.statements.some((s) => s.startsWith(upserts("fx", "orders_inc")))).toBe(true);
    expect(merge.rowsAffected).toBe(engine.transactionRowCounts ? 2 : null);
    expect(await wh.sql("SELECT revenue FROM fx.customer_revenue WHERE id = 2")).toEqual([{ revenue: 99 }]);
  });

  it("rebuilds incrementals on --full-refresh but never a protected one", async () => {
    expect((await run(["run"])).code).toBe(0);
    await wh.sql("DELETE FROM fx_src.raw_orders WHERE order_id = 10");
    expect((await run(["run", "--full-refresh", "--select", "tag:daily"])).code).toBe(0);
    expect(await wh.sql("SELECT order_id FROM fx.orders_inc ORDER BY 1")).toEqual([{ order_id: 11 }]);
    // events_log is protected: it keeps order 10.
    expect(await wh.sql("SELECT order_id FROM fx.events_log ORDER BY 1")).toEqual([{ order_id: 10 }, { order_id: 11 }]);
  });

  it("keeps the previous table when its rebuild fails, skips only the downstream, and names the statement", async () => {
    expect((await run(["run"])).code).toBe(0);
    await writeFile(
      path.join(dir, "definitions", "customers.sqlx"),
      'config { type: "table" }\nSELECT id, name, email, CAST(\'not a number\' AS INTEGER) AS broken FROM ${ref("stg_customers")}\n',
    );
    const r = await run(["run"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL .*fx\.customers/);
    expect(r.stdout).toContain("file: definitions/customers.sqlx");
    expect(r.stdout).toMatch(engine.conversionError);
    expect(r.stdout).toContain(builds("fx", "customers"));
    // The old version is intact and queryable.
    expect(await wh.sql("SELECT count(*) AS n FROM fx.customers")).toEqual([{ n: 3 }]);
    const res = await results();
    const status = Object.fromEntries(res.actions.map((a) => [a.id, a.status]));
    expect(status).toMatchObject({
      "fx.customers": "failed",
      "fx.js_emails": "skipped",
      "fx.customer_revenue": "skipped",
      "fx.op_snapshot": "skipped",
      "fx.orders_inc": "success", // independent of the failure
      "fx.stg_customers": "success",
    });
    const failed = res.actions.find((a) => a.id === "fx.customers")!;
    expect(failed.error).toMatchObject({ code: "SQL", kind: "terminal", file: "definitions/customers.sqlx", engine: engine.name });
    if (d.capabilities.transactionalDdl) expect(failed.statements.at(-1)).toBe("ROLLBACK");
    else expect(failed.statements.at(-1)!.startsWith(builds("fx", "customers"))).toBe(true);
    expect(res.actions.find((a) => a.id === "fx.js_emails")!.skippedBecause).toBe("fx.customers");
    expect(await wh.sql("SELECT status, actions_failed FROM rcu_meta.runs ORDER BY started_at DESC LIMIT 1")).toEqual([{ status: "failed", actions_failed: 1 }]);
  });

  it("fails the run on a failing assertion with the row count and sample rows", async () => {
    await wh.sql("INSERT INTO fx_src.raw_customers VALUES (2, 'Bob bis', 'bob2@example.com'), (4, 'Dan', NULL)");
    const r = await run(["run"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Assertion fx_assertions\.fx_customers_assertions_uniqueKey_0 failed: 1 row\(s\)/);
    expect(r.stdout).toMatch(/Assertion fx_assertions\.fx_customers_assertions_rowConditions failed: 1 row\(s\)/);
    expect(r.stdout).toContain('"failing_row_condition":"email IS NOT NULL"');
    const res = await results();
    const unique = res.actions.find((a) => a.id === "fx_assertions.fx_customers_assertions_uniqueKey_0")!;
    expect(unique.assertion).toEqual({ failingRows: 1, sample: [{ id: 2, index_row_count: 2 }] });
    // The failing rows stay inspectable as a view (its mixed-case name is kept exactly: quoted).
    expect(await wh.sql(`SELECT id FROM ${q("fx_assertions", "fx_customers_assertions_uniqueKey_0")}`)).toEqual([{ id: 2 }]);
  });

  it("runs only the selection, with upstream on +name", async () => {
    const r = await run(["run", "--select", "+customers", "--json"]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as RunResults;
    expect(res.actions.map((a) => a.id).sort()).toEqual(["fx.customers", "fx.stg_customers"]);
    expect((await wh.relations()).has("fx.orders_inc")).toBe(false);
  });

  it("plans without changing the warehouse", async () => {
    const r = await run(["plan", "--select", "orders_inc"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${builds("fx", "orders_inc")} AS`);
    expect([...(await wh.relations()).keys()].filter((k) => k.startsWith("fx.") || k.startsWith("rcu_meta."))).toEqual([]);
    expect((await run(["run", "--select", "orders_inc"])).code).toBe(0);
    const again = await run(["plan", "--select", "orders_inc"]);
    expect(again.stdout).toContain(upserts("fx", "orders_inc"));
  });
});

let dir: string;
let db: string;

beforeEach(async () => {
  dir = await copyFixture("all-kinds");
  db = path.join(dir, "warehouse.duckdb");
  await duck(db, SEED);
});

describe("rcu refuses to run a broken project", () => {
  it("reports a missing ref and a cycle with file and action, and runs nothing", async () => {
    await writeFile(path.join(dir, "definitions", "a.sqlx"), 'config { type: "table" }\nSELECT * FROM ${ref("b")}\n');
    await writeFile(path.join(dir, "definitions", "b.sqlx"), 'config { type: "table" }\nSELECT * FROM ${ref("a")}\n');
    await writeFile(path.join(dir, "definitions", "c.sqlx"), 'config { type: "table" }\nSELECT * FROM ${ref("missing_table")}\n');
    const r = await cli(["run"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nothing was run");
    expect(r.stderr).toMatch(/definitions\/c\.sqlx.*missing_table/);
    expect(r.stderr).toMatch(/definitions\/(a|b)\.sqlx.*(Circular|cycle)/i);
    expect(await duck(db, "SELECT count(*) AS n FROM information_schema.schemata WHERE schema_name = 'rcu_meta'")).toEqual([{ n: 0 }]);
  });

  it("rejects a bad config with the key, file and expected value (exit 2)", async () => {
    await writeFile(path.join(dir, "rcu.yaml"), "profiles:\n  local:\n    engine: duckdb\n    path: 42\n    colour: blue\nthreads: many\n");
    const r = await cli(["run"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(path.join(dir, "rcu.yaml"));
    expect(r.stderr).toMatch(/profiles\.local\.path: .*expected string/i);
    expect(r.stderr).toMatch(/profiles\.local.*colour/);
    expect(r.stderr).toMatch(/threads: .*expected number/i);
  });

  it("rejects an unknown profile and bad flags (exit 2)", async () => {
    expect((await cli(["run", "--profile", "prod"], dir)).stderr).toMatch(/Profile "prod" is not defined/);
    expect((await cli(["run", "--threads", "0"], dir)).code).toBe(2);
    expect((await cli(["run", "--vars", "novalue"], dir)).code).toBe(2);
    expect((await cli(["frobnicate"], dir)).code).toBe(2);
    const noSources = await cli(["extract"], dir);
    expect(noSources.code).toBe(2);
    expect(noSources.stderr).toMatch(/No sources/);
  });
});
