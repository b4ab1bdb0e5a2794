// Probabilistic record linkage in SQL (Fellegi–Sunter), for the identity definitions.
//
// The pieces, each a function returning SQL text built from rcu's own column names (never from
// record values):
//   candidatePairs  — blocking as a UNION of equi-joins (never one OR-join, which engines can only
//                     run as a cross product), with oversized blocks skipped so the number of
//                     pairs per record stays bounded;
//   comparisonLevels — one CASE per attribute: -1 when either side is missing, 0..k-1 for the
//                     agreement levels in order (first true wins), k for "disagrees";
//   uProbabilities  — u (agreement by chance) from random record pairs: records are ordered by a
//                     hash and each is paired with the records `offsets` positions further on;
//   emStatements    — m (agreement among matches) and the match prior λ estimated by EM over the
//                     candidate pairs, unrolled into a fixed number of iterations (u stays fixed);
//   scores          — match weight = logit(λ) + Σ log(m/u), with term-frequency adjusted u for
//                     exact agreement on common values (many "Marie Martin" are not one person).
//
// A comparison: { name, columns: [...], levels: [{ label, when }], tf?: "column" }, where `when` is
// an SQL condition over `l.<column>` and `r.<column>`.

const portable = require("./portable");

function q(id) {
  return '"' + String(id).split('"').join('""') + '"';
}
/** A relation given as { schema, name } or as already-qualified SQL (e.g. ctx.self()). */
function qualify(rel) {
  return typeof rel === "string" ? rel : `${q(rel.schema)}.${q(rel.name)}`;
}
/** A scratch relation beside `rel`: the same schema, the name with a suffix. */
function beside(rel, suffix) {
  const s = qualify(rel);
  return s.endsWith('"') ? `${s.slice(0, -1)}${suffix}"` : `${s}${suffix}`;
}
function lit(s) {
  return "'" + String(s).split("'").join("''") + "'";
}

/** Hash of a text expression to a BIGINT, for deterministic sampling. */
function hash64(expr) {
  switch (portable.engine()) {
    case "duckdb":
      return `CAST(hash(${expr}) % 9223372036854775807 AS BIGINT)`;
    default:
      return `('x' || substr(md5(${expr}), 1, 15))::bit(60)::bigint`;
  }
}

/**
 * Candidate pairs (id_l < id_r) from blocking rules. A rule is { name, on: [[leftCol, rightCol], ...] };
 * symmetric rules use the same column on both sides; asymmetric ones (first name against last name)
 * catch swapped fields.
 */
function candidatePairs({ records, id, rules, maxBlockSize }) {
  const parts = rules.map((rule) => {
    const leftCols = rule.on.map((p) => p[0]);
    const rightCols = rule.on.map((p) => p[1]);
    const symmetric = leftCols.every((c, i) => c === rightCols[i]);
    const side = (cols, alias) => `(SELECT * FROM (SELECT *, COUNT(*) OVER (PARTITION BY ${cols.map(q).join(", ")}) AS block_size FROM ${records} WHERE ${cols.map((c) => `${q(c)} IS NOT NULL`).join(" AND ")}) AS b WHERE block_size <= ${maxBlockSize}) AS ${alias}`;
    const on = rule.on.map(([lc, rc]) => `l.${q(lc)} = r.${q(rc)}`).join(" AND ");
    return `SELECT CASE WHEN l.${q(id)} < r.${q(id)} THEN l.${q(id)} ELSE r.${q(id)} END AS id_l,
       CASE WHEN l.${q(id)} < r.${q(id)} THEN r.${q(id)} ELSE l.${q(id)} END AS id_r,
       ${lit(rule.name)} AS rule
FROM ${side(leftCols, "l")} JOIN ${side(rightCols, "r")} ON ${on} AND l.${q(id)} ${symmetric ? "<" : "<>"} r.${q(id)}`;
  });
  return `SELECT id_l, id_r, MIN(rule) AS first_rule, COUNT(*) AS rules_matched FROM (
${parts.join("\nUNION ALL\n")}
) AS blocked GROUP BY id_l, id_r`;
}

/** `CASE … END AS cmp_<name>` for one comparison. */
function comparisonLevel(c) {
  const missing = c.columns.map((col) => `l.${q(col)} IS NULL OR r.${q(col)} IS NULL`).join(" OR ");
  const whens = c.levels.map((lv, i) => `WHEN ${lv.when} THEN ${i}`).join(" ");
  return `CASE WHEN ${missing} THEN -1 ${whens} ELSE ${c.levels.length} END AS ${q("cmp_" + c.name)}`;
}

/** Comparison vector of every pair in `pairs` (id_l, id_r) against `records`. */
function comparisonVectors({ pairs, records, id, comparisons, extra }) {
  return `SELECT p.id_l, p.id_r${extra ? ", " + extra : ""},
  ${comparisons.map(comparisonLevel).join(",\n  ")}
FROM ${pairs} AS p
JOIN ${records} AS l ON l.${q(id)} = p.id_l
JOIN ${records} AS r ON r.${q(id)} = p.id_r`;
}

/** Long form (comparison, level, pairs) of a vector relation. */
function levelCounts(vectors, comparisons, weightExpr) {
  return comparisons
    .map((c) => `SELECT ${lit(c.name)} AS comparison, ${q("cmp_" + c.name)} AS level, SUM(${weightExpr}) AS w FROM ${vectors} WHERE ${q("cmp_" + c.name)} >= 0 GROUP BY ${q("cmp_" + c.name)}`)
    .join("\nUNION ALL\n");
}

/** u-probabilities from `samples` random pairs: (comparison, level, u). */
function uProbabilities({ records, id, comparisons, offsets }) {
  const ranked = `(SELECT *, ROW_NUMBER() OVER (ORDER BY ${hash64(`CAST(${q(id)} AS VARCHAR)`)}, ${q(id)}) AS rn, COUNT(*) OVER () AS n FROM ${records}) `;
  const pairs = offsets
    .map((k) => `SELECT a.${q(id)} AS id_l, b.${q(id)} AS id_r FROM ${ranked} AS a JOIN ${ranked} AS b ON b.rn = ((a.rn + ${k} - 1) % a.n) + 1`)
    .join("\nUNION ALL\n");
  const vectors = `(${comparisonVectors({ pairs: `(${pairs})`, records, id, comparisons })}) AS v`;
  return `WITH counts AS (
${levelCounts(vectors, comparisons, "1")}
)
SELECT comparison, level, (w + 0.5) / (SUM(w) OVER (PARTITION BY comparison) + 0.5 * COUNT(*) OVER (PARTITION BY comparison)) AS u
FROM counts`;
}

/** Initial m: strong levels likely among matches, disagreement unlikely. */
function initialM(c, level) {
  const k = c.levels.length;
  if (level === k) return 0.05;
  return (0.95 * Math.pow(0.5, level)) / (2 - Math.pow(0.5, k - 1));
}

/** SQL for a pair's match weight from a params relation (comparison, level, m, u) and λ. */
function weightSql({ vectorAlias, params, lambda, comparisons, tf }) {
  const terms = comparisons.map((c) => {
    const cmp = `${vectorAlias}.${q("cmp_" + c.name)}`;
    const m = `(SELECT m FROM ${params} AS pm WHERE pm.comparison = ${lit(c.name)} AND pm.level = ${cmp})`;
    const u = `(SELECT u FROM ${params} AS pu WHERE pu.comparison = ${lit(c.name)} AND pu.level = ${cmp})`;
    const tfU = tf && c.tf ? `${vectorAlias}.${q("tf_" + c.name)}` : null;
    const uExpr = tfU ? `CASE WHEN ${cmp} = 0 AND ${tfU} IS NOT NULL THEN GREATEST(${tfU}, 0.000001) ELSE ${u} END` : u;
    return `CASE WHEN ${cmp} < 0 THEN 0 ELSE COALESCE(LN(${m}) - LN(${uExpr}), 0) END`;
  });
  return `LN(${lambda} / (1 - ${lambda})) + ${terms.join("\n    + ")}`;
}

/**
 * EM statements: from `vectors` (a table) and `uTable` (comparison, level, u), leave `params`
 * (comparison, level, m, u), with the prior λ as the row comparison = '__prior__' (see priorSql).
 */
const PRIOR = "__prior__";

/** The match prior λ stored in a params relation by `emStatements`. */
function priorSql(params) {
  return `(SELECT m FROM ${params} WHERE comparison = '${PRIOR}')`;
}

function emStatements({ vectors, uTable, params, comparisons, iterations, priorLambda }) {
  const P = qualify(params);
  const L = beside(params, "__em_prior");
  const scratch = beside(params, "__em_p");
  const init = comparisons
    .flatMap((c) => Array.from({ length: c.levels.length + 1 }, (_, level) => `SELECT ${lit(c.name)} AS comparison, ${level} AS level, CAST(${initialM(c, level)} AS DOUBLE) AS m`))
    .join("\nUNION ALL\n");
  const out = [
    `CREATE OR REPLACE TABLE ${P} AS
SELECT i.comparison, i.level, i.m, COALESCE(u.u, 0.000001) AS u
FROM (${init}) AS i LEFT JOIN ${uTable} AS u ON u.comparison = i.comparison AND u.level = i.level`,
    `CREATE OR REPLACE TABLE ${L} AS SELECT CAST(${priorLambda} AS DOUBLE) AS match_prior`,
  ];
  for (let it = 0; it < iterations; it++) {
    out.push(`CREATE OR REPLACE TABLE ${scratch} AS
SELECT v.*, 1.0 / (1.0 + EXP(-(${weightSql({ vectorAlias: "v", params: P, lambda: `(SELECT match_prior FROM ${L})`, comparisons, tf: false })}))) AS p
FROM ${vectors} AS v`);
    out.push(`CREATE OR REPLACE TABLE ${P} AS
WITH sums AS (
${levelCounts(scratch, comparisons, "p")}
), normalised AS (
  SELECT comparison, level, (w + 0.0001) / (SUM(w) OVER (PARTITION BY comparison) + 0.0001 * COUNT(*) OVER (PARTITION BY comparison)) AS m FROM sums
)
SELECT o.comparison, o.level, COALESCE(n.m, 0.0001) AS m, o.u
FROM ${P} AS o LEFT JOIN normalised AS n ON n.comparison = o.comparison AND n.level = o.level`);
    out.push(`CREATE OR REPLACE TABLE ${L} AS SELECT GREATEST(LEAST(AVG(p), 0.999), 0.000001) AS match_prior FROM ${scratch}`);
  }
  // The prior joins the parameters as one more row, so the operation has a single output.
  out.push(`INSERT INTO ${P} (comparison, level, m, u) SELECT '${PRIOR}', 0, match_prior, NULL FROM ${L}`);
  out.push(`DROP TABLE IF EXISTS ${scratch}`);
  out.push(`DROP TABLE IF EXISTS ${L}`);
  return out;
}

module.exports = { candidatePairs, comparisonLevel, comparisonVectors, uProbabilities, emStatements, priorSql, weightSql, hash64 };
