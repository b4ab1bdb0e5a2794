/**
 * Bind values of a query-request, as the SDK sends them (typed strings keyed by position),
 * decoded to the values DuckDB binds. An array bind (one array a position) decodes to arrays,
 * which statements.ts runs once per row.
 */
import type { DuckDBValue } from "@duckdb/node-api";

export type BindSet = DuckDBValue[];

/**
 * `{"1": {type, value}}` → positional values. For an array bind each position holds an array: one
 * prepared run cannot take them, so statements.ts (executeArrayBind) runs the statement per row.
 */
export function decodeBinds(bindings: unknown): BindSet {
  if (!bindings || typeof bindings !== "object") return [];
  const entries = Object.entries(bindings as Record<string, { type: string; value: unknown }>).sort((a, b) => Number(a[0]) - Number(b[0]));
  return entries.map(([, b]) => decodeBind(b.type, b.value) as DuckDBValue);
}

function decodeBind(type: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeBind(type, v));
  if (value === null || value === undefined) return null;
  const s = String(value);
  switch (type) {
    case "FIXED":
      return /^-?\d+$/.test(s) ? BigInt(s) : Number(s);
    case "REAL":
      return Number(s);
    case "BOOLEAN":
      return s === "true" || s === "1" || s.toUpperCase() === "TRUE";
    default:
      return s;
  }
}
