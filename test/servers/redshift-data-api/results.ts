/**
 * Running one SQL text of the Data API test server on PGlite (translate.ts, then params.ts) and
 * keeping its result as the Data API returns it: Redshift's type names (translation 2) and
 * values as fields (`longValue`, `doubleValue`, `booleanValue`, `stringValue`, `isNull`).
 */
import type { Transaction } from "@electric-sql/pglite";
import { namedToPositional } from "./params.js";
import { checkRedshiftOnly } from "./strict.js";
import { redshiftToPostgres } from "./translate.js";
import type { FieldJson, Statement, Sub } from "./types.js";

// PostgreSQL type oids → the names the Data API reports for Redshift columns.
const TYPE_NAMES: Record<number, string> = {
  16: "bool",
  20: "int8",
  21: "int2",
  23: "int4",
  25: "varchar",
  114: "varchar",
  3802: "varchar",
  700: "float4",
  701: "float8",
  705: "varchar",
  1042: "bpchar",
  1043: "varchar",
  1082: "date",
  1083: "time",
  1114: "timestamp",
  1184: "timestamptz",
  1700: "numeric",
};
const INTEGER = new Set([20, 21, 23]);
const FLOAT = new Set([700, 701]);
// Every value but booleans arrives as PostgreSQL's text output (what Redshift sends too).
const TEXT_PARSERS = Object.fromEntries(
  [20, 21, 23, 25, 114, 3802, 700, 701, 1082, 1083, 1114, 1184, 1700].map((oid) => [oid, (v: string) => v]),
);

function toField(value: unknown, oid: number): FieldJson {
  if (value === null || value === undefined) return { isNull: true };
  if (typeof value === "boolean") return { booleanValue: value };
  if (INTEGER.has(oid)) return { longValue: Number(value) };
  if (FLOAT.has(oid)) return { doubleValue: Number(value) };
  return { stringValue: typeof value === "string" ? value : JSON.stringify(value) };
}

/** Run `sub.sql` (translated) with `params` and store its result set or row count on `sub`. */
export async function runOne(q: Pick<Transaction, "query">, sub: Sub, params: Statement["params"]): Promise<void> {
  checkRedshiftOnly(sub.sql);
  const text = redshiftToPostgres(sub.sql);
  const sql = namedToPositional(text, params.map((p) => p.name));
  const res = await q.query<unknown[]>(sql, params.map((p) => p.value), { rowMode: "array", parsers: TEXT_PARSERS });
  sub.hasResultSet = res.fields.length > 0;
  sub.columns = res.fields.map((f) => ({ name: f.name, typeName: TYPE_NAMES[f.dataTypeID] ?? "varchar" }));
  sub.records = res.rows.map((row) => row.map((v, i) => toField(v, res.fields[i]!.dataTypeID)));
  sub.resultRows = sub.hasResultSet ? res.rows.length : (res.affectedRows ?? 0);
}
