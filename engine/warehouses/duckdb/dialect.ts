/** DuckDB SQL generation. Pure: no I/O. */
import { ansiStringLiteral, qualifyWith, quoteWith } from "../sql-common.js";
import type { Dialect, MetaColumnType, Relation, RelationKind } from "../types.js";

const TYPES: Record<MetaColumnType, string> = {
  text: "VARCHAR",
  bigint: "BIGINT",
  double: "DOUBLE",
  boolean: "BOOLEAN",
  timestamp: "TIMESTAMPTZ",
  json: "JSON",
};

const quote = (id: string): string => quoteWith('"', id);

export const duckdbDialect: Dialect = Object.freeze({
  name: "duckdb",
  capabilities: Object.freeze({
    transactionalDdl: true,
    merge: true,
    createOrReplaceTable: true,
    // A DuckDB "database" is an attached catalog: addressable when a definition names it.
    crossDatabase: true,
    maxStatementBytes: null,
  }),
  renderSpec: Object.freeze({
    identifierQuote: '"',
    stringQuote: "'",
    stringQuoteEscape: "''",
    keepDatabase: true,
  }),
  quoteIdentifier: quote,
  qualify: (r: Relation) => qualifyWith(quote, r, true),
  stringLiteral: ansiStringLiteral,
  parameter: (i: number) => `$${i}`,
  columnType: (t: MetaColumnType) => TYPES[t],
  begin: () => "BEGIN TRANSACTION",
  commit: () => "COMMIT",
  rollback: () => "ROLLBACK",
  createSchema: (schema: string, database?: string) =>
    `CREATE SCHEMA IF NOT EXISTS ${database ? `${quote(database)}.` : ""}${quote(schema)}`,
  createTableAs: (r: Relation, query: string, o: { replace: boolean }) =>
    `CREATE ${o.replace ? "OR REPLACE " : ""}TABLE ${qualifyWith(quote, r, true)} AS\n${query}`,
  createViewAs: (r: Relation, query: string) =>
    `CREATE OR REPLACE VIEW ${qualifyWith(quote, r, true)} AS\n${query}`,
  createTable: (r: Relation, columns: ReadonlyArray<{ name: string; type: string }>) =>
    `CREATE TABLE IF NOT EXISTS ${qualifyWith(quote, r, true)} (${columns
      .map((c) => `${quote(c.name)} ${c.type}`)
      .join(", ")})`,
  drop: (r: Relation, kind: RelationKind) =>
    `DROP ${kind === "view" ? "VIEW" : "TABLE"} IF EXISTS ${qualifyWith(quote, r, true)}`,
  rename: (r: Relation, newName: string, kind: RelationKind) =>
    `ALTER ${kind === "view" ? "VIEW" : "TABLE"} ${qualifyWith(quote, r, true)} RENAME TO ${quote(newName)}`,
  insertInto: (r: Relation, columns: readonly string[], query: string) => {
    const cols = columns.map(quote).join(", ");
    return `INSERT INTO ${qualifyWith(quote, r, true)} (${cols})\nSELECT ${cols} FROM (\n${query}\n) AS s`;
  },
  // Not MERGE: DuckDB 1.5's MERGE … WHEN MATCHED THEN UPDATE rewrites matched rows ~150× slower
  // than deleting and re-inserting them (5.9 s vs 0.03 s for 12k order lines, measured). The new
  // rows are materialised once in a temp table (per connection, named after the target), since an
  // incremental query usually reads its own target's watermark, which the DELETE changes.
  upsert: (r: Relation, query: string, key: readonly string[], columns: readonly string[]) => {
    const target = qualifyWith(quote, r, true);
    const src = quote(`rcu_upsert__${r.schema}__${r.name}`);
    const keys = key.map(quote).join(", ");
    const cols = columns.map(quote).join(", ");
    return [
      `CREATE OR REPLACE TEMP TABLE ${src} AS\n${query}`,
      `DELETE FROM ${target} WHERE (${keys}) IN (SELECT ${keys} FROM ${src})`,
      `INSERT INTO ${target} (${cols})\nSELECT ${cols} FROM ${src}`,
      `DROP TABLE ${src}`,
    ];
  },
  sha256Hex: (expr: string) => `sha256(${expr})`,
  countRows: (query: string) => `SELECT COUNT(*) AS failing_rows FROM (\n${query}\n) AS assertion_rows`,
  limitRows: (query: string, n: number) =>
    `SELECT * FROM (\n${query}\n) AS assertion_rows LIMIT ${Math.max(0, Math.trunc(n))}`,
});
