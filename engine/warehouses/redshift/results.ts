/** Data API result fields as the values rcu's other drivers return (numbers, Dates, text). */
import type { ColumnMetadata, Field } from "@aws-sdk/client-redshift-data";

/** Redshift text timestamps (`2024-01-01 10:00:00[.ffffff][+00]`) as Dates. */
function parseTimestamp(s: string, withZone: boolean): Date | string {
  let iso = s.replace(" ", "T");
  if (withZone) iso = iso.replace(/([+-]\d{2})$/, "$1:00");
  else iso += "Z";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? s : d;
}

export function fieldValue(f: Field, col: ColumnMetadata | undefined): unknown {
  if (f.isNull) return null;
  if (f.booleanValue !== undefined) return f.booleanValue;
  if (f.longValue !== undefined) return f.longValue;
  if (f.doubleValue !== undefined) return f.doubleValue;
  if (f.blobValue !== undefined) return f.blobValue;
  const s = f.stringValue;
  if (s === undefined) return null;
  const type = (col?.typeName ?? "").toLowerCase();
  if (type === "numeric" || type === "decimal") return Number(s);
  if (type === "int8" || type === "bigint") {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : s;
  }
  if (type === "timestamp") return parseTimestamp(s, false);
  if (type === "timestamptz") return parseTimestamp(s, true);
  return s;
}
