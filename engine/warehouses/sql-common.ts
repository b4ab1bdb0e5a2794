/**
 * ANSI SQL building blocks shared by dialects. A dialect composes these and overrides what its
 * engine does differently; nothing here knows about a particular engine.
 */
import type { ColumnInfo, Dialect, MetaColumnType, Relation, Row, SqlValue } from "./types.js";

export function quoteWith(quote: string, identifier: string): string {
  if (identifier.length === 0) throw new Error("An SQL identifier cannot be empty.");
  if (identifier.includes("\u0000")) throw new Error("An SQL identifier cannot contain a NUL character.");
  return quote + identifier.split(quote).join(quote + quote) + quote;
}

export function qualifyWith(
  quote: (id: string) => string,
  relation: Relation,
  keepDatabase: boolean,
): string {
  const parts = [relation.schema, relation.name];
  if (keepDatabase && relation.database) parts.unshift(relation.database);
  return parts.map(quote).join(".");
}

export function ansiStringLiteral(value: string): string {
  if (value.includes("\u0000")) throw new Error("An SQL string literal cannot contain a NUL character.");
  return `'${value.split("'").join("''")}'`;
}

/** MERGE INTO … USING (query) for engines with standard MERGE. */
export function ansiMerge(
  target: string,
  quote: (id: string) => string,
  query: string,
  uniqueKey: readonly string[],
  columns: readonly string[],
): string {
  const on = uniqueKey.map((k) => `t.${quote(k)} = s.${quote(k)}`).join(" AND ");
  const nonKey = columns.filter((c) => !uniqueKey.includes(c));
  const update = nonKey.length
    ? `\nWHEN MATCHED THEN UPDATE SET ${nonKey.map((c) => `${quote(c)} = s.${quote(c)}`).join(", ")}`
    : "";
  const cols = columns.map(quote).join(", ");
  const vals = columns.map((c) => `s.${quote(c)}`).join(", ");
  return (
    `MERGE INTO ${target} AS t\nUSING (\n${query}\n) AS s\nON (${on})` +
    update +
    `\nWHEN NOT MATCHED THEN INSERT (${cols}) VALUES (${vals})`
  );
}

/** DELETE matching keys, then INSERT: the upsert for engines without MERGE (run in a transaction). */
export function deleteInsert(
  target: string,
  quote: (id: string) => string,
  query: string,
  uniqueKey: readonly string[],
  columns: readonly string[],
): string[] {
  const keyList = uniqueKey.map(quote).join(", ");
  const cols = columns.map(quote).join(", ");
  return [
    `DELETE FROM ${target} WHERE (${keyList}) IN (SELECT ${keyList} FROM (\n${query}\n) AS s)`,
    `INSERT INTO ${target} (${cols})\nSELECT ${cols} FROM (\n${query}\n) AS s`,
  ];
}

/** CREATE TABLE IF NOT EXISTS for rcu's own bookkeeping tables, typed by the dialect. */
export function createMetaTable(d: Dialect, relation: Relation, columns: ReadonlyArray<readonly [string, MetaColumnType]>): string {
  return d.createTable(relation, columns.map(([name, t]) => ({ name, type: d.columnType(t) })));
}

/** INSERT of one row into one of rcu's bookkeeping tables, every value a parameter. */
export function insertMetaRow(d: Dialect, relation: Relation, columns: ReadonlyArray<readonly [string, MetaColumnType]>): string {
  return `INSERT INTO ${d.qualify(relation)} (${columns.map(([c]) => d.quoteIdentifier(c)).join(", ")}) VALUES (${columns
    .map((_, i) => d.parameter(i + 1))
    .join(", ")})`;
}

/**
 * `parts` (SQL fragments) in runs that, with `overhead` bytes for what surrounds a run and `joiner`
 * bytes between fragments, fit in `maxBytes`: how statements are kept under an engine's size limit
 * (capabilities.maxStatementBytes). A fragment too big for a run of its own is a run alone; callers
 * that cannot send it check for that first.
 */
export function packBySize(parts: readonly string[], maxBytes: number, overhead = 0, joiner = 0): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  let bytes = overhead;
  parts.forEach((part, i) => {
    const size = Buffer.byteLength(part) + joiner;
    if (run.length && bytes + size > maxBytes) {
      runs.push(run);
      run = [];
      bytes = overhead;
    }
    run.push(i);
    bytes += size;
  });
  if (run.length) runs.push(run);
  return runs;
}

/** The key of a relation in `Connection.listColumnsOf`'s answer (database, schema and name). */
export function columnsKey(relation: Relation): string {
  return JSON.stringify([relation.database ?? null, relation.schema, relation.name]);
}

/** One column of a catalog listing, with the schema and table it belongs to (catalog spelling). */
export interface CatalogColumn {
  readonly schema: string;
  readonly table: string;
  readonly column: ColumnInfo;
}

/**
 * Groups a catalog listing (one database, columns in ordinal order) by the relations asked for.
 * `catalogName` spells an rcu name as the catalog stores it (Snowflake: upper case); rows of
 * tables nobody asked for are dropped.
 */
export function columnsByRelation(
  requested: readonly Relation[],
  rows: Iterable<CatalogColumn>,
  catalogName: (name: string) => string = (n) => n,
): Map<string, ColumnInfo[]> {
  const wanted = new Map(requested.map((r) => [JSON.stringify([catalogName(r.schema), catalogName(r.name)]), columnsKey(r)]));
  const out = new Map<string, ColumnInfo[]>();
  for (const row of rows) {
    const key = wanted.get(JSON.stringify([row.schema, row.table]));
    if (key === undefined) continue;
    const list = out.get(key) ?? [];
    list.push(row.column);
    out.set(key, list);
  }
  return out;
}

/**
 * The columns of the relations of `group` (one database) from an `information_schema.columns`
 * view (`from`), in one query: the tables of the schemas and names asked for, matched pair by
 * pair afterwards. `scope` adds a condition on its own leading parameters (DuckDB's catalog).
 * `catalogName` spells rcu names as the catalog stores them, `rcuName` the reverse.
 */
export async function informationSchemaColumns(
  query: (sql: string, params: readonly SqlValue[]) => Promise<Row[]>,
  d: Dialect,
  from: string,
  group: readonly Relation[],
  options: { scope?: { sql: string; params: readonly SqlValue[] }; catalogName?: (n: string) => string; rcuName?: (n: string) => string } = {},
): Promise<Map<string, ColumnInfo[]>> {
  if (!group.length) return new Map();
  const catalogName = options.catalogName ?? ((n: string) => n);
  const rcuName = options.rcuName ?? ((n: string) => n);
  const lead = options.scope?.params ?? [];
  const schemas = distinct(group.map((r) => catalogName(r.schema)));
  const names = distinct(group.map((r) => catalogName(r.name)));
  const list = (start: number, n: number) => Array.from({ length: n }, (_, i) => d.parameter(start + i)).join(", ");
  const rows = await query(
    `SELECT table_schema AS schema_name, table_name AS table_name, column_name AS name, data_type AS type, is_nullable AS nullable
       FROM ${from}
      WHERE ${options.scope ? `${options.scope.sql} AND ` : ""}table_schema IN (${list(lead.length + 1, schemas.length)})
        AND table_name IN (${list(lead.length + schemas.length + 1, names.length)})
      ORDER BY table_schema, table_name, ordinal_position`,
    [...lead, ...schemas, ...names],
  );
  const listed = rows.map((r) => ({
    schema: String(r.schema_name),
    table: String(r.table_name),
    column: { name: rcuName(String(r.name)), type: String(r.type), nullable: String(r.nullable).toUpperCase() === "YES" },
  }));
  return columnsByRelation(group, listed, catalogName);
}

/** Relations grouped by their database (undefined: the connection's own), for one query each. */
export function byDatabase(relations: readonly Relation[]): Map<string | undefined, Relation[]> {
  const out = new Map<string | undefined, Relation[]>();
  for (const r of relations) {
    const list = out.get(r.database) ?? [];
    list.push(r);
    out.set(r.database, list);
  }
  return out;
}

/** The distinct values, in first-seen order. */
export function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)];
}
