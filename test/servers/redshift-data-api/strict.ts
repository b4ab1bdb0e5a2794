/**
 * What Redshift refuses that the server's engine accepts: PGlite is PostgreSQL 17, and since
 * PostgreSQL 16 a subquery in FROM needs no alias; Redshift (like PostgreSQL 15 and earlier)
 * fails with "subquery in FROM must have an alias". Found by running identity on a real
 * PostgreSQL 15 server: a blocking rule reading sightings from a subquery passed every engine
 * test and failed there. Nor does Redshift's LAG or LEAD take a default (its third argument in
 * PostgreSQL): `LAG (value_expr [, offset ])`. The server checks both before running a statement,
 * so the tests fail as Redshift would.
 */

import { segments } from "./translate.js";

/** `sql` with string literals and comments blanked (same length, same offsets); a quoted
 * identifier stays a word (an alias may be one). */
function codeOnly(sql: string): string {
  return segments(sql)
    .map((s) => (s.kind === "code" ? s.text : s.kind === "identifier" ? "q" + " ".repeat(s.text.length - 1) : " ".repeat(s.text.length)))
    .join("");
}

// Words that may follow a derived table's closing parenthesis but are not its alias.
const NOT_ALIAS = new Set([
  "where", "group", "order", "having", "limit", "offset", "union", "intersect", "except", "minus",
  "join", "inner", "left", "right", "full", "cross", "natural", "on", "using", "window", "qualify",
]);

/**
 * The first subquery in FROM or JOIN without an alias, as the text that starts it, or null.
 * Only parentheses opening a SELECT, WITH or VALUES count: `EXTRACT(EPOCH FROM (b - a))` is an
 * expression, not a derived table.
 */
export function unaliasedSubquery(sql: string): string | null {
  const code = codeOnly(sql);
  const opener = /\b(FROM|JOIN)\s*\(\s*(SELECT|WITH|VALUES)\b/gi;
  for (let m = opener.exec(code); m; m = opener.exec(code)) {
    let depth = 0;
    let i = code.indexOf("(", m.index);
    for (; i < code.length; i++) {
      if (code[i] === "(") depth++;
      else if (code[i] === ")" && --depth === 0) break;
    }
    const next = /^\s*([A-Za-z_][A-Za-z0-9_$]*)?/.exec(code.slice(i + 1))![1];
    if (next === undefined || NOT_ALIAS.has(next.toLowerCase())) return sql.slice(m.index, m.index + 60).replace(/\s+/g, " ");
  }
  return null;
}

/** The first LAG or LEAD call given a default (a third argument), as the text that starts it, or null. */
export function windowShiftWithDefault(sql: string): string | null {
  const code = codeOnly(sql);
  const call = /\b(LAG|LEAD)\s*\(/gi;
  for (let m = call.exec(code); m; m = call.exec(code)) {
    let depth = 0;
    let commas = 0;
    for (let i = code.indexOf("(", m.index); i < code.length; i++) {
      if (code[i] === "(") depth++;
      else if (code[i] === ")" && --depth === 0) break;
      else if (code[i] === "," && depth === 1) commas++;
    }
    if (commas >= 2) return sql.slice(m.index, m.index + 60).replace(/\s+/g, " ");
  }
  return null;
}

/** Throws PostgreSQL's and Redshift's error for a statement Redshift would refuse. */
export function checkRedshiftOnly(sql: string): void {
  const at = unaliasedSubquery(sql);
  if (at !== null) throw new Error(`subquery in FROM must have an alias (at "${at}…")`);
  const shift = windowShiftWithDefault(sql);
  if (shift !== null) throw new Error(`Redshift's LAG and LEAD take no default value: LAG (value_expr [, offset ]) (at "${shift}…")`);
}
