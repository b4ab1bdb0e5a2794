/** Value checks shared by the lander: declared types, cursor ordering, record hashes. */
import { hash } from "node:crypto";
import type { ColumnType } from "../config.js";

const INT = /^\s*[+-]?\d+\s*$/;
const TRUE = new Set(["true", "t", "1", "yes", "y"]);
const FALSE = new Set(["false", "f", "0", "no", "n"]);
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * The value as the warehouse should cast it, or an `Error` saying why it does not fit. Values are
 * normalised (trimmed, ISO timestamps) only for declared types: undeclared columns stay verbatim.
 */
export function checkDeclared(value: string, type: ColumnType): string | Error {
  switch (type) {
    case "text":
      return value;
    case "bigint": {
      if (!INT.test(value)) return new Error(`is not an integer`);
      const n = BigInt(value.trim());
      return n > INT64_MAX || n < INT64_MIN ? new Error("is out of the 64-bit integer range") : n.toString();
    }
    case "double": {
      const t = value.trim();
      const n = t === "" ? NaN : Number(t);
      return Number.isFinite(n) ? String(n) : new Error("is not a finite number");
    }
    case "boolean": {
      const t = value.trim().toLowerCase();
      return TRUE.has(t) ? "true" : FALSE.has(t) ? "false" : new Error("is not a boolean");
    }
    case "timestamp": {
      const t = value.trim();
      const ms = /^\d{4}-\d{2}-\d{2}/.test(t) ? Date.parse(t) : NaN;
      return Number.isNaN(ms) ? new Error("is not an ISO-8601 date/timestamp") : new Date(ms).toISOString();
    }
    case "json":
      try {
        JSON.parse(value);
        return value;
      } catch {
        return new Error("is not valid JSON");
      }
  }
}

const NUMERIC = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Order cursor values: numerically when both are numbers, else as text (ISO timestamps sort). */
export function compareCursor(a: string, b: string): number {
  if (NUMERIC.test(a) && NUMERIC.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Row hash: SHA-1 of the JSON array of values with trailing NULLs trimmed (stable under evolve). */
export function rowHash(values: readonly (string | null)[], json?: string): string {
  let end = values.length;
  while (end > 0 && values[end - 1] === null) end--;
  const text = end === values.length ? (json ?? JSON.stringify(values)) : JSON.stringify(values.slice(0, end));
  return hash("sha1", text, "hex");
}
