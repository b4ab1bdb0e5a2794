/**
 * One statement of a query-request, run with Snowflake's session and transaction rules around
 * DuckDB: `ALTER SESSION SET/UNSET` and `USE …` change the session and never reach DuckDB;
 * BEGIN/COMMIT/ROLLBACK follow Snowflake (COMMIT/ROLLBACK without a transaction succeed); DDL
 * commits the open transaction first; array binds run once per row in one transaction; DuckDB's
 * errors come back in Snowflake's shape (errors.ts).
 *
 * Case: unquoted names are upper-cased (translate.ts); quoted names must match an existing name
 * exactly when one exists that differs only in case (`strictQuotedCase`), as on Snowflake. Two
 * objects whose names differ only in case cannot coexist (DuckDB ignores case).
 *
 * DuckDB-only functions are refused only when listed in `NOT_IN_SNOWFLAKE`.
 */
import { ResultReturnType, StatementType, type DuckDBValue } from "@duckdb/node-api";
import type { BindSet } from "./binds.js";
import { mapDuckError, SnowflakeSqlError } from "./errors.js";
import { columnOf, encodeValue, STATEMENT_TYPE, type Column, type StoredResult } from "./results.js";
import { fold, useDatabase, type Session } from "./session.js";
import { leadingWords, significant, toDuckDB, type Token } from "./translate.js";

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
  // DuckDB spellings the translations in translate.ts produce: rcu must send Snowflake's instead.
  "TRY_STRPTIME", "JSON_EXTRACT_STRING", "MAKE_DATE", "SHA256", "DATE_DIFF",
]);

/** What a statement needs of the server besides its session. */
export interface StatementContext {
  /** See SnowflakeServerOptions.strictQuotedCase. */
  readonly strictQuotedCase: boolean;
  /** Databases attached to the instance so far (a `USE` of a new one attaches it). */
  readonly databases: Set<string>;
  /** Where each statement's QUERY_TAG is recorded (SnowflakeTestServer.queryTags). */
  readonly queryTags: string[];
}

/** One statement, with Snowflake's session and transaction rules around DuckDB. */
export async function executeStatement(session: Session, tokens: Token[], binds: BindSet, queryId: string, context: StatementContext): Promise<StoredResult> {
  const words = leadingWords(tokens, 4);
  const status = (message: string, type = STATEMENT_TYPE.other): StoredResult => ({
    queryId,
    rowtype: [{ name: "status", type: "text", nullable: false }],
    rows: [[message]],
    statementTypeId: type,
  });
  context.queryTags.push(session.params.QUERY_TAG ?? "");
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
    await useDatabase(session.conn, context.databases, session.database, session.schema).catch((e) => {
      throw new SnowflakeSqlError({ code: "002043", sqlState: "02000", message: `SQL compilation error:\nObject does not exist, or operation cannot be performed. ${String(e)}` });
    });
    return status("Statement executed successfully.");
  }
  const first = words[0] ?? "";
  if (first === "BEGIN" || first === "START") {
    if (!session.inTransaction) await run(session, "BEGIN TRANSACTION", []);
    session.inTransaction = true;
    return status("Statement executed successfully.");
  }
  if (first === "COMMIT" || first === "ROLLBACK") {
    // Snowflake: COMMIT/ROLLBACK without an open transaction succeed and do nothing.
    if (session.inTransaction) await run(session, first, []);
    session.inTransaction = false;
    return status("Statement executed successfully.");
  }
  // DDL commits the open transaction first and runs in its own (Snowflake's implicit commit).
  const ddl = ["CREATE", "DROP", "ALTER", "COMMENT", "TRUNCATE"].includes(first);
  if (ddl && session.inTransaction) {
    await run(session, "COMMIT", []);
    session.inTransaction = false;
  }
  checkFunctions(tokens);
  if (context.strictQuotedCase) await checkQuotedCase(session, tokens);
  const duckSql = toDuckDB(tokens);
  if (binds.length && Array.isArray(binds[0])) return executeArrayBind(session, duckSql, binds as unknown as DuckDBValue[][], queryId);
  const result = await run(session, duckSql, binds);
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

function checkFunctions(tokens: Token[]): void {
  const sig = significant(tokens);
  sig.forEach((t, k) => {
    if (t.kind === "word" && sig[k + 1]?.text === "(" && sig[k - 1]?.text !== "." && NOT_IN_SNOWFLAKE.has(t.text.toUpperCase())) {
      throw new SnowflakeSqlError({ code: "002140", sqlState: "42601", message: `SQL compilation error:\nUnknown function ${t.text.toUpperCase()}` });
    }
  });
}

/** Snowflake compares quoted identifiers exactly; DuckDB ignores case. Refuse what only DuckDB resolves. */
async function checkQuotedCase(session: Session, tokens: Token[]): Promise<void> {
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
async function executeArrayBind(session: Session, sql: string, columns: DuckDBValue[][], queryId: string): Promise<StoredResult> {
  const rowCount = columns[0]!.length;
  const own = !session.inTransaction;
  if (own) await run(session, "BEGIN TRANSACTION", []);
  let total = 0n;
  try {
    const prepared = await session.conn.prepare(sql);
    for (let r = 0; r < rowCount; r++) {
      prepared.bind(columns.map((c) => c[r] ?? null));
      total += BigInt((await prepared.run()).rowsChanged);
    }
    if (own) await run(session, "COMMIT", []);
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

async function run(session: Session, sql: string, values: DuckDBValue[]) {
  try {
    const result = await session.conn.run(sql, values.length ? values : undefined);
    return result;
  } catch (e) {
    // A failed statement inside a DuckDB transaction aborts it; Snowflake keeps the transaction
    // usable, but rcu always rolls back after a failure, so this difference is not emulated.
    throw new SnowflakeSqlError(mapDuckError(String((e as Error).message ?? e)));
  }
}
