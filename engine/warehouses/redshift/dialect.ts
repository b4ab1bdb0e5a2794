/**
 * Amazon Redshift SQL generation: the PostgreSQL dialect (Redshift speaks a PG 8.0-era dialect on
 * the PG wire/Data API) with the overrides below. Pure: no I/O.
 */
import { ansiStringLiteral, quoteWith } from "../sql-common.js";
import { postgresDialectParts, POSTGRES_TYPES } from "../postgres/dialect.js";
import type { Dialect, MetaColumnType, Relation } from "../types.js";

/** The Data API's ExecuteStatement / BatchExecuteStatement take at most 100 KB of SQL a statement. */
export const MAX_STATEMENT_BYTES = 100_000;

const TYPES: Readonly<Record<MetaColumnType, string>> = Object.freeze({
  ...POSTGRES_TYPES,
  // TEXT is an alias of VARCHAR(256) in Redshift: it would truncate-fail long values.
  text: "VARCHAR(65535)",
  // No JSONB; SUPER exists but does not compare or cast like text. JSON is stored as text.
  json: "VARCHAR(65535)",
});

const quote = (id: string): string => quoteWith('"', id);
const qualify = (r: Relation): string => postgresDialectParts.qualify(r);

export const redshiftDialect: Dialect = Object.freeze({
  ...postgresDialectParts,
  name: "redshift",
  capabilities: Object.freeze({
    // Redshift DDL is transactional (a CTAS inside BEGIN … ROLLBACK disappears).
    transactionalDdl: true,
    // MERGE only arrived in 2023 and wants a table source; DELETE + INSERT works everywhere.
    merge: false,
    createOrReplaceTable: false,
    crossDatabase: false,
    maxStatementBytes: MAX_STATEMENT_BYTES,
  }),
  renderSpec: postgresDialectParts.renderSpec,
  // Redshift has SHA2(text, 256) (hex), not PostgreSQL's bytea sha256().
  sha256Hex: (expr: string) => `lower(SHA2(${expr}, 256))`,
  // The Data API binds named parameters (`:name`); the driver names them p1, p2, …
  parameter: (i: number) => `:p${i}`,
  columnType: (t: MetaColumnType) => TYPES[t],
  // Redshift reads a backslash in '…' as an escape (as PostgreSQL before standard_conforming_strings):
  // doubled, so values are stored as given.
  stringLiteral: (value: string) => ansiStringLiteral(value).split("\\").join("\\\\"),
  createTableAs: (r: Relation, query: string, o: { replace: boolean }) => {
    if (o.replace) throw new Error("Redshift has no CREATE OR REPLACE TABLE: drop, then create (capabilities.createOrReplaceTable is false).");
    return `CREATE TABLE ${qualify(r)} AS\n${query}`;
  },
  /**
   * No MERGE (see capabilities), no `ON CONFLICT` (and no enforced keys): DELETE the keys the
   * query brings, then INSERT, in the planner's transaction. Redshift's `DELETE … USING` takes
   * table names only (no subquery), so the query is a CTE; the target is referenced by its bare
   * name, as in Redshift's own examples. `(a, b) IN (SELECT …)` is avoided: not for several columns.
   */
  upsert: (r: Relation, query: string, key: readonly string[], columns: readonly string[]) => {
    // The new rows are materialised once: an incremental query usually reads its own target
    // (WHERE updated_at > (SELECT MAX(updated_at) FROM self)), so evaluating it again after the
    // DELETE would see a different watermark and insert rows that were never deleted.
    const target = qualify(r);
    const src = quote(`rcu_incoming__${r.name}`);
    const on = key.map((k) => `${quote(r.name)}.${quote(k)} = ${src}.${quote(k)}`).join(" AND ");
    const cols = columns.map(quote).join(", ");
    return [
      `CREATE TEMP TABLE ${src} AS\n${query}`,
      `DELETE FROM ${target} USING ${src} WHERE ${on}`,
      `INSERT INTO ${target} (${cols})\nSELECT ${cols} FROM ${src}`,
      `DROP TABLE ${src}`,
    ];
  },
});
