/**
 * A Snowflake protocol test server: an HTTP server on 127.0.0.1 that the real `snowflake-sdk`
 * talks to, executing the SQL on embedded DuckDB (translated by `translate.ts`).
 *
 * Emulated (what rcu's driver and tests use): password and key-pair (JWT, RS256, fingerprint in
 * `iss`) login with the account/user checked; session and master tokens, token renewal, heartbeat,
 * session close; `query-request` with positional and array binds; JSON result format with
 * `rowtype` metadata (fixed/real/text/boolean/date/timestamp_ntz/timestamp_ltz/variant) and results
 * split into chunks downloaded from this server (gzip); multi-statement scripts
 * (`MULTI_STATEMENT_COUNT`, `resultIds`, `/queries/{id}/result`); DML row counts; DDL that
 * commits the open transaction; `ALTER SESSION SET QUERY_TAG`; `USE …`; errors with Snowflake
 * codes/SQL states; abort-request; injected HTTP faults (503/429 …) for retry tests.
 *
 * Case: unquoted names are upper-cased (translate.ts); quoted names must match an existing name
 * exactly when one exists that differs only in case (`strictQuotedCase`), as on Snowflake. Two
 * objects whose names differ only in case cannot coexist (DuckDB ignores case).
 *
 * Not emulated: warehouses/roles as separate objects (accepted and echoed), stages, PUT/GET,
 * COPY INTO, Arrow results, async queries, time travel, Snowflake type names in
 * information_schema (DuckDB's are returned), most Snowflake-only functions (FLATTEN, GENERATOR,
 * …); DuckDB-only functions are refused only when listed in `NOT_IN_SNOWFLAKE`.
 */
import { createHash, createPublicKey, randomUUID, verify, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync, gzipSync } from "node:zlib";
import {
  DuckDBInstance,
  DuckDBTypeId,
  ResultReturnType,
  StatementType,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from "@duckdb/node-api";
import { leadingWords, significant, splitStatements, SqlSyntaxError, toDuckDB, type Token } from "./translate.js";

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

/**
 * DuckDB functions that Snowflake does not have, refused with Snowflake's "Unknown function"
 * error so SQL that only works on DuckDB fails here as it would on Snowflake. Not exhaustive:
 * the ones DuckDB-first SQL reaches for most.
 */
export const NOT_IN_SNOWFLAKE = new Set([
  "NOW", "TODAY", "STRFTIME", "STRPTIME", "EPOCH_MS", "ISODOW", "LIST_VALUE", "LIST_TRANSFORM", "LIST_FILTER",
  "LIST_AGGREGATE", "LIST_SORT", "LIST_DISTINCT", "STRUCT_PACK", "STRING_SPLIT", "STRING_AGG", "REGEXP_MATCHES",
  "REGEXP_FULL_MATCH", "JARO_WINKLER_SIMILARITY", "LEVENSHTEIN", "DAMERAU_LEVENSHTEIN", "GEN_RANDOM_UUID",
  "ARRAY_LENGTH", "LEN_UTF8", "UNNEST", "READ_CSV", "READ_JSON", "READ_PARQUET",
  // DuckDB spellings the translations above produce: rcu must send Snowflake's instead.
  "TRY_STRPTIME", "JSON_EXTRACT_STRING", "MAKE_DATE", "SHA256", "DATE_DIFF",
]);

/**
 * Snowflake functions DuckDB lacks, as macros in the instance's own catalog (`memory.main`, which
 * translate.ts names explicitly: sessions run in attached databases).
 */
const SERVER_MACROS = [
  // INITCAP(s, delimiters): upper-case the first character and every one after a delimiter, the rest lower.
  `CREATE MACRO memory.main.sf_initcap(s, d) AS CASE WHEN s IS NOT NULL THEN array_to_string(list_transform(range(1, length(s) + 1),
     lambda i: CASE WHEN i = 1 OR (i > 1 AND strpos(d, substr(s, CAST(i - 1 AS INTEGER), 1)) > 0) THEN upper(substr(s, CAST(i AS INTEGER), 1)) ELSE lower(substr(s, CAST(i AS INTEGER), 1)) END), '') END`,
  // DATEADD(day, n, d) on a DATE is a DATE (DuckDB: DATE + INTEGER).
  `CREATE MACRO memory.main.sf_dateadd_day(n, d) AS d + CAST(n AS INTEGER)`,
];

export interface Fault {
  /** Which requests: matched against the path (e.g. `/queries/v1/query-request`). */
  readonly path: RegExp;
  readonly status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
}

interface Session {
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

interface Column {
  readonly name: string;
  readonly type: string;
  readonly precision?: number | null;
  readonly scale?: number | null;
  readonly nullable: boolean;
}

interface StoredResult {
  readonly queryId: string;
  readonly rowtype: Column[];
  readonly rows: (string | null)[][];
  readonly statementTypeId: number;
}

interface SfError {
  readonly code: string;
  readonly sqlState: string;
  readonly message: string;
}

class SnowflakeSqlError extends Error {
  constructor(readonly sf: SfError) {
    super(sf.message);
  }
}

const STATEMENT_TYPE = { select: 0x1000, insert: 0x3100, update: 0x3200, delete: 0x3300, merge: 0x3400, ddl: 0x6000, other: 0x6000 } as const;

const fold = (id: string): string => (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(id) ? id.toUpperCase() : id);
const qd = (id: string): string => `"${id.split('"').join('""')}"`;

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
      await this.useDatabase(conn, fold(database), "PUBLIC");
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
      return this.json(res, 200, { success: true, code: null, message: null, data: this.resultData(session, stored) });
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
    await this.useDatabase(conn, database, schema);
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
        parameters: this.parameters(session),
        sessionInfo: { databaseName: database, schemaName: schema, warehouseName: session.warehouse, roleName: session.role },
      },
    });
  }

  /** Session parameters as Snowflake echoes them: defaults, then what the client set at login. */
  private parameters(session: Session): { name: string; value: unknown }[] {
    const all: Record<string, unknown> = {
      TIMEZONE: "UTC",
      CLIENT_SESSION_KEEP_ALIVE: false,
      CLIENT_STAGE_ARRAY_BINDING_THRESHOLD: 65280,
      CLIENT_RESULT_CHUNK_SIZE: 160,
      ...session.clientParams,
    };
    return Object.entries(all).map(([name, value]) => ({ name, value }));
  }

  private async useDatabase(conn: DuckDBConnection, database: string, schema: string): Promise<void> {
    if (!this.databases.has(database)) {
      await conn.run(`ATTACH IF NOT EXISTS ':memory:' AS ${qd(database)}`);
      await conn.run(`CREATE SCHEMA IF NOT EXISTS ${qd(database)}."PUBLIC"`);
      this.databases.add(database);
    }
    await conn.run(`CREATE SCHEMA IF NOT EXISTS ${qd(database)}.${qd(schema)}`);
    await conn.run(`USE ${qd(database)}.${qd(schema)}`);
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
        const stored = await this.execute(session, statements[0]!, binds, queryId);
        this.results.set(queryId, stored);
        return this.json(res, 200, { success: true, code: null, message: null, data: this.resultData(session, stored) });
      }
      const ids: string[] = [];
      for (const st of statements) {
        const id = randomUUID();
        this.results.set(id, await this.execute(session, st, binds, id));
        ids.push(id);
      }
      const parent: StoredResult = {
        queryId,
        rowtype: [{ name: "multiple statement execution", type: "text", nullable: false }],
        rows: [["Multiple statements executed successfully."]],
        statementTypeId: 0x1000,
      };
      this.results.set(queryId, parent);
      return this.json(res, 200, { success: true, code: null, message: null, data: { ...this.resultData(session, parent), resultIds: ids.join(",") } });
    } catch (e) {
      return fail(e);
    } finally {
      this.running.delete(requestId);
    }
  }

  /** The `data` of a query response: first chunk inline, the rest as chunk URLs. */
  private resultData(session: Session, r: StoredResult): Record<string, unknown> {
    const inline = r.rows.slice(0, this.chunkRows);
    const chunks: { url: string; rowCount: number; uncompressedSize: number; compressedSize: number }[] = [];
    for (let start = this.chunkRows, i = 0; start < r.rows.length; start += this.chunkRows, i++) {
      const rowCount = Math.min(this.chunkRows, r.rows.length - start);
      chunks.push({ url: `${this.url}/chunks/${r.queryId}/${i}`, rowCount, uncompressedSize: rowCount * 100, compressedSize: rowCount * 10 });
    }
    return {
      parameters: this.parameters(session),
      rowtype: r.rowtype.map((c) => ({
        name: c.name,
        database: session.database,
        schema: session.schema,
        table: "",
        type: c.type,
        precision: c.precision ?? null,
        scale: c.scale ?? null,
        length: c.type === "text" ? 16777216 : null,
        byteLength: c.type === "text" ? 16777216 : null,
        nullable: c.nullable,
        collation: null,
      })),
      rowset: inline,
      total: r.rows.length,
      returned: r.rows.length,
      queryId: r.queryId,
      databaseProvider: null,
      finalDatabaseName: session.database,
      finalSchemaName: session.schema,
      finalWarehouseName: session.warehouse,
      finalRoleName: session.role,
      numberOfBinds: 0,
      arrayBindSupported: false,
      statementTypeId: r.statementTypeId,
      version: 1,
      sendResultTime: Date.now(),
      queryResultFormat: "json",
      ...(chunks.length ? { chunks, chunkHeaders: {}, qrmk: "test-qrmk" } : {}),
    };
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
    const rows = r.rows.slice(this.chunkRows * (i + 1), this.chunkRows * (i + 2));
    // A chunk is the rowset's rows without the enclosing brackets, gzip-compressed and typed as
    // binary like an S3 object (the SDK would JSON-parse an application/json body, and fail).
    const body = gzipSync(Buffer.from(rows.map((row) => JSON.stringify(row)).join(","), "utf8"));
    res.writeHead(200, { "Content-Type": "binary/octet-stream", "Content-Encoding": "gzip", "Content-Length": body.length });
    res.end(body);
  }

  /** One statement, with Snowflake's session and transaction rules around DuckDB. */
  private async execute(session: Session, tokens: Token[], binds: BindSet, queryId: string): Promise<StoredResult> {
    const words = leadingWords(tokens, 4);
    const status = (message: string, type = STATEMENT_TYPE.other): StoredResult => ({
      queryId,
      rowtype: [{ name: "status", type: "text", nullable: false }],
      rows: [[message]],
      statementTypeId: type,
    });
    this.queryTags.push(session.params.QUERY_TAG ?? "");
    // Session statements, handled here.
    if (words[0] === "ALTER" && words[1] === "SESSION") {
      const sig = significant(tokens);
      if (words[2] === "SET") {
        for (let k = 3; k + 2 < sig.length + 1; k += 4) {
          const name = sig[k]?.text.toUpperCase();
          const value = sig[k + 2];
          if (!name || !value) break;
          session.params[name] = value.kind === "string" ? (value.value ?? "") : value.text;
        }
      } else if (words[2] === "UNSET") {
        for (const t of sig.slice(3)) if (t.kind === "word") delete session.params[t.text.toUpperCase()];
      }
      return status("Statement executed successfully.");
    }
    if (words[0] === "USE") {
      const sig = significant(tokens);
      const kind = ["DATABASE", "SCHEMA", "WAREHOUSE", "ROLE"].includes(words[1] ?? "") ? words[1] : "SCHEMA";
      const names = sig.slice(kind === words[1] ? 2 : 1).filter((t) => t.text !== ".").map((t) => (t.kind === "quoted" ? t.value! : fold(t.text)));
      if (kind === "WAREHOUSE") session.warehouse = names[0] ?? session.warehouse;
      else if (kind === "ROLE") session.role = names[0] ?? session.role;
      else if (kind === "DATABASE") {
        session.database = names[0] ?? session.database;
        session.schema = "PUBLIC";
      } else {
        if (names.length > 1) session.database = names[0]!;
        session.schema = names.at(-1) ?? session.schema;
      }
      await this.useDatabase(session.conn, session.database, session.schema).catch((e) => {
        throw new SnowflakeSqlError({ code: "002043", sqlState: "02000", message: `SQL compilation error:\nObject does not exist, or operation cannot be performed. ${String(e)}` });
      });
      return status("Statement executed successfully.");
    }
    const first = words[0] ?? "";
    if (first === "BEGIN" || first === "START") {
      if (!session.inTransaction) await this.run(session, "BEGIN TRANSACTION", []);
      session.inTransaction = true;
      return status("Statement executed successfully.");
    }
    if (first === "COMMIT" || first === "ROLLBACK") {
      // Snowflake: COMMIT/ROLLBACK without an open transaction succeed and do nothing.
      if (session.inTransaction) await this.run(session, first, []);
      session.inTransaction = false;
      return status("Statement executed successfully.");
    }
    // DDL commits the open transaction first and runs in its own (Snowflake's implicit commit).
    const ddl = ["CREATE", "DROP", "ALTER", "COMMENT", "TRUNCATE"].includes(first);
    if (ddl && session.inTransaction) {
      await this.run(session, "COMMIT", []);
      session.inTransaction = false;
    }
    this.checkFunctions(tokens);
    if (this.strictQuotedCase) await this.checkQuotedCase(session, tokens);
    const duckSql = toDuckDB(tokens);
    if (binds.length && Array.isArray(binds[0])) return this.executeArrayBind(session, duckSql, binds as unknown as DuckDBValue[][], queryId);
    const result = await this.run(session, duckSql, binds);
    if (result.returnType === ResultReturnType.CHANGED_ROWS) {
      const n = String(result.rowsChanged);
      const st = result.statementType;
      const [name, type] =
        st === StatementType.INSERT
          ? ["number of rows inserted", STATEMENT_TYPE.insert]
          : st === StatementType.UPDATE
            ? ["number of rows updated", STATEMENT_TYPE.update]
            : st === StatementType.DELETE
              ? ["number of rows deleted", STATEMENT_TYPE.delete]
              : ["number of rows inserted", STATEMENT_TYPE.merge];
      // DuckDB reports MERGE as one count: reported as inserted (the SDK sums the columns).
      const cols: Column[] = [{ name, type: "fixed", precision: 19, scale: 0, nullable: false }];
      const row: string[] = [n];
      if (type === STATEMENT_TYPE.merge) {
        cols.push({ name: "number of rows updated", type: "fixed", precision: 19, scale: 0, nullable: false });
        row.push("0");
      }
      return { queryId, rowtype: cols, rows: [row], statementTypeId: type };
    }
    if (result.statementType !== StatementType.SELECT && result.statementType !== StatementType.EXPLAIN && result.statementType !== StatementType.PRAGMA) {
      const what = first === "CREATE" ? "successfully created" : first === "DROP" ? "successfully dropped" : "Statement executed successfully.";
      return status(what === "Statement executed successfully." ? what : `Object ${what}.`, ddl ? STATEMENT_TYPE.ddl : STATEMENT_TYPE.other);
    }
    const types = result.columnTypes();
    const names = result.columnNames();
    const rowtype = types.map((t, i) => columnOf(names[i]!, t));
    const rows: (string | null)[][] = [];
    const all = await result.getRows();
    for (const r of all) rows.push(r.map((v, i) => encodeValue(v, types[i]!)));
    return { queryId, rowtype, rows, statementTypeId: STATEMENT_TYPE.select };
  }

  private checkFunctions(tokens: Token[]): void {
    const sig = significant(tokens);
    sig.forEach((t, k) => {
      if (t.kind === "word" && sig[k + 1]?.text === "(" && sig[k - 1]?.text !== "." && NOT_IN_SNOWFLAKE.has(t.text.toUpperCase())) {
        throw new SnowflakeSqlError({ code: "002140", sqlState: "42601", message: `SQL compilation error:\nUnknown function ${t.text.toUpperCase()}` });
      }
    });
  }

  /** Snowflake compares quoted identifiers exactly; DuckDB ignores case. Refuse what only DuckDB resolves. */
  private async checkQuotedCase(session: Session, tokens: Token[]): Promise<void> {
    const sig = significant(tokens);
    const quoted = sig.filter((t, k) => t.kind === "quoted" && sig[k - 1]?.text.toUpperCase() !== "AS").map((t) => t.value!);
    if (!quoted.length) return;
    const reader = await session.conn.runAndReadAll(
      `SELECT schema_name AS n FROM information_schema.schemata WHERE catalog_name = current_database()
       UNION SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()
       UNION SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database()`,
    );
    const names = new Set(reader.getRows().map((r) => String(r[0])));
    const folded = new Map([...names].map((n) => [n.toLowerCase(), n]));
    for (const q of quoted) {
      const other = folded.get(q.toLowerCase());
      if (!names.has(q) && other !== undefined) {
        throw new SnowflakeSqlError({
          code: "002003",
          sqlState: "42S02",
          message: `SQL compilation error:\nObject '"${q}"' does not exist or not authorized. (Quoted names match exactly on Snowflake; the existing object is "${other}".)`,
        });
      }
    }
  }

  /** Array binding: the statement once per row of binds, in one transaction; counts summed. */
  private async executeArrayBind(session: Session, sql: string, columns: DuckDBValue[][], queryId: string): Promise<StoredResult> {
    const rowCount = columns[0]!.length;
    const own = !session.inTransaction;
    if (own) await this.run(session, "BEGIN TRANSACTION", []);
    let total = 0n;
    try {
      const prepared = await session.conn.prepare(sql);
      for (let r = 0; r < rowCount; r++) {
        prepared.bind(columns.map((c) => c[r] ?? null));
        total += BigInt((await prepared.run()).rowsChanged);
      }
      if (own) await this.run(session, "COMMIT", []);
    } catch (e) {
      if (own) await session.conn.run("ROLLBACK").catch(() => undefined);
      throw e instanceof SnowflakeSqlError ? e : new SnowflakeSqlError(mapDuckError(String((e as Error).message ?? e)));
    }
    return {
      queryId,
      rowtype: [{ name: "number of rows inserted", type: "fixed", precision: 19, scale: 0, nullable: false }],
      rows: [[String(total)]],
      statementTypeId: STATEMENT_TYPE.insert,
    };
  }

  private async run(session: Session, sql: string, values: DuckDBValue[]) {
    try {
      const result = await session.conn.run(sql, values.length ? values : undefined);
      return result;
    } catch (e) {
      // A failed statement inside a DuckDB transaction aborts it; Snowflake keeps the transaction
      // usable, but rcu always rolls back after a failure, so this difference is not emulated.
      throw new SnowflakeSqlError(mapDuckError(String((e as Error).message ?? e)));
    }
  }
}

function tokenOf(req: IncomingMessage): string | undefined {
  const m = /Snowflake Token="([^"]+)"/.exec(String(req.headers.authorization ?? ""));
  return m?.[1];
}

function verifyJwt(token: string, key: KeyObject, account: string, user: string): boolean {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const [h, p, s] = parts as [string, string, string];
  const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as { alg?: string };
  const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as { iss?: string; sub?: string; exp?: number; iat?: number };
  if (header.alg !== "RS256") return false;
  if (!verify("RSA-SHA256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))) return false;
  const fingerprint = "SHA256:" + createHash("sha256").update(key.export({ type: "spki", format: "der" })).digest("base64");
  const now = Date.now() / 1000;
  return (
    payload.sub?.toUpperCase() === `${account}.${user}` &&
    payload.iss?.toUpperCase() === `${account}.${user}.${fingerprint}`.toUpperCase() &&
    typeof payload.exp === "number" && payload.exp > now
  );
}

type BindSet = DuckDBValue[];

/** `{"1": {type, value}}` → positional values (array binds: the server runs one row per call is not
 * possible with a single prepared run, so array binding is expanded by `execute`'s caller). */
function decodeBinds(bindings: unknown): BindSet {
  if (!bindings || typeof bindings !== "object") return [];
  const entries = Object.entries(bindings as Record<string, { type: string; value: unknown }>).sort((a, b) => Number(a[0]) - Number(b[0]));
  return entries.map(([, b]) => decodeBind(b.type, b.value) as DuckDBValue);
}

function decodeBind(type: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeBind(type, v));
  if (value === null || value === undefined) return null;
  const s = String(value);
  switch (type) {
    case "FIXED":
      return /^-?\d+$/.test(s) ? BigInt(s) : Number(s);
    case "REAL":
      return Number(s);
    case "BOOLEAN":
      return s === "true" || s === "1" || s.toUpperCase() === "TRUE";
    default:
      return s;
  }
}

function columnOf(name: string, t: DuckDBType): Column {
  const id = t.typeId;
  switch (id) {
    case DuckDBTypeId.BOOLEAN:
      return { name, type: "boolean", nullable: true };
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
      return { name, type: "fixed", precision: 38, scale: 0, nullable: true };
    case DuckDBTypeId.DECIMAL: {
      const d = t as unknown as { width: number; scale: number };
      return { name, type: "fixed", precision: d.width, scale: d.scale, nullable: true };
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return { name, type: "real", nullable: true };
    case DuckDBTypeId.DATE:
      return { name, type: "date", nullable: true };
    case DuckDBTypeId.TIMESTAMP:
      return { name, type: "timestamp_ntz", precision: 0, scale: 9, nullable: true };
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { name, type: "timestamp_ltz", precision: 0, scale: 9, nullable: true };
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      return { name, type: "variant", nullable: true };
    default:
      return { name, type: t.alias === "JSON" ? "variant" : "text", nullable: true };
  }
}

/** A DuckDB value in Snowflake's JSON result encoding (every value a string, or null). */
function encodeValue(v: DuckDBValue, t: DuckDBType): string | null {
  if (v === null || v === undefined) return null;
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return v ? "1" : "0";
    case DuckDBTypeId.DATE:
      return String((v as unknown as { days: number }).days);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ: {
      const micros = (v as unknown as { micros: bigint }).micros;
      const sec = micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n);
      const frac = micros - sec * 1_000_000n;
      return `${sec}.${frac.toString().padStart(6, "0")}000`;
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE: {
      const n = v as number;
      return Number.isNaN(n) ? "NaN" : n === Infinity ? "inf" : n === -Infinity ? "-inf" : String(n);
    }
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      return JSON.stringify(toPlain(v));
    default:
      return typeof v === "object" ? String(v) : String(v);
  }
}

function toPlain(v: unknown): unknown {
  if (v === null || typeof v !== "object") return typeof v === "bigint" ? Number(v) : v;
  const anyV = v as { items?: unknown[]; entries?: Record<string, unknown> };
  if (Array.isArray(anyV.items)) return anyV.items.map(toPlain);
  if (anyV.entries && typeof anyV.entries === "object") return Object.fromEntries(Object.entries(anyV.entries).map(([k, x]) => [k, toPlain(x)]));
  return String(v);
}

/** DuckDB error text → Snowflake error code, SQL state and message shape. */
export function mapDuckError(message: string): SfError {
  const m = message.replace(/^(\w+ Error): /, "");
  if (/^Catalog Error/.test(message)) {
    if (/does not exist/.test(m)) {
      const name = /with name ([^\s!]+)/.exec(m)?.[1] ?? "";
      return { code: "002003", sqlState: "42S02", message: `SQL compilation error:\nObject '${name}' does not exist or not authorized.` };
    }
    if (/already exists/.test(m)) return { code: "002002", sqlState: "42710", message: `SQL compilation error:\n${m}` };
    return { code: "002003", sqlState: "42S02", message: `SQL compilation error:\n${m}` };
  }
  if (/^Parser Error/.test(message)) return { code: "001003", sqlState: "42000", message: `SQL compilation error:\nsyntax error ${m}` };
  if (/^Binder Error/.test(message)) return { code: "000904", sqlState: "42000", message: `SQL compilation error: error line 0 at position 0\ninvalid identifier: ${m}` };
  if (/^Conversion Error/.test(message)) {
    const value = /'([^']*)'/.exec(m)?.[1] ?? "";
    return { code: "100038", sqlState: "22018", message: `Numeric value '${value}' is not recognized` };
  }
  if (/^Constraint Error/.test(message)) return { code: "100072", sqlState: "22000", message: m };
  if (/^TransactionContext Error|Conflict/.test(message)) {
    return { code: "000625", sqlState: "57014", message: `Statement aborted because of a conflicting transaction: ${m}` };
  }
  if (/^INTERRUPT Error|Interrupted/i.test(message)) return { code: "000604", sqlState: "57014", message: "SQL execution canceled" };
  return { code: "002140", sqlState: "42601", message: `SQL compilation error:\n${m}` };
}

function toSfError(e: unknown): SfError {
  if (e instanceof SnowflakeSqlError) return e.sf;
  if (e instanceof SqlSyntaxError) return { code: "001003", sqlState: "42000", message: `SQL compilation error:\nsyntax error: ${e.message}` };
  return mapDuckError(String((e as Error)?.message ?? e));
}

export async function startSnowflakeTestServer(options: SnowflakeServerOptions = {}): Promise<SnowflakeTestServer> {
  return new SnowflakeTestServer(options).start();
}
