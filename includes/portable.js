// Engine-portable SQL fragments. rcu sets `rcu_engine` (duckdb, snowflake, redshift, postgres)
// in the compile vars; the official Dataform CLI does not, so DuckDB is the default rendering.
// Definitions call these helpers instead of keeping per-engine copies of SQL.

function engine() {
  const vars = (dataform.projectConfig && dataform.projectConfig.vars) || {};
  return vars.rcu_engine || "duckdb";
}

/** A compile var (rcu.yaml `vars:` or `--vars`), or undefined. */
function projectVar(name) {
  const vars = (dataform.projectConfig && dataform.projectConfig.vars) || {};
  return vars[name];
}

/**
 * A BIGINT hash of a text expression that is the same on every engine: the first `bits` (a
 * multiple of 4 from 4 to 60; default 60) bits of its MD5. Engines' own hashes (DuckDB hash())
 * are faster but differ, so deterministic samples taken with them would differ between engines
 * too. A hash stored in a table should use 52 bits: every client (JavaScript numbers, the
 * Redshift Data API's JSON) reads it exactly, and two of them add up below 2^53.
 */
function md5Hash(expr, bits) {
  const b = bits === undefined ? 60 : bits;
  if (!Number.isInteger(b) || b % 4 !== 0 || b < 4 || b > 60) throw new Error(`md5Hash: bits must be a multiple of 4 from 4 to 60, got ${bits}`);
  const digits = b / 4;
  const hex = `substr(md5(${expr}), 1, ${digits})`;
  switch (engine()) {
    case "duckdb":
      return `CAST(('0x' || ${hex}) AS BIGINT)`;
    case "snowflake":
      return `TO_NUMBER(upper(${hex}), '${"X".repeat(digits)}')`;
    case "redshift":
      return `STRTOL(${hex}, 16)`;
    default:
      return `('x' || ${hex})::bit(${b})::bigint`;
  }
}

/** One row per day from `start` to `end` (inclusive, ISO dates), in a column named `column`. */
function dateSpine(start, end, column) {
  const col = column || "date_day";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) {
    throw new Error(`dateSpine expects ISO dates (YYYY-MM-DD), got "${start}" and "${end}"`);
  }
  switch (engine()) {
    case "duckdb":
      return `SELECT CAST(range AS DATE) AS ${col} FROM range(DATE '${start}', DATE '${end}' + INTERVAL 1 DAY, INTERVAL 1 DAY)`;
    case "snowflake": {
      // GENERATOR needs a constant row count; SEQ4 may have gaps, ROW_NUMBER over it has none.
      // (A recursive CTE would stop at Snowflake's MAX_RECURSIONS, 100 by default.)
      const days = Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86400000) + 1;
      return `SELECT CAST(DATEADD('day', ROW_NUMBER() OVER (ORDER BY SEQ4()) - 1, CAST('${start}' AS DATE)) AS DATE) AS ${col} FROM TABLE(GENERATOR(ROWCOUNT => ${Math.max(0, days)}))`;
    }
    default:
      // ANSI recursive CTE: slower, but every engine rcu targets runs it.
      return `WITH RECURSIVE spine(${col}) AS (SELECT CAST('${start}' AS DATE) UNION ALL SELECT CAST(${col} + INTERVAL '1' DAY AS DATE) FROM spine WHERE ${col} < CAST('${end}' AS DATE)) SELECT ${col} FROM spine`;
  }
}

/** ISO day of week, 1 = Monday … 7 = Sunday. */
function isoDayOfWeek(expr) {
  switch (engine()) {
    case "duckdb":
      return `isodow(${expr})`;
    case "snowflake":
      return `DAYOFWEEKISO(${expr})`;
    default:
      return `EXTRACT(ISODOW FROM ${expr})`;
  }
}

/**
 * Pre-operations for a statement that self-joins blocks of records (candidate_pairs): PostgreSQL
 * estimates a block key joined back to its records at a few rows (it multiplies the columns'
 * selectivities) and plans the self-join as a nested loop; at 10k people on PostgreSQL 15 that
 * compared 388M row pairs, 54.7 s, against 0.5 s with hash joins. SET LOCAL holds for the action's
 * transaction only. Other engines plan hash joins already.
 */
function hashJoinsOnly() {
  return engine() === "postgres" ? ["SET LOCAL enable_nestloop = off"] : [];
}

/** A timestamp from text, NULL (not an error) when it does not parse. */
function tryTimestamp(expr) {
  switch (engine()) {
    case "duckdb":
    case "snowflake":
      return `TRY_CAST(${expr} AS TIMESTAMP)`;
    default:
      // Bracket classes, not \d: Redshift reads a backslash in a string literal as an escape.
      return `CASE WHEN ${expr} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN CAST(${expr} AS TIMESTAMP) END`;
  }
}

/** A DATE as 'YYYYMMDD' text (compared character by character for typos). */
function dateKey(expr) {
  switch (engine()) {
    case "duckdb":
      return `strftime(${expr}, '%Y%m%d')`;
    default:
      return `to_char(${expr}, 'YYYYMMDD')`;
  }
}

/** Upper-case letters and digits only (identifiers typed with spaces, dots or dashes). */
function alnumUpper(expr) {
  switch (engine()) {
    case "snowflake":
      return `NULLIF(upper(regexp_replace(COALESCE(${expr}, ''), '[^0-9A-Za-z]', '')), '')`;
    default:
      return `NULLIF(upper(regexp_replace(COALESCE(${expr}, ''), '[^0-9A-Za-z]', '', 'g')), '')`;
  }
}

/** The text type for CAST(… AS …): Redshift's bare VARCHAR is VARCHAR(256), too short for raw text. */
function textType() {
  return engine() === "redshift" ? "VARCHAR(65535)" : "VARCHAR";
}

/**
 * `MATERIALIZED ` for a CTE read several times, where the engine would otherwise inline it at
 * every reference (DuckDB; PostgreSQL 12+ accepts it too); empty elsewhere.
 */
function materialized() {
  const e = engine();
  return e === "duckdb" || e === "postgres" ? "MATERIALIZED " : "";
}

/** The 64-bit floating-point type for CAST(… AS …) and column lists. */
function doubleType() {
  switch (engine()) {
    case "postgres":
    case "redshift":
      return "DOUBLE PRECISION";
    default:
      return "DOUBLE";
  }
}

/**
 * Statements that (re)create table `name` (qualified SQL) as `rest` — "AS SELECT …" or a column
 * list: CREATE OR REPLACE TABLE where the engine has it, else DROP TABLE IF EXISTS then CREATE.
 */
function replaceTable(name, rest) {
  switch (engine()) {
    case "postgres":
    case "redshift": {
      // CASCADE: views over the table (assertions, match_edges) would block the drop; they are
      // actions downstream of it, so the same run creates them again (as the dialects' rebuilds do).
      if (!rest.includes(name)) return [`DROP TABLE IF EXISTS ${name} CASCADE`, `CREATE TABLE ${name} ${rest}`];
      // The new contents read the old table: built beside it, then swapped in.
      const m = /^(.*)\.("(?:[^"]|"")*")$/.exec(name);
      if (!m) throw new Error(`replaceTable expects a qualified, quoted name, got ${name}`);
      const next = `${m[1]}.${m[2].slice(0, -1)}__rcu_next"`;
      return [
        `DROP TABLE IF EXISTS ${next}`,
        `CREATE TABLE ${next} ${rest}`,
        `DROP TABLE IF EXISTS ${name} CASCADE`,
        `ALTER TABLE ${next} RENAME TO ${m[2]}`,
      ];
    }
    default:
      return [`CREATE OR REPLACE TABLE ${name} ${rest}`];
  }
}

/**
 * A `(VALUES (…), …) AS name(columns)` relation of literal rows, as given (the same text) where
 * the engine has VALUES in FROM; on Redshift, which has not, the same rows as
 * `(SELECT … AS column, … UNION ALL SELECT …) AS name`. Rows hold literals only: quoted strings,
 * numbers, NULL.
 */
function valuesRelation(sql) {
  if (engine() !== "redshift") return sql;
  const m = /^\s*\(\s*VALUES\s*([\s\S]*)\)\s*AS\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)\s*$/i.exec(sql);
  if (!m) throw new Error("valuesRelation expects (VALUES (…), …) AS name(columns)");
  const columns = m[3].split(",").map((c) => c.trim());
  const rows = [];
  let row = null;
  let cell = "";
  for (let i = 0; i < m[1].length; i++) {
    const c = m[1][i];
    if (c === "'") {
      const start = i;
      for (i++; i < m[1].length; i++) if (m[1][i] === "'" && m[1][i + 1] !== "'") break; else if (m[1][i] === "'") i++;
      cell += m[1].slice(start, i + 1);
    } else if (c === "(" && row === null) row = [];
    else if (c === ")" && row !== null) { row.push(cell.trim()); rows.push(row); row = null; cell = ""; }
    else if (c === "," && row !== null) { row.push(cell.trim()); cell = ""; }
    else if (row !== null) cell += c;
  }
  for (const r of rows) if (r.length !== columns.length) throw new Error(`valuesRelation: a row has ${r.length} values for ${columns.length} columns`);
  const selects = rows.map((r, k) => `SELECT ${r.map((v, j) => (k === 0 ? `${v} AS ${columns[j]}` : v)).join(", ")}`);
  return `(\n  ${selects.join("\n  UNION ALL ")}\n) AS ${m[2]}`;
}

/** A DECIMAL(18,2) from text, NULL when it does not parse. */
function tryDecimal(expr) {
  switch (engine()) {
    case "duckdb":
    case "snowflake":
      return `TRY_CAST(${expr} AS DECIMAL(18,2))`;
    default:
      return `CASE WHEN trim(${expr}) ~ '^[-+]?[0-9]+([.][0-9]*)?$' THEN CAST(trim(${expr}) AS DECIMAL(18,2)) END`;
  }
}

/** A BIGINT from text (whole numbers only), NULL when it does not parse. */
function tryInteger(expr) {
  switch (engine()) {
    case "duckdb":
    case "snowflake":
      return `TRY_CAST(${expr} AS BIGINT)`;
    default:
      return `CASE WHEN trim(${expr}) ~ '^[-+]?[0-9]{1,18}$' THEN CAST(trim(${expr}) AS BIGINT) END`;
  }
}

/** Whole seconds from timestamp `a` to timestamp `b`. */
function secondsBetween(a, b) {
  switch (engine()) {
    case "duckdb":
      return `date_diff('second', ${a}, ${b})`;
    case "snowflake":
      return `DATEDIFF('second', ${a}, ${b})`;
    case "redshift":
      return `DATEDIFF(second, ${a}, ${b})`;
    default:
      return `CAST(EXTRACT(EPOCH FROM (${b} - ${a})) AS BIGINT)`;
  }
}

/** Whole days from date `a` to date `b` (calendar days). */
function daysBetween(a, b) {
  switch (engine()) {
    case "duckdb":
      return `date_diff('day', CAST(${a} AS DATE), CAST(${b} AS DATE))`;
    case "snowflake":
      return `DATEDIFF('day', CAST(${a} AS DATE), CAST(${b} AS DATE))`;
    case "redshift":
      return `DATEDIFF(day, CAST(${a} AS DATE), CAST(${b} AS DATE))`;
    default:
      return `(CAST(${b} AS DATE) - CAST(${a} AS DATE))`;
  }
}

/** The date `n` days after date expression `d` (n may be negative). */
function addDays(d, n) {
  switch (engine()) {
    case "snowflake":
      return `DATEADD('day', ${Number(n)}, CAST(${d} AS DATE))`;
    case "redshift":
      return `CAST(DATEADD(day, ${Number(n)}, CAST(${d} AS DATE)) AS DATE)`;
    default:
      return `CAST(CAST(${d} AS DATE) + ${Number(n)} * INTERVAL '1' DAY AS DATE)`;
  }
}

/** Distinct values of `expr` joined by `sep`, in ascending order (string_agg / LISTAGG). */
function stringAggDistinct(expr, sep) {
  const l = "'" + String(sep).split("'").join("''") + "'";
  switch (engine()) {
    case "snowflake":
    case "redshift":
      return `LISTAGG(DISTINCT ${expr}, ${l}) WITHIN GROUP (ORDER BY ${expr})`;
    default:
      return `string_agg(DISTINCT ${expr}, ${l} ORDER BY ${expr})`;
  }
}

/** Lower-case hex SHA-256 of a text expression (the same as the TypeScript dialects' sha256Hex). */
function sha256Hex(expr) {
  switch (engine()) {
    case "duckdb":
      return `sha256(${expr})`;
    case "postgres":
      return `encode(sha256(convert_to(${expr}, 'UTF8')), 'hex')`;
    default:
      return `lower(SHA2(${expr}, 256))`;
  }
}

// Field forms of rcu.yaml mappings that need engine-specific SQL (identity/config.ts fieldSchema,
// docs/identity.md). Both identity_model.js and star_model.js render them through fieldForm().

/** JSON paths the `{ json, path }` form accepts: dotted object keys (`line1`, `address.city`). */
const JSON_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The text at `path` (dotted keys) of a column holding JSON text; NULL when the key is absent. */
function jsonText(expr, path) {
  if (!JSON_PATH.test(path)) throw new Error(`JSON path must be dotted keys (a.b), got "${path}"`);
  switch (engine()) {
    case "snowflake":
      return `JSON_EXTRACT_PATH_TEXT(${expr}, '${path}')`;
    case "redshift":
      return `JSON_EXTRACT_PATH_TEXT(${expr}, ${path.split(".").map((k) => `'${k}'`).join(", ")}, TRUE)`;
    case "postgres":
      return `(CAST(${expr} AS json) #>> '{${path.split(".").join(",")}}')`;
    default:
      return `json_extract_string(${expr}, '$.${path}')`;
  }
}

/**
 * Timestamp format elements the `{ timestamp, format }` form accepts (Snowflake / Oracle /
 * PostgreSQL names), with DuckDB's strptime equivalent; separators: space - / . : ,
 */
const TIMESTAMP_FORMAT_ELEMENTS = { YYYY: "%Y", MM: "%m", DD: "%d", HH24: "%H", MI: "%M", SS: "%S" };
const TIMESTAMP_FORMAT = /^(YYYY|MM|DD|HH24|MI|SS|[-/ .:,])+$/;

/** A timestamp parsed from text in `format` (see above), NULL when it does not parse. */
function parseTimestamp(expr, format) {
  if (!TIMESTAMP_FORMAT.test(format)) throw new Error(`unsupported timestamp format "${format}" (elements: ${Object.keys(TIMESTAMP_FORMAT_ELEMENTS).join(", ")}; separators: space - / . : ,)`);
  switch (engine()) {
    case "snowflake":
      return `TRY_TO_TIMESTAMP(${expr}, '${format}')`;
    case "duckdb":
      return `try_strptime(${expr}, '${format.replace(/YYYY|MM|DD|HH24|MI|SS/g, (e) => TIMESTAMP_FORMAT_ELEMENTS[e])}')`;
    case "postgres":
    case "redshift": {
      // to_timestamp raises on bad input: only text of the format's shape (field ranges included)
      // reaches it, so the form gives NULL like the others. Bracketed separators: no backslashes,
      // which Redshift string literals would read as escapes.
      const shapes = { YYYY: "[0-9]{4}", MM: "(0[1-9]|1[0-2])", DD: "(0[1-9]|[12][0-9]|3[01])", HH24: "([01][0-9]|2[0-3])", MI: "[0-5][0-9]", SS: "[0-5][0-9]" };
      const re = "^" + format.replace(/YYYY|MM|DD|HH24|MI|SS|./g, (e) => shapes[e] || `[${e}]`) + "$";
      return `CASE WHEN ${expr} ~ '${re}' THEN CAST(to_timestamp(${expr}, '${format}') AS TIMESTAMP) END`;
    }
    default:
      throw new Error(`{ timestamp, format } has no formulation for engine ${engine()} yet`);
  }
}

/**
 * The engine-specific field forms of a mapping, or undefined for the other forms (column name,
 * { sql }, { value }), which the caller renders. `q` quotes a column name.
 */
function fieldForm(f, q) {
  if (f === null || typeof f !== "object") return undefined;
  if (typeof f.json === "string") return jsonText(q(f.json), f.path);
  if (typeof f.timestamp === "string") return parseTimestamp(q(f.timestamp), f.format);
  return undefined;
}

module.exports = {
  JSON_PATH, TIMESTAMP_FORMAT, TIMESTAMP_FORMAT_ELEMENTS, jsonText, parseTimestamp, fieldForm,
  engine, dateSpine, isoDayOfWeek, tryTimestamp, dateKey, alnumUpper,
  textType, tryDecimal, tryInteger, secondsBetween, daysBetween, addDays, stringAggDistinct, sha256Hex,
  hashJoinsOnly, doubleType, materialized, replaceTable, projectVar, md5Hash, valuesRelation,
};
