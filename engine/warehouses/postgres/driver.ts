/**
 * PostgreSQL driver on `pg`: one `Pool` per warehouse, one checked-out client per rcu connection
 * (a transaction spans the statements of one task, so a connection is pinned to one session).
 *
 * Secrets: the profile names environment variables (`password_env`, `url_env`); the CLI resolves
 * them into `secrets` when it loads rcu.yaml (see ../secrets.ts) and only `connect()` reveals
 * them, so `rcu compile` never needs them. `description` never shows a secret.
 */
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { RcuError, errorMessage } from "../../errors.js";
import type { ColumnInfo, Connection, ExecResult, Relation, RelationInfo, Row, SqlValue, Warehouse } from "../types.js";
import { requireSecret, type Secret, type SecretNames } from "../secrets.js";
import { columnsKey, informationSchemaColumns } from "../sql-common.js";
import { postgresDialect } from "./dialect.js";

export interface PostgresProfile {
  readonly engine: "postgres";
  /** Env var holding a full connection URL (`postgres://user:pass@host:5432/db`); or the fields below. */
  readonly url_env?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly database?: string | undefined;
  readonly user?: string | undefined;
  /** Env var holding the password. */
  readonly password_env?: string | undefined;
  /** Default schema for unqualified names in hooks and operations (`SET search_path`). */
  readonly schema?: string | undefined;
  /** `true` (verify the server certificate), `"no-verify"` (encrypt only), or `false`/absent. */
  readonly ssl?: boolean | "no-verify" | undefined;
  /** Pool size: at most this many sessions (rcu uses one per thread). */
  readonly pool_size?: number | undefined;
  /**
   * Bulk appends: `copy` (`COPY … FROM STDIN`, the default) or `insert` (multi-row parameterised
   * INSERTs), for servers and proxies without COPY, such as PGlite's socket server.
   */
  readonly append_method?: "copy" | "insert" | undefined;
  /** Resolved at the edge (CLI) from the variables above; never read from the environment here. */
  readonly secrets?: { readonly url?: Secret; readonly password?: Secret } | undefined;
}

/** Where a PostgreSQL profile names its secrets' variables (see secrets.ts). */
export const POSTGRES_SECRETS: SecretNames = { url_env: "url", password_env: "password" };

/** SQLSTATE classes/codes worth retrying: the same statement can succeed a moment later. */
const TRANSIENT_SQLSTATE = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "55P03", // lock_not_available
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "53200", // out_of_memory
  "57014", // query_canceled (statement_timeout)
]);
const TRANSIENT_NODE = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EHOSTUNREACH|Connection terminated|timeout exceeded when trying to connect/i;

const HINTS: Record<string, string> = {
  "42P01": "The relation does not exist: check the ref()/schema, or run its upstream actions first.",
  "42501": "The profile's user lacks a privilege on this object: GRANT it, or use another user.",
  "28P01": "Authentication failed: check the user and the password environment variable.",
  "3D000": "The database does not exist: check the profile's `database`.",
};

export function classifyPostgresError(err: unknown, statement?: string, engine = "postgres"): RcuError {
  if (err instanceof RcuError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const sqlstate = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const message = errorMessage(err);
  const transient =
    (sqlstate !== undefined && (TRANSIENT_SQLSTATE.has(sqlstate) || sqlstate.startsWith("08"))) ||
    (sqlstate === undefined && (TRANSIENT_NODE.test(message) || (typeof code === "string" && TRANSIENT_NODE.test(code))));
  const hint = sqlstate ? HINTS[sqlstate] : TRANSIENT_NODE.test(message) ? "The server could not be reached or dropped the connection; rcu retries atomic tasks." : undefined;
  return new RcuError(
    "SQL",
    sqlstate ? `${message} (SQLSTATE ${sqlstate})` : message,
    { engine, ...(statement ? { statement } : {}), ...(hint ? { hint } : {}) },
    { kind: transient ? "transient" : "terminal", cause: err },
  );
}

/**
 * Values as rcu's other engines return them: 64-bit integers and decimals as numbers (strings
 * beyond 2^53), JSON as its text; timestamps stay `Date`.
 */
const INT8 = 20;
const NUMERIC = 1700;
const JSON_OID = 114;
const JSONB_OID = 3802;
const typeParsers = {
  getTypeParser(oid: number, format?: "text" | "binary"): (v: string) => unknown {
    if (oid === INT8 || oid === NUMERIC) {
      return (v: string) => {
        const n = Number(v);
        return oid === INT8 && !Number.isSafeInteger(n) ? v : n;
      };
    }
    if (oid === JSON_OID || oid === JSONB_OID) return (v: string) => v;
    return pg.types.getTypeParser(oid, format ?? "text") as (v: string) => unknown;
  },
};

function toPgValue(v: SqlValue): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

/** One CSV field for `COPY … (FORMAT csv)`: null is the unquoted empty field, text is always quoted. */
function csvField(v: SqlValue | undefined): string {
  if (v === null || v === undefined) return "";
  const s = v instanceof Date ? v.toISOString() : typeof v === "string" ? v : String(v);
  if (s.includes("\u0000")) throw new RcuError("SQL", "PostgreSQL text cannot contain a NUL character.", { engine: "postgres" });
  return `"${s.replace(/"/g, '""')}"`;
}

/** `COPY … (FORMAT csv)` input for `rows`, in chunks of about 64 KiB. */
export function* copyCsvChunks(rows: readonly (readonly SqlValue[])[], width: number): Generator<string> {
  let buf = "";
  for (const row of rows) {
    for (let i = 0; i < width; i++) buf += (i ? "," : "") + csvField(row[i]);
    buf += "\n";
    if (buf.length > 1 << 16) {
      yield buf;
      buf = "";
    }
  }
  if (buf) yield buf;
}

/** Rows per multi-row INSERT in the fallback append (PG allows 65535 parameters per statement). */
const INSERT_PARAMS_MAX = 60000;

class PostgresConnection implements Connection {
  private released = false;
  /** A fatal error the server sent on this session (it is unusable afterwards). */
  private broken: Error | undefined;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly appendMethod: "copy" | "insert",
  ) {
    // Without a listener a server-side FATAL would crash the process; the next call reports it.
    client.on("error", (err) => {
      this.broken = err;
    });
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<ExecResult> {
    try {
      const res = (await this.client.query(params.length ? { text: sql, values: params.map(toPgValue) } : sql)) as
        | pg.QueryResult
        | pg.QueryResult[];
      // Several statements in one string (no parameters): the last one's count, as DuckDB does.
      const last = Array.isArray(res) ? res.at(-1) : res;
      return { rowsAffected: last?.rowCount ?? null };
    } catch (err) {
      throw classifyPostgresError(err, sql);
    }
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    try {
      const res = (await this.client.query(params.length ? { text: sql, values: params.map(toPgValue) } : sql)) as
        | pg.QueryResult
        | pg.QueryResult[];
      const last = Array.isArray(res) ? res.at(-1) : res;
      return (last?.rows ?? []) as Row[];
    } catch (err) {
      throw classifyPostgresError(err, sql);
    }
  }

  async listRelations(): Promise<RelationInfo[]> {
    const rows = await this.query(
      `SELECT table_schema AS schema_name, table_name AS name, table_type AS type
         FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'
        ORDER BY 1, 2`,
    );
    return rows.map((r) => ({
      schema: String(r.schema_name),
      name: String(r.name),
      kind: String(r.type) === "VIEW" ? "view" : "table",
    }));
  }

  async listColumns(relation: Relation): Promise<ColumnInfo[]> {
    return (await this.listColumnsOf([relation])).get(columnsKey(relation)) ?? [];
  }

  /** One database per connection (as listColumns): a relation's `database` is not read. */
  listColumnsOf(relations: readonly Relation[]): Promise<Map<string, ColumnInfo[]>> {
    return informationSchemaColumns((q, p) => this.query(q, p), postgresDialect, "information_schema.columns", relations);
  }

  async append(relation: Relation, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    if (rows.length === 0) return 0;
    const d = postgresDialect;
    const target = `${d.qualify(relation)} (${columns.map(d.quoteIdentifier).join(", ")})`;
    if (this.appendMethod === "insert") return this.appendInserts(target, columns.length, rows);
    const sql = `COPY ${target} FROM STDIN WITH (FORMAT csv)`;
    try {
      const stream = this.client.query(copyFrom(sql));
      await pipeline(Readable.from(copyCsvChunks(rows, columns.length)), stream);
      return stream.rowCount ?? rows.length;
    } catch (err) {
      throw classifyPostgresError(err, sql);
    }
  }

  /** Fallback: multi-row parameterised INSERTs, as many rows per statement as parameters allow. */
  private async appendInserts(target: string, width: number, rows: readonly (readonly SqlValue[])[]): Promise<number> {
    const per = Math.max(1, Math.floor(INSERT_PARAMS_MAX / Math.max(1, width)));
    let n = 0;
    for (let start = 0; start < rows.length; start += per) {
      const chunk = rows.slice(start, start + per);
      const values: SqlValue[] = [];
      const tuples = chunk.map((row) => {
        const marks: string[] = [];
        for (let i = 0; i < width; i++) {
          values.push(row[i] ?? null);
          marks.push(`$${values.length}`);
        }
        return `(${marks.join(", ")})`;
      });
      const res = await this.execute(`INSERT INTO ${target} VALUES ${tuples.join(", ")}`, values);
      n += res.rowsAffected ?? chunk.length;
    }
    return n;
  }

  async close(): Promise<void> {
    if (this.released) return;
    this.released = true;
    // A broken session is destroyed rather than returned to the pool.
    this.client.release(this.broken);
  }
}

/** The parts of a profile that locate the server, with its secrets revealed. */
export function postgresClientConfig(profile: PostgresProfile): pg.PoolConfig {
  const s = profile.secrets ?? {};
  const ssl = profile.ssl === true ? true : profile.ssl === "no-verify" ? { rejectUnauthorized: false } : undefined;
  const base: pg.PoolConfig = {
    max: profile.pool_size ?? 8,
    types: typeParsers,
    ...(ssl ? { ssl } : {}),
  };
  if (profile.url_env) return { ...base, connectionString: requireSecret(s.url, profile.url_env, "PostgreSQL connection URL", "postgres") };
  return {
    ...base,
    host: profile.host ?? "localhost",
    port: profile.port ?? 5432,
    ...(profile.database ? { database: profile.database } : {}),
    ...(profile.user ? { user: profile.user } : {}),
    ...(profile.password_env ? { password: requireSecret(s.password, profile.password_env, "PostgreSQL password", "postgres") } : {}),
  };
}

/** `postgres:user@host:port/db` (or the URL's variable name): never a password. */
export function describePostgres(profile: PostgresProfile): string {
  if (profile.url_env) return `postgres:$${profile.url_env}`;
  const user = profile.user ? `${profile.user}@` : "";
  return `postgres:${user}${profile.host ?? "localhost"}:${profile.port ?? 5432}/${profile.database ?? ""}`;
}

export class PostgresWarehouse implements Warehouse {
  readonly engine = "postgres" as const;
  readonly dialect = postgresDialect;
  readonly description: string;
  private pool: pg.Pool | undefined;

  constructor(private readonly profile: PostgresProfile) {
    this.description = describePostgres(profile);
  }

  async connect(): Promise<Connection> {
    if (!this.pool) {
      this.pool = new pg.Pool(postgresClientConfig(this.profile));
      // An idle client's socket error must not crash the process; the next checkout reconnects.
      this.pool.on("error", () => undefined);
    }
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      const e = classifyPostgresError(err);
      throw new RcuError("WAREHOUSE", `Cannot connect to ${this.description}: ${e.message}`, {
        engine: "postgres",
        hint: e.context.hint ?? "Check host, port, database, user and that the server accepts connections.",
      }, { kind: e.kind, cause: err });
    }
    if (this.profile.schema) {
      try {
        await client.query(`SET search_path TO ${postgresDialect.quoteIdentifier(this.profile.schema)}, public`);
      } catch (err) {
        client.release(err as Error);
        throw classifyPostgresError(err, "SET search_path");
      }
    }
    return new PostgresConnection(client, this.profile.append_method ?? "copy");
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
