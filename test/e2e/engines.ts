/**
 * The engines the end-to-end suites run on: one entry per engine. Each entry prepares a fixture
 * project for its engine (profile in rcu.yaml, a server if it needs one) and gives the tests an
 * engine-neutral way to seed and inspect the warehouse. `RCU_TEST_ENGINES=duckdb,snowflake,postgres,redshift`
 * selects entries (default: all; every engine runs locally: DuckDB embedded, Snowflake through the
 * protocol test server on DuckDB, PostgreSQL and Redshift on PGlite behind the wire / Data API servers).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { dialects } from "../../engine/warehouses/registry.js";
import { SnowflakeWarehouse } from "../../engine/warehouses/snowflake/driver.js";
import { isScript } from "../../engine/warehouses/snowflake/statements.js";
import { Secret } from "../../engine/warehouses/secrets.js";
import type { Dialect, EngineName, Relation, Row } from "../../engine/warehouses/types.js";
import { duck } from "../helpers.js";
import { startSnowflakeTestServer } from "../servers/snowflake/server.js";
import { startPostgres, startRedshift, type TestPostgres } from "../warehouses/servers.js";
import { stringify } from "yaml";
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";

export interface EngineTarget {
  /** Extra environment for the CLI (secrets named by the profile). */
  readonly env: Record<string, string>;
  /** The warehouse's rcu.yaml profile body (keys at 4 spaces), for configs written by a test. */
  readonly profile: string;
  /** Run SQL on the warehouse (scripts allowed); rows of the last statement, keys in rcu's names. */
  sql(sql: string): Promise<Row[]>;
  /** Tables and views, as rcu names them (`fx.customers`), with their kind. */
  relations(): Promise<Map<string, "table" | "view">>;
  /** The table's comment. */
  comment(relation: Relation): Promise<string | null>;
  close(): Promise<void>;
}

export interface E2eEngine {
  readonly name: EngineName;
  readonly dialect: Dialect;
  /** A CTAS reports the rows it wrote. */
  readonly ctasRowCount: boolean;
  /** Statements inside a transaction report rows affected (Redshift batches them: no). */
  readonly transactionRowCounts: boolean;
  /** SQL seeding the fixture's source tables (engine's own DDL). */
  readonly seed?: string;
  /** What the engine says when text cannot be cast to a number. */
  readonly conversionError: RegExp;
  setup(dir: string): Promise<EngineTarget>;
}

const lowerKeys = (rows: Record<string, unknown>[]): Row[] =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [/^[A-Z_][A-Z0-9_]*$/.test(k) ? k.toLowerCase() : k, typeof v === "bigint" ? Number(v) : v])));

const duckdbEngine: E2eEngine = {
  name: "duckdb",
  dialect: dialects.duckdb,
  ctasRowCount: true,
  transactionRowCounts: true,
  conversionError: /Conversion Error|Could not convert/,
  async setup(dir) {
    const db = path.join(dir, "warehouse.duckdb");
    const sql = (text: string) => duck(db, text) as Promise<Row[]>;
    return {
      env: {},
      profile: `    engine: duckdb\n    path: ${JSON.stringify(db)}`,
      sql,
      async relations() {
        const rows = await sql("SELECT table_schema AS s, table_name AS n, table_type AS t FROM information_schema.tables");
        return new Map(rows.map((r) => [`${String(r.s)}.${String(r.n)}`, r.t === "VIEW" ? "view" : "table"] as const));
      },
      async comment(r) {
        const rows = await sql(`SELECT comment FROM duckdb_tables() WHERE schema_name = '${r.schema}' AND table_name = '${r.name}'`);
        return (rows[0]?.comment as string | undefined) ?? null;
      },
      async close() {},
    };
  },
};

/** Snowflake through the real snowflake-sdk, against the protocol test server (DuckDB inside). */
const snowflakeEngine: E2eEngine = {
  name: "snowflake",
  dialect: dialects.snowflake,
  // Snowflake's CREATE TABLE … AS answers "Table … successfully created.", without a count.
  ctasRowCount: false,
  transactionRowCounts: true,
  conversionError: /Numeric value 'not a number' is not recognized/,
  async setup(dir) {
    const password = "e2e-password";
    const server = await startSnowflakeTestServer({ account: "rcue2e", users: { RCU: { password } }, chunkRows: 1000 });
    const profile = [
      "    engine: snowflake",
        "    account: rcue2e",
        "    user: rcu",
        "    database: rcu_e2e",
        "    warehouse: test_wh",
        "    password_env: RCU_E2E_SNOWFLAKE_PASSWORD",
        `    access_url: ${server.url}`,
      "    login_retries: 0",
    ].join("\n");
    await writeFile(path.join(dir, "rcu.yaml"), ["default_profile: sf", "profiles:", "  sf:", profile, ""].join("\n"));
    const warehouse = new SnowflakeWarehouse({
      engine: "snowflake",
      account: "rcue2e",
      user: "rcu",
      database: "rcu_e2e",
      password_env: "RCU_E2E_SNOWFLAKE_PASSWORD",
      access_url: server.url,
      secrets: { password: new Secret(password) },
    });
    const conn = await warehouse.connect({ queryTag: "rcu-e2e-harness" });
    // Scripts run as one multi-statement request; a single statement is a query.
    const sql = async (text: string): Promise<Row[]> => {
      if (isScript(text)) {
        await conn.execute(text);
        return [];
      }
      return conn.query(text);
    };
    return {
      env: { RCU_E2E_SNOWFLAKE_PASSWORD: password },
      profile,
      sql,
      async relations() {
        return new Map((await conn.listRelations()).map((r) => [`${r.schema}.${r.name}`, r.kind] as const));
      },
      async comment(r) {
        // The emulation keeps comments in DuckDB's catalog (Snowflake: information_schema.tables.comment).
        const rows = lowerKeys(await server.sql("rcu_e2e", `SELECT comment AS c FROM duckdb_tables() WHERE schema_name = '${r.schema.toUpperCase()}' AND table_name = '${r.name.toUpperCase()}'`));
        return (rows[0]?.c as string | undefined) ?? null;
      },
      async close() {
        await conn.close();
        await server.stop();
      },
    };
  },
};

const PORTABLE_SEED = `
    CREATE SCHEMA IF NOT EXISTS fx_src;
    CREATE TABLE fx_src.raw_customers AS SELECT * FROM (VALUES
      (1, ' Ada ', 'ADA@example.com'), (2, 'Bob', 'bob@example.com'), (3, 'Chloé', ' chloe@example.fr ')) AS t(id, name, email);
    CREATE TABLE fx_src.raw_orders AS SELECT * FROM (VALUES
      (10, 1, CAST(12.5 AS DOUBLE PRECISION), TIMESTAMP '2024-01-01 10:00:00'), (11, 2, 30.0, TIMESTAMP '2024-01-02 10:00:00')) AS t(order_id, customer_id, amount, updated_at);
  `;

/** PostgreSQL and Redshift both run on PGlite here; `server` starts the one in front of it. */
type PgliteServer = Pick<TestPostgres, "db" | "env" | "stop"> & { readonly profile: object };

function pgliteEngine(name: "postgres" | "redshift", start: () => Promise<PgliteServer>, transactionRowCounts: boolean): E2eEngine {
  return {
    name,
    dialect: dialects[name],
    ctasRowCount: transactionRowCounts,
    transactionRowCounts,
    conversionError: /invalid input syntax for type integer/,
    seed: PORTABLE_SEED,
    async setup(dir) {
      const pg = await start();
      await writeFile(path.join(dir, "rcu.yaml"), stringify({ default_profile: "wh", profiles: { wh: pg.profile } }));
      // 64-bit integers and decimals as numbers, as DuckDB's helper returns them.
      const sql = async (text: string): Promise<Row[]> => {
        const results = await pg.db.exec(text, { parsers: { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) } });
        return (results.at(-1)?.rows ?? []) as Row[];
      };
      // The profile body as YAML indented 4 spaces (under `profiles: <name>:`).
      const profile = stringify(pg.profile).trimEnd().split("\n").map((l) => `    ${l}`).join("\n");
      return {
        env: pg.env,
        profile,
        sql,
        async relations() {
          const rows = await sql("SELECT table_schema AS s, table_name AS n, table_type AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')");
          return new Map(rows.map((r) => [`${String(r.s)}.${String(r.n)}`, r.t === "VIEW" ? "view" : "table"] as const));
        },
        async comment(r) {
          const rows = await sql(`SELECT obj_description('"${r.schema}"."${r.name}"'::regclass, 'pg_class') AS c`);
          return (rows[0]?.c as string | undefined) ?? null;
        },
        close: () => pg.stop(),
      };
    },
  };
}

const ALL: readonly E2eEngine[] = [
  duckdbEngine,
  snowflakeEngine,
  // fuzzystrmatch: levenshtein, which the identity model's comparisons use on PostgreSQL.
  pgliteEngine("postgres", () => startPostgres({ extensions: { fuzzystrmatch } }), true),
  // Redshift batches a transaction into one BatchExecuteStatement: no per-statement row counts.
  pgliteEngine("redshift", () => startRedshift({ pageSize: 2 }), false),
];

/** Engines selected by RCU_TEST_ENGINES (comma-separated), or all. */
export function e2eEngines(): E2eEngine[] {
  const wanted = (process.env.RCU_TEST_ENGINES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !ALL.some((e) => e.name === w));
  if (unknown.length) throw new Error(`RCU_TEST_ENGINES: unknown engine(s) ${unknown.join(", ")}; known: ${ALL.map((e) => e.name).join(", ")}`);
  return wanted.length ? ALL.filter((e) => wanted.includes(e.name)) : [...ALL];
}
