/** The PostgreSQL driver through the real `pg` client against a PG wire server (PGlite). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RcuError } from "../../engine/errors.js";
import { PostgresWarehouse, classifyPostgresError, copyCsvChunks } from "../../engine/warehouses/postgres/driver.js";
import { openWarehouse } from "../../engine/warehouses/registry.js";
import type { Connection, Warehouse } from "../../engine/warehouses/types.js";
import { startPostgres, type TestPostgres } from "./servers.js";

let pg: TestPostgres;
let wh: Warehouse;
let conn: Connection;

beforeAll(async () => {
  pg = await startPostgres();
  wh = openWarehouse(pg.withSecrets);
  conn = await wh.connect();
});
afterAll(async () => {
  await conn?.close();
  await wh?.close();
  await pg?.stop();
});

const caught = async (p: Promise<unknown>): Promise<RcuError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof RcuError) return err;
    throw err;
  }
  throw new Error("expected a failure");
};

describe("PostgreSQL driver", () => {
  it("describes itself without the password and reads it from the named variable only at connect", async () => {
    expect(wh.description).toBe(`postgres:postgres@${pg.profile.host}:${pg.profile.port}/postgres`);
    expect(wh.description).not.toContain(pg.env.RCU_TEST_PGPASSWORD);
    const noSecret = new PostgresWarehouse({ ...pg.profile, secrets: {} });
    const err = await caught(noSecret.connect());
    expect(err).toMatchObject({ code: "CONFIG" });
    expect(err.message).toContain("RCU_TEST_PGPASSWORD");
    await noSecret.close();
  });

  it("executes, binds parameters and returns typed values", async () => {
    await conn.execute(`CREATE SCHEMA IF NOT EXISTS t1`);
    await conn.execute(`CREATE TABLE t1.v (i INTEGER, b BIGINT, n NUMERIC(12, 2), d DOUBLE PRECISION, ok BOOLEAN, s TEXT, ts TIMESTAMPTZ, j JSONB)`);
    const ins = await conn.execute(`INSERT INTO t1.v VALUES ($1, $2, $3, $4, $5, $6, $7, $8), (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`, [
      1,
      9007199254740993n,
      "12.50",
      0.25,
      true,
      "Zoë 😀 'q' \"dq\"\nline",
      new Date("2024-01-02T03:04:05Z"),
      '{"a": [1, 2]}',
    ]);
    expect(ins.rowsAffected).toBe(2);
    const rows = await conn.query(`SELECT * FROM t1.v ORDER BY i NULLS LAST`);
    expect(rows).toEqual([
      {
        i: 1,
        b: "9007199254740993", // beyond 2^53: kept exact, as text
        n: 12.5,
        d: 0.25,
        ok: true,
        s: "Zoë 😀 'q' \"dq\"\nline",
        ts: new Date("2024-01-02T03:04:05Z"),
        j: '{"a": [1, 2]}',
      },
      { i: null, b: null, n: null, d: null, ok: null, s: null, ts: null, j: null },
    ]);
    expect(await conn.query(`SELECT count(*) AS n FROM t1.v WHERE s = $1`, ["Zoë 😀 'q' \"dq\"\nline"])).toEqual([{ n: 1 }]);
    // CREATE TABLE … AS reports its row count.
    expect((await conn.execute(`CREATE TABLE t1.copy AS SELECT * FROM t1.v`)).rowsAffected).toBe(2);
  });

  it("rolls DDL back with the transaction", async () => {
    await conn.execute("BEGIN");
    await conn.execute(`CREATE TABLE t1.gone AS SELECT 1 AS x`);
    await conn.execute("ROLLBACK");
    expect(await conn.listColumns({ schema: "t1", name: "gone" })).toEqual([]);
  });

  it("upserts with MERGE and replaces a table by DROP + CTAS", async () => {
    const d = wh.dialect;
    const target = { schema: "t1", name: "m" };
    await conn.execute(`CREATE TABLE t1.m AS SELECT 1 AS id, 'a' AS v UNION ALL SELECT 2, 'b'`);
    const [merge] = d.upsert(target, `SELECT 2 AS id, 'B' AS v UNION ALL SELECT 3, 'c'`, ["id"], ["id", "v"]);
    expect((await conn.execute(merge!)).rowsAffected).toBe(2);
    expect(await conn.query(`SELECT id, v FROM t1.m ORDER BY id`)).toEqual([
      { id: 1, v: "a" },
      { id: 2, v: "B" },
      { id: 3, v: "c" },
    ]);
    await conn.execute(`CREATE VIEW t1.m_view AS SELECT * FROM t1.m`);
    await conn.execute(d.begin());
    await conn.execute(d.drop(target, "table"));
    await conn.execute(d.createTableAs(target, "SELECT 9 AS id", { replace: false }));
    await conn.execute(d.commit());
    expect(await conn.query(`SELECT id FROM t1.m`)).toEqual([{ id: 9 }]);
  });

  it("lists relations and columns through information_schema", async () => {
    await conn.execute(`CREATE SCHEMA IF NOT EXISTS "Mixed Case"`);
    await conn.execute(`CREATE TABLE "Mixed Case"."Tbl" ("Id" BIGINT NOT NULL, "name" TEXT)`);
    await conn.execute(`CREATE OR REPLACE VIEW "Mixed Case"."V" AS SELECT "Id" FROM "Mixed Case"."Tbl"`);
    const rels = await conn.listRelations();
    expect(rels).toEqual(expect.arrayContaining([
      { schema: "Mixed Case", name: "Tbl", kind: "table" },
      { schema: "Mixed Case", name: "V", kind: "view" },
    ]));
    expect(rels.some((r) => r.schema === "pg_catalog" || r.schema === "information_schema")).toBe(false);
    expect(await conn.listColumns({ schema: "Mixed Case", name: "Tbl" })).toEqual([
      { name: "Id", type: "bigint", nullable: false },
      { name: "name", type: "text", nullable: true },
    ]);
    expect(await conn.listColumns({ schema: "Mixed Case", name: "nope" })).toEqual([]);
  });

  it("appends in bulk: quotes, newlines, unicode, nulls, and more rows than one statement takes", async () => {
    await conn.execute(`CREATE TABLE t1.bulk (id BIGINT, s TEXT, f DOUBLE PRECISION, ok BOOLEAN, at TIMESTAMPTZ)`);
    const tricky = ["O'Brien", 'say "hi"', "a,b\nc\r\nd", "tab\there", "", "\\N", "émoji 🚀", "back\\slash"];
    const rows = Array.from({ length: 25_000 }, (_, i) => [
      i,
      i < tricky.length ? tricky[i]! : i % 7 === 0 ? null : `row ${i}`,
      i % 5 === 0 ? null : i / 4,
      i % 3 === 0 ? null : i % 2 === 0,
      i % 11 === 0 ? null : new Date(Date.UTC(2024, 0, 1, 0, 0, i % 60)),
    ]);
    expect(await conn.append({ schema: "t1", name: "bulk" }, ["id", "s", "f", "ok", "at"], rows)).toBe(25_000);
    const back = await conn.query(`SELECT id, s FROM t1.bulk WHERE id < ${tricky.length} ORDER BY id`);
    expect(back.map((r) => r.s)).toEqual(tricky);
    expect(await conn.query(`SELECT count(*) AS n, count(s) AS s, count(f) AS f, count(ok) AS ok, count(at) AS at FROM t1.bulk`)).toEqual([
      { n: 25_000, s: rows.filter((r) => r[1] !== null).length, f: 20_000, ok: rows.filter((r) => r[3] !== null).length, at: rows.filter((r) => r[4] !== null).length },
    ]);
  });

  it("maps errors: syntax, missing relation and permissions are terminal; serialization and lost connections transient", async () => {
    const syntax = await caught(conn.execute("SELEC 1"));
    expect(syntax).toMatchObject({ code: "SQL", kind: "terminal", context: { engine: "postgres", statement: "SELEC 1" } });
    expect(syntax.message).toMatch(/syntax error.*SQLSTATE 42601/);
    const missing = await caught(conn.query("SELECT * FROM t1.does_not_exist"));
    expect(missing).toMatchObject({ kind: "terminal" });
    expect(missing.context.hint).toMatch(/does not exist/);
    const serial = await caught(conn.execute(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`));
    expect(serial).toMatchObject({ kind: "transient" });
    expect(classifyPostgresError(Object.assign(new Error("permission denied for table x"), { code: "42501" })).kind).toBe("terminal");
    expect(classifyPostgresError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })).kind).toBe("transient");
    expect(classifyPostgresError(new Error("Connection terminated unexpectedly")).kind).toBe("transient");
    // The session is still usable after errors.
    expect(await conn.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("reports an unreachable server as a transient warehouse error", async () => {
    const down = new PostgresWarehouse({ ...pg.withSecrets, port: 1 });
    const err = await caught(down.connect());
    expect(err).toMatchObject({ code: "WAREHOUSE", kind: "transient" });
    expect(err.message).toContain("Cannot connect to postgres:");
    await down.close();
  });

  it("runs concurrent sessions from the pool", async () => {
    const others = await Promise.all([wh.connect(), wh.connect(), wh.connect()]);
    const counts = await Promise.all(others.map((c, i) => c.query(`SELECT ${i} AS i, count(*) AS n FROM t1.bulk`)));
    expect(counts.map((r) => r[0])).toEqual([0, 1, 2].map((i) => ({ i, n: 25_000 })));
    await Promise.all(others.map((c) => c.close()));
  });
});

describe("COPY input", () => {
  // PGlite's socket server cannot take COPY FROM STDIN, so the driver's CSV is fed to PostgreSQL's
  // own CSV parser through PGlite's in-process COPY FROM '/dev/blob' instead.
  it("encodes quotes, separators, newlines, backslashes, unicode, empty strings and nulls losslessly", async () => {
    await pg.sql(`CREATE TABLE public.copy_in (id BIGINT, s TEXT, f DOUBLE PRECISION, ok BOOLEAN, at TIMESTAMPTZ)`);
    const tricky = ["O'Brien", 'say "hi"', 'a,b\nc\r\nd', "tab\there", "", "\\N", "NULL", "émoji 🚀", "back\\slash", '"', ",", " lead and trail "];
    const rows = Array.from({ length: 5000 }, (_, i) => [
      BigInt(i),
      i < tricky.length ? tricky[i]! : i % 7 === 0 ? null : `row ${i}`,
      i % 5 === 0 ? null : i / 4,
      i % 3 === 0 ? null : i % 2 === 0,
      i % 11 === 0 ? null : new Date(Date.UTC(2024, 0, 1, 0, 0, i % 60)),
    ]);
    const chunks = [...copyCsvChunks(rows, 5)];
    expect(chunks.length).toBeGreaterThan(1);
    await pg.db.query(`COPY public.copy_in FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob(chunks) });
    const back = await pg.sql<{ s: string | null }>(`SELECT s FROM public.copy_in WHERE id < ${tricky.length} ORDER BY id`);
    expect(back.map((r) => r.s)).toEqual(tricky);
    const counts = await pg.sql<Record<string, number>>(
      `SELECT count(*)::int AS n, count(s)::int AS s, count(f)::int AS f, count(ok)::int AS ok, count(at)::int AS at FROM public.copy_in`,
    );
    expect(counts).toEqual([
      { n: 5000, s: rows.filter((r) => r[1] !== null).length, f: 4000, ok: rows.filter((r) => r[3] !== null).length, at: rows.filter((r) => r[4] !== null).length },
    ]);
    expect(() => [...copyCsvChunks([["a\u0000b"]], 1)]).toThrow(/NUL/);
  });
});
