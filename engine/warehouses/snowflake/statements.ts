/**
 * Snowflake statement text and binds, pure: script detection (one request, or the
 * multi-statement protocol) and rcu values as SDK bind values.
 */
import type { SqlValue } from "../types.js";

/**
 * Whether `sql` holds more than one statement: a `;` outside strings, quoted names and comments
 * with more SQL after it. Single statements skip the multi-statement protocol (one request
 * instead of two).
 */
export function isScript(sql: string): boolean {
  let seenEnd = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      for (i++; i < sql.length; i++) {
        if (c === "'" && sql[i] === "\\") i++;
        else if (sql[i] === c) {
          if (sql[i + 1] === c) i++;
          else break;
        }
      }
    } else if (c === "$" && next === "$") {
      const end = sql.indexOf("$$", i + 2);
      i = end < 0 ? sql.length : end + 1;
    } else if ((c === "-" && next === "-") || (c === "/" && next === "/")) {
      while (i < sql.length && sql[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === ";") seenEnd = true;
    else if (seenEnd && !/\s/.test(c)) return true;
    if (i >= sql.length) break;
  }
  return false;
}

/** rcu values → SDK binds (Dates as ISO text: TIMESTAMP_NTZ columns read them as UTC wall time). */
export function toBind(v: SqlValue): string | number | boolean | null {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return v.toISOString().replace("T", " ").replace("Z", "");
  return v;
}

/**
 * Values per statement from which the SDK binds an array through a temporary stage rather than
 * inline (the connection's arrayBindingThreshold, Snowflake's CLIENT_STAGE_ARRAY_BINDING_THRESHOLD
 * default), and the array-bind batch rcu sends, kept well under it.
 */
export const ARRAY_BINDING_THRESHOLD = 65_280;
export const MAX_BIND_VALUES = 60_000;
