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
 * 4. strict.ts: what Redshift refuses and PostgreSQL 17 accepts fails as on Redshift (a subquery
 *    in FROM without an alias).
 * Not emulated: other Redshift-only functions (GETDATE …), SUPER, DISTKEY/SORTKEY clauses,
 * identifier case folding (Redshift folds quoted names to lower case by default).
 *
 * Files: params.ts (1.), results.ts (2., runs SQL), catalog.ts, requests.ts (target, paging), types.ts, errors.ts.
 *
 * Auth: every request must carry a SigV4 `Authorization` header (its signature is not checked).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { catalogOperations } from "./catalog.js";
import { ApiError } from "./errors.js";
import { fromToken, target, token } from "./requests.js";
import { runOne } from "./results.js";
import { COMPATIBILITY_FUNCTIONS } from "./translate.js";
import type { Operation, Statement, Sub } from "./types.js";

export interface RedshiftDataApiServerOptions {
  readonly db: PGlite;
  /** Rows per GetStatementResult page (tables per ListTables page and schema-wide DescribeTable page; a table's columns per DescribeTable page). */
  readonly pageSize?: number;
  /** How long a statement stays STARTED before it runs (it is PICKED while another one runs). */
  readonly latencyMs?: number;
  readonly port?: number;
}

export interface RedshiftDataApiServer {
  readonly url: string;
  /** Calls per operation, for tests (e.g. how many GetStatementResult pages were read). */
  readonly calls: Record<string, number>;
  /** Every SQL text received (ExecuteStatement and each batch member), in order. */
  readonly received: string[];
  /** How many times DescribeStatement answered each status (e.g. PICKED: queued behind another statement). */
  readonly described: Record<string, number>;
  /** Fail the next N Data API calls of an operation with an exception name (e.g. throttling). */
  failNext(operation: string, exception: string, times?: number): void;
  /** Answer schema-wide DescribeTable listings without each column's tableName (a client's fallback). */
  omitTableNames(omit: boolean): void;
  close(): Promise<void>;
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
  const described: Record<string, number> = {};
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

  function schedule(st: Statement): void {
    setTimeout(() => {
      if (st.status !== "SUBMITTED") return; // cancelled
      // PICKED: taken by the queue, waiting for the one PGlite session (as a cluster's workload
      // manager holds a query); STARTED once it runs.
      st.status = "PICKED";
      st.updatedAt = Date.now();
      void serially(async () => {
        if (st.status !== "PICKED") return; // cancelled while queued
        st.status = "STARTED";
        st.updatedAt = Date.now();
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

  const operations: Record<string, Operation> = {
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
      described[s.status] = (described[s.status] ?? 0) + 1;
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
    ...catalogOperations({ db, serially, pageSize, tableNames: () => tableNames }),
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
    described,
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
