/**
 * Opt-in smoke tests against a real PostgreSQL server and a real Amazon Redshift (the Snowflake
 * one is test/warehouses/snowflake/live.test.ts). Each is skipped unless its variables are set:
 *
 *   RCU_POSTGRES_LIVE_URL            postgres://user:password@host:5432/db (a database you may create schemas in)
 *   RCU_REDSHIFT_LIVE_DATABASE       database, with RCU_REDSHIFT_LIVE_REGION and either
 *   RCU_REDSHIFT_LIVE_WORKGROUP      (serverless) or RCU_REDSHIFT_LIVE_CLUSTER + RCU_REDSHIFT_LIVE_DB_USER;
 *                                    credentials from the AWS default chain (AWS_PROFILE, role, …)
 *
 * Each creates a schema `rcu_smoke_<random>`, builds a table, appends awkward text (quotes,
 * newlines, unicode, NULL), upserts through the dialect in a transaction, introspects it, reads
 * it back, and drops the schema.
 * Run: RCU_POSTGRES_LIVE_URL=… npx vitest run test/warehouses/live.test.ts
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { resolveProfileSecrets } from "../../cli/config.js";
import { PostgresWarehouse, type PostgresProfile } from "../../engine/warehouses/postgres/driver.js";
import { RedshiftWarehouse, type RedshiftProfile } from "../../engine/warehouses/redshift/driver.js";
import type { Warehouse } from "../../engine/warehouses/types.js";

const env = process.env;

async function smoke(wh: Warehouse): Promise<void> {
  const d = wh.dialect;
  const conn = await wh.connect();
  const schema = `rcu_smoke_${randomBytes(4).toString("hex")}`;
  const rel = { schema, name: "people" };
  try {
    await conn.execute(d.createSchema(schema));
    await conn.execute(d.createTable(rel, [{ name: "id", type: d.columnType("text") }, { name: "name", type: d.columnType("text") }]));
    const rows = [["1", "O'Brien \"quoted\""], ["2", "ligne 1\nligne 2 — Hélène ✓"], ["3", null]] as const;
    expect(await conn.append(rel, ["id", "name"], rows.map((r) => [...r]))).toBe(3);
    await conn.execute(d.begin());
    for (const sql of d.upsert(rel, `SELECT '2' AS id, 'changed' AS name UNION ALL SELECT '4', 'new'`, ["id"], ["id", "name"])) await conn.execute(sql);
    await conn.execute(d.commit());
    const back = await conn.query(`SELECT id, name FROM ${d.qualify(rel)} ORDER BY id`);
    expect(back).toEqual([
      { id: "1", name: "O'Brien \"quoted\"" },
      { id: "2", name: "changed" },
      { id: "3", name: null },
      { id: "4", name: "new" },
    ]);
    expect((await conn.listColumns(rel)).map((c) => c.name)).toEqual(["id", "name"]);
    expect((await conn.listRelations()).some((r) => r.schema === schema && r.name === "people")).toBe(true);
  } finally {
    await conn.execute(`DROP SCHEMA IF EXISTS ${d.quoteIdentifier(schema)} CASCADE`).catch(() => undefined);
    await conn.close();
    await wh.close();
  }
}

describe.skipIf(!env.RCU_POSTGRES_LIVE_URL)("postgres live smoke (RCU_POSTGRES_LIVE_URL)", () => {
  it("connects, builds, appends, upserts, introspects and cleans up", async () => {
    await smoke(new PostgresWarehouse(resolveProfileSecrets({ engine: "postgres", url_env: "RCU_POSTGRES_LIVE_URL" }, env) as PostgresProfile));
  }, 120_000);
});

const redshift = Boolean(env.RCU_REDSHIFT_LIVE_DATABASE && env.RCU_REDSHIFT_LIVE_REGION && (env.RCU_REDSHIFT_LIVE_WORKGROUP || (env.RCU_REDSHIFT_LIVE_CLUSTER && env.RCU_REDSHIFT_LIVE_DB_USER)));

describe.skipIf(!redshift)("redshift live smoke (RCU_REDSHIFT_LIVE_*)", () => {
  it("connects, builds, appends, upserts, introspects and cleans up", async () => {
    const base = { engine: "redshift" as const, database: env.RCU_REDSHIFT_LIVE_DATABASE!, region: env.RCU_REDSHIFT_LIVE_REGION! };
    const profile = env.RCU_REDSHIFT_LIVE_WORKGROUP
      ? { ...base, workgroup_name: env.RCU_REDSHIFT_LIVE_WORKGROUP }
      : { ...base, cluster_identifier: env.RCU_REDSHIFT_LIVE_CLUSTER!, db_user: env.RCU_REDSHIFT_LIVE_DB_USER! };
    await smoke(new RedshiftWarehouse(resolveProfileSecrets(profile, env) as RedshiftProfile));
  }, 300_000);
});
