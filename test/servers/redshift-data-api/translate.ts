/**
 * What the Data API test server does so that valid Redshift SQL runs on PGlite (PostgreSQL 17):
 * a few rewrites of the SQL text, and compatibility functions created in the database when the
 * server starts. Only what rcu's SQL uses; everything else runs as sent.
 *
 * Rewrites (outside string literals, quoted identifiers and comments):
 * 1. `DATEDIFF(<datepart>, a, b)` / `DATEADD(<datepart>, n, d)`: the bare datepart keyword becomes
 *    a string literal (`datediff('day', a, b)`), for the compatibility functions below.
 * 2. `LISTAGG([DISTINCT] x, sep) WITHIN GROUP (ORDER BY y)` → `string_agg([DISTINCT] x, sep ORDER BY y)`.
 *
 * Compatibility functions (Redshift built-ins PostgreSQL lacks or types differently):
 * `datediff(text, timestamp, timestamp)` (whole boundaries crossed, as Redshift counts them, for
 * second/minute/hour/day/week/month/year), `dateadd(text, bigint, timestamp)`, `strtol(text, int)`
 * (base 16 only), `sha2(text, int)` (256 only), `json_extract_path_text(text, VARIADIC text[])`
 * (Redshift takes JSON as VARCHAR) and its forms with a trailing null_if_invalid boolean (up to
 * three keys; invalid JSON gives NULL, as on Redshift), and `regexp_replace(text, text, text)`, which replaces every
 * match as on Redshift (PostgreSQL's three-argument form replaces the first only): it lives in
 * `public`, which the server puts before `pg_catalog` in the search_path.
 *
 * String literals: the server sets standard_conforming_strings off, so backslashes in '…' are
 * escapes as on Redshift (sql_text.js doubles them for Redshift).
 */

export const COMPATIBILITY_FUNCTIONS = `
CREATE OR REPLACE FUNCTION datediff(part text, a timestamp, b timestamp) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE lower(part)
    WHEN 'second' THEN CAST(EXTRACT(EPOCH FROM date_trunc('second', b)) - EXTRACT(EPOCH FROM date_trunc('second', a)) AS bigint)
    WHEN 'minute' THEN CAST((EXTRACT(EPOCH FROM date_trunc('minute', b)) - EXTRACT(EPOCH FROM date_trunc('minute', a))) / 60 AS bigint)
    WHEN 'hour' THEN CAST((EXTRACT(EPOCH FROM date_trunc('hour', b)) - EXTRACT(EPOCH FROM date_trunc('hour', a))) / 3600 AS bigint)
    WHEN 'day' THEN CAST(CAST(b AS date) - CAST(a AS date) AS bigint)
    WHEN 'week' THEN CAST((CAST(date_trunc('week', b) AS date) - CAST(date_trunc('week', a) AS date)) / 7 AS bigint)
    WHEN 'month' THEN CAST((EXTRACT(YEAR FROM b) - EXTRACT(YEAR FROM a)) * 12 + EXTRACT(MONTH FROM b) - EXTRACT(MONTH FROM a) AS bigint)
    WHEN 'year' THEN CAST(EXTRACT(YEAR FROM b) - EXTRACT(YEAR FROM a) AS bigint)
  END
$$;
CREATE OR REPLACE FUNCTION dateadd(part text, n bigint, d timestamp) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
  SELECT d + n * CAST('1 ' || lower(part) AS interval)
$$;
CREATE OR REPLACE FUNCTION strtol(s text, base int) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN base = 16 THEN CAST(CAST('x' || lpad(s, 16, '0') AS bit(64)) AS bigint) END
$$;
CREATE OR REPLACE FUNCTION sha2(s text, bits int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN bits = 256 THEN encode(sha256(convert_to(s, 'UTF8')), 'hex') END
$$;
CREATE OR REPLACE FUNCTION public.regexp_replace(s text, pattern text, replacement text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT pg_catalog.regexp_replace(s, pattern, replacement, 'g')
$$;
CREATE OR REPLACE FUNCTION json_extract_path_text(j text, VARIADIC path text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT json_extract_path_text(CAST(j AS json), VARIADIC path)
$$;
CREATE OR REPLACE FUNCTION rcu_json_path_or_null(j text, path text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN json_extract_path_text(CAST(j AS json), VARIADIC path);
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION json_extract_path_text(j text, k1 text, null_if_invalid boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN null_if_invalid THEN rcu_json_path_or_null(j, ARRAY[k1]) ELSE json_extract_path_text(CAST(j AS json), k1) END
$$;
CREATE OR REPLACE FUNCTION json_extract_path_text(j text, k1 text, k2 text, null_if_invalid boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN null_if_invalid THEN rcu_json_path_or_null(j, ARRAY[k1, k2]) ELSE json_extract_path_text(CAST(j AS json), k1, k2) END
$$;
CREATE OR REPLACE FUNCTION json_extract_path_text(j text, k1 text, k2 text, k3 text, null_if_invalid boolean) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN null_if_invalid THEN rcu_json_path_or_null(j, ARRAY[k1, k2, k3]) ELSE json_extract_path_text(CAST(j AS json), k1, k2, k3) END
$$;
`;

/** Index just past the parenthesis closing the one opened before `start` (literals skipped). */
function closing(sql: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < sql.length && depth > 0) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")") depth--;
    i++;
  }
  return i;
}

/** A run of SQL text: code, a string literal, a quoted identifier or a comment. */
export interface Segment {
  readonly kind: "code" | "string" | "identifier" | "comment";
  readonly text: string;
}

/** `sql` cut into segments (doubled quotes stay inside their literal); joined, they give `sql`. */
export function segments(sql: string): Segment[] {
  const out: Segment[] = [];
  let code = "";
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let end = -1;
    let kind: Segment["kind"] = "comment";
    if (c === "'" || c === '"') {
      kind = c === "'" ? "string" : "identifier";
      end = i + 1;
      for (;;) {
        const j = sql.indexOf(c, end);
        if (j < 0) { end = sql.length; break; }
        if (sql[j + 1] === c) { end = j + 2; continue; }
        end = j + 1;
        break;
      }
    } else if (c === "-" && sql[i + 1] === "-") {
      const j = sql.indexOf("\n", i);
      end = j < 0 ? sql.length : j;
    } else if (c === "/" && sql[i + 1] === "*") {
      const j = sql.indexOf("*/", i + 2);
      end = j < 0 ? sql.length : j + 2;
    }
    if (end < 0) {
      code += c;
      i++;
    } else {
      out.push({ kind: "code", text: code }, { kind, text: sql.slice(i, end) });
      code = "";
      i = end;
    }
  }
  out.push({ kind: "code", text: code });
  return out;
}

/** Spans of `sql` outside literals, quoted identifiers and comments, rewritten by `fn`. */
function outsideLiterals(sql: string, fn: (code: string) => string): string {
  return segments(sql).map((s) => (s.kind === "code" ? fn(s.text) : s.text)).join("");
}

export function redshiftToPostgres(sql: string): string {
  if (!/DATEDIFF|DATEADD|LISTAGG/i.test(sql)) return sql;
  let out = outsideLiterals(sql, (code) => code.replace(/\b(DATEDIFF|DATEADD)\s*\(\s*([A-Za-z]+)\s*,/gi, (_m, f: string, part: string) => `${f.toLowerCase()}('${part.toLowerCase()}',`));
  // LISTAGG(args) WITHIN GROUP (ORDER BY …) → string_agg(args ORDER BY …)
  for (;;) {
    const m = /\bLISTAGG\s*\(/i.exec(out);
    if (!m) break;
    const argsStart = m.index + m[0].length;
    const argsEnd = closing(out, argsStart); // just past ')'
    const rest = /^\s*WITHIN\s+GROUP\s*\(\s*(ORDER\s+BY\s+)/i.exec(out.slice(argsEnd));
    if (!rest) break;
    const orderStart = argsEnd + rest[0].length;
    const orderEnd = closing(out, orderStart);
    out = `${out.slice(0, m.index)}string_agg(${out.slice(argsStart, argsEnd - 1)} ORDER BY ${out.slice(orderStart, orderEnd - 1)})${out.slice(orderEnd)}`;
  }
  return out;
}
