// Engine-portable SQL fragments. rcu sets `rcu_engine` (duckdb, snowflake, redshift, postgres)
// in the compile vars; the official Dataform CLI does not, so DuckDB is the default rendering.
// Definitions call these helpers instead of keeping per-engine copies of SQL.

function engine() {
  const vars = (dataform.projectConfig && dataform.projectConfig.vars) || {};
  return vars.rcu_engine || "duckdb";
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
 * String similarity in [0, 1] (Jaro–Winkler where the engine has it), in whole percent: Snowflake's
 * JAROWINKLER_SIMILARITY answers an integer 0–100, so DuckDB's score is rounded the same way and a
 * threshold such as 0.92 links the same pairs on both (unrounded, one cluster of 400 people
 * differed in the cross-engine test).
 */
function similarity(a, b) {
  switch (engine()) {
    case "duckdb":
      return `(round(100 * jaro_winkler_similarity(${a}, ${b})) / 100.0)`;
    case "snowflake":
      return `(JAROWINKLER_SIMILARITY(${a}, ${b}) / 100.0)`;
    default:
      throw new Error(`similarity() has no formulation for engine ${engine()} yet`);
  }
}

/** Levenshtein edit distance. */
function editDistance(a, b) {
  switch (engine()) {
    case "duckdb":
    case "postgres":
      return `levenshtein(${a}, ${b})`;
    case "snowflake":
      return `EDITDISTANCE(${a}, ${b})`;
    default:
      throw new Error(`editDistance() has no formulation for engine ${engine()} yet`);
  }
}

/** A timestamp from text, NULL (not an error) when it does not parse. */
function tryTimestamp(expr) {
  switch (engine()) {
    case "duckdb":
    case "snowflake":
      return `TRY_CAST(${expr} AS TIMESTAMP)`;
    default:
      return `CASE WHEN ${expr} ~ '^\\d{4}-\\d{2}-\\d{2}' THEN CAST(${expr} AS TIMESTAMP) END`;
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
    default:
      // to_timestamp raises on bad input on PostgreSQL and Redshift; no NULL-on-failure form yet.
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
  engine, dateSpine, isoDayOfWeek, similarity, editDistance, tryTimestamp, dateKey, alnumUpper,
  textType, tryDecimal, tryInteger, secondsBetween, daysBetween, addDays, stringAggDistinct, sha256Hex,
};
