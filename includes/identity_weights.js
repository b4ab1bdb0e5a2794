// Fellegi–Sunter weights in SQL, for the identity definitions (identity_match.js makes the pairs
// and their comparison vectors):
//   emStatements — m (agreement among matches) estimated by EM over the candidate pairs (both
//                  classes fitted), unrolled into a fixed number of iterations, and the prior of
//                  a random pair;
//   weightParts  — match weight = logit(λ) + Σ log(m/u), with term-frequency adjusted u for exact
//                  agreement on common values (many "Marie Martin" are not one person);
//   levelWeights — the same terms computed once per combination of levels, for large pair sets.

const portable = require("./portable");
const control = require("./control");

const { ident: q, qualify, beside, literal: lit } = require("./relations");

/** Long form (comparison, level, pairs) of a vector relation. */
function levelCounts(vectors, comparisons, weightExpr) {
  return comparisons
    .map((c) => `SELECT ${lit(c.name)} AS comparison, ${q("cmp_" + c.name)} AS level, SUM(${weightExpr}) AS w FROM ${vectors} WHERE ${q("cmp_" + c.name)} >= 0 GROUP BY ${q("cmp_" + c.name)}`)
    .join("\nUNION ALL\n");
}

/** Initial m: strong levels likely among matches, disagreement unlikely. */
function initialM(c, level) {
  const k = c.levels.length;
  if (level === k) return 0.05;
  return (0.95 * Math.pow(0.5, level)) / (2 - Math.pow(0.5, k - 1));
}

/**
 * A pair's match weight (natural log-odds) from a params relation (comparison, level, m, u):
 * `joins` attach each comparison's parameters by level (hash joins on a tiny table), `expr` sums
 * logit(λ) and log(m/u) over the comparisons (0 for a missing attribute). With `tf`, an exact
 * agreement's u is the value's frequency (tf_<name> columns of the vectors). `neutral` maps a
 * comparison name to an SQL condition under which it weighs nothing.
 * With `lookup` ({ relation, alias }: a relation made by levelWeights over the same vectors), each
 * comparison's log(m/u) at its level is read from one join on the levels, computed once per
 * combination of levels rather than once per pair: on eleven million pairs, the ten joins and
 * twenty logarithms per pair were 40 % of pair_scores' statement (9 s → 5.4 s with the lookup).
 * Only a frequency-adjusted agreement takes a logarithm per pair. The terms
 * are the same operations on the same values, so the weights are identical to the bit.
 */
function weightParts({ vectorAlias, params, prior, comparisons, tf, uColumn, neutral, lookup }) {
  const cmpOf = (c) => `${vectorAlias}.${q("cmp_" + c.name)}`;
  const joins = lookup
    ? `JOIN ${lookup.relation} AS ${lookup.alias} ON ${lookup.alias}.levels_key = ${levelsKey(vectorAlias, comparisons)}`
    : comparisons
        .map((c, i) => `LEFT JOIN ${params} AS w${i} ON w${i}.comparison = ${lit(c.name)} AND w${i}.level = ${cmpOf(c)}`)
        .join("\n");
  const terms = comparisons.map((c, i) => {
    const cmp = cmpOf(c);
    const tfU = tf && c.tf ? `${vectorAlias}.${q("tf_" + c.name)}` : null;
    // `neutral[name]`: a condition under which the comparison is no evidence (a shared value).
    const off = neutral && neutral[c.name] ? ` OR (${neutral[c.name]})` : "";
    if (lookup) {
      const L = lookup.alias;
      // term_<i> is 0 for a missing attribute (level < 0) already.
      if (tfU) return `CASE WHEN ${cmp} < 0${off} THEN 0 WHEN ${cmp} = 0 AND ${tfU} IS NOT NULL THEN COALESCE(${L}.ln_m_${i} - LN(GREATEST(${tfU}, 0.000001)), 0) ELSE ${L}.term_${i} END`;
      return off ? `CASE WHEN ${cmp} < 0${off} THEN 0 ELSE ${L}.term_${i} END` : `${L}.term_${i}`;
    }
    const u = `w${i}.${uColumn || "u"}`;
    const uExpr = tfU ? `CASE WHEN ${cmp} = 0 AND ${tfU} IS NOT NULL THEN GREATEST(${tfU}, 0.000001) ELSE ${u} END` : u;
    return `CASE WHEN ${cmp} < 0${off} THEN 0 ELSE COALESCE(LN(w${i}.m) - LN(${uExpr}), 0) END`;
  });
  return { joins, expr: `LN(${prior} / (1 - ${prior})) + ${terms.join("\n    + ")}`, terms };
}

/**
 * The levels of a pair's comparisons as one integer (digits of mixed radix: level + 1 of each
 * comparison, a missing attribute's -1 included): a join on one BIGINT rather than on ten columns
 * (4.4 s of pair_scores' 9 s on eleven million pairs).
 */
function levelsKey(alias, comparisons) {
  let radix = 1;
  const digits = comparisons.map((c) => {
    const d = radix === 1 ? `(${alias}.${q("cmp_" + c.name)} + 1)` : `(${alias}.${q("cmp_" + c.name)} + 1) * ${radix}`;
    radix *= c.levels.length + 2; // levels -1 … levels.length
    return d;
  });
  if (radix > Number.MAX_SAFE_INTEGER) throw new Error(`identity: ${comparisons.length} comparisons have too many levels to key their combinations in a BIGINT`);
  return `CAST(${digits.join(" + ")} AS BIGINT)`;
}

/**
 * Every combination of comparison levels found in `vectors`, with each comparison's weight at its
 * level: term_<i> = log(m/u) (0 for a missing attribute or a level params lacks) and ln_m_<i> =
 * log(m), i the comparison's position, keyed by levelsKey. The relation weightParts' `lookup`
 * joins on: 5,300 rows for eleven million pairs. Every level is non-NULL (comparisonLevel always
 * ends in ELSE), so the equi-join finds each pair's row.
 */
function levelWeights({ vectors, params, comparisons, uColumn }) {
  const levels = comparisons.map((c) => q("cmp_" + c.name));
  const u = uColumn || "u";
  return `SELECT ${levelsKey("lv", comparisons)} AS levels_key, ${comparisons
    .map((c, i) => `CASE WHEN lv.${levels[i]} < 0 THEN 0 ELSE COALESCE(LN(w${i}.m) - LN(w${i}.${u}), 0) END AS term_${i}, LN(w${i}.m) AS ln_m_${i}`)
    .join(",\n  ")}
FROM (SELECT DISTINCT ${levels.join(", ")} FROM ${vectors}) AS lv
${comparisons.map((c, i) => `LEFT JOIN ${params} AS w${i} ON w${i}.comparison = ${lit(c.name)} AND w${i}.level = lv.${levels[i]}`).join("\n")}`;
}

const PRIOR = "__prior__";

/** The match prior λ (for a random pair of records) stored in a params relation by `emStatements`. */
function priorSql(params) {
  return `(SELECT m FROM ${params} WHERE comparison = '${PRIOR}')`;
}

/**
 * EM statements for one set of comparisons over `table`: E-step (match probability p of every
 * pair from m, u_candidates and λ in `P`/`L`), then M-step (u_candidates and λ always; m when
 * `updateM`). Only `comps` enter the weights: the others are left out of this session.
 */
function emLoop({ table, P, L, scratch, comps, iterations, updateM }) {
  const out = [];
  const normalise = (weight, column) => `SELECT comparison, level, (w + 0.0001) / (SUM(w) OVER (PARTITION BY comparison) + 0.0001 * COUNT(*) OVER (PARTITION BY comparison)) AS ${column}
  FROM (${levelCounts(scratch, comps, weight)}) AS s`;
  for (let it = 0; it < iterations; it++) {
    const w = weightParts({ vectorAlias: "v", params: P, prior: `(SELECT match_prior FROM ${L})`, comparisons: comps, tf: false, uColumn: "u_candidates" });
    out.push(...portable.replaceTable(scratch, `AS
SELECT ${comps.map((c) => `v.${q("cmp_" + c.name)}`).join(", ")}, v.total, 1.0 / (1.0 + EXP(-(${w.expr}))) AS p
FROM ${table} AS v
${w.joins}`));
    out.push(...portable.replaceTable(P, `AS
WITH m_new AS (${normalise("p", "m")}), u_new AS (${normalise("1 - p", "u")})
SELECT o.comparison, o.level, ${updateM ? "COALESCE(mn.m, o.m)" : "o.m"} AS m, o.u, COALESCE(un.u, o.u_candidates) AS u_candidates
FROM ${P} AS o
LEFT JOIN m_new AS mn ON mn.comparison = o.comparison AND mn.level = o.level
LEFT JOIN u_new AS un ON un.comparison = o.comparison AND un.level = o.level`));
    // COALESCE: with no pairs AVG is NULL, which LEAST ignores on DuckDB but returns on Snowflake.
    out.push(...portable.replaceTable(L, `AS SELECT GREATEST(LEAST(COALESCE(AVG(p), 0.999), 0.999), 0.000001) AS match_prior FROM ${scratch}`));
  }
  return out;
}

/**
 * Fellegi–Sunter parameters by EM in SQL, the way Splink trains them: in *sessions*, each over the
 * candidate pairs that agree on a training rule (same email, same names, same birth date, …),
 * with the rule's own comparisons left out of that session — blocking makes candidates alike on
 * the blocked attributes, and an EM that saw them would learn the blocking, not the matches. In
 * each session both classes are fitted (m, and u among candidates); a comparison's m is the
 * average over the sessions it took part in. u comes from random pairs (uProbabilities), the
 * right u for any pair. The prior of a random pair is estimated last, with m fixed: the expected
 * number of matches among all candidates over all possible pairs (blocking proposes nearly
 * every match). Pairs are sampled deterministically (at most `sampleSize`, default 100,000, per
 * session) by the BIGINT column `sample_hash` that `vectors` must carry (a hash of the pair; in
 * comparison_vectors, the sum of its two records' hashes), so the cost stays flat as the estate
 * grows.
 *
 * Leaves `params` (comparison, level, m, u, u_candidates), with the prior as the row
 * comparison = '__prior__' (priorSql), so the operation has a single output.
 */
function emStatements({ vectors, uTable, records, params, comparisons, iterations, initialPrior, sampleSize, sessions }) {
  const P = qualify(params);
  const L = beside(params, "__em_prior");
  const scratch = beside(params, "__em_p");
  const sample = beside(params, "__em_sample");
  const sessionSample = beside(params, "__em_session_sample");
  const results = beside(params, "__em_sessions");
  const base = beside(params, "__em_base");
  const limit = sampleSize || 100000;
  const plan = sessions && sessions.length ? sessions : [{ name: "all", where: "TRUE", fixed: [] }];
  const init = comparisons
    .flatMap((c) => Array.from({ length: c.levels.length + 1 }, (_, level) => `SELECT ${lit(c.name)} AS comparison, ${level} AS level, CAST(${initialM(c, level)} AS ${portable.doubleType()}) AS m`))
    .join("\nUNION ALL\n");
  // Sessions sample by the vectors' `sample_hash` column (see comparisonVectors' callers): an MD5
  // per pair per session was most of EM's time at ten million pairs.
  // The levels only: the pairs' keys and other columns, copied into every session's sample and
  // every iteration's table, were most of EM's time at a million records.
  const levels = comparisons.map((c) => `v.${q("cmp_" + c.name)}`).join(", ");
  // The count and the step as uncorrelated scalar subqueries, each evaluated once: as a derived
  // table cross-joined to the vectors, PostgreSQL 15 planned the aggregate as the inner side of a
  // nested loop when comparison_vectors was fresh (no statistics yet) and counted the table again
  // for every row: 208 s for one session's sample of 35,000 pairs, 6 s once analysed.
  const count = (where) => `(SELECT COUNT(*) FROM ${vectors} WHERE ${where})`;
  const sampled = (where) => `SELECT ${levels}, ${count(where)} AS total FROM ${vectors} AS v
WHERE (${where}) AND v.sample_hash % GREATEST(1, CAST(CEIL(${count(where)} / ${limit}.0) AS BIGINT)) = 0`;
  const out = [
    ...portable.replaceTable(base, `AS
SELECT i.comparison, i.level, i.m, COALESCE(u.u, 0.000001) AS u, COALESCE(u.u, 0.000001) AS u_candidates
FROM (${init}) AS i LEFT JOIN ${uTable} AS u ON u.comparison = i.comparison AND u.level = i.level`),
    ...portable.replaceTable(results, `(session ${portable.textType()}, comparison ${portable.textType()}, level INTEGER, m ${portable.doubleType()})`),
  ];
  for (const session of plan) {
    const free = comparisons.filter((c) => !session.fixed.includes(c.name));
    out.push(...portable.replaceTable(sessionSample, `AS ${sampled(session.where)}`));
    out.push(...portable.replaceTable(P, `AS SELECT * FROM ${base}`));
    out.push(...portable.replaceTable(L, `AS SELECT CAST(${initialPrior} AS ${portable.doubleType()}) AS match_prior`));
    out.push(...emLoop({ table: sessionSample, P, L, scratch, comps: free, iterations, updateM: true }));
    out.push(`INSERT INTO ${results} SELECT ${lit(session.name)}, comparison, level, m FROM ${P}
WHERE comparison IN (${free.map((c) => lit(c.name)).join(", ")})`);
  }
  // m: each comparison's average over the sessions it was free in, renormalised per comparison.
  out.push(...portable.replaceTable(P, `AS
WITH averaged AS (SELECT comparison, level, AVG(m) AS m FROM ${results} GROUP BY comparison, level),
normalised AS (SELECT comparison, level, m / SUM(m) OVER (PARTITION BY comparison) AS m FROM averaged)
SELECT b.comparison, b.level, COALESCE(n.m, b.m) AS m, b.u, b.u AS u_candidates
FROM ${base} AS b LEFT JOIN normalised AS n ON n.comparison = b.comparison AND n.level = b.level`));
  // The prior: λ among all candidates with m fixed, scaled to a random pair.
  out.push(...portable.replaceTable(sample, `AS ${sampled("TRUE")}`));
  out.push(...portable.replaceTable(L, `AS SELECT CAST(${initialPrior} AS ${portable.doubleType()}) AS match_prior`));
  out.push(...emLoop({ table: sample, P, L, scratch, comps: comparisons, iterations: Math.max(3, Math.ceil(iterations / 2)), updateM: false }));
  out.push(`INSERT INTO ${P} (comparison, level, m, u, u_candidates)
SELECT '${PRIOR}', 0, GREATEST(LEAST(COALESCE(AVG(p) * MAX(total) / (CAST(n.records AS ${portable.doubleType()}) * (n.records - 1) / 2.0), 0.5), 0.5), 0.0000000001), NULL, NULL
FROM ${scratch} CROSS JOIN (SELECT COUNT(*) AS records FROM ${records}) AS n GROUP BY n.records`);
  for (const t of [scratch, sample, sessionSample, results, base, L]) out.push(`DROP TABLE IF EXISTS ${t}`);
  // Runs of 40 statements as one transaction: one Data API call each on Redshift, not 300.
  return control.transactions(out);
}

module.exports = { levelCounts, emStatements, priorSql, weightParts, levelWeights };
