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
 *
 * Beside it: statements.ts (script detection, binds), errors.ts (classification), results.ts
 * (result values), sdk.ts (lazy SDK loading and configuration), auth.ts (connection options).
 */
import type * as SnowflakeSdk from "snowflake-sdk";
import { RcuError } from "../../errors.js";
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
import type { Secret, SecretNames } from "../secrets.js";
import { byDatabase, columnsKey, informationSchemaColumns } from "../sql-common.js";
import { connectionOptions } from "./auth.js";
import { rcuName, snowflakeDialect, snowflakeName } from "./dialect.js";
import { classifySnowflakeError } from "./errors.js";
import { toJsValue } from "./results.js";
import { loadSdk } from "./sdk.js";
import { isScript, MAX_BIND_VALUES, toBind } from "./statements.js";

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

type SdkConnection = SnowflakeSdk.Connection;
type SdkStatement = SnowflakeSdk.RowStatement;

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
    return (await this.listColumnsOf([relation])).get(columnsKey(relation)) ?? [];
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

  async connect(options: ConnectOptions = {}): Promise<Connection> {
    const sdk = await loadSdk();
    const tag = [this.profile.query_tag, options.queryTag].filter(Boolean).join(":") || undefined;
    const conn = sdk.createConnection(await connectionOptions(this.profile, tag));
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
