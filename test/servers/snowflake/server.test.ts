/** The Snowflake protocol test server itself: its SQL translation and the protocol paths rcu's driver does not use directly. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type sdk from "snowflake-sdk";
import { SnowflakeWarehouse } from "../../../engine/warehouses/snowflake/driver.js";
import { PASSWORD, startServer, warehouse } from "../../warehouses/snowflake/harness.js";
import type { SnowflakeTestServer } from "./server.js";
import { splitStatements, tokenize, toDuckDB } from "./translate.js";

const tr = (sql: string) => splitStatements(sql).map(toDuckDB);

describe("Snowflake → DuckDB translation", () => {
  it("upper-cases unquoted words and leaves quoted identifiers and strings alone", () => {
    expect(tr(`select id as failing_rows, "Mixed" from fx.t where name = 'abc'`)).toEqual([
      `SELECT ID AS FAILING_ROWS, "Mixed" FROM FX.T WHERE NAME = 'abc'`,
    ]);
  });
  it("decodes backslash escapes and $$ strings into DuckDB literals", () => {
    expect(tr(`SELECT 'a\\nb\\'c''d\\\\e', $$x'y$$`)).toEqual([`SELECT 'a\nb''c''d\\e', 'x''y'`]);
  });
  it("turns :n binds into $n and keeps :: casts", () => {
    expect(tr(`SELECT :1, :2::VARCHAR, x::NUMBER(12,2) FROM t WHERE a = ?`)).toEqual([`SELECT $1, $2::VARCHAR, X::DECIMAL(12,2) FROM T WHERE A = ?`]);
  });
  it("maps Snowflake types where a type is expected, not column names", () => {
    expect(tr(`CREATE TABLE t (id NUMBER, amount FLOAT, at_ts TIMESTAMP_NTZ, doc VARIANT, s STRING)`)).toEqual([
      `CREATE TABLE T (ID DECIMAL(38,0), AMOUNT DOUBLE, AT_TS TIMESTAMP, DOC JSON, S VARCHAR)`,
    ]);
    expect(tr(`SELECT CAST(x AS FLOAT), number, float FROM t`)).toEqual([`SELECT CAST(X AS DOUBLE), NUMBER, FLOAT FROM T`]);
    expect(tr(`SELECT x::TIMESTAMP_LTZ, CAST(y AS DOUBLE PRECISION)`)).toEqual([`SELECT X::TIMESTAMPTZ, CAST(Y AS DOUBLE)`]);
  });
  it("maps the few Snowflake functions rcu's tests use", () => {
    expect(tr(`SELECT IFF(a, 1, 2), NVL(b, 0), PARSE_JSON('{}'), CURRENT_TIMESTAMP(), SYSDATE()`)).toEqual([
      `SELECT IF(A, 1, 2), COALESCE(B, 0), JSON('{}'), CURRENT_TIMESTAMP, (NOW() AT TIME ZONE 'UTC')`,
    ]);
  });
  it("casts to VARIANT without parsing text (TO_JSON), PARSE_JSON parses", () => {
    expect(tr(`SELECT CAST(:1 AS VARIANT), CAST(LOWER(x) AS VARIANT), PARSE_JSON(:2)`)).toEqual([`SELECT TO_JSON($1), TO_JSON(LOWER(X)), JSON($2)`]);
  });
  it("spells Snowflake's string-matching and date functions the DuckDB way", () => {
    expect(tr(`SELECT JAROWINKLER_SIMILARITY(a, lower(b)) / 100.0, EDITDISTANCE(a, b), REGEXP_LIKE(a, '.*x.*', 's'), DATE_FROM_PARTS(2024, 1, 2)`)).toEqual([
      `SELECT CAST(FLOOR(100 * JARO_WINKLER_SIMILARITY(A, LOWER(B)) + 1e-9) AS INTEGER) / 100.0, LEVENSHTEIN(A, B), REGEXP_FULL_MATCH(A, '.*x.*', 's'), MAKE_DATE(CAST(2024 AS BIGINT), CAST( 1 AS BIGINT), CAST( 2 AS BIGINT))`,
    ]);
    expect(tr(`SELECT regexp_replace(a, '[^0-9]', ''), regexp_replace(a, 'x', 'y', 1, 1)`)).toEqual([
      `SELECT REGEXP_REPLACE(A, '[^0-9]', '', 'g'), REGEXP_REPLACE(A, 'x', 'y', 1, 1)`,
    ]);
  });

  it("spells the functions of the standard pipeline the DuckDB way (rewrites 9-15)", () => {
    expect(tr(`SELECT TRY_TO_TIMESTAMP(d, 'DD/MM/YYYY HH24:MI'), TO_CHAR(x, 'YYYYMMDD'), TO_VARCHAR(y), JSON_EXTRACT_PATH_TEXT(j, 'a.b')`)).toEqual([
      `SELECT TRY_STRPTIME(D, '%d/%m/%Y %H:%M'), STRFTIME(X, '%Y%m%d'), CAST(Y AS VARCHAR), JSON_EXTRACT_STRING(J, '$.a.b')`,
    ]);
    expect(tr(`SELECT INITCAP(n, ' -'), SHA2(s, 256), TO_NUMBER(upper(h), 'XXXX'), DATEADD('day', -3, d)`)).toEqual([
      `SELECT MEMORY.MAIN.SF_INITCAP(N, ' -'), SHA256(S), CAST('0x' || UPPER(H) AS BIGINT), MEMORY.MAIN.SF_DATEADD_DAY( -3, D)`,
    ]);
    expect(tr(`SELECT LISTAGG(DISTINCT s, ', ') WITHIN GROUP (ORDER BY s) FROM t`)).toEqual([`SELECT STRING_AGG(DISTINCT S, ', ' ORDER BY S) FROM T`]);
    expect(() => tr(`SELECT TRY_TO_TIMESTAMP(d, 'Mon DD')`)).toThrow(/not translated/);
    expect(tr(`SELECT ROW_NUMBER() OVER (ORDER BY SEQ4()) AS n FROM TABLE(GENERATOR(ROWCOUNT => 3))`)).toEqual([`SELECT ROW_NUMBER() OVER (ORDER BY 0) AS N FROM RANGE( 3)`]);
  });

  it("drops the qualifier of RENAME TO", () => {
    expect(tr(`ALTER TABLE "FX"."A__RCU_NEW" RENAME TO "FX"."A"`)).toEqual([`ALTER TABLE "FX"."A__RCU_NEW" RENAME TO "A"`]);
    expect(tr(`ALTER VIEW db.s.v RENAME TO db.s.w`)).toEqual([`ALTER VIEW DB.S.V RENAME TO W`]);
  });
  it("splits scripts on top-level semicolons only, ignoring comments", () => {
    const parts = tr(`SELECT ';' AS a; -- one; two\nSELECT "x;y" FROM t; /* ; */ ;`);
    expect(parts).toHaveLength(2);
    expect(parts[1]).toContain(`"x;y"`);
    expect(tokenize(`a -- c\nb`).map((t) => t.kind)).toEqual(["word", "ws", "comment", "ws", "word"]);
  });
});

describe("Snowflake test server protocol", () => {
  let server: SnowflakeTestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  /** A raw SDK connection (the paths rcu's Connection does not expose). */
  async function raw(): Promise<sdk.Connection> {
    // The driver loads and configures the SDK (platform detection off): import it only after that.
    await warehouse(server).connect().then((c) => c.close());
    const snowflake = (await import("snowflake-sdk")).default;
    const c = snowflake.createConnection({ account: "rcutest", username: "rcu", password: PASSWORD, accessUrl: server.url, database: "rcu_test", sfRetryMaxLoginRetries: 0 } as sdk.ConnectionOptions);
    await new Promise<void>((resolve, reject) => c.connect((err) => (err ? reject(err) : resolve())));
    return c;
  }

  it("answers heartbeats and closes sessions", async () => {
    const c = await raw();
    await (c as unknown as { heartbeatAsync(): Promise<unknown> }).heartbeatAsync();
    expect(server.requests).toContain("POST /session/heartbeat");
    const open = server.openSessions;
    await new Promise<void>((resolve) => c.destroy(() => resolve()));
    expect(server.openSessions).toBe(open - 1);
  });

  it("renews an expired session token with the master token, transparently", async () => {
    const conn = await warehouse(server).connect();
    expect(await conn.query("SELECT 1 AS n")).toEqual([{ n: 1 }]);
    server.expireSessionTokens();
    expect(await conn.query("SELECT 2 AS n")).toEqual([{ n: 2 }]);
    expect(server.requests).toContain("POST /session/token-request");
    await conn.close();
  });

  it("aborts a running statement on abort-request", async () => {
    const c = await raw();
    const done = new Promise<unknown>((resolve) => {
      const st = c.execute({
        sqlText: "SELECT COUNT(*) AS n FROM range(0, 3000000000) a(i) WHERE i % 7 = 3",
        complete: (err) => resolve(err),
      });
      setTimeout(() => st.cancel(() => undefined), 300);
    });
    const err = (await done) as { code?: string; message?: string };
    expect(server.requests).toContain("POST /queries/v1/abort-request");
    expect(String(err?.message)).toMatch(/cancel/i);
    await new Promise<void>((resolve) => c.destroy(() => resolve()));
  }, 30_000);

  it("keeps the session's transaction rules: DDL commits, COMMIT without a transaction is fine", async () => {
    const conn = await warehouse(server).connect();
    await conn.execute("CREATE SCHEMA IF NOT EXISTS tx");
    await conn.execute("CREATE OR REPLACE TABLE tx.t (v NUMBER)");
    await conn.execute("BEGIN TRANSACTION");
    await conn.execute("INSERT INTO tx.t VALUES (1)");
    await conn.execute("CREATE TABLE tx.u (v NUMBER)"); // commits the insert
    await conn.execute("ROLLBACK"); // nothing left to roll back
    expect(await conn.query("SELECT COUNT(*) AS n FROM tx.t")).toEqual([{ n: 1 }]);
    await conn.execute("COMMIT");
    await conn.close();
  });

  it("fails like Snowflake on DuckDB-only functions and on wrongly cased quoted names", async () => {
    const conn = await warehouse(server).connect();
    await conn.execute("CREATE SCHEMA IF NOT EXISTS strict_s; CREATE OR REPLACE TABLE strict_s.t (id NUMBER)");
    await expect(conn.query("SELECT now() AS t")).rejects.toThrow(/Unknown function NOW/);
    await expect(conn.query('SELECT "id" FROM strict_s.t')).rejects.toThrow(/Object '"id"' does not exist.*"ID"/s);
    await expect(conn.query('SELECT id FROM "strict_s"."t"')).rejects.toThrow(/Object '"strict_s"' does not exist/);
    expect(await conn.query('SELECT "ID" AS "id" FROM "STRICT_S"."T"')).toEqual([]);
    await conn.close();
  });

  it("rejects a bad JWT and an unknown account", async () => {
    const other = await new SnowflakeWarehouse({ engine: "snowflake", account: "nope", user: "rcu", database: "d", password_env: "X", access_url: server.url, login_retries: 0, secrets: {} })
      .connect()
      .catch((e: unknown) => e);
    expect(other).toMatchObject({ code: "CONFIG" }); // missing secret is caught before any request
    const { generateKeyPairSync } = await import("node:crypto");
    const wrongKey = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const bad = await new SnowflakeWarehouse({ engine: "snowflake", account: "rcutest", user: "keyuser", database: "d", private_key_env: "K", access_url: server.url, login_retries: 0, secrets: { privateKey: new (await import("../../../engine/warehouses/secrets.js")).Secret(wrongKey.privateKey) } })
      .connect()
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: "WAREHOUSE", kind: "terminal" });
    expect((bad as Error).message).toMatch(/JWT token is invalid/);
  });
});
