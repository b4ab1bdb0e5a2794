/**
 * A client session of the test server: its DuckDB connection, the database/schema/warehouse/role
 * it is in, its parameters and whether a transaction is open. Snowflake databases are DuckDB
 * in-memory databases attached to the one instance, so sessions and the harness see each other's
 * data as clients of one account do.
 */
import type { DuckDBConnection } from "@duckdb/node-api";

export interface Session {
  readonly id: number;
  token: string;
  readonly masterToken: string;
  readonly conn: DuckDBConnection;
  database: string;
  schema: string;
  warehouse: string;
  role: string;
  readonly user: string;
  params: Record<string, string>;
  /** The client's SESSION_PARAMETERS as sent (typed), echoed in every response like Snowflake. */
  readonly clientParams: Record<string, unknown>;
  inTransaction: boolean;
}

/** An unquoted Snowflake name folds to upper case; anything else is taken as written. */
export const fold = (id: string): string => (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(id) ? id.toUpperCase() : id);
const qd = (id: string): string => `"${id.split('"').join('""')}"`;

/** Session parameters as Snowflake echoes them: defaults, then what the client set at login. */
export function sessionParameters(session: Session): { name: string; value: unknown }[] {
  const all: Record<string, unknown> = {
    TIMEZONE: "UTC",
    CLIENT_SESSION_KEEP_ALIVE: false,
    CLIENT_STAGE_ARRAY_BINDING_THRESHOLD: 65280,
    CLIENT_RESULT_CHUNK_SIZE: 160,
    ...session.clientParams,
  };
  return Object.entries(all).map(([name, value]) => ({ name, value }));
}

/** Attach `database` on first use (with its PUBLIC schema), create `schema` if missing, and make them current. */
export async function useDatabase(conn: DuckDBConnection, databases: Set<string>, database: string, schema: string): Promise<void> {
  if (!databases.has(database)) {
    await conn.run(`ATTACH IF NOT EXISTS ':memory:' AS ${qd(database)}`);
    await conn.run(`CREATE SCHEMA IF NOT EXISTS ${qd(database)}."PUBLIC"`);
    databases.add(database);
  }
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${qd(database)}.${qd(schema)}`);
  await conn.run(`USE ${qd(database)}.${qd(schema)}`);
}
