/**
 * Translation 1 of the Data API test server: named parameters `:name` (outside literals, quoted
 * identifiers and comments; `::type` casts untouched) become `$n`, bound as text.
 */
import { ApiError } from "./errors.js";

/** Translation 1: `:name` → `$n` outside literals, quoted identifiers and comments. */
export function namedToPositional(sql: string, names: readonly string[]): string {
  const index = new Map(names.map((n, i) => [n, i + 1]));
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
    } else if (c === ":" && sql[i + 1] === ":") {
      out += "::";
      i += 2;
    } else if (c === ":") {
      const m = /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(i));
      const n = m ? index.get(m[1]!) : undefined;
      if (m && n !== undefined) {
        out += `$${n}`;
        i += m[0].length;
      } else {
        if (m) throw new ApiError("ValidationException", `No value was given for the parameter ${m[1]}.`);
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
