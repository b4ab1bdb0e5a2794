/**
 * Snowflake SQL → DuckDB SQL for the protocol test server: a tokenizer plus a short, documented
 * list of rewrites for the constructs rcu and its tests send. Not a general transpiler.
 *
 * `@polyglot-sql/sdk` (0.12.1, WASM, works offline) was evaluated for this and not used: it
 * translates `TIMESTAMP_NTZ` to `TIMESTAMPNTZ` (not a DuckDB type), keeps `VARIANT`, keeps
 * `CURRENT_TIMESTAMP()` (DuckDB rejects the parentheses), keeps `TO_VARCHAR`, and drops the
 * quotes of `COMMENT ON TABLE "FX"."C"` — and it cannot emulate case folding, which matters more
 * here than function coverage. The rewrites below are the whole translation (see docs/warehouses.md):
 *
 * 1. Case folding: every unquoted word is upper-cased (DuckDB keeps the case an identifier is
 *    created with, and resolves names case-insensitively, so this gives Snowflake's `ID` for
 *    `SELECT id`, and `FAILING_ROWS` for `AS failing_rows`). Quoted identifiers are untouched.
 * 2. String literals: Snowflake's backslash escapes (`\\`, `\'`, `\n`, `\t`, `\r`, `\0`, `\b`, `\f`)
 *    are decoded and the literal re-written DuckDB-style (`''` for a quote). `$$…$$` strings too.
 * 3. Bind markers `:1`, `:2` … become DuckDB's `$1`, `$2` … (`?` is left as is).
 * 4. Types, where a type is expected (after `::`, after `AS` in a cast, after a column name in a
 *    column list): `NUMBER`/`NUMERIC`/`INT`… → `DECIMAL(38,0)` (or `DECIMAL(p,s)`), `FLOAT`/
 *    `FLOAT4`/`FLOAT8`/`REAL`/`DOUBLE PRECISION` → `DOUBLE` (Snowflake floats are 64-bit),
 *    `TIMESTAMP_NTZ`/`DATETIME` → `TIMESTAMP`, `TIMESTAMP_LTZ`/`TIMESTAMP_TZ` → `TIMESTAMPTZ`,
 *    `VARIANT`/`OBJECT`/`ARRAY` → `JSON`, `STRING`/`TEXT` → `VARCHAR`.
 * 5. Functions: `IFF(` → `IF(`, `NVL(` → `COALESCE(`, `PARSE_JSON(` → `JSON(`, `TO_VARCHAR(` →
 *    `CAST(… AS VARCHAR)` is NOT done (unused); `CURRENT_TIMESTAMP()` → `CURRENT_TIMESTAMP`,
 *    `SYSDATE()` → `(NOW() AT TIME ZONE 'UTC')`.
 * 6. `ALTER TABLE|VIEW a RENAME TO db.s.b`: DuckDB takes only the bare new name, so the qualifier is
 *    dropped (renames across schemas are not emulated).
 * 8. Snowflake functions spelled differently in DuckDB: `EDITDISTANCE` → `LEVENSHTEIN`,
 *    `DATE_FROM_PARTS` → `MAKE_DATE`, `REGEXP_LIKE`/`RLIKE` → `REGEXP_FULL_MATCH` (both anchored),
 *    `DAYOFWEEKISO` → `ISODOW`, `JAROWINKLER_SIMILARITY(a, b)` → `CAST(FLOOR(100 *
 *    JARO_WINKLER_SIMILARITY(a, b) + 1e-9) AS INTEGER)` (Snowflake answers 0–100, truncated), and a three-argument
 *    `REGEXP_REPLACE(s, p, r)` gets DuckDB's `'g'` (Snowflake replaces every match). Regular
 *    expression syntax itself is not translated (Snowflake's POSIX ERE vs DuckDB's RE2).
 * 7. `CAST(x AS VARIANT)` → `TO_JSON(x)`: on Snowflake, text cast to VARIANT is a JSON *string*, not
 *    parsed (that is PARSE_JSON's job); DuckDB's CAST to JSON would parse it. (`x::VARIANT` is still
 *    mapped to `x::JSON`, which parses: not emulated.)
 *
 * 9. Formats: `TRY_TO_TIMESTAMP`/`TO_TIMESTAMP(s, fmt)` → `TRY_STRPTIME`/`STRPTIME`, `TO_CHAR`/
 *    `TO_VARCHAR(x, fmt)` → `STRFTIME` (format elements YYYY MM DD HH24 MI SS → %Y %m %d %H %M %S;
 *    any other element is refused), without a format → casts.
 * 10. `JSON_EXTRACT_PATH_TEXT(j, 'a.b')` → `JSON_EXTRACT_STRING(j, '$.a.b')`.
 * 11. `INITCAP(s[, delimiters])` → the server macro `SF_INITCAP` (one argument: Snowflake's default
 *     delimiters).
 * 12. `SHA2(x[, 256])` → `SHA256(x)`.
 * 13. `TO_NUMBER(h, 'XXXX…')` (hexadecimal) → `CAST('0x' || h AS BIGINT)`.
 * 14. `DATEADD(day, n, d)` → the server macro `SF_DATEADD_DAY(n, d)` (DATE + INTEGER: DuckDB's
 *     DATE + INTERVAL is a TIMESTAMP); other parts are not emulated.
 * 15. `LISTAGG([DISTINCT] x, sep) WITHIN GROUP (ORDER BY …)` → `STRING_AGG(… ORDER BY …)`.
 * 16. `TABLE(GENERATOR(ROWCOUNT => n))` → `RANGE(n)`, `SEQ4()` → `0` (rcu only numbers rows with
 *     ROW_NUMBER() OVER (ORDER BY SEQ4())).
 * The macros live in the instance's own catalog (`memory.main`, see SERVER_MACROS in functions.ts).
 *
 * Statements the server handles itself (never sent to DuckDB) are recognised in `statements.ts`:
 * `ALTER SESSION SET/UNSET`, `USE …`, and the transaction rules.
 */

import { rewriteFunctions } from "./functions.js";

export type TokenKind = "ws" | "comment" | "string" | "quoted" | "word" | "number" | "bind" | "punct";

export interface Token {
  readonly kind: TokenKind;
  /** The source text. */
  readonly text: string;
  /** For `string`: the decoded value; for `quoted`: the identifier; for `bind`: the index. */
  readonly value?: string;
}

export class SqlSyntaxError extends Error {}

/** Split Snowflake SQL into tokens (lossless: the texts concatenate back to the input). */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      while (i < n && /\s/.test(sql[i]!)) i++;
      out.push({ kind: "ws", text: sql.slice(start, i) });
    } else if ((c === "-" && sql[i + 1] === "-") || (c === "/" && sql[i + 1] === "/")) {
      while (i < n && sql[i] !== "\n") i++;
      out.push({ kind: "comment", text: sql.slice(start, i) });
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      if (end < 0) throw new SqlSyntaxError("unterminated /* comment");
      i = end + 2;
      out.push({ kind: "comment", text: sql.slice(start, i) });
    } else if (c === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= n) throw new SqlSyntaxError("unterminated string literal");
        const ch = sql[i]!;
        if (ch === "\\") {
          const e = sql[i + 1];
          const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\u0000", b: "\b", f: "\f" };
          value += e === undefined ? "" : (map[e] ?? e);
          i += 2;
        } else if (ch === "'") {
          if (sql[i + 1] === "'") {
            value += "'";
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          value += ch;
          i++;
        }
      }
      out.push({ kind: "string", text: sql.slice(start, i), value });
    } else if (c === "$" && sql[i + 1] === "$") {
      const end = sql.indexOf("$$", i + 2);
      if (end < 0) throw new SqlSyntaxError("unterminated $$ string");
      out.push({ kind: "string", text: sql.slice(start, end + 2), value: sql.slice(i + 2, end) });
      i = end + 2;
    } else if (c === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= n) throw new SqlSyntaxError("unterminated quoted identifier");
        if (sql[i] === '"') {
          if (sql[i + 1] === '"') {
            value += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else value += sql[i++];
      }
      out.push({ kind: "quoted", text: sql.slice(start, i), value });
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      while (i < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[i]!)) i++;
      out.push({ kind: "word", text: sql.slice(start, i) });
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(sql[i + 1] ?? ""))) {
      while (i < n && /[0-9.]/.test(sql[i]!)) i++;
      if (i < n && /[eE]/.test(sql[i]!) && /[-+0-9]/.test(sql[i + 1] ?? "")) {
        i += 2;
        while (i < n && /[0-9]/.test(sql[i]!)) i++;
      }
      out.push({ kind: "number", text: sql.slice(start, i) });
    } else if (c === ":" && sql[i + 1] !== ":" && sql[i - 1] !== ":" && /[0-9]/.test(sql[i + 1] ?? "")) {
      i++;
      while (i < n && /[0-9]/.test(sql[i]!)) i++;
      out.push({ kind: "bind", text: sql.slice(start, i), value: sql.slice(start + 1, i) });
    } else if (c === ":" && sql[i + 1] === ":") {
      i += 2;
      out.push({ kind: "punct", text: "::" });
    } else {
      i++;
      out.push({ kind: "punct", text: c });
    }
  }
  return out;
}

/** Statements of a script, split on top-level `;` (empty ones dropped), as token lists. */
export function splitStatements(sql: string): Token[][] {
  const statements: Token[][] = [[]];
  for (const t of tokenize(sql)) {
    if (t.kind === "punct" && t.text === ";") statements.push([]);
    else statements[statements.length - 1]!.push(t);
  }
  return statements.filter((s) => s.some((t) => t.kind !== "ws" && t.kind !== "comment"));
}

export const significant = (tokens: readonly Token[]): Token[] => tokens.filter((t) => t.kind !== "ws" && t.kind !== "comment");

/** The statement's leading keywords, upper-cased (e.g. `["ALTER", "SESSION", "SET"]`). */
export function leadingWords(tokens: readonly Token[], count: number): string[] {
  return significant(tokens)
    .slice(0, count)
    .map((t) => (t.kind === "word" ? t.text.toUpperCase() : t.text));
}

export const duckString = (s: string): string => `'${s.split("'").join("''")}'`;

const FIXED = new Set(["NUMBER", "NUMERIC", "DECIMAL", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT"]);
const TYPE_MAP: Record<string, string> = {
  FLOAT: "DOUBLE",
  FLOAT4: "DOUBLE",
  FLOAT8: "DOUBLE",
  REAL: "DOUBLE",
  DOUBLE: "DOUBLE",
  TIMESTAMP_NTZ: "TIMESTAMP",
  DATETIME: "TIMESTAMP",
  TIMESTAMP_LTZ: "TIMESTAMPTZ",
  TIMESTAMP_TZ: "TIMESTAMPTZ",
  VARIANT: "JSON",
  OBJECT: "JSON",
  ARRAY: "JSON",
  STRING: "VARCHAR",
  TEXT: "VARCHAR",
};
/** Words after which a word is an expression, not a column name followed by its type. */
const NOT_A_COLUMN_NAME = new Set([
  "SELECT", "DISTINCT", "BY", "AND", "OR", "NOT", "WHERE", "ON", "THEN", "ELSE", "WHEN", "SET", "FROM", "JOIN",
  "IN", "IS", "CASE", "END", "HAVING", "RETURN", "VALUES", "LIMIT", "USING", "INTO", "TABLE", "VIEW", "LIKE",
]);
const COLUMN_TYPE_FOLLOWERS = new Set([",", ")", "(", "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "COMMENT"]);

/** Translate one statement's tokens to DuckDB SQL. */
export function toDuckDB(tokens: readonly Token[]): string {
  const sig = significant(tokens);
  const at = (k: number): Token | undefined => sig[k];
  const upper = (t: Token | undefined): string => (t?.kind === "word" ? t.text.toUpperCase() : (t?.text ?? ""));
  const out: string[] = [];
  const lead = leadingWords(tokens, 1)[0];
  let renameQualifierSkip = -1;
  // 6. `RENAME TO a.b(.c)`: drop the qualifier parts (DuckDB takes a bare new name).
  const dropped = new Set<number>();
  if (lead === "ALTER") {
    for (let j = 2; j < sig.length; j++) {
      if (upper(sig[j - 1]) === "TO" && upper(sig[j - 2]) === "RENAME") {
        let last = j;
        while (sig[last + 1]?.text === "." && sig[last + 2]) last += 2;
        for (let x = j; x < last; x++) dropped.add(x);
      }
    }
  }
  // 7. `CAST(x AS VARIANT)` makes a VARIANT holding x (text stays a JSON string, as on Snowflake):
  //    `TO_JSON(x)`. DuckDB's CAST to JSON would parse the text instead.
  const renamed = new Map<number, string>();
  for (let j = 0; j < sig.length; j++) {
    if (upper(sig[j]) === "AS" && upper(sig[j + 1]) === "VARIANT" && sig[j + 2]?.text === ")" && isInsideCast(sig, j + 1)) {
      let depth = 0;
      for (let x = j - 1; x >= 0; x--) {
        const tx = sig[x]!.text;
        if (tx === ")") depth++;
        else if (tx === "(") {
          if (depth === 0) {
            renamed.set(x - 1, "TO_JSON");
            break;
          }
          depth--;
        }
      }
      dropped.add(j);
      dropped.add(j + 1);
    }
  }
  // 8-16. Snowflake functions DuckDB spells differently (functions.ts).
  const before = new Map<number, string>();
  const after = new Map<number, string>();
  const restring = new Map<number, string>();
  rewriteFunctions(sig, { renamed, before, after, restring, dropped });
  let k = -1;
  for (const t of tokens) {
    if (t.kind === "ws" || t.kind === "comment") {
      // Whitespace inside a rewritten construct (`DOUBLE PRECISION`, `SYSDATE ( )`) goes with it.
      if (t.kind === "ws" && (k + 1 <= renameQualifierSkip || (dropped.has(k + 1) && (dropped.has(k) || upper(at(k + 1)) === "AS")))) continue;
      out.push(t.kind === "comment" && t.text.startsWith("//") ? "--" + t.text.slice(2) : t.text);
      continue;
    }
    k++;
    if (k <= renameQualifierSkip || dropped.has(k)) continue;
    if (t.kind === "string") {
      out.push(duckString(restring.get(k) ?? t.value ?? ""));
      continue;
    }
    if (t.kind === "bind") {
      out.push(`$${t.value}`);
      continue;
    }
    if (t.kind !== "word") {
      out.push((before.get(k) ?? "") + t.text + (after.get(k) ?? ""));
      continue;
    }
    const w = t.text.toUpperCase();
    if (renamed.has(k)) {
      out.push(renamed.get(k)!);
      continue;
    }
    const prev = at(k - 1);
    const next = at(k + 1);
    const prevUpper = upper(prev);
    // 5. functions
    if (next?.text === "(") {
      if (w === "IFF") { out.push("IF"); continue; }
      if (w === "NVL") { out.push("COALESCE"); continue; }
      if (w === "PARSE_JSON") { out.push("JSON"); continue; }
      if ((w === "CURRENT_TIMESTAMP" || w === "SYSDATE") && at(k + 2)?.text === ")") {
        out.push(w === "SYSDATE" ? "(NOW() AT TIME ZONE 'UTC')" : "CURRENT_TIMESTAMP");
        renameQualifierSkip = k + 2;
        continue;
      }
    }
    // 4. types
    const typePosition =
      prevUpper === "::" ||
      (prevUpper === "AS" && isInsideCast(sig, k)) ||
      ((prev?.kind === "quoted" || (prev?.kind === "word" && !NOT_A_COLUMN_NAME.has(prevUpper))) &&
        (at(k - 2)?.text === "(" || at(k - 2)?.text === ",") &&
        COLUMN_TYPE_FOLLOWERS.has(upper(next)));
    if (typePosition) {
      if (FIXED.has(w)) {
        out.push(next?.text === "(" ? "DECIMAL" : "DECIMAL(38,0)");
        continue;
      }
      if (w === "DOUBLE" && upper(next) === "PRECISION") {
        out.push("DOUBLE");
        renameQualifierSkip = k + 1;
        continue;
      }
      const mapped = TYPE_MAP[w];
      if (mapped) {
        out.push(mapped);
        continue;
      }
    }
    // 1. case folding
    out.push(w);
  }
  return out.join("");
}

/** Whether the significant token at `k` sits in `CAST(… AS <k>`. */
function isInsideCast(sig: readonly Token[], k: number): boolean {
  let depth = 0;
  for (let j = k - 1; j >= 0; j--) {
    const t = sig[j]!.text;
    if (t === ")") depth++;
    else if (t === "(") {
      if (depth === 0) return (sig[j - 1]?.text.toUpperCase() ?? "") === "CAST" || (sig[j - 1]?.text.toUpperCase() ?? "") === "TRY_CAST";
      depth--;
    }
  }
  return false;
}
