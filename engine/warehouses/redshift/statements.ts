/**
 * Redshift Data API statement text, pure: `:pN` parameters (bound, or inlined where the API cannot
 * bind them) and bulk appends as multi-row INSERTs under the API's 100 KB limit.
 */
import type { SqlParameter } from "@aws-sdk/client-redshift-data";
import { RcuError } from "../../errors.js";
import { packBySize } from "../sql-common.js";
import type { Relation, SqlValue } from "../types.js";
import { MAX_STATEMENT_BYTES, redshiftDialect } from "./dialect.js";

/** The Data API refuses SQL over 100 KB; keep a margin for the statement around the values. */
export const MAX_SQL_BYTES = MAX_STATEMENT_BYTES;
const APPEND_SQL_BYTES = 90_000;
/** BatchExecuteStatement runs at most 40 statements. */
export const MAX_BATCH_STATEMENTS = 40;

/** Text the Data API binds: every parameter value is a string, converted by Redshift. */
function paramText(v: Exclude<SqlValue, null>): string {
  if (v instanceof Date) return v.toISOString();
  return typeof v === "string" ? v : String(v);
}

export function literal(v: SqlValue | undefined): string {
  if (v === null || v === undefined) return "NULL";
  // A quoted literal is untyped until context types it, as a bound parameter is.
  return redshiftDialect.stringLiteral(paramText(v));
}

/**
 * Replace `:pN` markers outside string literals, quoted identifiers and comments. `bind` says,
 * per value, whether it can be sent as a SqlParameter (else it is inlined as a literal: NULL and
 * the empty string cannot be bound).
 */
export function substituteParameters(
  sql: string,
  params: readonly SqlValue[],
  bind: (v: SqlValue) => boolean,
): { sql: string; parameters: SqlParameter[] } {
  if (params.length === 0) return { sql, parameters: [] };
  const used = new Map<number, SqlParameter>();
  let out = "";
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j++;
          else break;
        }
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === "-" && sql[i + 1] === "-") {
      const j = sql.indexOf("\n", i);
      const end = j === -1 ? sql.length : j;
      out += sql.slice(i, end);
      i = end;
    } else if (c === "/" && sql[i + 1] === "*") {
      const j = sql.indexOf("*/", i + 2);
      const end = j === -1 ? sql.length : j + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (c === ":" && sql[i + 1] === "p" && sql[i - 1] !== ":") {
      const m = /^:p(\d+)(?![A-Za-z0-9_])/.exec(sql.slice(i, i + 12));
      const n = m ? Number(m[1]) : 0;
      if (m && n >= 1 && n <= params.length) {
        const v = params[n - 1]!;
        if (bind(v)) {
          used.set(n, { name: `p${n}`, value: paramText(v as Exclude<SqlValue, null>) });
          out += m[0];
        } else out += literal(v);
        i += m[0].length;
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return { sql: out, parameters: [...used.values()] };
}

export const bindable = (v: SqlValue): boolean => v !== null && !(typeof v === "string" && v.length === 0);

/** Multi-row INSERTs of inlined literals, each statement under the Data API's SQL size limit. */
export function appendStatements(
  relation: Relation,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  maxBytes = APPEND_SQL_BYTES,
): string[] {
  const d = redshiftDialect;
  const head = `INSERT INTO ${d.qualify(relation)} (${columns.map(d.quoteIdentifier).join(", ")}) VALUES\n`;
  const headBytes = Buffer.byteLength(head);
  const tuples = rows.map((row) => `(${columns.map((_, i) => literal(row[i])).join(", ")})`);
  const runs = packBySize(tuples, maxBytes, headBytes, 2);
  // Only a run of one row can be over the limit (packBySize puts such a row alone).
  for (const [i] of runs.filter((run) => run.length === 1)) {
    const size = Buffer.byteLength(tuples[i!]!) + 2;
    if (headBytes + size > maxBytes) {
      throw new RcuError("SQL", `A row of ${size} bytes does not fit in one Redshift Data API statement (${maxBytes} bytes).`, {
        engine: "redshift",
        hint: "Load rows this large with COPY from S3.",
      });
    }
  }
  return runs.map((run) => head + run.map((i) => tuples[i]).join(",\n"));
}
