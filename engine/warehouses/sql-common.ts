/**
 * ANSI SQL building blocks shared by dialects. A dialect composes these and overrides what its
 * engine does differently; nothing here knows about a particular engine.
 */
import type { Dialect, MetaColumnType, Relation } from "./types.js";

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
