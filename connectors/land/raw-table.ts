/**
 * Raw tables: `raw.<source>_<stream>`, the source's columns exactly as they came (text unless a
 * type is declared) plus `_rcu_` metadata so every row traces back to its input and load.
 */
import type { Dialect, Relation } from "../../engine/warehouses/types.js";
import type { ColumnType } from "../config.js";

export const RAW_SCHEMA = "raw";
/** rcu's bookkeeping schema, shared with the run log. */
export { META_SCHEMA } from "../../engine/execute/meta-log.js";
export const META_PREFIX = "_rcu_";

/** Metadata columns on every raw table, in this order after the data columns. */
export const META_COLUMNS = [
  { name: "_rcu_load_id", type: "text" },
  { name: "_rcu_loaded_at", type: "timestamp" },
  /** File path (relative to the project) or request URL. */
  { name: "_rcu_input", type: "text" },
  /** Record number in a file, index within a page, offset in a query result. */
  { name: "_rcu_position", type: "bigint" },
  /** SHA-1 of the row's values (JSON array in column order): change detection, dedupe. */
  { name: "_rcu_hash", type: "text" },
] as const satisfies ReadonlyArray<{ name: string; type: ColumnType }>;

export function rawRelation(source: string, stream: string): Relation {
  return { schema: RAW_SCHEMA, name: `${source}_${stream}` };
}

/**
 * Landed column names for a header. Raw means unchanged, so names are kept verbatim (quoted
 * everywhere, so `x"; drop table …` is just a name) except where the warehouse cannot hold them:
 * empty names, NUL characters, case-insensitive duplicates, and clashes with `_rcu_` metadata.
 */
export function landedColumnNames(header: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  header.forEach((h, i) => {
    let base = h.replace(/\u0000/g, "").trim() === "" ? `_col_${i + 1}` : h.replace(/\u0000/g, "");
    if (base.toLowerCase().startsWith(META_PREFIX)) base = `src${base}`;
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    seen.add(name.toLowerCase());
    out.push(name);
  });
  return out;
}

/** `CAST(col AS type)` for declared columns, the column itself for text. ANSI, every engine. */
export function castExpr(dialect: Dialect, column: string, type: ColumnType | undefined, qualifier = ""): string {
  const ref = qualifier + dialect.quoteIdentifier(column);
  return type === undefined || type === "text" ? ref : `CAST(${ref} AS ${dialect.columnType(type)})`;
}
