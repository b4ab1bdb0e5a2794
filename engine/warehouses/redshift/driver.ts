/**
 * Amazon Redshift driver on the Redshift Data API (`@aws-sdk/client-redshift-data`): HTTPS calls,
 * no socket to the cluster, no VPC access needed.
 *
 * - A statement is `ExecuteStatement` (parameters as named `:pN` SqlParameters), then
 *   `DescribeStatement` polled with exponential backoff until FINISHED / FAILED / ABORTED, then
 *   `GetStatementResult` page by page (NextToken) when it has a result set.
 * - Each Data API call runs in its own session, so `BEGIN … COMMIT` cannot span calls. A
 *   connection buffers the statements between `BEGIN` and `COMMIT` and sends them as one
 *   `BatchExecuteStatement` (run serially as one transaction, all rolled back if one fails);
 *   `ROLLBACK` discards the buffer. Buffered statements get their parameters inlined as literals
 *   (the batch call shares one parameter list), report no row count, and reads inside a
 *   transaction are refused.
 * - Bulk append: multi-row INSERTs with inlined literals, each under the Data API's 100 KB SQL
 *   limit, sent by batches of at most 40 statements (the BatchExecuteStatement limit).
 * - Introspection: `ListTables` and `DescribeTable` (paginated).
 *
 * Beside it: statements.ts (parameters, append INSERTs: pure text), errors.ts (classification),
 * results.ts (result fields as values).
 *
 * Credentials: an explicit key pair from the environment variables a profile names (resolved by
 * the CLI into `secrets`, see ../secrets.ts), else the AWS SDK's default provider chain.
 */
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListTablesCommand,
  RedshiftDataClient,
  type ColumnMetadata,
  type DescribeStatementResponse,
  type SqlParameter,
} from "@aws-sdk/client-redshift-data";
import { RcuError } from "../../errors.js";
import { requireSecret, type Secret, type SecretNames } from "../secrets.js";
import type { ColumnInfo, Connection, ExecResult, Relation, RelationInfo, Row, SqlValue, Warehouse } from "../types.js";
import { columnsByRelation, columnsKey, distinct, type CatalogColumn } from "../sql-common.js";
import { redshiftDialect } from "./dialect.js";
import { classifyRedshiftError, StatementFailed } from "./errors.js";
import { fieldValue } from "./results.js";
import { appendStatements, bindable, MAX_BATCH_STATEMENTS, MAX_SQL_BYTES, substituteParameters } from "./statements.js";

export interface RedshiftProfile {
  readonly engine: "redshift";
  /** Provisioned cluster: its identifier, plus `db_user` (temporary credentials) or `secret_arn`. */
  readonly cluster_identifier?: string | undefined;
  readonly db_user?: string | undefined;
  readonly secret_arn?: string | undefined;
  /** Redshift Serverless: the workgroup (optionally with `secret_arn`). */
  readonly workgroup_name?: string | undefined;
  readonly database: string;
  readonly region: string;
  /** Another Data API endpoint (a VPC endpoint, or a local test server). */
  readonly endpoint?: string | undefined;
  /** Env vars holding an access key pair (and session token); else the default credential chain. */
  readonly access_key_id_env?: string | undefined;
  readonly secret_access_key_env?: string | undefined;
  readonly session_token_env?: string | undefined;
  /** First DescribeStatement poll delay (doubles up to 2 s). */
  readonly poll_interval_ms?: number | undefined;
  /** A statement still running after this is cancelled and reported as transient. */
  readonly statement_timeout_s?: number | undefined;
  /** Resolved at the edge (CLI) from the variables above; never read from the environment here. */
  readonly secrets?: { readonly accessKeyId?: Secret; readonly secretAccessKey?: Secret; readonly sessionToken?: Secret } | undefined;
}

/** Where a Redshift profile names its secrets' variables (see secrets.ts). */
export const REDSHIFT_SECRETS: SecretNames = { access_key_id_env: "accessKeyId", secret_access_key_env: "secretAccessKey", session_token_env: "sessionToken" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const columnInfo = (c: ColumnMetadata): ColumnInfo => ({ name: c.name ?? "", type: c.typeName ?? "", nullable: c.nullable !== 0 });

class RedshiftConnection implements Connection {
  /** Statements of the open transaction (between BEGIN and COMMIT), or null outside one. */
  private tx: string[] | null = null;

  constructor(private readonly wh: RedshiftWarehouse) {}

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<ExecResult> {
    const verb = /^\s*(\w+)(\s+(\w+))?/.exec(sql);
    const word = verb?.[1]?.toUpperCase();
    if (word === "BEGIN" || (word === "START" && verb?.[3]?.toUpperCase() === "TRANSACTION")) {
      if (this.tx) throw new RcuError("SQL", "A transaction is already open on this connection.", { engine: "redshift", statement: sql });
      this.tx = [];
      return { rowsAffected: null };
    }
    if (word === "COMMIT" || word === "END") {
      const statements = this.tx ?? [];
      this.tx = null;
      if (statements.length) await this.wh.batch(statements);
      return { rowsAffected: null };
    }
    if (word === "ROLLBACK" || word === "ABORT") {
      if (!this.tx) throw new RcuError("SQL", "No transaction is open on this connection.", { engine: "redshift", statement: sql });
      this.tx = null;
      return { rowsAffected: null };
    }
    if (this.tx) {
      const inlined = substituteParameters(sql, params, () => false).sql;
      if (this.tx.length >= MAX_BATCH_STATEMENTS) {
        this.tx = null;
        throw new RcuError("SQL", `A Redshift Data API transaction holds at most ${MAX_BATCH_STATEMENTS} statements.`, {
          engine: "redshift",
          statement: sql,
          hint: "Split the action's pre/post operations, or move them to an operations action.",
        });
      }
      this.tx.push(inlined);
      return { rowsAffected: null };
    }
    const { sql: text, parameters } = substituteParameters(sql, params, bindable);
    const done = await this.wh.run(text, parameters);
    return { rowsAffected: done.ResultRows !== undefined && done.ResultRows >= 0 && !done.HasResultSet ? done.ResultRows : null };
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    if (this.tx) {
      throw new RcuError("SQL", "The Redshift Data API cannot read inside a buffered transaction.", {
        engine: "redshift",
        statement: sql,
        hint: "Reads run outside BEGIN … COMMIT on Redshift.",
      });
    }
    const { sql: text, parameters } = substituteParameters(sql, params, bindable);
    const done = await this.wh.run(text, parameters);
    if (!done.HasResultSet) return [];
    return this.wh.results(done.Id!, text);
  }

  listRelations(): Promise<RelationInfo[]> {
    return this.wh.listRelations();
  }

  listColumns(relation: Relation): Promise<ColumnInfo[]> {
    return this.wh.listColumns(relation);
  }

  listColumnsOf(relations: readonly Relation[]): Promise<Map<string, ColumnInfo[]>> {
    return this.wh.listColumnsOf(relations);
  }

  async append(relation: Relation, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    if (rows.length === 0) return 0;
    const statements = appendStatements(relation, columns, rows);
    if (this.tx) {
      for (const s of statements) await this.execute(s);
      return rows.length;
    }
    for (let i = 0; i < statements.length; i += MAX_BATCH_STATEMENTS) {
      const group = statements.slice(i, i + MAX_BATCH_STATEMENTS);
      if (group.length === 1) await this.wh.run(group[0]!, []);
      else await this.wh.batch(group);
    }
    return rows.length;
  }

  async close(): Promise<void> {
    this.tx = null;
  }
}

export class RedshiftWarehouse implements Warehouse {
  readonly engine = "redshift" as const;
  readonly dialect = redshiftDialect;
  readonly description: string;
  private client: RedshiftDataClient | undefined;

  constructor(private readonly profile: RedshiftProfile) {
    const where = profile.workgroup_name ? `workgroup ${profile.workgroup_name}` : `cluster ${profile.cluster_identifier ?? "?"}`;
    this.description = `redshift:${where}/${profile.database} (${profile.region}${profile.endpoint ? `, ${profile.endpoint}` : ""})`;
  }

  /** Where statements run: the cluster (with its user or secret) or the serverless workgroup. */
  private target(): { ClusterIdentifier?: string; DbUser?: string; SecretArn?: string; WorkgroupName?: string; Database: string } {
    const p = this.profile;
    return {
      Database: p.database,
      ...(p.workgroup_name ? { WorkgroupName: p.workgroup_name } : {}),
      ...(p.cluster_identifier ? { ClusterIdentifier: p.cluster_identifier } : {}),
      ...(p.db_user ? { DbUser: p.db_user } : {}),
      ...(p.secret_arn ? { SecretArn: p.secret_arn } : {}),
    };
  }

  private sdk(): RedshiftDataClient {
    if (!this.client) {
      const p = this.profile;
      const s = p.secrets ?? {};
      const credentials = p.access_key_id_env
        ? {
            accessKeyId: requireSecret(s.accessKeyId, p.access_key_id_env, "AWS access key id", "redshift"),
            secretAccessKey: requireSecret(s.secretAccessKey, p.secret_access_key_env ?? "", "AWS secret access key", "redshift"),
            ...(p.session_token_env ? { sessionToken: requireSecret(s.sessionToken, p.session_token_env, "AWS session token", "redshift") } : {}),
          }
        : undefined;
      this.client = new RedshiftDataClient({
        region: p.region,
        ...(p.endpoint ? { endpoint: p.endpoint } : {}),
        ...(credentials ? { credentials } : {}),
        maxAttempts: 4,
      });
    }
    return this.client;
  }

  async connect(): Promise<Connection> {
    this.sdk();
    return new RedshiftConnection(this);
  }

  async close(): Promise<void> {
    this.client?.destroy();
    this.client = undefined;
  }

  /**
   * One poll. The statement runs on whatever happens to a poll: one throttled or timed out (after
   * the SDK's own retries) answers its error and is asked again, the statement never resubmitted —
   * thrown as transient, it failed a running statement, and an atomic action's retry ran it again.
   */
  private async describe(id: string, statement: string): Promise<DescribeStatementResponse | RcuError> {
    try {
      return await this.sdk().send(new DescribeStatementCommand({ Id: id }));
    } catch (err) {
      const e = classifyRedshiftError(err, statement);
      if (e.kind !== "transient") throw e;
      return e;
    }
  }

  /** Poll DescribeStatement with backoff until the statement ends; cancel it on timeout. */
  private async wait(id: string, statement: string): Promise<DescribeStatementResponse> {
    const client = this.sdk();
    let delay = this.profile.poll_interval_ms ?? 50;
    const deadline = Date.now() + (this.profile.statement_timeout_s ?? 6 * 3600) * 1000;
    // The last poll's failure, while polls fail: a timeout then says the status could not be
    // read, rather than that the statement was seen running.
    let pollFailure: RcuError | undefined;
    for (;;) {
      const polled = await this.describe(id, statement);
      const d = polled instanceof RcuError ? undefined : polled;
      pollFailure = polled instanceof RcuError ? polled : undefined;
      if (d?.Status === "FINISHED") return d;
      if (d && (d.Status === "FAILED" || d.Status === "ABORTED")) {
        const failedSub = d.SubStatements?.find((s) => s.Status === "FAILED" || s.Status === "ABORTED");
        const where =
          failedSub && d.SubStatements && d.SubStatements.length > 1
            ? ` (statement ${d.SubStatements.indexOf(failedSub) + 1} of ${d.SubStatements.length})`
            : "";
        throw classifyRedshiftError(
          new StatementFailed(`${d.Error ?? failedSub?.Error ?? `statement ${d.Status!.toLowerCase()}`}${where}`),
          failedSub?.QueryString ?? statement,
        );
      }
      if (Date.now() > deadline) {
        await client.send(new CancelStatementCommand({ Id: id })).catch(() => undefined);
        const unread = pollFailure ? ` Its status could not be read at the last poll (${pollFailure.message}); check the Data API endpoint and throttling.` : "";
        throw new RcuError("SQL", `Statement ${id} still running after ${this.profile.statement_timeout_s ?? 6 * 3600} s: cancelled.${unread}`, {
          engine: "redshift",
          statement,
        }, { kind: "transient" });
      }
      await sleep(delay);
      delay = Math.min(2000, Math.ceil(delay * 1.6));
    }
  }

  async run(sql: string, parameters: SqlParameter[]): Promise<DescribeStatementResponse> {
    if (Buffer.byteLength(sql) > MAX_SQL_BYTES) {
      throw new RcuError("SQL", `Statement of ${Buffer.byteLength(sql)} bytes exceeds the Redshift Data API's 100 KB limit.`, { engine: "redshift", statement: sql.slice(0, 2000) });
    }
    try {
      const { Id } = await this.sdk().send(
        new ExecuteStatementCommand({ ...this.target(), Sql: sql, ...(parameters.length ? { Parameters: parameters } : {}) }),
      );
      return await this.wait(Id!, sql);
    } catch (err) {
      throw classifyRedshiftError(err, sql);
    }
  }

  /** Statements as one transaction (BatchExecuteStatement); the failing one is named. */
  async batch(statements: readonly string[]): Promise<DescribeStatementResponse> {
    const joined = statements.join(";\n");
    for (const s of statements) {
      if (Buffer.byteLength(s) > MAX_SQL_BYTES) {
        throw new RcuError("SQL", `Statement of ${Buffer.byteLength(s)} bytes exceeds the Redshift Data API's 100 KB limit.`, { engine: "redshift", statement: s.slice(0, 2000) });
      }
    }
    try {
      const { Id } = await this.sdk().send(new BatchExecuteStatementCommand({ ...this.target(), Sqls: [...statements] }));
      return await this.wait(Id!, joined);
    } catch (err) {
      throw classifyRedshiftError(err, joined);
    }
  }

  /** Every page of a finished statement's result (GetStatementResult, following NextToken). */
  async results(id: string, statement: string): Promise<Row[]> {
    const rows: Row[] = [];
    let token: string | undefined;
    let columns: ColumnMetadata[] = [];
    try {
      do {
        const page = await this.sdk().send(new GetStatementResultCommand({ Id: id, ...(token ? { NextToken: token } : {}) }));
        if (page.ColumnMetadata?.length) columns = page.ColumnMetadata;
        for (const record of page.Records ?? []) {
          const row: Row = {};
          record.forEach((f, i) => {
            const col = columns[i];
            row[col?.label ?? col?.name ?? `column${i + 1}`] = fieldValue(f, col);
          });
          rows.push(row);
        }
        token = page.NextToken;
      } while (token);
    } catch (err) {
      throw classifyRedshiftError(err, statement);
    }
    return rows;
  }

  async listRelations(): Promise<RelationInfo[]> {
    const out: RelationInfo[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.sdk().send(
          new ListTablesCommand({ ...this.target(), SchemaPattern: "%", TablePattern: "%", ...(token ? { NextToken: token } : {}) }),
        );
        for (const t of page.Tables ?? []) {
          const schema = t.schema ?? "";
          if (!t.name || /^(pg_|information_schema$)/.test(schema)) continue;
          const type = (t.type ?? "").toUpperCase();
          if (type !== "TABLE" && type !== "VIEW") continue;
          out.push({ schema, name: t.name, kind: type === "VIEW" ? "view" : "table" });
        }
        token = page.NextToken;
      } while (token);
    } catch (err) {
      throw classifyRedshiftError(err, "ListTables");
    }
    return out;
  }

  /** DescribeTable page by page: one table's columns, or (no table) every table's of the schema. */
  private async *describePages(schema: string, table?: string): AsyncGenerator<ColumnMetadata[]> {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.sdk().send(new DescribeTableCommand({ ...this.target(), Schema: schema, ...(table ? { Table: table } : {}), ...(token ? { NextToken: token } : {}) }));
      } catch (err) {
        throw classifyRedshiftError(err, `DescribeTable ${schema}.${table ?? "*"}`);
      }
      yield page.ColumnList ?? [];
      token = page.NextToken;
    } while (token);
  }

  async listColumns(relation: Relation): Promise<ColumnInfo[]> {
    const out: ColumnInfo[] = [];
    for await (const page of this.describePages(relation.schema, relation.name)) out.push(...page.map(columnInfo));
    return out;
  }

  /**
   * One DescribeTable listing per schema (no table named: every table of the schema, each column
   * carrying its tableName), not one call per relation. Should a listing come without table
   * names, that schema's relations are described one by one.
   */
  async listColumnsOf(relations: readonly Relation[]): Promise<Map<string, ColumnInfo[]>> {
    const out = new Map<string, ColumnInfo[]>();
    for (const schema of distinct(relations.map((r) => r.schema))) {
      const group = relations.filter((r) => r.schema === schema);
      const listed: CatalogColumn[] = [];
      let named = true;
      for await (const page of this.describePages(schema)) {
        named = page.every((c) => c.tableName);
        if (!named) break;
        listed.push(...page.map((c) => ({ schema, table: c.tableName!, column: columnInfo(c) })));
      }
      if (named) {
        for (const [k, v] of columnsByRelation(group, listed)) out.set(k, v);
      } else {
        for (const r of group) {
          const cols = await this.listColumns(r);
          if (cols.length) out.set(columnsKey(r), cols);
        }
      }
    }
    return out;
  }
}
