/**
 * Rewrites 8-16 of translate.ts (see its header and docs/warehouses.md): Snowflake functions that
 * DuckDB spells differently. Each rewrite is expressed as edits on the statement's significant
 * tokens, applied by toDuckDB in one pass: a token renamed, text inserted before or after a
 * punctuation token, a string literal re-valued, tokens dropped.
 */
import { duckString, SqlSyntaxError, type Token } from "./translate.js";

/**
 * Snowflake functions DuckDB lacks, as macros in the instance's own catalog (`memory.main`, which
 * translate.ts names explicitly: sessions run in attached databases), created when the server
 * starts.
 */
export const SERVER_MACROS = [
  // INITCAP(s, delimiters): upper-case the first character and every one after a delimiter, the rest lower.
  `CREATE MACRO memory.main.sf_initcap(s, d) AS CASE WHEN s IS NOT NULL THEN array_to_string(list_transform(range(1, length(s) + 1),
     lambda i: CASE WHEN i = 1 OR (i > 1 AND strpos(d, substr(s, CAST(i - 1 AS INTEGER), 1)) > 0) THEN upper(substr(s, CAST(i AS INTEGER), 1)) ELSE lower(substr(s, CAST(i AS INTEGER), 1)) END), '') END`,
  // DATEADD(day, n, d) on a DATE is a DATE (DuckDB: DATE + INTEGER).
  `CREATE MACRO memory.main.sf_dateadd_day(n, d) AS d + CAST(n AS INTEGER)`,
];

export interface Edits {
  readonly renamed: Map<number, string>;
  readonly before: Map<number, string>;
  readonly after: Map<number, string>;
  readonly restring: Map<number, string>;
  readonly dropped: Set<number>;
}

const upper = (t: Token | undefined): string => (t?.kind === "word" ? t.text.toUpperCase() : (t?.text ?? ""));

export function rewriteFunctions(sig: readonly Token[], edits: Edits): void {
  const { renamed, before, after, restring, dropped } = edits;
  for (let j = 0; j + 1 < sig.length; j++) {
    if (sig[j]!.kind !== "word" || sig[j + 1]!.text !== "(" || sig[j - 1]?.text === ".") continue;
    const name = sig[j]!.text.toUpperCase();
    const close = closingParen(sig, j + 1);
    if (close < 0) continue;
    if (name === "JAROWINKLER_SIMILARITY") {
      // Snowflake answers a whole percent, truncated (its documented examples: "Gute nacht" /
      // "Ich weis nicht" 56 for 0.5651); 1e-9 keeps a whole percent computed a hair under it.
      renamed.set(j, "CAST(FLOOR(100 * JARO_WINKLER_SIMILARITY");
      after.set(close, " + 1e-9) AS INTEGER)");
    } else if (name === "REGEXP_REPLACE" && topLevelCommas(sig, j + 1, close) === 2) {
      // Snowflake replaces every match by default; DuckDB only the first without 'g'.
      before.set(close, ", 'g'");
    } else if (name === "TO_CHAR" || name === "TO_VARCHAR") {
      // 9. With a format: DuckDB's strftime; without: a cast to text.
      const fmt = sig[close - 1];
      if (topLevelCommas(sig, j + 1, close) === 1 && fmt?.kind === "string" && sig[close - 2]?.text === ",") {
        renamed.set(j, "STRFTIME");
        restring.set(close - 1, strptimeFormat(fmt.value ?? ""));
      } else if (topLevelCommas(sig, j + 1, close) === 0) {
        renamed.set(j, "CAST");
        before.set(close, " AS VARCHAR");
      }
    } else if (name === "SHA2") {
      // 12. SHA2(x[, 256]) is DuckDB's SHA256(x) (both lower-case hex); other digest sizes are not emulated.
      const commas = topLevelCommaIndexes(sig, j + 1, close);
      if (commas.length === 1 && sig[close - 1]?.text === "256" && commas[0] === close - 2) {
        renamed.set(j, "SHA256");
        dropped.add(close - 2);
        dropped.add(close - 1);
      } else if (commas.length === 0) renamed.set(j, "SHA256");
    } else if (name === "TO_NUMBER" && sig[close - 1]?.kind === "string" && /^X+$/.test(sig[close - 1]!.value ?? "") && sig[close - 2]?.text === ",") {
      // 13. Hexadecimal text to a number: DuckDB casts '0x…' text.
      renamed.set(j, "CAST");
      after.set(j + 1, "'0x' || ");
      dropped.add(close - 2);
      dropped.add(close - 1);
      before.set(close, " AS BIGINT");
    } else if (name === "DATEADD" && /^days?$/i.test(sig[j + 2]?.kind === "string" ? (sig[j + 2]!.value ?? "") : (sig[j + 2]?.text ?? "")) && sig[j + 3]?.text === ",") {
      // 14. DATEADD(day, n, d): a server macro adding whole days to a DATE (DuckDB's DATE +
      //     INTERVAL would be a TIMESTAMP). Other parts are not emulated.
      renamed.set(j, "MEMORY.MAIN.SF_DATEADD_DAY");
      dropped.add(j + 2);
      dropped.add(j + 3);
    } else if (name === "LISTAGG" && upper(sig[close + 1]) === "WITHIN" && upper(sig[close + 2]) === "GROUP" && sig[close + 3]?.text === "(") {
      // 15. LISTAGG(x, sep) WITHIN GROUP (ORDER BY …) is STRING_AGG(x, sep ORDER BY …): dropping
      //     `) WITHIN GROUP (` moves the ORDER BY inside, and its `)` closes the call.
      renamed.set(j, "STRING_AGG");
      for (let x = close; x <= close + 3; x++) dropped.add(x);
      if (upper(sig[close + 4]) === "ORDER") renamed.set(close + 4, " ORDER");
    } else if (name === "TABLE" && upper(sig[j + 2]) === "GENERATOR" && sig[j + 3]?.text === "(" && upper(sig[j + 4]) === "ROWCOUNT" && sig[j + 5]?.text === "=" && sig[j + 6]?.text === ">" && sig[j + 7]?.kind === "number" && sig[j + 8]?.text === ")" && sig[j + 9]?.text === ")") {
      // 16. TABLE(GENERATOR(ROWCOUNT => n)) is DuckDB's RANGE(n) (only ROWCOUNT is emulated).
      renamed.set(j, "RANGE");
      for (const x of [j + 2, j + 3, j + 4, j + 5, j + 6, j + 9]) dropped.add(x);
    } else if (name === "SEQ4" && sig[j + 2]?.text === ")") {
      // SEQ4() numbers generated rows; rcu orders by it only to number them with ROW_NUMBER.
      renamed.set(j, "0");
      dropped.add(j + 1);
      dropped.add(j + 2);
    } else if (name === "INITCAP") {
      // 11. A macro the server defines (SERVER_MACROS above); one argument: Snowflake's
      //     default delimiters.
      renamed.set(j, "MEMORY.MAIN.SF_INITCAP");
      if (topLevelCommas(sig, j + 1, close) === 0) before.set(close, `, ${duckString(INITCAP_DEFAULT_DELIMITERS)}`);
    } else if (name === "DATE_FROM_PARTS") {
      // Snowflake's integers are NUMBER(38,0) (DECIMAL here); DuckDB's MAKE_DATE takes BIGINTs.
      renamed.set(j, "MAKE_DATE");
      after.set(j + 1, "CAST(");
      for (const c of topLevelCommaIndexes(sig, j + 1, close)) {
        before.set(c, " AS BIGINT)");
        after.set(c, " CAST(");
      }
      before.set(close, " AS BIGINT)");
    } else if (name === "TRY_TO_TIMESTAMP" || name === "TO_TIMESTAMP") {
      // 9. With a format: DuckDB's strptime and its % elements; without: a cast.
      const fmt = topLevelCommas(sig, j + 1, close) === 1 ? sig[close - 1] : undefined;
      if (fmt?.kind === "string" && sig[close - 2]?.text === ",") {
        renamed.set(j, name === "TRY_TO_TIMESTAMP" ? "TRY_STRPTIME" : "STRPTIME");
        restring.set(close - 1, strptimeFormat(fmt.value ?? ""));
      } else if (topLevelCommas(sig, j + 1, close) === 0) {
        renamed.set(j, `${name === "TRY_TO_TIMESTAMP" ? "TRY_CAST" : "CAST"}`);
        before.set(close, " AS TIMESTAMP");
      }
    } else if (name === "JSON_EXTRACT_PATH_TEXT" && topLevelCommas(sig, j + 1, close) === 1 && sig[close - 1]?.kind === "string") {
      // 10. Snowflake's path `a.b` is DuckDB's JSONPath `$.a.b`.
      renamed.set(j, "JSON_EXTRACT_STRING");
      restring.set(close - 1, `$.${sig[close - 1]!.value ?? ""}`);
    } else if (FUNCTION_RENAMES[name]) {
      renamed.set(j, FUNCTION_RENAMES[name]!);
    }
  }
}

/** Same function, DuckDB's name. */
const FUNCTION_RENAMES: Record<string, string> = {
  EDITDISTANCE: "LEVENSHTEIN",
  // Snowflake's REGEXP_LIKE matches the whole subject, like DuckDB's regexp_full_match; both take
  // the same option letters for what rcu uses (i, s, c).
  REGEXP_LIKE: "REGEXP_FULL_MATCH",
  RLIKE: "REGEXP_FULL_MATCH",
  DAYOFWEEKISO: "ISODOW",
};

/** Snowflake's INITCAP delimiters when none are given: whitespace and this punctuation. */
const INITCAP_DEFAULT_DELIMITERS = " \t\n\r\f\v!?@\"^#$&~_,.:;+-*%/|\\[](){}<>=";

/** Snowflake timestamp format elements (the ones rcu's field forms use) as DuckDB strptime's. */
const FORMAT_ELEMENTS: Record<string, string> = { YYYY: "%Y", MM: "%m", DD: "%d", HH24: "%H", MI: "%M", SS: "%S" };
function strptimeFormat(fmt: string): string {
  const out = fmt.replace(/YYYY|HH24|MM|DD|MI|SS/g, (e) => FORMAT_ELEMENTS[e]!);
  if (/[A-Za-z]/.test(out.replace(/%[YmdHMS]/g, ""))) throw new SqlSyntaxError(`test server: timestamp format "${fmt}" is not translated`);
  return out;
}

/** Index of the `)` matching the `(` at `open`, or -1. */
export function closingParen(sig: readonly Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < sig.length; j++) {
    if (sig[j]!.text === "(") depth++;
    else if (sig[j]!.text === ")" && --depth === 0) return j;
  }
  return -1;
}

/** Indexes of the commas directly inside the parentheses `open`…`close`. */
export function topLevelCommaIndexes(sig: readonly Token[], open: number, close: number): number[] {
  let depth = 0;
  const out: number[] = [];
  for (let j = open + 1; j < close; j++) {
    const t = sig[j]!.text;
    if (t === "(") depth++;
    else if (t === ")") depth--;
    else if (t === "," && depth === 0) out.push(j);
  }
  return out;
}

const topLevelCommas = (sig: readonly Token[], open: number, close: number): number => topLevelCommaIndexes(sig, open, close).length;

