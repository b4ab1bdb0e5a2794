/**
 * The engine-portable field forms of rcu.yaml mappings (`{ json, path }`, `{ timestamp, format }`)
 * rendered for rcu's own TypeScript SQL (privacy: erasure links, forget). The definitions render
 * them with includes/portable.js fieldForm; the two must produce the same SQL (a test checks), so
 * a record matched by a definition is matched by rcu forget too.
 */
import type { Dialect } from "../engine/warehouses/types.js";

const ELEMENTS: Record<string, string> = { YYYY: "%Y", MM: "%m", DD: "%d", HH24: "%H", MI: "%M", SS: "%S" };

/** SQL for a `{ json }` or `{ timestamp }` field, or undefined for the other forms. */
export function portableFieldSql(d: Dialect, f: unknown): string | undefined {
  if (f === null || typeof f !== "object") return undefined;
  const o = f as Record<string, unknown>;
  const q = (c: unknown) => d.quoteIdentifier(String(c));
  if (typeof o.json === "string") {
    const p = String(o.path);
    switch (d.name as string) {
      case "snowflake": return `JSON_EXTRACT_PATH_TEXT(${q(o.json)}, '${p}')`;
      case "redshift": return `JSON_EXTRACT_PATH_TEXT(${q(o.json)}, ${p.split(".").map((k) => `'${k}'`).join(", ")}, TRUE)`;
      case "postgres": return `(CAST(${q(o.json)} AS json) #>> '{${p.split(".").join(",")}}')`;
      default: return `json_extract_string(${q(o.json)}, '$.${p}')`;
    }
  }
  if (typeof o.timestamp === "string") {
    const fmt = String(o.format);
    switch (d.name as string) {
      case "snowflake": return `TRY_TO_TIMESTAMP(${q(o.timestamp)}, '${fmt}')`;
      case "duckdb": return `try_strptime(${q(o.timestamp)}, '${fmt.replace(/YYYY|MM|DD|HH24|MI|SS/g, (e) => ELEMENTS[e]!)}')`;
      default: throw new Error(`{ timestamp, format } has no formulation for engine ${d.name} yet`);
    }
  }
  return undefined;
}
