import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runExtract } from "../../connectors/extract.js";
import { testProject, type TestProject } from "./helpers.js";
import { createPglite } from "../warehouses/pglite.js";

let db: PGlite;
let server: PGLiteSocketServer;
let url = "";

beforeAll(async () => {
  db = await createPglite();
  await db.exec(`
    CREATE SCHEMA crm;
    CREATE TABLE crm."Customers" (id int PRIMARY KEY, name text, amount numeric(10,2), born date, updated_at timestamptz, meta jsonb);
    INSERT INTO crm."Customers"
      SELECT i, 'name ' || i, i * 1.5, DATE '2000-01-01' + i, TIMESTAMPTZ '2024-01-01 00:00:00+00' + i * INTERVAL '1 hour',
             CASE WHEN i % 2 = 0 THEN '{"vip": true}'::jsonb END
        FROM generate_series(1, 1234) AS i;
  `);
  server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0 } as ConstructorParameters<typeof PGLiteSocketServer>[0]);
  await server.start();
  const conn = server.getServerConn();
  url = `postgres://postgres:postgres@${conn}/postgres`;
});
afterAll(async () => {
  await server?.stop();
  await db?.close();
});

let p: TestProject;
afterEach(async () => p?.dispose());

const pgSources = (streams: Record<string, unknown>) => ({ shop: { type: "postgres", url_env: "SHOP_PG", streams } });

describe("PostgreSQL source", () => {
  it("streams a table in chunks, as text, incrementally on a cursor column", async () => {
    p = await testProject();
    const sources = pgSources({
      customers: { table: "crm.Customers", cursor_column: "updated_at", batch_size: 500, primary_key: ["id"], write_disposition: "merge" },
    });
    const env = { SHOP_PG: url };
    const first = await runExtract({ sources, warehouse: p.warehouse, env, projectDir: p.dir });
    expect(first.streams[0]).toMatchObject({ status: "succeeded", rowsIn: 1234, rowsLanded: 1234 });
    const row = await p.query(`SELECT id, amount, born, meta, _rcu_position FROM raw.shop_customers WHERE id = '2'`);
    expect(row[0]).toEqual({ id: "2", amount: "3.00", born: "2000-01-03", meta: '{"vip": true}', _rcu_position: 2 });

    const again = await runExtract({ sources, warehouse: p.warehouse, env, projectDir: p.dir });
    expect(again.streams[0]).toMatchObject({ rowsIn: 0, rowsLanded: 0 });

    await db.exec(`UPDATE crm."Customers" SET name = 'changed', updated_at = updated_at + INTERVAL '1 year' WHERE id IN (5, 6);
                   INSERT INTO crm."Customers" VALUES (2000, 'new', 1, DATE '2020-01-01', TIMESTAMPTZ '2030-01-01 00:00:00+00', NULL);`);
    const third = await runExtract({ sources, warehouse: p.warehouse, env, projectDir: p.dir });
    expect(third.streams[0]).toMatchObject({ rowsIn: 3, rowsLanded: 3 });
    const all = await p.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d, SUM(CASE WHEN name = 'changed' THEN 1 ELSE 0 END) AS c FROM raw.shop_customers`);
    expect(all[0]).toEqual({ n: 1235, d: 1235, c: 2 });
  });

  it("runs a configured query, and reports a missing env var and a bad query clearly", async () => {
    p = await testProject();
    const sources = pgSources({
      vip: { query: `SELECT id, name FROM crm."Customers" WHERE meta IS NOT NULL` },
      broken: { query: "SELECT nope FROM nowhere" },
    });
    const r = await runExtract({ sources, warehouse: p.warehouse, env: { SHOP_PG: url }, projectDir: p.dir });
    expect(r.streams[0]).toMatchObject({ status: "succeeded", rowsLanded: 617 });
    expect(r.streams[1]!.status).toBe("failed");
    expect(r.streams[1]!.error!.message).toMatch(/shop\.broken.*nowhere/);
    const noEnv = await runExtract({ sources, warehouse: p.warehouse, env: {}, projectDir: p.dir, select: ["shop.vip"] });
    expect(noEnv.streams[0]!.error!.message).toMatch(/SHOP_PG/);
  });
});
