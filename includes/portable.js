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

module.exports = { engine, dateSpine, isoDayOfWeek };
