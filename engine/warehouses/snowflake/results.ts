/** Snowflake result values (JSON result format) as the values rcu's other drivers return. */
const VARIANT_TYPES = new Set(["variant", "object", "array"]);

export function toJsValue(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  // With jsTreatIntegerAsBigInt the SDK returns its big-integer library's objects for NUMBER(p,0).
  if (type === "fixed" && typeof v === "object" && !(v instanceof Date)) v = BigInt(String(v));
  if (typeof v === "bigint") {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  // Semi-structured values as JSON text, like DuckDB's JSON columns — except a VARIANT holding a
  // string, returned as that string: rcu stores JSON text in VARIANT columns with
  // CAST(text AS VARIANT), which Snowflake keeps as a string, and reads it back as the same text.
  if (VARIANT_TYPES.has(type)) return typeof v === "string" ? v : JSON.stringify(v);
  if (v instanceof Date) return new Date(v.getTime());
  return v;
}
