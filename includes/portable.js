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
    default:
      return `EXTRACT(ISODOW FROM ${expr})`;
  }
}

/** String similarity in [0, 1] (Jaro–Winkler where the engine has it). */
function similarity(a, b) {
  switch (engine()) {
    case "duckdb":
      return `jaro_winkler_similarity(${a}, ${b})`;
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

module.exports = {
  engine, dateSpine, isoDayOfWeek, similarity, editDistance, tryTimestamp, dateKey, alnumUpper,
  textType, tryDecimal, tryInteger, secondsBetween, daysBetween, addDays, stringAggDistinct, sha256Hex,
};
