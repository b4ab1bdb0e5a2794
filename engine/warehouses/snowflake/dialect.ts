/**
 * Snowflake SQL generation. Pure: no I/O.
 *
 * Case: Snowflake folds unquoted identifiers to UPPER case and compares quoted ones exactly. rcu
 * quotes every identifier it writes (hostile names stay inert), so quoting `users` verbatim would
 * create a lower-case `"users"` that a Snowflake user could only reach by quoting it, and that the
 * user's own unquoted SQL (`SELECT id FROM …`, which yields the column `ID`) would not match. So
 * this dialect writes what the unquoted name means: an identifier written entirely in lower case
 * (`[a-z_][a-z0-9_$]*`) is upper-cased before quoting — `rcu_core.users` becomes
 * `"RCU_CORE"."USERS"`, which users query as `rcu_core.users` (any case, unquoted), like every other
 * Snowflake table. Names with upper-case letters or other characters (`"Users"`, `"my table"`) are
 * quoted exactly as written. The driver maps the other way (an all-upper-case simple name reads
 * back in lower case), so rcu sees the same names on every engine. The one name rcu cannot address
 * on Snowflake is a lower-case name that was created quoted (`"users"`) by something else.
 */
import { ansiMerge, qualifyWith, quoteWith } from "../sql-common.js";
import type { Dialect, MetaColumnType, Relation, RelationKind } from "../types.js";

const TYPES: Record<MetaColumnType, string> = {
  text: "VARCHAR",
  bigint: "NUMBER(38,0)",
  // Snowflake's FLOAT is a 64-bit double.
  double: "FLOAT",
  boolean: "BOOLEAN",
  // rcu writes UTC instants; NTZ keeps them as written, independent of the session time zone.
  timestamp: "TIMESTAMP_NTZ",
  json: "VARIANT",
};

/** A name Snowflake would have upper-cased had it been written unquoted. */
const FOLDABLE = /^[a-z_][a-z0-9_$]*$/;

/** The stored (upper-case) form of a simple lower-case name; anything else unchanged. */
export function snowflakeName(identifier: string): string {
  return FOLDABLE.test(identifier) ? identifier.toUpperCase() : identifier;
}

/** The inverse, for names read back from Snowflake: `USERS` → `users`, `Users` unchanged. */
export function rcuName(stored: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(stored) ? stored.toLowerCase() : stored;
}

const quote = (id: string): string => quoteWith('"', snowflakeName(id));
const qualify = (r: Relation): string => qualifyWith(quote, r, true);

/**
 * Snowflake single-quoted literals treat the backslash as an escape character, so it is doubled
 * along with the quote.
 */
function stringLiteral(value: string): string {
  if (value.includes("\u0000")) throw new Error("An SQL string literal cannot contain a NUL character.");
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

export const snowflakeDialect: Dialect = Object.freeze({
  name: "snowflake",
  capabilities: Object.freeze({
    // Every DDL statement commits the open transaction in Snowflake: a failed rebuild cannot be
    // rolled back to the previous table (CREATE OR REPLACE TABLE is atomic on its own, though).
    transactionalDdl: false,
    merge: true,
    createOrReplaceTable: true,
    // database.schema.name addresses any database the role can see.
    crossDatabase: true,
    maxStatementBytes: null,
  }),
  renderSpec: Object.freeze({
    identifierQuote: '"',
    stringQuote: "'",
    stringQuoteEscape: "''",
    keepDatabase: true,
    foldLowerCaseIdentifiers: true,
  }),
  quoteIdentifier: quote,
  qualify,
  stringLiteral,
  // The SDK binds positionally: `?` or `:n`; `:n` lets one value be used twice.
  parameter: (i: number) => `:${i}`,
  columnType: (t: MetaColumnType) => TYPES[t],
  begin: () => "BEGIN TRANSACTION",
  commit: () => "COMMIT",
  rollback: () => "ROLLBACK",
  createSchema: (schema: string, database?: string) =>
    `CREATE SCHEMA IF NOT EXISTS ${database ? `${quote(database)}.` : ""}${quote(schema)}`,
  createTableAs: (r: Relation, query: string, o: { replace: boolean }) =>
    `CREATE ${o.replace ? "OR REPLACE " : ""}TABLE ${qualify(r)} AS\n${query}`,
  createViewAs: (r: Relation, query: string) => `CREATE OR REPLACE VIEW ${qualify(r)} AS\n${query}`,
  createTable: (r: Relation, columns: ReadonlyArray<{ name: string; type: string }>) =>
    `CREATE TABLE IF NOT EXISTS ${qualify(r)} (${columns.map((c) => `${quote(c.name)} ${c.type}`).join(", ")})`,
  drop: (r: Relation, kind: RelationKind) => `DROP ${kind === "view" ? "VIEW" : "TABLE"} IF EXISTS ${qualify(r)}`,
  // Snowflake's RENAME TO takes a full name (a bare one would move the table to the current schema).
  rename: (r: Relation, newName: string, kind: RelationKind) =>
    `ALTER ${kind === "view" ? "VIEW" : "TABLE"} ${qualify(r)} RENAME TO ${qualify({ ...r, name: newName })}`,
  insertInto: (r: Relation, columns: readonly string[], query: string) => {
    const cols = columns.map(quote).join(", ");
    return `INSERT INTO ${qualify(r)} (${cols})\nSELECT ${cols} FROM (\n${query}\n) AS s`;
  },
  upsert: (r: Relation, query: string, key: readonly string[], columns: readonly string[]) => [
    ansiMerge(qualify(r), quote, query, key, columns),
  ],
  sha256Hex: (expr: string) => `lower(SHA2(${expr}, 256))`,
  countRows: (query: string) => `SELECT COUNT(*) AS failing_rows FROM (\n${query}\n) AS assertion_rows`,
  limitRows: (query: string, n: number) =>
    `SELECT * FROM (\n${query}\n) AS assertion_rows LIMIT ${Math.max(0, Math.trunc(n))}`,
});
