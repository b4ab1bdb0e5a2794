/**
 * `Connection.listColumnsOf` on every engine, one suite for all four drivers: the same answer as
 * `listColumns` relation by relation, in few round trips. DuckDB in process; Snowflake through
 * the real snowflake-sdk against its protocol test server; PostgreSQL and Redshift on PGlite
 * behind the wire protocol and the Data API servers.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWarehouse } from "../../engine/warehouses/registry.js";
import { columnsKey } from "../../engine/warehouses/sql-common.js";
import type { Connection, Relation, Warehouse } from "../../engine/warehouses/types.js";
import { tempDir } from "../helpers.js";
import { warehouse as snowflakeWarehouse, startServer as startSnowflake } from "./snowflake/harness.js";
import { startPostgres, startRedshift } from "./servers.js";

interface Target {
  readonly wh: Warehouse;
  /** Catalog round trips so far, where the test server counts them (Redshift: Data API calls). */
  readonly describeCalls?: () => number;
  stop(): Promise<void>;
}

const engines: Record<string, () => Promise<Target>> = {
  async duckdb() {
    const wh = openWarehouse({ engine: "duckdb", path: path.join(await tempDir("rcu-columns-"), "w.duckdb") });
    return { wh, stop: async () => {} };
  },
  async snowflake() {
    const server = await startSnowflake();
    return { wh: snowflakeWarehouse(server), stop: () => server.stop() };
  },
  async postgres() {
    const pg = await startPostgres();
    return { wh: openWarehouse(pg.withSecrets), stop: () => pg.stop() };
  },
  async redshift() {
    const rs = await startRedshift({ pageSize: 2 });
    return { wh: openWarehouse(rs.withSecrets), describeCalls: () => rs.server.calls.DescribeTable ?? 0, stop: () => rs.stop() };
  },
};

describe.each(Object.keys(engines))("listColumnsOf on %s", (engine) => {
  let target: Target;
  let conn: Connection;
  const mixed: Relation = { schema: "Cols Mixed", name: "Tbl" };
  const view: Relation = { schema: "Cols Mixed", name: "v" };
  const other: Relation = { schema: "cols_b", name: "people" };
  const untouched: Relation = { schema: "cols_b", name: "not_asked" };
  const missing: Relation = { schema: "cols_b", name: "nope" };
  const nowhere: Relation = { schema: "cols_none", name: "people" };

  beforeAll(async () => {
    target = await engines[engine]!();
    conn = await target.wh.connect();
    const d = target.wh.dialect;
    for (const s of ["Cols Mixed", "cols_b"]) await conn.execute(`CREATE SCHEMA ${d.quoteIdentifier(s)}`);
    await conn.execute(`CREATE TABLE ${d.qualify(mixed)} (${d.quoteIdentifier("Id")} BIGINT NOT NULL, name VARCHAR(20), score DOUBLE PRECISION)`);
    await conn.execute(`CREATE VIEW ${d.qualify(view)} AS SELECT ${d.quoteIdentifier("Id")}, name FROM ${d.qualify(mixed)}`);
    await conn.execute(`CREATE TABLE ${d.qualify(other)} (email VARCHAR(200), seen_at TIMESTAMP)`);
    await conn.execute(`CREATE TABLE ${d.qualify(untouched)} (x INTEGER)`);
    await conn.execute(`CREATE TABLE ${d.qualify({ schema: "cols_b", name: "zz_last" })} (y INTEGER)`);
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
    await target?.wh.close();
    await target?.stop();
  });

  it("answers for each relation what listColumns answers, and leaves out what does not exist", async () => {
    const asked = [mixed, view, other, missing, nowhere];
    const before = target.describeCalls?.() ?? 0;
    const got = await conn.listColumnsOf(asked);
    const calls = (target.describeCalls?.() ?? 0) - before;
    expect([...got.keys()].sort()).toEqual([mixed, view, other].map(columnsKey).sort());
    for (const r of [mixed, view, other]) expect(got.get(columnsKey(r)), `${r.schema}.${r.name}`).toEqual(await conn.listColumns(r));
    expect(got.get(columnsKey(mixed))!.map((c) => c.name)).toEqual(["Id", "name", "score"]);
    expect(got.get(columnsKey(mixed))![0]!.nullable).toBe(false);
    expect(got.get(columnsKey(other))!.map((c) => c.name)).toEqual(["email", "seen_at"]);
    // Redshift: one DescribeTable listing per schema asked about, not one call per relation. The
    // server pages listings by two tables: "Cols Mixed" 1 page, cols_b (3 tables) 2, cols_none 1.
    if (target.describeCalls) expect(calls).toBe(1 + 2 + 1);
    expect(await conn.listColumnsOf([])).toEqual(new Map());
  });
});
