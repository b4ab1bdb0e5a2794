/**
 * A local stand-in for the Amazon Redshift Data API, for tests: an HTTP server on 127.0.0.1 that
 * speaks the real wire protocol (AWS JSON 1.1: `POST /`, `X-Amz-Target: RedshiftData.<Operation>`,
 * JSON bodies, errors as `{"__type", "message"}` with status 400) so the real
 * `@aws-sdk/client-redshift-data` client talks to it unchanged, and runs the SQL on PGlite.
 *
 * Operations: ExecuteStatement, BatchExecuteStatement, DescribeStatement, GetStatementResult
 * (paginated by NextToken, `pageSize` rows a page: keep it small so clients must follow tokens),
 * ListTables, DescribeTable (both paginated), CancelStatement.
 *
 * Statements are asynchronous as on Redshift: ExecuteStatement answers SUBMITTED at once; the
 * statement becomes STARTED, then FINISHED or FAILED (with the PostgreSQL error text in `Error`)
 * after `latencyMs`, executed one at a time (PGlite is single-session). A batch runs in one
 * transaction: a failing statement rolls the batch back, is FAILED, and the rest are ABORTED.
 *
 * Translations from Redshift SQL to PostgreSQL (the only ones; everything else runs as sent):
 * 1. Named parameters `:name` (outside literals, quoted identifiers and comments; `::type` casts
 *    untouched) become `$n`, bound as text: the Data API sends every value as a string and
 *    Redshift converts it implicitly, as PostgreSQL does for an untyped parameter.
 * 2. Result types are reported with Redshift's type names (`int8`, `varchar`, `numeric`,
 *    `timestamptz`, …); `text`/`json`/`jsonb` values report as `varchar`, as Redshift stores them.
 * 3. translate.ts: DATEDIFF/DATEADD dateparts and LISTAGG … WITHIN GROUP rewritten for
 *    PostgreSQL, and compatibility functions (datediff, dateadd, strtol, sha2,
 *    json_extract_path_text over text) created in the database when the server starts.
 * Not emulated: other Redshift-only functions (GETDATE …), SUPER, DISTKEY/SORTKEY clauses,
 * identifier case folding (Redshift folds quoted names to lower case by default).
 *
 * Auth: every request must carry a SigV4 `Authorization` header (its signature is not checked).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import { COMPATIBILITY_FUNCTIONS, redshiftToPostgres } from "./translate.js";

export interface RedshiftDataApiServerOptions {
  readonly db: PGlite;
  /** Rows per GetStatementResult page (tables per ListTables page and schema-wide DescribeTable page; a table's columns per DescribeTable page). */
  readonly pageSize?: number;
  /** How long a statement stays SUBMITTED/STARTED before it runs. */
  readonly latencyMs?: number;
  readonly port?: number;
}

export interface RedshiftDataApiServer {
  readonly url: string;
  /** Calls per operation, for tests (e.g. how many GetStatementResult pages were read). */
  readonly calls: Record<string, number>;
  /** Every SQL text received (ExecuteStatement and each batch member), in order. */
  readonly received: string[];
  /** Fail the next N Data API calls of an operation with an exception name (e.g. throttling). */
  failNext(operation: string, exception: string, times?: number): void;
  /** Answer schema-wide DescribeTable listings without each column's tableName (a client's fallback). */
  omitTableNames(omit: boolean): void;
  close(): Promise<void>;
}

type Status = "SUBMITTED" | "PICKED" | "STARTED" | "FINISHED" | "ABORTED" | "FAILED";

interface Column {
  name: string;
  typeName: string;
}
type FieldJson = { isNull: true } | { longValue: number } | { doubleValue: number } | { booleanValue: boolean } | { stringValue: string };

interface Sub {
  id: string;
  sql: string;
  status: Status;
  error?: string;
  resultRows: number;
  hasResultSet: boolean;
  columns: Column[];
  records: FieldJson[][];
  createdAt: number;
  updatedAt: number;
}

interface Statement extends Sub {
  batch: Sub[] | null;
  params: Array<{ name: string; value: string }>;
  database: string;
  target: Record<string, string>;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

// PostgreSQL type oids → the names the Data API reports for Redshift columns.
const TYPE_NAMES: Record<number, string> = {
  16: "bool",
  20: "int8",
  21: "int2",
  23: "int4",
  25: "varchar",
  114: "varchar",
  3802: "varchar",
  700: "float4",
  701: "float8",
  705: "varchar",
  1042: "bpchar",
  1043: "varchar",
  1082: "date",
  1083: "time",
  1114: "timestamp",
  1184: "timestamptz",
  1700: "numeric",
};
const INTEGER = new Set([20, 21, 23]);
const FLOAT = new Set([700, 701]);
// Every value but booleans arrives as PostgreSQL's text output (what Redshift sends too).
const TEXT_PARSERS = Object.fromEntries(
  [20, 21, 23, 25, 114, 3802, 700, 701, 1082, 1083, 1114, 1184, 1700].map((oid) => [oid, (v: string) => v]),
);

/** Translation 1: `:name` → `$n` outside literals, quoted identifiers and comments. */
export function namedToPositional(sql: string, names: readonly string[]): string {
  const index = new Map(names.map((n, i) => [n, i + 1]));
  let out = "";
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j++;
          else break;
        }
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === "-" && sql[i + 1] === "-") {
      const j = sql.indexOf("\n", i);
      const end = j === -1 ? sql.length : j;
      out += sql.slice(i, end);
      i = end;
    } else if (c === "/" && sql[i + 1] === "*") {
      const j = sql.indexOf("*/", i + 2);
      const end = j === -1 ? sql.length : j + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (c === ":" && sql[i + 1] === ":") {
      out += "::";
      i += 2;
    } else if (c === ":") {
      const m = /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(i));
      const n = m ? index.get(m[1]!) : undefined;
      if (m && n !== undefined) {
        out += `$${n}`;
        i += m[0].length;
      } else {
        if (m) throw new ApiError("ValidationException", `No value was given for the parameter ${m[1]}.`);
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function toField(value: unknown, oid: number): FieldJson {
  if (value === null || value === undefined) return { isNull: true };
  if (typeof value === "boolean") return { booleanValue: value };
  if (INTEGER.has(oid)) return { longValue: Number(value) };
  if (FLOAT.has(oid)) return { doubleValue: Number(value) };
  return { stringValue: typeof value === "string" ? value : JSON.stringify(value) };
}

const epoch = (ms: number) => ms / 1000;

export async function startRedshiftDataApiServer(options: RedshiftDataApiServerOptions): Promise<RedshiftDataApiServer> {
  const { db } = options;
  await db.exec(COMPATIBILITY_FUNCTIONS);
  // Redshift reads backslashes in string literals as escapes ('\\1' is \1), as PostgreSQL did
  // before 9.1: the session is put back in that mode.
  await db.exec("SET standard_conforming_strings = off; SET escape_string_warning = off; SET search_path = \"$user\", public, pg_catalog");
  const pageSize = options.pageSize ?? 3;
  const latency = options.latencyMs ?? 5;
  const statements = new Map<string, Statement>();
  const calls: Record<string, number> = {};
  const received: string[] = [];
  const failures = new Map<string, { exception: string; times: number }>();
  let tableNames = true;
  let queue: Promise<unknown> = Promise.resolve();
  /** One statement at a time on the single PGlite session. */
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  async function runOne(q: Pick<Transaction, "query">, sub: Sub, params: Statement["params"]): Promise<void> {
    const text = redshiftToPostgres(sub.sql);
    const sql = params.length ? namedToPositional(text, params.map((p) => p.name)) : namedToPositional(text, []);
    const res = await q.query<unknown[]>(sql, params.map((p) => p.value), { rowMode: "array", parsers: TEXT_PARSERS });
    sub.hasResultSet = res.fields.length > 0;
    sub.columns = res.fields.map((f) => ({ name: f.name, typeName: TYPE_NAMES[f.dataTypeID] ?? "varchar" }));
    sub.records = res.rows.map((row) => row.map((v, i) => toField(v, res.fields[i]!.dataTypeID)));
    sub.resultRows = sub.hasResultSet ? res.rows.length : (res.affectedRows ?? 0);
  }

  function schedule(st: Statement): void {
    setTimeout(() => {
      if (st.status !== "SUBMITTED") return; // cancelled
      st.status = "STARTED";
      st.updatedAt = Date.now();
      void serially(async () => {
        await new Promise((r) => setTimeout(r, latency));
        if (st.status !== "STARTED") return;
        if (!st.batch) {
          try {
            await runOne(db, st, st.params);
            st.status = "FINISHED";
          } catch (err) {
            st.status = "FAILED";
            st.error = `ERROR: ${(err as Error).message}`;
          }
        } else {
          const subs = st.batch;
          for (const s of subs) s.status = "STARTED";
          try {
            await db.transaction(async (tx) => {
              for (const s of subs) {
                try {
                  await runOne(tx, s, []);
                  s.status = "FINISHED";
                  s.updatedAt = Date.now();
                } catch (err) {
                  s.status = "FAILED";
                  s.error = `ERROR: ${(err as Error).message}`;
                  throw err;
                }
              }
            });
            st.status = "FINISHED";
            st.resultRows = subs.reduce((n, s) => n + Math.max(0, s.resultRows), 0);
          } catch {
            const failed = subs.find((s) => s.status === "FAILED");
            for (const s of subs) if (s.status === "STARTED") s.status = "ABORTED";
            st.status = "FAILED";
            st.error = failed?.error ?? "ERROR: batch failed";
          }
        }
        st.updatedAt = Date.now();
      });
    }, 1);
  }

  function target(body: Record<string, unknown>): Record<string, string> {
    const cluster = body.ClusterIdentifier;
    const workgroup = body.WorkgroupName;
    if ((typeof cluster === "string") === (typeof workgroup === "string")) {
      throw new ApiError("ValidationException", "Either ClusterIdentifier or WorkgroupName must be specified.");
    }
    if (typeof body.Database !== "string" || !body.Database) throw new ApiError("ValidationException", "Database is required.");
    if (typeof cluster === "string" && typeof body.DbUser !== "string" && typeof body.SecretArn !== "string") {
      throw new ApiError("ValidationException", "Either DbUser or SecretArn must be specified for a cluster.");
    }
    const out: Record<string, string> = {};
    for (const k of ["ClusterIdentifier", "WorkgroupName", "DbUser", "SecretArn", "Database"]) {
      if (typeof body[k] === "string") out[k] = body[k] as string;
    }
    return out;
  }

  function checkSql(sql: unknown): string {
    if (typeof sql !== "string" || !sql.trim()) throw new ApiError("ValidationException", "Sql must be a non-empty string.");
    if (Buffer.byteLength(sql) > 100 * 1024) {
      throw new ApiError("ValidationException", "Cannot process query string larger than 100kB.");
    }
    received.push(sql);
    return sql;
  }

  const newSub = (id: string, sql: string): Sub => ({
    id,
    sql,
    status: "SUBMITTED",
    resultRows: -1,
    hasResultSet: false,
    columns: [],
    records: [],
    createdAt: Date.now(),
    updatedAt: Date.now(),
  });

  function find(id: unknown): Sub & Partial<Statement> {
    if (typeof id !== "string") throw new ApiError("ValidationException", "Id is required.");
    const [parent, sub] = id.split(":");
    const st = statements.get(parent!);
    if (!st) throw new ApiError("ResourceNotFoundException", `Query does not exist: ${id}`);
    if (sub === undefined) return st;
    const s = st.batch?.[Number(sub) - 1];
    if (!s) throw new ApiError("ResourceNotFoundException", `Query does not exist: ${id}`);
    return s;
  }

  const token = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64");
  const fromToken = (t: unknown): number => {
    if (t === undefined || t === null) return 0;
    try {
      return Number((JSON.parse(Buffer.from(String(t), "base64").toString("utf8")) as { offset: number }).offset) || 0;
    } catch {
      throw new ApiError("ValidationException", "Invalid NextToken.");
    }
  };
  function page<T>(items: T[], body: Record<string, unknown>): { items: T[]; NextToken?: string } {
    const offset = fromToken(body.NextToken);
    const size = typeof body.MaxResults === "number" && body.MaxResults > 0 ? Math.min(body.MaxResults, pageSize) : pageSize;
    const slice = items.slice(offset, offset + size);
    return offset + size < items.length ? { items: slice, NextToken: token(offset + size) } : { items: slice };
  }

  const describeSub = (s: Sub) => ({
    Id: s.id,
    Status: s.status,
    QueryString: s.sql,
    ...(s.error ? { Error: s.error } : {}),
    ResultRows: s.resultRows,
    HasResultSet: s.hasResultSet,
    CreatedAt: epoch(s.createdAt),
    UpdatedAt: epoch(s.updatedAt),
    Duration: s.status === "FINISHED" ? (s.updatedAt - s.createdAt) * 1e6 : -1,
  });

  const operations: Record<string, (body: Record<string, unknown>) => Promise<unknown> | unknown> = {
    ExecuteStatement(body) {
      const t = target(body);
      const sql = checkSql(body.Sql);
      const params = Array.isArray(body.Parameters) ? (body.Parameters as Array<{ name?: unknown; value?: unknown }>) : [];
      for (const p of params) {
        if (typeof p.name !== "string" || typeof p.value !== "string" || p.value.length === 0) {
          throw new ApiError("ValidationException", "Each parameter needs a name and a non-empty string value.");
        }
      }
      const id = randomUUID();
      const st: Statement = { ...newSub(id, sql), batch: null, params: params as Statement["params"], database: t.Database!, target: t };
      statements.set(id, st);
      schedule(st);
      return { Id: id, CreatedAt: epoch(st.createdAt), Database: t.Database, ...t };
    },
    BatchExecuteStatement(body) {
      const t = target(body);
      if (!Array.isArray(body.Sqls) || body.Sqls.length === 0 || body.Sqls.length > 40) {
        throw new ApiError("ValidationException", "Sqls must hold 1 to 40 statements.");
      }
      const sqls = (body.Sqls as unknown[]).map(checkSql);
      const id = randomUUID();
      const st: Statement = {
        ...newSub(id, sqls.join("; ")),
        batch: sqls.map((s, i) => newSub(`${id}:${i + 1}`, s)),
        params: [],
        database: t.Database!,
        target: t,
      };
      statements.set(id, st);
      schedule(st);
      return { Id: id, CreatedAt: epoch(st.createdAt), Database: t.Database, ...t };
    },
    DescribeStatement(body) {
      const s = find(body.Id);
      return {
        ...describeSub(s),
        ...(s.target ?? {}),
        ...(s.params?.length ? { QueryParameters: s.params } : {}),
        ...(s.batch ? { SubStatements: s.batch.map(describeSub), QueryString: undefined } : {}),
        RedshiftPid: 4242,
      };
    },
    GetStatementResult(body) {
      const s = find(body.Id);
      if (s.batch) throw new ApiError("ValidationException", "Use the Id of a sub-statement (Id:N) to read a batch's results.");
      if (s.status !== "FINISHED") throw new ApiError("ValidationException", `Query is not finished: status ${s.status}.`);
      if (!s.hasResultSet) throw new ApiError("ResourceNotFoundException", "Query does not have result. Please check query status with DescribeStatement.");
      const offset = fromToken(body.NextToken);
      const slice = s.records.slice(offset, offset + pageSize);
      return {
        Records: slice,
        ColumnMetadata: s.columns.map((c) => ({ name: c.name, label: c.name, typeName: c.typeName, nullable: 1 })),
        TotalNumRows: s.records.length,
        ...(offset + pageSize < s.records.length ? { NextToken: token(offset + pageSize) } : {}),
      };
    },
    CancelStatement(body) {
      const s = find(body.Id);
      if (s.status !== "SUBMITTED" && s.status !== "STARTED" && s.status !== "PICKED") {
        throw new ApiError("ValidationException", `Could not cancel a query that is already in ${s.status} state with ID: ${s.id}`);
      }
      s.status = "ABORTED";
      s.updatedAt = Date.now();
      return { Status: true };
    },
    async ListTables(body) {
      target(body);
      const schemaPattern = typeof body.SchemaPattern === "string" ? body.SchemaPattern : "%";
      const tablePattern = typeof body.TablePattern === "string" ? body.TablePattern : "%";
      const res = await serially(() =>
        db.query<{ schema: string; name: string; type: string }>(
          `SELECT table_schema AS schema, table_name AS name, CASE table_type WHEN 'VIEW' THEN 'VIEW' ELSE 'TABLE' END AS type
             FROM information_schema.tables
            WHERE table_schema LIKE $1 AND table_name LIKE $2
              AND table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1, 2`,
          [schemaPattern, tablePattern],
        ),
      );
      const p = page(res.rows, body);
      return { Tables: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
    // With no Table, every table of the schema (with no Schema either, of every schema), each
    // column naming its schema and table, as the Data API documents.
    async DescribeTable(body) {
      target(body);
      const schema = typeof body.Schema === "string" ? body.Schema : null;
      const table = typeof body.Table === "string" ? body.Table : null;
      const res = await serially(() =>
        db.query<{ schemaName: string; tableName: string; name: string; typeName: string; nullable: number; length: number | null; precision: number | null; scale: number | null; columnDefault: string | null }>(
          `SELECT table_schema AS "schemaName", table_name AS "tableName", column_name AS name, udt_name AS "typeName",
                  CASE is_nullable WHEN 'YES' THEN 1 ELSE 0 END AS nullable,
                  character_maximum_length AS length, numeric_precision AS precision, numeric_scale AS scale,
                  column_default AS "columnDefault"
             FROM information_schema.columns
            WHERE table_schema = coalesce($1, table_schema) AND table_name = coalesce($2, table_name)
              AND table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY table_schema, table_name, ordinal_position`,
          [schema, table],
        ),
      );
      const columns = res.rows.map(({ tableName, ...c }) => ({ ...c, ...(tableNames || table ? { tableName } : {}), typeName: c.typeName === "text" ? "varchar" : c.typeName }));
      if (table) {
        const p = page(columns, body);
        return { TableName: table, ColumnList: p.items, ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
      }
      // A schema-wide listing pages by tables (MaxResults: "the maximum number of tables to
      // return"), each table's columns whole.
      const tables = [...new Set(res.rows.map((c) => `${c.schemaName}.${c.tableName}`))];
      const p = page(tables, body);
      const shown = new Set(p.items);
      return { ColumnList: columns.filter((_, i) => shown.has(`${res.rows[i]!.schemaName}.${res.rows[i]!.tableName}`)), ...(p.NextToken ? { NextToken: p.NextToken } : {}) };
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown, type?: string) => {
      res.writeHead(status, {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-requestid": randomUUID(),
        ...(type ? { "x-amzn-errortype": type } : {}),
      });
      res.end(JSON.stringify(body));
    };
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (req.method !== "POST") throw new ApiError("UnknownOperationException", "POST only.");
      const auth = req.headers.authorization;
      if (typeof auth !== "string" || !auth.startsWith("AWS4-HMAC-SHA256 Credential=")) {
        throw new ApiError("MissingAuthenticationTokenException", "Missing Authentication Token", 403);
      }
      const amzTarget = String(req.headers["x-amz-target"] ?? "");
      const [service, operation] = amzTarget.split(".");
      const op = operation ? operations[operation] : undefined;
      if (service !== "RedshiftData" || !op) throw new ApiError("UnknownOperationException", `Unknown operation ${amzTarget}`);
      calls[operation!] = (calls[operation!] ?? 0) + 1;
      const failure = failures.get(operation!);
      if (failure && failure.times > 0) {
        failure.times--;
        throw new ApiError(failure.exception, `Injected ${failure.exception}`);
      }
      const body = (chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {}) as Record<string, unknown>;
      send(200, await op(body));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError("InternalServerException", (err as Error).message, 500);
      send(e.status, { __type: e.type, message: e.message }, e.type);
    }
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    received,
    failNext(operation, exception, times = 1) {
      failures.set(operation, { exception, times });
    },
    omitTableNames(omit) {
      tableNames = !omit;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
