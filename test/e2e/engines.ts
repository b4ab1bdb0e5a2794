/**
 * The warehouses the end-to-end suite runs on, each with a fresh database per test, the rcu.yaml
 * profile that points rcu at it, the environment holding its (fake) secrets, and direct SQL for
 * seeding and checking. `RCU_TEST_ENGINES=duckdb,postgres,redshift` picks some (default: all;
 * every engine here runs locally: DuckDB embedded, PostgreSQL and Redshift on PGlite).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import type { EngineName } from "../../engine/warehouses/types.js";
import { duck } from "../helpers.js";
import { startPostgres, startRedshift } from "../warehouses/servers.js";
import type { PGlite } from "@electric-sql/pglite";

export interface EngineUnderTest {
  readonly engine: EngineName;
  /** Environment for the CLI (secrets the profile names). */
  readonly env: Record<string, string>;
  sql<T = Record<string, unknown>>(text: string): Promise<T[]>;
  stop(): Promise<void>;
}

export interface EngineHarness {
  readonly engine: EngineName;
  /** Start a fresh warehouse for the project in `dir` (writing its rcu.yaml when needed). */
  start(dir: string): Promise<EngineUnderTest>;
}

const NUMERIC_PARSERS = { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) };

/** PGlite rows with 64-bit integers and decimals as numbers, as DuckDB's helper returns them. */
async function pgliteSql<T>(db: PGlite, text: string): Promise<T[]> {
  const results = await db.exec(text, { parsers: NUMERIC_PARSERS });
  return (results.at(-1)?.rows ?? []) as T[];
}

async function writeProfile(dir: string, profile: object): Promise<void> {
  await writeFile(path.join(dir, "rcu.yaml"), stringify({ default_profile: "wh", profiles: { wh: profile } }));
}

export const HARNESSES: Record<EngineName, EngineHarness> = {
  duckdb: {
    engine: "duckdb",
    async start(dir) {
      // No rcu.yaml: the default profile, ./warehouse.duckdb in the project.
      const db = path.join(dir, "warehouse.duckdb");
      return { engine: "duckdb", env: {}, sql: (text) => duck(db, text), stop: async () => undefined };
    },
  },
  postgres: {
    engine: "postgres",
    async start(dir) {
      const pg = await startPostgres();
      await writeProfile(dir, pg.profile);
      return { engine: "postgres", env: pg.env, sql: (text) => pgliteSql(pg.db, text), stop: () => pg.stop() };
    },
  },
  redshift: {
    engine: "redshift",
    async start(dir) {
      const rs = await startRedshift({ pageSize: 2 });
      await writeProfile(dir, rs.profile);
      return { engine: "redshift", env: rs.env, sql: (text) => pgliteSql(rs.db, text), stop: () => rs.stop() };
    },
  },
};

export function enginesUnderTest(env: Readonly<Record<string, string | undefined>>): EngineHarness[] {
  const wanted = (env.RCU_TEST_ENGINES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !(w in HARNESSES));
  if (unknown.length) throw new Error(`RCU_TEST_ENGINES: unknown engine(s) ${unknown.join(", ")}; known: ${Object.keys(HARNESSES).join(", ")}`);
  return (wanted.length ? wanted : Object.keys(HARNESSES)).map((e) => HARNESSES[e as EngineName]);
}
