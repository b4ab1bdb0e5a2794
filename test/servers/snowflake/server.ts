/**
 * A Snowflake protocol test server: an HTTP server on 127.0.0.1 that the real `snowflake-sdk`
 * talks to, executing the SQL on embedded DuckDB (translated by `translate.ts`).
 *
 * Emulated here (what rcu's driver and tests use): password and key-pair login with the
 * account/user checked; session and master tokens, token renewal, heartbeat, session close;
 * `query-request` with multi-statement scripts (`MULTI_STATEMENT_COUNT`, `resultIds`,
 * `/queries/{id}/result`) and results in chunks downloaded from this server; abort-request;
 * injected HTTP faults (503/429 …) for retry tests. The rest, a file a concern:
 * - `auth.ts`: a request's session token; key-pair login's JWT (RS256, fingerprint in `iss`).
 * - `session.ts`: a session's state; Snowflake databases as attached DuckDB databases.
 * - `binds.ts`: positional and array bind values as DuckDB values.
 * - `statements.ts`: one statement under Snowflake's rules: `ALTER SESSION SET QUERY_TAG`, `USE …`,
 *   transactions, DDL that commits the open transaction, DML row counts, exact quoted names.
 * - `results.ts`: the JSON result format (`rowtype` metadata, value encoding, gzip chunks).
 * - `errors.ts`: errors with Snowflake codes/SQL states, DuckDB's mapped to them.
 * - `functions.ts`: Snowflake functions DuckDB spells differently or lacks (SERVER_MACROS).
 *
 * Not emulated: warehouses/roles as separate objects (accepted and echoed), stages, PUT/GET,
 * COPY INTO, Arrow results, async queries, time travel, Snowflake type names in
 * information_schema (DuckDB's are returned), most Snowflake-only functions (FLATTEN, GENERATOR,
 * …); DuckDB-only functions are refused only when listed in `NOT_IN_SNOWFLAKE` (statements.ts).
 */
import { createPublicKey, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { tokenOf, verifyJwt } from "./auth.js";
import { decodeBinds } from "./binds.js";
import { SnowflakeSqlError, toSfError } from "./errors.js";
import { SERVER_MACROS } from "./functions.js";
import { chunkBody, resultData, type StoredResult } from "./results.js";
import { fold, sessionParameters, useDatabase, type Session } from "./session.js";
import { executeStatement, type StatementContext } from "./statements.js";
import { splitStatements, toDuckDB, type Token } from "./translate.js";

export interface SnowflakeTestUser {
  readonly password?: string;
  /** PEM public key for key-pair (JWT) login. */
  readonly publicKey?: string;
}

export interface SnowflakeServerOptions {
  /** Account name the clients must log in to (case-insensitive). */
  readonly account?: string;
  readonly users?: Readonly<Record<string, SnowflakeTestUser>>;
  /** Rows per result chunk; results longer than this are split into chunks (default 1000). */
  readonly chunkRows?: number;
  /**
   * Emulate Snowflake's exact matching of quoted identifiers (default true): a quoted name that
   * matches an existing schema, table or column only when case is ignored is an error, as on
   * Snowflake (DuckDB alone would resolve it).
   */
  readonly strictQuotedCase?: boolean;
}

export interface Fault {
  /** Which requests: matched against the path (e.g. `/queries/v1/query-request`). */
  readonly path: RegExp;
  readonly status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export class SnowflakeTestServer {
  readonly account: string;
  readonly users: Readonly<Record<string, SnowflakeTestUser>>;
  chunkRows: number;
  readonly strictQuotedCase: boolean;
  /** Every request's method and path, in order (query strings removed). */
  readonly requests: string[] = [];
  /** Login request bodies with secrets replaced by `***`. */
  readonly logins: Record<string, unknown>[] = [];
  /** Query tags seen with each statement (`QUERY_TAG` session parameter at execution). */
  readonly queryTags: string[] = [];
  /** SQL texts received by query-request. */
  readonly statements: string[] = [];
  readonly faults: Fault[] = [];
  /** Results (chunk data and multi-statement children) by query id. */
  private readonly results = new Map<string, StoredResult>();
  private readonly sessions = new Map<string, Session>();
  /** Session tokens that have expired (the SDK renews them with the master token). */
  private readonly expired = new Map<string, Session>();
  private readonly running = new Map<string, Session>();
  private readonly databases = new Set<string>();
  /** What statements.ts needs of this server (fixed at construction: these fields never change). */
  private readonly context: StatementContext;
  private nextSession = 1;
  private server: Server | undefined;
  private instance: DuckDBInstance | undefined;
  url = "";
  port = 0;

  constructor(options: SnowflakeServerOptions = {}) {
    this.account = (options.account ?? "TESTACCOUNT").toUpperCase();
    this.users = options.users ?? { RCU: { password: "rcu-test-password" } };
    this.chunkRows = options.chunkRows ?? 1000;
    this.strictQuotedCase = options.strictQuotedCase ?? true;
    this.context = { strictQuotedCase: this.strictQuotedCase, databases: this.databases, queryTags: this.queryTags };
  }

  async start(): Promise<this> {
    this.instance = await DuckDBInstance.create(":memory:");
    const setup = await this.instance.connect();
    for (const m of SERVER_MACROS) await setup.run(m);
    setup.closeSync();
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.json(res, 500, { success: false, code: "000603", message: String(err), data: null });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of [...this.sessions.values(), ...this.expired.values()]) s.conn.closeSync();
    this.sessions.clear();
    this.expired.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.instance?.closeSync();
  }

  /** Expire every session token now (as after 1 h); the master tokens stay valid. */
  expireSessionTokens(): void {
    for (const [token, s] of this.sessions) {
      this.sessions.delete(token);
      this.expired.set(token, s);
    }
  }

  /** Fail the next `times` requests whose path matches with HTTP `status`. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Run Snowflake SQL directly (as the test harness), in `database` (created if missing). */
  async sql(database: string, sql: string): Promise<Record<string, unknown>[]> {
    const conn = await this.instance!.connect();
    try {
      await useDatabase(conn, this.databases, fold(database), "PUBLIC");
      let rows: Record<string, unknown>[] = [];
      for (const st of splitStatements(sql)) {
        const reader = await conn.runAndReadAll(toDuckDB(st));
        rows = reader.getRowObjectsJS() as Record<string, unknown>[];
      }
      return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));
    } finally {
      conn.closeSync();
    }
  }

  get openSessions(): number {
    return this.sessions.size;
  }

  // --- HTTP ----------------------------------------------------------------------------------

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  }

  private async body(req: IncomingMessage): Promise<any> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let buf = Buffer.concat(chunks);
    if (!buf.length) return {};
    if (String(req.headers["content-encoding"] ?? "").includes("gzip")) buf = gunzipSync(buf);
    return JSON.parse(buf.toString("utf8"));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const path = url.pathname;
    this.requests.push(`${req.method} ${path}`);
    const fault = this.faults.find((f) => f.path.test(path) && (f.times ?? 0) > 0);
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      await this.body(req).catch(() => undefined);
      res.writeHead(fault.status, { "Content-Type": "text/plain", ...(fault.status === 429 ? { "Retry-After": "0" } : {}) });
      res.end(`injected ${fault.status}`);
      return;
    }
    if (path === "/session/v1/login-request") return this.login(url, await this.body(req), res);
    if (path.startsWith("/chunks/")) return this.chunk(path, res);
    if (path === "/telemetry/send") {
      await this.body(req);
      return this.json(res, 200, { success: true, code: null, message: null, data: "Log Received" });
    }
    const session = this.authenticate(req);
    if (path === "/session/token-request") {
      const body = await this.body(req);
      const s = [...this.sessions.values(), ...this.expired.values()].find((x) => x.masterToken === tokenOf(req) && body.oldSessionToken === x.token);
      if (!s) return this.json(res, 200, { success: false, code: "390114", message: "Authentication token has expired.  The user must authenticate again.", data: null });
      this.sessions.delete(s.token);
      this.expired.delete(s.token);
      s.token = randomUUID();
      this.sessions.set(s.token, s);
      return this.json(res, 200, { success: true, code: null, message: null, data: { sessionToken: s.token, validityInSecondsST: 3600, masterToken: s.masterToken, validityInSecondsMT: 14400, sessionId: s.id } });
    }
    if (!session) {
      await this.body(req).catch(() => undefined);
      return this.expired.has(tokenOf(req) ?? "")
        ? this.json(res, 200, { success: false, code: "390112", message: "Session token expired.", data: { errorCode: "390112" } })
        : this.json(res, 200, { success: false, code: "390104", message: "Invalid session token.", data: { errorCode: "390104" } });
    }
    if (path === "/session" && url.searchParams.get("delete") === "true") {
      await this.body(req);
      this.sessions.delete(session.token);
      if (session.inTransaction) await session.conn.run("ROLLBACK").catch(() => undefined);
      session.conn.closeSync();
      return this.json(res, 200, { success: true, code: null, message: null, data: null });
    }
    if (path === "/session/heartbeat") {
      await this.body(req);
      return this.json(res, 200, { success: true, code: null, message: null, data: null });
    }
    if (path === "/queries/v1/query-request") return this.query(session, url, await this.body(req), res);
    if (path === "/queries/v1/abort-request") {
      const body = await this.body(req);
      const target = this.running.get(String(body.requestId ?? ""));
      if (target) target.conn.interrupt();
      return this.json(res, 200, { success: true, code: null, message: null, data: null });
    }
    const resultMatch = /^\/queries\/([^/]+)\/result$/.exec(path);
    if (resultMatch) {
      const stored = this.results.get(resultMatch[1]!);
      if (!stored) return this.json(res, 200, { success: false, code: "000709", message: `Statement ${resultMatch[1]} not found`, data: { sqlState: "02000" } });
      return this.json(res, 200, { success: true, code: null, message: null, data: resultData(session, stored, this.url, this.chunkRows) });
    }
    this.json(res, 404, { success: false, code: "404", message: `no route ${req.method} ${path}`, data: null });
  }

  private authenticate(req: IncomingMessage): Session | undefined {
    return this.sessions.get(tokenOf(req) ?? "");
  }

  // --- login ---------------------------------------------------------------------------------

  private loginError(res: ServerResponse, code: string, message: string): void {
    this.json(res, 200, { success: false, code, message, data: { nextAction: "RETRY_LOGIN", authnMethod: "USERNAME_PASSWORD", errorCode: code } });
  }

  private async login(url: URL, body: any, res: ServerResponse): Promise<void> {
    const data = (body?.data ?? {}) as Record<string, any>;
    this.logins.push({
      query: Object.fromEntries(url.searchParams),
      ...data,
      ...(data.PASSWORD ? { PASSWORD: "***" } : {}),
      ...(data.TOKEN ? { TOKEN: "***" } : {}),
    });
    const account = String(data.ACCOUNT_NAME ?? "").toUpperCase();
    const userName = String(data.LOGIN_NAME ?? "").toUpperCase();
    const user = Object.entries(this.users).find(([n]) => n.toUpperCase() === userName)?.[1];
    if (account !== this.account || !user) return this.loginError(res, "390100", "Incorrect username or password was specified.");
    if (data.AUTHENTICATOR === "SNOWFLAKE_JWT") {
      if (!user.publicKey || !verifyJwt(String(data.TOKEN ?? ""), createPublicKey(user.publicKey), account, userName)) {
        return this.loginError(res, "390144", "JWT token is invalid.");
      }
    } else if (!user.password || data.PASSWORD !== user.password) {
      return this.loginError(res, "390100", "Incorrect username or password was specified.");
    }
    if (typeof data.CLIENT_APP_ID !== "string" || !data.CLIENT_APP_ID) return this.loginError(res, "390101", "Missing CLIENT_APP_ID.");
    const database = fold(url.searchParams.get("databaseName") ?? "RCU");
    const schema = fold(url.searchParams.get("schemaName") ?? "PUBLIC");
    const conn = await this.instance!.connect();
    await useDatabase(conn, this.databases, database, schema);
    const token = randomUUID();
    const session: Session = {
      id: this.nextSession++,
      token,
      masterToken: randomUUID(),
      conn,
      database,
      schema,
      warehouse: fold(url.searchParams.get("warehouse") ?? "COMPUTE_WH"),
      role: fold(url.searchParams.get("roleName") ?? "PUBLIC"),
      user: userName,
      params: Object.fromEntries(Object.entries(data.SESSION_PARAMETERS ?? {}).map(([k, v]) => [k.toUpperCase(), String(v)])),
      clientParams: Object.fromEntries(Object.entries(data.SESSION_PARAMETERS ?? {}).map(([k, v]) => [k.toUpperCase(), v])),
      inTransaction: false,
    };
    this.sessions.set(token, session);
    this.json(res, 200, {
      success: true,
      code: null,
      message: null,
      data: {
        token,
        masterToken: session.masterToken,
        validityInSeconds: 3600,
        masterValidityInSeconds: 14400,
        sessionId: session.id,
        displayUserName: userName,
        serverVersion: "rcu-test-server",
        firstLogin: false,
        healthCheckInterval: 45,
        parameters: sessionParameters(session),
        sessionInfo: { databaseName: database, schemaName: schema, warehouseName: session.warehouse, roleName: session.role },
      },
    });
  }


  // --- queries -------------------------------------------------------------------------------

  private async query(session: Session, url: URL, body: any, res: ServerResponse): Promise<void> {
    const sqlText = String(body.sqlText ?? "");
    this.statements.push(sqlText);
    const queryId = randomUUID();
    const requestId = url.searchParams.get("requestId") ?? queryId;
    const fail = (e: unknown) => {
      const sf = toSfError(e);
      this.json(res, 200, {
        success: false,
        code: sf.code,
        message: sf.message,
        data: { queryId, sqlState: sf.sqlState, errorCode: sf.code, internalError: false, age: 0, type: "COMPILATION" },
      });
    };
    let statements: Token[][];
    try {
      statements = splitStatements(sqlText);
    } catch (e) {
      return fail(e);
    }
    const expected = Number(body.parameters?.MULTI_STATEMENT_COUNT ?? session.params.MULTI_STATEMENT_COUNT ?? 1);
    if (expected !== 0 && statements.length !== expected) {
      return fail(new SnowflakeSqlError({ code: "000008", sqlState: "0A000", message: `Actual statement count ${statements.length} did not match the desired statement count ${expected}.` }));
    }
    const binds = decodeBinds(body.bindings);
    this.running.set(requestId, session);
    try {
      if (statements.length === 1 && expected !== 0) {
        const stored = await executeStatement(session, statements[0]!, binds, queryId, this.context);
        this.results.set(queryId, stored);
        return this.json(res, 200, { success: true, code: null, message: null, data: resultData(session, stored, this.url, this.chunkRows) });
      }
      const ids: string[] = [];
      for (const st of statements) {
        const id = randomUUID();
        this.results.set(id, await executeStatement(session, st, binds, id, this.context));
        ids.push(id);
      }
      const parent: StoredResult = {
        queryId,
        rowtype: [{ name: "multiple statement execution", type: "text", nullable: false }],
        rows: [["Multiple statements executed successfully."]],
        statementTypeId: 0x1000,
      };
      this.results.set(queryId, parent);
      return this.json(res, 200, { success: true, code: null, message: null, data: { ...resultData(session, parent, this.url, this.chunkRows), resultIds: ids.join(",") } });
    } catch (e) {
      return fail(e);
    } finally {
      this.running.delete(requestId);
    }
  }


  private chunk(path: string, res: ServerResponse): void {
    const [, , queryId, index] = path.split("/");
    const r = this.results.get(queryId ?? "");
    const i = Number(index);
    if (!r || !Number.isInteger(i)) {
      res.writeHead(404);
      res.end();
      return;
    }
    // A chunk is typed as binary like an S3 object (the SDK would JSON-parse an application/json
    // body, and fail).
    const body = chunkBody(r, i, this.chunkRows);
    res.writeHead(200, { "Content-Type": "binary/octet-stream", "Content-Encoding": "gzip", "Content-Length": body.length });
    res.end(body);
  }
}

export async function startSnowflakeTestServer(options: SnowflakeServerOptions = {}): Promise<SnowflakeTestServer> {
  return new SnowflakeTestServer(options).start();
}
