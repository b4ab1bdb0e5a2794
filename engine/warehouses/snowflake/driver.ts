/**
 * Snowflake driver on the official `snowflake-sdk` (JSON result format).
 *
 * - One SDK connection (one Snowflake session) per rcu connection; `QUERY_TAG` is set at login
 *   from the profile's `query_tag` and, for runs, the run id (`rcu:<run id>`).
 * - `execute` sends scripts (several `;`-separated statements) with `MULTI_STATEMENT_COUNT = 0`
 *   (rows affected summed over the statements); `query` runs one statement and streams its rows
 *   (`streamResult`), so chunked large results are read as they download.
 * - Names: Snowflake stores unquoted identifiers upper-cased; the dialect writes lower-case names
 *   upper-cased, and this driver reads all-upper-case simple names back in lower case (result
 *   columns, `listRelations`, `listColumns`), so shared code sees `failing_rows`, `fx.customers`.
 * - `append` uses array binding (`INSERT … VALUES (:1, …)` with one bind array per column), in
 *   batches kept under the SDK's stage-binding threshold: it needs no stage or PUT privileges and
 *   no file transfer to cloud storage, and rcu's landing batches are bounded. PUT + COPY INTO
 *   would be faster for very large loads; it is not implemented.
 * - Network hygiene: the SDK is imported lazily (compile-only commands never load it), with
 *   platform detection and connection-shape telemetry disabled, OCSP checks disabled, and its
 *   logger silenced; an explicit `access_url` makes it contact only that URL.
 */
import { readFile } from "node:fs/promises";
import type * as SnowflakeSdk from "snowflake-sdk";
import { RcuError, errorMessage } from "../../errors.js";
import type {
  ColumnInfo,
  ConnectOptions,
  Connection,
  ExecResult,
  Relation,
  RelationInfo,
  Row,
  SqlValue,
  Warehouse,
} from "../types.js";
import { requireSecret, type Secret, type SecretNames } from "../secrets.js";
import { byDatabase, informationSchemaColumns } from "../sql-common.js";
import { rcuName, snowflakeDialect, snowflakeName } from "./dialect.js";

/** Where a Snowflake profile names its secrets' variables (see secrets.ts). */
export const SNOWFLAKE_SECRETS: SecretNames = { password_env: "password", private_key_env: "privateKey", private_key_passphrase_env: "privateKeyPassphrase" };

/** Secrets the CLI resolved from the environment variables the profile names. */
export interface SnowflakeSecrets {
  readonly password?: Secret;
  readonly privateKey?: Secret;
  readonly privateKeyPassphrase?: Secret;
}

export interface SnowflakeProfile {
  readonly engine: "snowflake";
  /** Account identifier, e.g. `myorg-myaccount` (or the legacy locator `xy12345.eu-west-1`). */
  readonly account: string;
  readonly user: string;
  readonly database: string;
  readonly schema?: string | undefined;
  readonly warehouse?: string | undefined;
  readonly role?: string | undefined;
  /** Environment variable holding the password (password authentication). */
  readonly password_env?: string | undefined;
  /** PEM private key file (key-pair authentication). */
  readonly private_key_path?: string | undefined;
  /** Environment variable holding the PEM private key (key-pair authentication). */
  readonly private_key_env?: string | undefined;
  /** Environment variable holding the private key's passphrase, if it is encrypted. */
  readonly private_key_passphrase_env?: string | undefined;
  /** Explicit endpoint, e.g. `https://myorg-myaccount.privatelink.snowflakecomputing.com` or a test server. */
  readonly access_url?: string | undefined;
  /** Prefix of every session's QUERY_TAG (runs append `:<run id>`). */
  readonly query_tag?: string | undefined;
  /** Login attempts retried on network errors / HTTP 5xx, 429 (SDK default 7). */
  readonly login_retries?: number | undefined;
  /** Resolved at the edge (CLI) from the variables above; never read from the environment here. */
  readonly secrets?: SnowflakeSecrets | undefined;
}

type Sdk = typeof SnowflakeSdk;
type SdkConnection = SnowflakeSdk.Connection;
type SdkStatement = SnowflakeSdk.RowStatement;

let sdkPromise: Promise<Sdk> | undefined;

/** The SDK, loaded once, configured not to touch anything but the configured endpoint. */
function loadSdk(): Promise<Sdk> {
  if (!sdkPromise) {
    // The SDK probes cloud metadata endpoints (AWS, Azure, GCP) as soon as its module is loaded,
    // and sends a "connection shape" telemetry event after login; neither has a configuration
    // option, only these variables, which must be set before the (lazy) import below. They are
    // set here and nowhere else.
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = "true";
    process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = "true";
    sdkPromise = import("snowflake-sdk").then((m) => {
      const sdk = ((m as unknown as { default?: Sdk }).default ?? m) as Sdk;
      const quiet = (): void => undefined;
      sdk.configure({
        // No `snowflake.log` in the working directory, no console output.
        customLogger: { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet },
        logLevel: "OFF",
        // OCSP revocation checks contact third-party responders; TLS certificates are still
        // verified against the CA chain by Node.
        disableOCSPChecks: true,
        useEnvProxy: false,
      });
      return sdk;
    });
  }
  return sdkPromise;
}

/** HTTP statuses and Snowflake codes worth retrying (throttling, unavailability, lock waits, expiry). */
const TRANSIENT_HTTP = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([
  "000625", // statement aborted: too many waiters for a lock
  "000630", // statement reached its statement or warehouse timeout
  "000610", // statement aborted (warehouse suspended/resized while running)
  "390112", // session token expired (the SDK renews it; seen only if renewal failed)
  "390114", // master token expired: a new login (next attempt) succeeds
  "401001", // SDK: could not connect
  "401002", // SDK: HTTP failure (status in `response`)
  "402001", // SDK: could not download a result chunk
  "402002",
]);
const AUTH_CODES = new Set(["390100", "390101", "390144", "390102", "390318"]);

interface SdkError {
  code?: string | number;
  sqlState?: string;
  message?: string;
  response?: { statusCode?: number; status?: number };
  cause?: unknown;
}

function httpStatusOf(e: SdkError): number | undefined {
  const direct = e.response?.statusCode ?? e.response?.status;
  if (direct) return direct;
  const c = e.cause as SdkError | undefined;
  return c?.response?.statusCode ?? c?.response?.status;
}

export function classifySnowflakeError(err: unknown, statement?: string): RcuError {
  if (err instanceof RcuError) return err;
  const e = (typeof err === "object" && err !== null ? err : {}) as SdkError;
  const code = e.code === undefined ? "" : String(e.code);
  const state = e.sqlState ?? "";
  const status = httpStatusOf(e);
  const transient =
    (status !== undefined && TRANSIENT_HTTP.has(status)) ||
    // A bare HTTP failure without a status is a network failure.
    (code === "401002" && status === undefined) ||
    (code !== "401002" && TRANSIENT_CODES.has(code)) ||
    state.startsWith("08") ||
    state === "40001";
  const parts = [errorMessage(err)];
  if (code && !parts[0]!.includes(code)) parts.push(`(code ${code}${state ? `, SQL state ${state}` : ""}${status ? `, HTTP ${status}` : ""})`);
  else if (status) parts.push(`(HTTP ${status})`);
  const hint = AUTH_CODES.has(code)
    ? "Check the profile's account, user and credentials (password_env / private_key_path / private_key_env)."
    : code === "000606"
      ? "No warehouse is in use: set `warehouse` in the Snowflake profile."
      : code === "002003"
        ? "Snowflake stores unquoted names in upper case; rcu writes lower-case names as upper case. Check the object exists and the role can see it."
        : undefined;
  return new RcuError(
    "SQL",
    parts.join(" "),
    { engine: "snowflake", ...(statement ? { statement } : {}), ...(hint ? { hint } : {}) },
    { kind: transient ? "transient" : "terminal", cause: err },
  );
}

/** rcu values → SDK binds (Dates as ISO text: TIMESTAMP_NTZ columns read them as UTC wall time). */
function toBind(v: SqlValue): string | number | boolean | null {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return v.toISOString().replace("T", " ").replace("Z", "");
  return v;
}

const VARIANT_TYPES = new Set(["variant", "object", "array"]);

function toJsValue(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  // With jsTreatIntegerAsBigInt the SDK returns its big-integer library's objects for NUMBER(p,0).
  if (type === "fixed" && typeof v === "object" && !(v instanceof Date)) v = BigInt(String(v));
  if (typeof v === "bigint") {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  // Semi-structured values as JSON text, like DuckDB's JSON columns — except a VARIANT holding a
  // string, returned as that string: rcu stores JSON text in VARIANT columns with
  // CAST(text AS VARIANT), which Snowflake keeps as a string, and reads it back as the same text.
  if (VARIANT_TYPES.has(type)) return typeof v === "string" ? v : JSON.stringify(v);
  if (v instanceof Date) return new Date(v.getTime());
  return v;
}

/**
 * Whether `sql` holds more than one statement: a `;` outside strings, quoted names and comments
 * with more SQL after it. Single statements skip the multi-statement protocol (one request
 * instead of two).
 */
export function isScript(sql: string): boolean {
  let seenEnd = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      for (i++; i < sql.length; i++) {
        if (c === "'" && sql[i] === "\\") i++;
        else if (sql[i] === c) {
          if (sql[i + 1] === c) i++;
          else break;
        }
      }
    } else if (c === "$" && next === "$") {
      const end = sql.indexOf("$$", i + 2);
      i = end < 0 ? sql.length : end + 1;
    } else if ((c === "-" && next === "-") || (c === "/" && next === "/")) {
      while (i < sql.length && sql[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === ";") seenEnd = true;
    else if (seenEnd && !/\s/.test(c)) return true;
    if (i >= sql.length) break;
  }
  return false;
}

/** The array-bind batch: well under CLIENT_STAGE_ARRAY_BINDING_THRESHOLD (65 280 values). */
const MAX_BIND_VALUES = 60_000;

class SnowflakeConnection implements Connection {
  constructor(private readonly conn: SdkConnection) {}

  /** Run one statement (or a script when `multi`), calling `onStatement` for each statement's result. */
  private run(
    sql: string,
    binds: readonly SqlValue[] | readonly (readonly SqlValue[])[] | undefined,
    opts: { multi: boolean; stream: boolean },
    onStatement: (stmt: SdkStatement, rows: unknown[] | undefined) => Promise<void>,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const bindValues =
        binds && binds.length
          ? Array.isArray(binds[0])
            ? (binds as readonly (readonly SqlValue[])[]).map((r) => r.map(toBind))
            : (binds as readonly SqlValue[]).map(toBind)
          : undefined;
      let failed = false;
      const complete = (err: unknown, stmt: SdkStatement, rows: unknown[] | undefined): void => {
        if (failed) return;
        if (err) {
          failed = true;
          reject(classifySnowflakeError(err, sql));
          return;
        }
        onStatement(stmt, rows).then(
          () => {
            const s = stmt as SdkStatement & { hasNext?: () => boolean; NextResult?: () => void };
            if (opts.multi && s.hasNext?.()) s.NextResult!();
            else resolve();
          },
          (e: unknown) => {
            failed = true;
            reject(classifySnowflakeError(e, sql));
          },
        );
      };
      try {
        this.conn.execute({
          sqlText: sql,
          ...(bindValues ? { binds: bindValues as SnowflakeSdk.Binds } : {}),
          ...(opts.multi ? { parameters: { MULTI_STATEMENT_COUNT: 0 } } : {}),
          ...(opts.stream ? { streamResult: true } : {}),
          rowMode: "array",
          complete: complete as SnowflakeSdk.StatementCallback,
        });
      } catch (e) {
        reject(classifySnowflakeError(e, sql));
      }
    });
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<ExecResult> {
    let total: number | null = null;
    await this.run(sql, params, { multi: params.length === 0 && isScript(sql), stream: false }, async (stmt) => {
      const n = stmt.getNumUpdatedRows?.();
      if (typeof n === "number" && n >= 0) total = (total ?? 0) + n;
    });
    return { rowsAffected: total };
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const out: Row[] = [];
    for await (const row of this.stream(sql, params)) out.push(row);
    return out;
  }

  /** Rows of one statement as they arrive (chunks are downloaded while earlier rows are read). */
  async *stream(sql: string, params: readonly SqlValue[] = []): AsyncGenerator<Row> {
    let statement: SdkStatement | undefined;
    await this.run(sql, params, { multi: false, stream: true }, async (stmt) => {
      statement = stmt;
    });
    const columns = (statement!.getColumns() ?? []).map((c) => ({ name: rcuName(c.getName()), type: c.getType() }));
    const rows = statement!.streamRows();
    try {
      for await (const raw of rows as AsyncIterable<unknown[]>) {
        const row: Row = {};
        for (let i = 0; i < columns.length; i++) row[columns[i]!.name] = toJsValue(raw[i], columns[i]!.type);
        yield row;
      }
    } catch (e) {
      throw classifySnowflakeError(e, sql);
    }
  }

  async listRelations(): Promise<RelationInfo[]> {
    const rows = await this.query(
      `SELECT table_schema AS schema_name, table_name AS name, table_type AS type
         FROM information_schema.tables
        WHERE table_schema <> 'INFORMATION_SCHEMA'`,
    );
    return rows.map((r) => ({
      schema: rcuName(String(r.schema_name)),
      name: rcuName(String(r.name)),
      kind: String(r.type).toUpperCase() === "VIEW" ? "view" : "table",
    }));
  }

  async listColumns(relation: Relation): Promise<ColumnInfo[]> {
    const d = snowflakeDialect;
    const from = relation.database ? `${d.quoteIdentifier(relation.database)}.information_schema.columns` : "information_schema.columns";
    const rows = await this.query(
      `SELECT column_name AS name, data_type AS type, is_nullable AS nullable
         FROM ${from}
        WHERE table_schema = :1 AND table_name = :2
        ORDER BY ordinal_position`,
      [snowflakeName(relation.schema), snowflakeName(relation.name)],
    );
    return rows.map((r) => ({ name: rcuName(String(r.name)), type: String(r.type), nullable: String(r.nullable).toUpperCase() === "YES" }));
  }

  async listColumnsOf(relations: readonly Relation[]): Promise<Map<string, ColumnInfo[]>> {
    const d = snowflakeDialect;
    const out = new Map<string, ColumnInfo[]>();
    for (const [database, group] of byDatabase(relations)) {
      const from = database ? `${d.quoteIdentifier(database)}.information_schema.columns` : "information_schema.columns";
      for (const [k, v] of await informationSchemaColumns((q, p) => this.query(q, p), d, from, group, { catalogName: snowflakeName, rcuName })) out.set(k, v);
    }
    return out;
  }

  async append(relation: Relation, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    if (!rows.length) return 0;
    const d = snowflakeDialect;
    const sql = `INSERT INTO ${d.qualify(relation)} (${columns.map(d.quoteIdentifier).join(", ")}) VALUES (${columns
      .map((_, i) => d.parameter(i + 1))
      .join(", ")})`;
    const perBatch = Math.max(1, Math.floor(MAX_BIND_VALUES / Math.max(1, columns.length)));
    let appended = 0;
    for (let start = 0; start < rows.length; start += perBatch) {
      const batch = rows.slice(start, start + perBatch);
      // Array binding types each column from its first row: a null there would make it TEXT,
      // which Snowflake casts to the column type anyway.
      await this.run(sql, batch, { multi: false, stream: false }, async (stmt) => {
        const n = stmt.getNumUpdatedRows?.();
        appended += typeof n === "number" && n >= 0 ? n : batch.length;
      });
    }
    return appended;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.conn.destroy(() => resolve());
    });
  }
}

export class SnowflakeWarehouse implements Warehouse {
  readonly engine = "snowflake" as const;
  readonly dialect = snowflakeDialect;
  readonly description: string;

  constructor(private readonly profile: SnowflakeProfile) {
    const where = profile.access_url ? ` via ${profile.access_url}` : "";
    this.description = `snowflake:${profile.account}/${profile.database}${profile.schema ? `.${profile.schema}` : ""} as ${profile.user}${where}`;
  }

  private async connectionOptions(queryTag: string | undefined): Promise<SnowflakeSdk.ConnectionOptions> {
    const p = this.profile;
    const s = p.secrets ?? {};
    const base: Record<string, unknown> = {
      account: p.account,
      username: p.user,
      database: p.database,
      ...(p.schema ? { schema: p.schema } : {}),
      ...(p.warehouse ? { warehouse: p.warehouse } : {}),
      ...(p.role ? { role: p.role } : {}),
      ...(p.access_url ? { accessUrl: p.access_url } : {}),
      ...(queryTag ? { queryTag } : {}),
      ...(p.login_retries !== undefined ? { sfRetryMaxLoginRetries: p.login_retries } : {}),
      application: "rcu",
      clientSessionKeepAlive: false,
      jsTreatIntegerAsBigInt: true,
      arrayBindingThreshold: 65_280,
    };
    if (p.private_key_path || p.private_key_env) {
      let key: string;
      if (p.private_key_env) {
        key = requireSecret(s.privateKey, p.private_key_env, "Snowflake private key", "snowflake");
      } else {
        try {
          key = await readFile(p.private_key_path!, "utf8");
        } catch (err) {
          throw new RcuError("CONFIG", `Cannot read the Snowflake private key file ${p.private_key_path}: ${errorMessage(err)}`, {
            engine: "snowflake",
            hint: "private_key_path must name a PEM (PKCS#8) private key file readable by rcu.",
          });
        }
      }
      if (p.private_key_passphrase_env) requireSecret(s.privateKeyPassphrase, p.private_key_passphrase_env, "Snowflake private key passphrase", "snowflake");
      return {
        ...base,
        authenticator: "SNOWFLAKE_JWT",
        privateKey: key,
        ...(s.privateKeyPassphrase ? { privateKeyPass: s.privateKeyPassphrase.reveal() } : {}),
      } as SnowflakeSdk.ConnectionOptions;
    }
    if (!p.password_env) {
      throw new RcuError("CONFIG", "The Snowflake profile names no credentials.", {
        engine: "snowflake",
        hint: "Set password_env (a variable holding the password), or private_key_path / private_key_env for key-pair authentication.",
      });
    }
    return { ...base, password: requireSecret(s.password, p.password_env, "Snowflake password", "snowflake") } as SnowflakeSdk.ConnectionOptions;
  }

  async connect(options: ConnectOptions = {}): Promise<Connection> {
    const sdk = await loadSdk();
    const tag = [this.profile.query_tag, options.queryTag].filter(Boolean).join(":") || undefined;
    const conn = sdk.createConnection(await this.connectionOptions(tag));
    try {
      await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      const e = classifySnowflakeError(err);
      throw new RcuError("WAREHOUSE", `Cannot connect to Snowflake (${this.description}): ${e.message}`, {
        engine: "snowflake",
        ...(e.context.hint ? { hint: e.context.hint } : {}),
      }, { kind: e.kind, cause: err });
    }
    return new SnowflakeConnection(conn);
  }

  async close(): Promise<void> {
    // Connections close their own sessions; nothing is shared.
  }
}
