/**
 * PostgreSQL SQL generation. Pure: no I/O.
 *
 * - Identifiers: rcu always double-quotes, so names keep their case (unquoted names would fold to
 *   lower case in PostgreSQL, upper case nowhere: PG folds down).
 * - Incremental upserts use `MERGE` (PostgreSQL 15+; PGlite is PG 17). `INSERT … ON CONFLICT`
 *   is not an option: it needs a unique index on the key, and rcu's tables are built by CTAS,
 *   without constraints. DELETE + INSERT would also work but scans the query twice.
 * - No `CREATE OR REPLACE TABLE`: a rebuild is `DROP TABLE … CASCADE` + CTAS inside one
 *   transaction (DDL is transactional in PostgreSQL, so a failed build rolls the drop back).
 *   CASCADE because views (assertion views, downstream views) pin the table they read; like
 *   dbt-postgres, a rebuild drops them, and a run re-creates the ones it selects.
 * - A "database" is a separate connection target: three-part names cannot cross databases.
 */
import { ansiMerge, ansiStringLiteral, qualifyWith, quoteWith } from "../sql-common.js";
import type { Dialect, MetaColumnType, Relation, RelationKind } from "../types.js";

export const POSTGRES_TYPES: Readonly<Record<MetaColumnType, string>> = Object.freeze({
  text: "TEXT",
  bigint: "BIGINT",
  double: "DOUBLE PRECISION",
  boolean: "BOOLEAN",
  timestamp: "TIMESTAMPTZ",
  json: "JSONB",
});

const quote = (id: string): string => quoteWith('"', id);
const qualify = (r: Relation): string => qualifyWith(quote, r, false);

/** The PostgreSQL dialect's parts, reused by Redshift's (which overrides what differs). */
export const postgresDialectParts = {
  capabilities: Object.freeze({
    transactionalDdl: true,
    merge: true,
    createOrReplaceTable: false,
    crossDatabase: false,
    maxStatementBytes: null,
  }),
  renderSpec: Object.freeze({
    identifierQuote: '"',
    stringQuote: "'",
    // standard_conforming_strings is on by default since PG 9.1: backslashes are literal.
    stringQuoteEscape: "''",
    keepDatabase: false,
  }),
  quoteIdentifier: quote,
  qualify,
  stringLiteral: ansiStringLiteral,
  parameter: (i: number) => `$${i}`,
  columnType: (t: MetaColumnType) => POSTGRES_TYPES[t],
  begin: () => "BEGIN",
  commit: () => "COMMIT",
  rollback: () => "ROLLBACK",
  // A database cannot be addressed from a connection to another one: the schema is enough.
  createSchema: (schema: string) => `CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`,
  /**
   * Always a plain CTAS: without `createOrReplaceTable` the planner drops the old table first
   * (same transaction). `replace: true` is refused rather than silently ignored.
   */
  createTableAs: (r: Relation, query: string, o: { replace: boolean }) => {
    if (o.replace) throw new Error("PostgreSQL has no CREATE OR REPLACE TABLE: drop, then create (capabilities.createOrReplaceTable is false).");
    return `CREATE TABLE ${qualify(r)} AS\n${query}`;
  },
  // Keeps grants and dependants; fails if the new query drops or renames an existing column.
  createViewAs: (r: Relation, query: string) => `CREATE OR REPLACE VIEW ${qualify(r)} AS\n${query}`,
  createTable: (r: Relation, columns: ReadonlyArray<{ name: string; type: string }>) =>
    `CREATE TABLE IF NOT EXISTS ${qualify(r)} (${columns.map((c) => `${quote(c.name)} ${c.type}`).join(", ")})`,
  drop: (r: Relation, kind: RelationKind) => `DROP ${kind === "view" ? "VIEW" : "TABLE"} IF EXISTS ${qualify(r)} CASCADE`,
  rename: (r: Relation, newName: string, kind: RelationKind) =>
    `ALTER ${kind === "view" ? "VIEW" : "TABLE"} ${qualify(r)} RENAME TO ${quote(newName)}`,
  insertInto: (r: Relation, columns: readonly string[], query: string) => {
    const cols = columns.map(quote).join(", ");
    return `INSERT INTO ${qualify(r)} (${cols})\nSELECT ${cols} FROM (\n${query}\n) AS s`;
  },
  // sha256() takes bytea (PostgreSQL 11+).
  sha256Hex: (expr: string) => `encode(sha256(convert_to(${expr}, 'UTF8')), 'hex')`,
  countRows: (query: string) => `SELECT COUNT(*) AS failing_rows FROM (\n${query}\n) AS assertion_rows`,
  limitRows: (query: string, n: number) => `SELECT * FROM (\n${query}\n) AS assertion_rows LIMIT ${Math.max(0, Math.trunc(n))}`,
};

export const postgresDialect: Dialect = Object.freeze({
  name: "postgres",
  ...postgresDialectParts,
  upsert: (r: Relation, query: string, key: readonly string[], columns: readonly string[]) => [
    ansiMerge(qualify(r), quote, query, key, columns),
  ],
});
