/** The Snowflake driver (real snowflake-sdk) against the Snowflake protocol test server. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RcuError } from "../../../engine/errors.js";
import { SnowflakeWarehouse } from "../../../engine/warehouses/snowflake/driver.js";
import { classifySnowflakeError } from "../../../engine/warehouses/snowflake/errors.js";
import { isScript } from "../../../engine/warehouses/snowflake/statements.js";
import { Secret } from "../../../engine/warehouses/secrets.js";
import type { Connection } from "../../../engine/warehouses/types.js";
import type { SnowflakeTestServer } from "../../servers/snowflake/server.js";
import { tempDir } from "../../helpers.js";
import { keys, PASSWORD, passwordProfile, startServer, warehouse } from "./harness.js";

let server: SnowflakeTestServer;
let conn: Connection;

beforeAll(async () => {
  server = await startServer(500);
  conn = await warehouse(server).connect({ queryTag: "rcu:run-1" });
});
afterAll(async () => {
  await conn?.close();
  await server?.stop();
});

describe("snowflake driver: statements and types", () => {
  it("round-trips numbers, decimals, booleans, timestamps, nulls and awkward text", async () => {
    const text = "O'Brien \"quoted\"\nline two\ttab \\ backslash — ünïcødé 🎉";
    const rows = await conn.query(
      `SELECT 42 AS int_col, 12345678901234 AS big_col, CAST(12.50 AS NUMBER(12,2)) AS dec_col, CAST(1.25 AS FLOAT) AS float_col,
              TRUE AS bool_col, FALSE AS false_col, CAST('2024-01-02 03:04:05.123' AS TIMESTAMP_NTZ) AS ts_col,
              NULL AS null_col, :1 AS text_col, :2 AS bound_num, :3 AS bound_bool, PARSE_JSON('{"a": [1, 2]}') AS variant_col`,
      [text, 7.5, true],
    );
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r).toMatchObject({ int_col: 42, big_col: 12345678901234, dec_col: 12.5, float_col: 1.25, bool_col: true, false_col: false, null_col: null, text_col: text });
    expect(r.ts_col).toBeInstanceOf(Date);
    expect((r.ts_col as Date).toISOString()).toBe("2024-01-02T03:04:05.123Z");
    expect(Number(r.bound_num)).toBe(7.5);
    expect(JSON.parse(String(r.variant_col))).toEqual({ a: [1, 2] });
    // The literal path too: the dialect's escaping survives Snowflake's backslash escapes.
    const lit = await conn.query(`SELECT ${warehouse(server).dialect.stringLiteral(text)} AS t`);
    expect(lit).toEqual([{ t: text }]);
  });

  it("keeps integers beyond 2^53 exact (as text), dates and timezone-aware timestamps as Dates", async () => {
    const [r] = await conn.query(
      `SELECT CAST('12345678901234567890' AS NUMBER(38,0)) AS huge, CAST('2024-02-29' AS DATE) AS d,
              CAST('2024-01-02 03:04:05+02:00' AS TIMESTAMP_TZ) AS tz`,
    );
    expect(r!.huge).toBe("12345678901234567890");
    expect((r!.d as Date).toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect((r!.tz as Date).toISOString()).toBe("2024-01-02T01:04:05.000Z");
  });

  it("reads Snowflake's upper-case names back in lower case, keeps quoted mixed case", async () => {
    const rows = await conn.query(`SELECT 1 AS failing_rows, 2 AS "MixedCase"`);
    expect(rows).toEqual([{ failing_rows: 1, MixedCase: 2 }]);
  });

  it("executes DDL and DML, reports rows affected, runs multi-statement scripts", async () => {
    const res = await conn.execute(`
      CREATE SCHEMA IF NOT EXISTS drv;
      CREATE OR REPLACE TABLE drv.people (id NUMBER(38,0), name VARCHAR, score FLOAT, active BOOLEAN, seen TIMESTAMP_NTZ);
      INSERT INTO drv.people VALUES (1, 'Ada', 1.5, TRUE, '2024-01-01 00:00:00'), (2, 'Bob', NULL, FALSE, NULL);
      UPDATE drv.people SET score = 2.5 WHERE id = 2;`);
    expect(res.rowsAffected).toBe(3);
    expect(await conn.execute("DELETE FROM drv.people WHERE id = :1", [2])).toEqual({ rowsAffected: 1 });
    expect(await conn.query("SELECT id, name FROM drv.people ORDER BY id")).toEqual([{ id: 1, name: "Ada" }]);
    // What a Snowflake user sees: upper-case names.
    expect(await server.sql("rcu_test", "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'DRV'")).toEqual([{ T: "PEOPLE" }]);
  });

  it("sends one statement as one request, and only scripts as multi-statement", async () => {
    expect(isScript("SELECT 1;")).toBe(false);
    expect(isScript("SELECT ';' AS a; -- trailing; comment\n")).toBe(false);
    expect(isScript('SELECT "x;y", $$;$$, \'it\\\'s;\' /* ; */')).toBe(false);
    expect(isScript("SELECT 1; SELECT 2")).toBe(true);
    const before = server.requests.length;
    await conn.execute("CREATE SCHEMA IF NOT EXISTS one_req");
    expect(server.requests.slice(before)).toEqual(["POST /queries/v1/query-request"]);
  });

  it("merges through the dialect's MERGE", async () => {
    const d = warehouse(server).dialect;
    await conn.execute("CREATE OR REPLACE TABLE drv.kv (k NUMBER, v VARCHAR)");
    await conn.execute("INSERT INTO drv.kv VALUES (1, 'a'), (2, 'b')");
    const [merge] = d.upsert({ schema: "drv", name: "kv" }, "SELECT 2 AS k, 'B' AS v UNION ALL SELECT 3, 'c'", ["k"], ["k", "v"]);
    const res = await conn.execute(merge!);
    expect(res.rowsAffected).toBe(2);
    expect(await conn.query("SELECT k, v FROM drv.kv ORDER BY k")).toEqual([
      { k: 1, v: "a" },
      { k: 2, v: "B" },
      { k: 3, v: "c" },
    ]);
  });

  it("lists relations and columns through information_schema, in rcu's lower-case names", async () => {
    await conn.execute("CREATE OR REPLACE VIEW drv.people_v AS SELECT id FROM drv.people");
    const rels = await conn.listRelations();
    expect(rels).toEqual(expect.arrayContaining([
      { schema: "drv", name: "people", kind: "table" },
      { schema: "drv", name: "people_v", kind: "view" },
    ]));
    expect(rels.some((r) => r.schema === "information_schema")).toBe(false);
    const cols = await conn.listColumns({ schema: "drv", name: "people" });
    expect(cols.map((c) => c.name)).toEqual(["id", "name", "score", "active", "seen"]);
    expect(cols.every((c) => c.nullable)).toBe(true);
  });

  it("appends in bulk with array binding, batched", async () => {
    await conn.execute("CREATE OR REPLACE TABLE drv.bulk (id NUMBER, label VARCHAR, amount FLOAT, ok BOOLEAN, seen_at TIMESTAMP_NTZ)");
    const rows = Array.from({ length: 2500 }, (_, i) => [i, i % 7 === 0 ? null : `row ${i} 'q' "dq"`, i / 4, i % 2 === 0, new Date(Date.UTC(2024, 0, 1, 0, 0, i % 60))] as const);
    const before = server.statements.length;
    expect(await conn.append({ schema: "drv", name: "bulk" }, ["id", "label", "amount", "ok", "seen_at"], rows)).toBe(2500);
    // 2 500 rows × 5 columns fit one array-bound INSERT.
    expect(server.statements.length - before).toBe(1);
    const check = await conn.query("SELECT COUNT(*) AS n, SUM(id) AS s, COUNT(label) AS labels, SUM(IFF(ok, 1, 0)) AS oks, MAX(seen_at) AS last FROM drv.bulk");
    expect(check[0]).toMatchObject({ n: 2500, s: (2499 * 2500) / 2, labels: 2500 - Math.ceil(2500 / 7), oks: 1250 });
    expect((check[0]!.last as Date).toISOString()).toBe("2024-01-01T00:00:59.000Z");
    expect(await conn.query("SELECT label, amount FROM drv.bulk WHERE id = 3")).toEqual([{ label: `row 3 'q' "dq"`, amount: 0.75 }]);
  });

  it("streams a large result downloaded in chunks from the server", async () => {
    const before = server.requests.filter((r) => r.startsWith("GET /chunks/")).length;
    const rows = await conn.query("SELECT i AS n, 'v' || i AS label FROM range(0, 5200) t(i) ORDER BY i");
    expect(rows).toHaveLength(5200);
    expect(rows[0]).toEqual({ n: 0, label: "v0" });
    expect(rows[5199]).toEqual({ n: 5199, label: "v5199" });
    expect(rows.every((r, i) => r.n === i)).toBe(true);
    // 500 rows inline, 10 chunks of at most 500 fetched from the server.
    expect(server.requests.filter((r) => r.startsWith("GET /chunks/")).length - before).toBe(10);
  });

  it("tags every statement with the run's query tag", () => {
    expect(server.queryTags.length).toBeGreaterThan(5);
    expect(new Set(server.queryTags)).toEqual(new Set(["rcu:run-1"]));
  });
});

describe("snowflake driver: errors", () => {
  it("maps SQL errors to terminal RcuErrors with the Snowflake code and statement", async () => {
    const missing = await conn.query("SELECT * FROM drv.nope").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RcuError);
    expect(missing).toMatchObject({ code: "SQL", kind: "terminal", context: { engine: "snowflake", statement: "SELECT * FROM drv.nope" } });
    expect((missing as Error).message).toMatch(/does not exist or not authorized/);
    expect((missing as Error).message).toMatch(/002003/);
    const conversion = await conn.execute("SELECT CAST('not a number' AS INTEGER)").catch((e: unknown) => e);
    expect(conversion).toMatchObject({ kind: "terminal" });
    expect((conversion as Error).message).toMatch(/Numeric value 'not a number' is not recognized/);
    const syntax = await conn.execute("SELEC 1").catch((e: unknown) => e);
    expect(syntax).toMatchObject({ kind: "terminal" });
    expect((syntax as Error).message).toMatch(/syntax error/);
  });

  it("refuses several statements where one is expected (Snowflake's MULTI_STATEMENT_COUNT = 1)", async () => {
    const e = await conn.query("SELECT 1; SELECT 2").catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/statement count 2 did not match the desired statement count 1/);
  });

  it("retries HTTP 503 and 429 from the server transparently (the SDK's retry)", async () => {
    server.inject({ path: /query-request/, status: 503, times: 1 });
    server.inject({ path: /query-request/, status: 429, times: 1 });
    expect(await conn.query("SELECT 7 AS n")).toEqual([{ n: 7 }]);
    expect(server.faults.every((f) => f.times === 0)).toBe(true);
  }, 30_000);

  it("classifies an unavailable service as transient, bad credentials as terminal", async () => {
    server.inject({ path: /login-request/, status: 503, times: 5 });
    const down = await warehouse(server).connect().catch((e: unknown) => e);
    expect(down).toMatchObject({ code: "WAREHOUSE", kind: "transient" });
    expect((down as Error).message).toMatch(/503/);
    server.faults.length = 0;

    const bad = await new SnowflakeWarehouse({ ...passwordProfile(server), secrets: { password: new Secret("wrong") } }).connect().catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: "WAREHOUSE", kind: "terminal" });
    expect((bad as Error).message).toMatch(/Incorrect username or password/);
    expect((bad as RcuError).context.hint).toMatch(/credentials/);
    expect((bad as Error).message).not.toContain("wrong");
  }, 60_000);

  it("classifies by HTTP status, Snowflake code and SQL state", () => {
    const kind = (e: unknown) => classifySnowflakeError(e).kind;
    expect(kind({ code: 401002, message: "Request to Snowflake failed.", response: { statusCode: 429 } })).toBe("transient");
    expect(kind({ code: 401002, message: "Request to Snowflake failed.", response: { statusCode: 503 } })).toBe("transient");
    expect(kind({ code: 401002, message: "Request to Snowflake failed.", response: { statusCode: 400 } })).toBe("terminal");
    expect(kind({ code: 401001, message: "Network error. Could not reach Snowflake." })).toBe("transient");
    expect(kind({ code: "000625", sqlState: "57014", message: "Statement aborted: too many waiters" })).toBe("transient");
    expect(kind({ code: "000630", sqlState: "57014", message: "Statement reached its statement or warehouse timeout" })).toBe("transient");
    expect(kind({ code: "390114", message: "Authentication token has expired." })).toBe("transient");
    expect(kind({ code: "000000", sqlState: "08001", message: "connection failure" })).toBe("transient");
    expect(kind({ code: "002003", sqlState: "42S02", message: "Object does not exist" })).toBe("terminal");
    expect(kind({ code: "100038", sqlState: "22018", message: "Numeric value 'x' is not recognized" })).toBe("terminal");
    expect(kind({ code: "390100", sqlState: "08004", message: "Incorrect username or password was specified." })).toBe("transient");
  });
});

describe("snowflake driver: sessions and authentication", () => {
  it("logs in with a key pair (JWT) from a file and from a variable", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "rsa_key.p8");
    await writeFile(file, keys.privateKey);
    const base = { ...passwordProfile(server), user: "keyuser", password_env: undefined, secrets: {} };
    const fromFile = await new SnowflakeWarehouse({ ...base, private_key_path: file }).connect();
    expect(await fromFile.query("SELECT 1 AS ok")).toEqual([{ ok: 1 }]);
    await fromFile.close();
    const fromEnv = await new SnowflakeWarehouse({ ...base, private_key_env: "RCU_SF_KEY", secrets: { privateKey: new Secret(keys.privateKey) } }).connect();
    expect(await fromEnv.query("SELECT 2 AS ok")).toEqual([{ ok: 2 }]);
    await fromEnv.close();
    const login = server.logins.at(-1)!;
    expect(login).toMatchObject({ AUTHENTICATOR: "SNOWFLAKE_JWT", LOGIN_NAME: "keyuser", TOKEN: "***" });
    // An encrypted key, with its passphrase from another variable.
    const { createPrivateKey } = await import("node:crypto");
    const encrypted = createPrivateKey(keys.privateKey).export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "open sesame" }) as string;
    const withPass = await new SnowflakeWarehouse({
      ...base,
      private_key_env: "RCU_SF_KEY",
      private_key_passphrase_env: "RCU_SF_KEY_PASS",
      secrets: { privateKey: new Secret(encrypted), privateKeyPassphrase: new Secret("open sesame") },
    }).connect();
    expect(await withPass.query("SELECT 3 AS ok")).toEqual([{ ok: 3 }]);
    await withPass.close();
  });

  it("sends warehouse, role, database and schema at login and closes the session", async () => {
    const sessions = server.openSessions;
    const c = await warehouse(server, { schema: "drv" }).connect();
    expect(server.logins.at(-1)!.query).toMatchObject({ warehouse: "test_wh", roleName: "rcu_role", databaseName: "rcu_test", schemaName: "drv" });
    expect(await c.query("SELECT COUNT(*) AS n FROM people")).toEqual([{ n: 1 }]);
    expect(server.openSessions).toBe(sessions + 1);
    await c.close();
    expect(server.openSessions).toBe(sessions);
    expect(server.requests.at(-1)).toBe("POST /session");
  });

  it("never shows secrets in descriptions, errors or inspection", async () => {
    const wh = warehouse(server);
    expect(wh.description).toBe(`snowflake:rcutest/rcu_test as rcu via ${server.url}`);
    expect(JSON.stringify(passwordProfile(server))).not.toContain(PASSWORD);
    expect(inspect(passwordProfile(server), { depth: 5 })).not.toContain(PASSWORD);
    const missing = await new SnowflakeWarehouse({ ...passwordProfile(server), secrets: {} }).connect().catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: "CONFIG" });
    expect((missing as Error).message).toMatch(/RCU_SNOWFLAKE_PASSWORD/);
  });
});
