/**
 * The Redshift driver through the real `@aws-sdk/client-redshift-data` client against the local
 * Data API server (test/servers/redshift-data-api), which runs the SQL on PGlite.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RcuError } from "../../engine/errors.js";
import { RedshiftWarehouse } from "../../engine/warehouses/redshift/driver.js";
import { classifyRedshiftError } from "../../engine/warehouses/redshift/errors.js";
import { MAX_SQL_BYTES, appendStatements, substituteParameters } from "../../engine/warehouses/redshift/statements.js";
import { openWarehouse } from "../../engine/warehouses/registry.js";
import { columnsKey } from "../../engine/warehouses/sql-common.js";
import type { Connection, Warehouse } from "../../engine/warehouses/types.js";
import { unaliasedSubquery, windowShiftWithDefault } from "../servers/redshift-data-api/strict.js";
import { startRedshift, type TestRedshift } from "./servers.js";

let rs: TestRedshift;
let wh: Warehouse;
let conn: Connection;

beforeAll(async () => {
  rs = await startRedshift({ pageSize: 3 });
  wh = openWarehouse(rs.withSecrets);
  conn = await wh.connect();
});
afterAll(async () => {
  await conn?.close();
  await wh?.close();
  await rs?.stop();
});

const calls = () => ({ ...rs.server.calls });
const delta = (before: Record<string, number>, op: string) => (rs.server.calls[op] ?? 0) - (before[op] ?? 0);

const caught = async (p: Promise<unknown>): Promise<RcuError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof RcuError) return err;
    throw err;
  }
  throw new Error("expected a failure");
};

describe("Redshift parameters", () => {
  it("binds :pN outside literals, identifiers, comments and casts; inlines what cannot be bound", () => {
    const r = substituteParameters(
      `SELECT ':p1', ":p1", x::text, :p1, :p2, :p3 -- :p1\n/* :p2 */ FROM t WHERE a = :p10`,
      ["a", null, "", 4, 5, 6, 7, 8, 9, new Date("2024-01-01T00:00:00Z")],
      (v) => v !== null && v !== "",
    );
    expect(r.sql).toBe(`SELECT ':p1', ":p1", x::text, :p1, NULL, '' -- :p1\n/* :p2 */ FROM t WHERE a = :p10`);
    expect(r.parameters).toEqual([
      { name: "p1", value: "a" },
      { name: "p10", value: "2024-01-01T00:00:00.000Z" },
    ]);
  });
});

describe("Redshift's test server refuses what Redshift refuses", () => {
  it("finds a subquery in FROM or JOIN without an alias, and only that", () => {
    expect(unaliasedSubquery("SELECT x FROM (SELECT 1 AS x) WHERE x > 0")).toBe("FROM (SELECT 1 AS x) WHERE x > 0");
    expect(unaliasedSubquery("SELECT * FROM t JOIN (SELECT 1 AS x) ON TRUE")).toBe("JOIN (SELECT 1 AS x) ON TRUE");
    expect(unaliasedSubquery("SELECT * FROM (WITH a AS (SELECT 1 AS x) SELECT x FROM a)")).toMatch(/^FROM \(WITH/);
    expect(unaliasedSubquery("SELECT * FROM (SELECT 1 AS x) AS s WHERE x > 0")).toBeNull();
    expect(unaliasedSubquery(`SELECT * FROM (SELECT 1 AS x) "s"`)).toBeNull();
    expect(unaliasedSubquery("SELECT * FROM (SELECT '(' AS x /* ) */) s JOIN (SELECT 1 AS y) t ON TRUE")).toBeNull();
    expect(unaliasedSubquery("SELECT EXTRACT(EPOCH FROM (b - a)) FROM t")).toBeNull();
    expect(unaliasedSubquery("SELECT 'FROM (SELECT 1)' AS text_only")).toBeNull();
  });

  it("finds a LAG or LEAD given a default, which Redshift's take no argument for", () => {
    expect(windowShiftWithDefault("SELECT LAG(x, 1, 0) OVER (ORDER BY y) FROM t")).toMatch(/^LAG\(x, 1, 0\)/);
    expect(windowShiftWithDefault("SELECT lead (COALESCE(x, 0), 2, -1) OVER (PARTITION BY a ORDER BY y) FROM t")).toMatch(/^lead \(/);
    expect(windowShiftWithDefault("SELECT COALESCE(LAG(GREATEST(x, 1), 1) OVER (ORDER BY y), 0) FROM t")).toBeNull();
    expect(windowShiftWithDefault("SELECT LAG(x) OVER (ORDER BY y), 'LAG(a, b, c)' FROM t")).toBeNull();
  });
});

describe("Redshift driver over the Data API", () => {
  beforeEach(() => undefined);

  it("describes the target without credentials; reads keys from the named variables", async () => {
    expect(wh.description).toBe(`redshift:cluster rcu-test/dev (eu-west-1, ${rs.profile.endpoint})`);
    expect(wh.description).not.toContain("not-a-real-secret");
    const noKeys = new RedshiftWarehouse({ ...rs.profile, secrets: {} });
    const err = await caught(noKeys.connect());
    expect(err).toMatchObject({ code: "CONFIG" });
    expect(err.message).toContain("RCU_TEST_AWS_KEY");
  });

  it("executes with SqlParameters, polls DescribeStatement, and reads every result page", async () => {
    const before = calls();
    await conn.execute(`CREATE SCHEMA IF NOT EXISTS r1`);
    await conn.execute(`CREATE TABLE r1.v (i INTEGER, b BIGINT, n NUMERIC(12, 2), d DOUBLE PRECISION, ok BOOLEAN, s VARCHAR(65535), ts TIMESTAMPTZ, t TIMESTAMP)`);
    const ins = await conn.execute(`INSERT INTO r1.v VALUES (:p1, :p2, :p3, :p4, :p5, :p6, :p7, :p8)`, [
      1, 1234567890123n, "12.50", 0.25, true, "Zoë 😀 'q'\nline", new Date("2024-01-02T03:04:05Z"), "2024-01-02 03:04:05",
    ]);
    expect(ins.rowsAffected).toBe(1);
    await conn.execute(`INSERT INTO r1.v VALUES (:p1, :p2, :p3, :p4, :p5, :p6, :p7, :p8)`, [2, null, null, null, false, "", null, null]);
    expect(delta(before, "ExecuteStatement")).toBe(4);
    expect(delta(before, "DescribeStatement")).toBeGreaterThanOrEqual(4);
    expect(await conn.query(`SELECT * FROM r1.v ORDER BY i`)).toEqual([
      { i: 1, b: 1234567890123, n: 12.5, d: 0.25, ok: true, s: "Zoë 😀 'q'\nline", ts: new Date("2024-01-02T03:04:05Z"), t: new Date("2024-01-02T03:04:05Z") },
      { i: 2, b: null, n: null, d: null, ok: false, s: "", ts: null, t: null },
    ]);
    const pages = calls();
    const many = await conn.query(`SELECT g AS n, 'row ' || g AS label FROM generate_series(1, 10) AS g ORDER BY g`);
    expect(many).toHaveLength(10);
    expect(many[9]).toEqual({ n: 10, label: "row 10" });
    expect(delta(pages, "GetStatementResult")).toBe(4); // 3 + 3 + 3 + 1 rows
    expect(await conn.query(`SELECT count(*) AS n FROM r1.v WHERE s = :p1`, ["Zoë 😀 'q'\nline"])).toEqual([{ n: 1 }]);
  });

  it("sends BEGIN … COMMIT as one BatchExecuteStatement; ROLLBACK sends nothing", async () => {
    const before = calls();
    await conn.execute("BEGIN");
    await conn.execute(`CREATE TABLE r1.tx AS SELECT 1 AS id`);
    await conn.execute(`INSERT INTO r1.tx VALUES (:p1)`, [2]);
    await conn.execute("COMMIT");
    expect(delta(before, "BatchExecuteStatement")).toBe(1);
    expect(delta(before, "ExecuteStatement")).toBe(0);
    expect(rs.server.received.slice(-2)).toEqual([`CREATE TABLE r1.tx AS SELECT 1 AS id`, `INSERT INTO r1.tx VALUES ('2')`]);
    expect(await conn.query(`SELECT id FROM r1.tx ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);

    await conn.execute("BEGIN");
    await conn.execute(`DROP TABLE r1.tx`);
    await conn.execute("ROLLBACK");
    expect(delta(before, "BatchExecuteStatement")).toBe(1);
    expect(await conn.query(`SELECT count(*) AS n FROM r1.tx`)).toEqual([{ n: 2 }]);
    await conn.execute("BEGIN");
    await expect(conn.query("SELECT 1")).rejects.toThrow(/cannot read inside/);
    await conn.execute("ROLLBACK");
  });

  it("rolls a failing batch back and names the failing statement", async () => {
    await conn.execute("BEGIN");
    await conn.execute(`DELETE FROM r1.tx`);
    await conn.execute(`INSERT INTO r1.tx VALUES (CAST('x' AS INTEGER))`);
    await conn.execute(`INSERT INTO r1.tx VALUES (3)`);
    const err = await caught(conn.execute("COMMIT"));
    expect(err).toMatchObject({ code: "SQL", kind: "terminal", context: { engine: "redshift", statement: `INSERT INTO r1.tx VALUES (CAST('x' AS INTEGER))` } });
    expect(err.message).toMatch(/invalid input syntax for type integer.*\(statement 2 of 3\)/);
    expect(await conn.query(`SELECT count(*) AS n FROM r1.tx`)).toEqual([{ n: 2 }]);
  });

  it("upserts by DELETE + INSERT in one batch", async () => {
    const d = wh.dialect;
    await conn.execute(`CREATE TABLE r1.m (id INTEGER, v VARCHAR(10))`);
    await conn.execute(`INSERT INTO r1.m VALUES (1, 'a'), (2, 'b')`);
    await conn.execute(d.begin());
    for (const s of d.upsert({ schema: "r1", name: "m" }, `SELECT 2 AS id, 'B' AS v UNION ALL SELECT 3, 'c'`, ["id"], ["id", "v"])) {
      await conn.execute(s);
    }
    await conn.execute(d.commit());
    expect(await conn.query(`SELECT id, v FROM r1.m ORDER BY id`)).toEqual([
      { id: 1, v: "a" },
      { id: 2, v: "B" },
      { id: 3, v: "c" },
    ]);
  });

  it("lists tables and columns with ListTables/DescribeTable, following NextToken", async () => {
    await conn.execute(`CREATE SCHEMA IF NOT EXISTS "Mixed Case"`);
    await conn.execute(`CREATE TABLE "Mixed Case"."Tbl" ("Id" BIGINT NOT NULL, a VARCHAR(5), b INTEGER, c BOOLEAN, d TIMESTAMP)`);
    await conn.execute(`CREATE VIEW "Mixed Case"."V" AS SELECT "Id" FROM "Mixed Case"."Tbl"`);
    const before = calls();
    const rels = await conn.listRelations();
    expect(rels).toEqual(expect.arrayContaining([
      { schema: "Mixed Case", name: "Tbl", kind: "table" },
      { schema: "Mixed Case", name: "V", kind: "view" },
      { schema: "r1", name: "v", kind: "table" },
    ]));
    expect(delta(before, "ListTables")).toBeGreaterThan(1);
    const cols = await conn.listColumns({ schema: "Mixed Case", name: "Tbl" });
    expect(cols.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ["Id", "int8", false],
      ["a", "varchar", true],
      ["b", "int4", true],
      ["c", "bool", true],
      ["d", "timestamp", true],
    ]);
    expect(delta(before, "DescribeTable")).toBe(2);
    expect(await conn.listColumns({ schema: "Mixed Case", name: "nope" })).toEqual([]);
  });

  it("lists many relations' columns per schema, and table by table if a listing names no tables", async () => {
    const tbl = { schema: "Mixed Case", name: "Tbl" };
    const nope = { schema: "Mixed Case", name: "nope" };
    const expected = new Map([[columnsKey(tbl), await conn.listColumns(tbl)]]);
    rs.server.omitTableNames(true);
    try {
      const before = calls();
      expect(await conn.listColumnsOf([tbl, nope])).toEqual(expected);
      // The schema's listing (stopped at its first page, which names no table), then one call each.
      expect(delta(before, "DescribeTable")).toBe(1 + 2 + 1);
    } finally {
      rs.server.omitTableNames(false);
    }
  });

  it("appends in bulk in INSERTs under the 100 KB limit: quotes, newlines, unicode, nulls", async () => {
    await conn.execute(`CREATE TABLE r1.bulk (id BIGINT, s VARCHAR(65535), f DOUBLE PRECISION, ok BOOLEAN)`);
    const tricky = ["O'Brien", 'say "hi"', "a,b\nc\r\nd", "tab\there", "", ":p1 and '' and \\", "émoji 🚀 ünïcödé", "--not a comment", "/* nor this */"];
    const rows = Array.from({ length: 3000 }, (_, i) => [
      i,
      i < tricky.length ? tricky[i]! : i % 7 === 0 ? null : `row ${i} ${"x".repeat(60)}`,
      i % 5 === 0 ? null : i / 4,
      i % 3 === 0 ? null : i % 2 === 0,
    ]);
    const statements = appendStatements({ schema: "r1", name: "bulk" }, ["id", "s", "f", "ok"], rows);
    expect(statements.length).toBeGreaterThan(2);
    for (const s of statements) expect(Buffer.byteLength(s)).toBeLessThan(MAX_SQL_BYTES);
    const before = calls();
    expect(await conn.append({ schema: "r1", name: "bulk" }, ["id", "s", "f", "ok"], rows)).toBe(3000);
    expect(delta(before, "BatchExecuteStatement")).toBe(1);
    expect(await conn.query(`SELECT s FROM r1.bulk WHERE id < ${tricky.length} ORDER BY id`)).toEqual(tricky.map((s) => ({ s })));
    expect(await conn.query(`SELECT count(*) AS n, count(s) AS s, count(f) AS f, count(ok) AS ok FROM r1.bulk`)).toEqual([
      { n: 3000, s: rows.filter((r) => r[1] !== null).length, f: 2400, ok: 2000 },
    ]);
    const huge = [[1, "y".repeat(MAX_SQL_BYTES)]];
    await expect(conn.append({ schema: "r1", name: "bulk" }, ["id", "s"], huge)).rejects.toThrow(/does not fit/);
  });

  it("maps errors: syntax and missing relations terminal; throttling and serialization conflicts transient", async () => {
    const syntax = await caught(conn.execute("SELEC 1"));
    expect(syntax).toMatchObject({ code: "SQL", kind: "terminal", context: { engine: "redshift", statement: "SELEC 1" } });
    expect(syntax.message).toMatch(/^ERROR: syntax error/);
    const unaliased = await caught(conn.query("SELECT x FROM (SELECT 1 AS x)"));
    expect(unaliased).toMatchObject({ kind: "terminal" });
    expect(unaliased.message).toMatch(/subquery in FROM must have an alias/);
    const missing = await caught(conn.query("SELECT * FROM r1.does_not_exist"));
    expect(missing).toMatchObject({ kind: "terminal" });
    expect(missing.context.hint).toMatch(/does not exist/);
    rs.server.failNext("ExecuteStatement", "ThrottlingException", 10);
    const throttled = await caught(conn.execute("SELECT 1"));
    expect(throttled).toMatchObject({ kind: "transient" });
    expect(throttled.message).toMatch(/ThrottlingException/);
    rs.server.failNext("ExecuteStatement", "ThrottlingException", 0);
    rs.server.failNext("ExecuteStatement", "ValidationException", 1);
    expect(await caught(conn.execute("SELECT 1"))).toMatchObject({ kind: "terminal" });
    expect(classifyRedshiftError(new Error("ERROR: 1023 DETAIL: Serializable isolation violation on table - 100, transactions forming the cycle are: 1, 2")).kind).toBe("transient");
    expect(classifyRedshiftError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { name: "Error" })).kind).toBe("transient");
    expect(classifyRedshiftError(new Error("ERROR: permission denied for relation x")).kind).toBe("terminal");
    // A 408 (Request Timeout) reaches the SDK without an exception name it knows.
    expect(classifyRedshiftError(Object.assign(new Error("UnknownError"), { name: "UnknownError", $metadata: { httpStatusCode: 408 } })).kind).toBe("transient");
  });

  it("asks again when a poll fails transiently, and never runs the statement twice", async () => {
    await conn.execute("CREATE TABLE r1.once (id BIGINT)");
    const before = calls();
    // More failures than the SDK retries (4 attempts a call): rcu's poll loop takes over.
    rs.server.failNext("DescribeStatement", "ThrottlingException", 6);
    await conn.execute("INSERT INTO r1.once VALUES (1)");
    expect(delta(before, "ExecuteStatement")).toBe(1);
    expect(await conn.query("SELECT count(*) AS n FROM r1.once")).toEqual([{ n: 1 }]);
    // A terminal failure of a poll still ends the statement's wait.
    rs.server.failNext("DescribeStatement", "ValidationException", 1);
    expect(await caught(conn.execute("INSERT INTO r1.once VALUES (2)"))).toMatchObject({ kind: "terminal" });
  });

  it("refuses unsigned requests (the server checks for a SigV4 Authorization header)", async () => {
    const res = await fetch(rs.server.url, {
      method: "POST",
      headers: { "x-amz-target": "RedshiftData.ListTables", "content-type": "application/x-amz-json-1.1" },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ __type: "MissingAuthenticationTokenException" });
  });
});

describe("Redshift statement timeout", () => {
  it("waits on a statement queued behind another (PICKED), and cancels it there when it times out", async () => {
    // One PGlite session runs one statement at a time: another connection's statement is PICKED
    // (queued) until the running one is done, as under a cluster's workload manager.
    const slow = await startRedshift({ latencyMs: 600 });
    const patient = new RedshiftWarehouse(slow.withSecrets);
    const hasty = new RedshiftWarehouse({ ...slow.withSecrets, statement_timeout_s: 1 });
    const tables = (names: string) =>
      slow.sql(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN (${names})`);
    try {
      const [a, b, c] = [await patient.connect(), await patient.connect(), await hasty.connect()];
      const first = a.execute("CREATE TABLE first_one AS SELECT 1 AS x");
      await new Promise((r) => setTimeout(r, 50));
      await b.execute("CREATE TABLE second_one AS SELECT 2 AS x"); // queued ~550 ms, then runs
      await first;
      expect(slow.server.described.PICKED).toBeGreaterThan(0);
      expect(await tables("'first_one', 'second_one'")).toEqual([{ n: 2 }]);

      // Two statements hold the session for ~1.2 s: the third, under a 1 s timeout, is cancelled
      // while still queued, and never runs.
      const held = [a.execute("CREATE TABLE held_1 AS SELECT 1 AS x"), b.execute("CREATE TABLE held_2 AS SELECT 1 AS x")];
      await new Promise((r) => setTimeout(r, 50));
      const err = await caught(c.execute("CREATE TABLE queued_one AS SELECT 1 AS x"));
      expect(err).toMatchObject({ code: "SQL", kind: "transient" });
      expect(err.message).toMatch(/still running after 1 s: cancelled/);
      await Promise.all(held);
      expect(await tables("'held_1', 'held_2', 'queued_one'")).toEqual([{ n: 2 }]);
    } finally {
      await patient.close();
      await hasty.close();
      await slow.stop();
    }
  });

  it("says so when the timeout came while its status could not be read", async () => {
    const slow = await startRedshift({ latencyMs: 2500 });
    const w = new RedshiftWarehouse({ ...slow.withSecrets, statement_timeout_s: 1 });
    try {
      const c = await w.connect();
      slow.server.failNext("DescribeStatement", "ThrottlingException", 1000);
      const err = await caught(c.execute("CREATE TABLE unread AS SELECT 1 AS x"));
      expect(err).toMatchObject({ code: "SQL", kind: "transient" });
      expect(err.message).toMatch(/still running after 1 s: cancelled\. Its status could not be read at the last poll \(.*Throttl/);
      expect(slow.server.calls.ExecuteStatement).toBe(1);
    } finally {
      await w.close();
      await slow.stop();
    }
  });

  it("cancels a statement still running after statement_timeout_s (CancelStatement) and reports it as transient", async () => {
    const slow = await startRedshift({ latencyMs: 2500 });
    const w = new RedshiftWarehouse({ ...slow.withSecrets, statement_timeout_s: 1 });
    try {
      const c = await w.connect();
      const err = await caught(c.execute("CREATE TABLE never_made AS SELECT 1 AS x"));
      expect(err).toMatchObject({ code: "SQL", kind: "transient" });
      expect(err.message).toMatch(/still running after 1 s: cancelled/);
      expect(slow.server.calls.CancelStatement).toBe(1);
      await new Promise((r) => setTimeout(r, 2600));
      // The cancelled statement never ran.
      expect(await slow.sql("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'never_made'")).toEqual([{ n: 0 }]);
    } finally {
      await w.close();
      await slow.stop();
    }
  });
});
