// Probabilistic record linkage in SQL (Fellegi–Sunter), for the identity definitions.
//
// The pieces, each a function returning SQL text built from rcu's own column names (never from
// record values):
//   candidatePairs  — blocking as a UNION of equi-joins (never one OR-join, which engines can only
//                     run as a cross product), with oversized blocks skipped so the number of
//                     pairs per record stays bounded;
//   comparisonLevels — one CASE per attribute: -1 when either side is missing, 0..k-1 for the
//                     agreement levels in order (first true wins), k for "disagrees";
//   uProbabilities  — u (agreement by chance) from random record pairs: records are put in a
//                     random order (a hash of their id) and paired with their next few;
//   emStatements    — m (agreement among matches) estimated by EM over the candidate pairs
//                     (both classes fitted), unrolled into a fixed number of iterations, and the
//                     prior of a random pair;
//   scores          — match weight = logit(λ) + Σ log(m/u), with term-frequency adjusted u for
//                     exact agreement on common values (many "Marie Martin" are not one person).
//
// A comparison: { name, columns: [...], levels: [{ label, when }], tf?: "column" }, where `when` is
// an SQL condition over `l.<column>` and `r.<column>`.

const portable = require("./portable");
const control = require("./control");
const similarity = require("./similarity");

const { ident: q, qualify, beside, literal: lit } = require("./relations");

/**
 * Candidate pairs (id_l < id_r) from blocking rules. A rule is { name, on: [[leftCol, rightCol], ...] };
 * symmetric rules use the same column on both sides; asymmetric ones (first name against last name)
 * catch swapped fields. `id` is a unique column of `records`; an integer one (person_records'
 * record_num) keeps the joins and the de-duplication of pairs on integers — joining record keys
 * back onto ten million pairs was a third of this step.
 *
 * Each side of a rule keeps only the records of blocks of 2 to `maxBlockSize` records: the block
 * keys are counted once (GROUP BY … HAVING) and the records joined to them, so singletons — most
 * records, for the finer rules — never reach a symmetric rule's pair join, and a symmetric rule's side is
 * written once (a CTE) for both ends of its self-join. (Counting with a window over every record
 * on each side took 7× longer on a million records.)
 *
 * A pair proposed by several rules is kept once, with the number of rules (`rules_matched`) and
 * the first of their names in code-point order (`first_rule`). The rules are carried as their rank
 * in that order and named after the GROUP BY: the minimum of an integer, not of a text, over
 * eighteen million rows (candidate_pairs 11 s → 7-8 s at a million records, the same pairs), and
 * the same rule on every engine whatever its collation.
 *
 * A rule may read its blocks `from` another relation holding the same `id` column: identifiers
 * seen many times per record (record_sightings: each device an account logged in on). A record
 * then sits in several blocks of one rule, so that rule's pairs are made distinct before the
 * union, and `rules_matched` still counts rules, not shared values.
 */
function candidatePairs({ records, id, rules, maxBlockSize }) {
  const ctes = [];
  const byName = rules.map((r) => r.name).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const rank = (name) => byName.indexOf(name);
  const parts = rules.map((rule, i) => {
    const leftCols = rule.on.map((p) => p[0]);
    const rightCols = rule.on.map((p) => p[1]);
    const symmetric = leftCols.every((c, j) => c === rightCols[j]);
    // A symmetric rule pairs records within a block, so a block of one record pairs nothing; an
    // asymmetric one pairs a block on the left with another on the right, of any size.
    const minSize = symmetric ? 2 : 1;
    const from = rule.from || records;
    const side = (cols, name) => {
      const notNull = cols.map((c) => `${q(c)} IS NOT NULL`).join(" AND ");
      ctes.push(`${name}_keys AS (
  SELECT ${cols.map(q).join(", ")} FROM ${from} AS b WHERE ${notNull}
  GROUP BY ${cols.map(q).join(", ")} HAVING COUNT(*) BETWEEN ${minSize} AND ${Number(maxBlockSize)}
), ${name} AS (
  SELECT r.${q(id)} AS id, ${cols.map((c) => `r.${q(c)}`).join(", ")} FROM ${from} AS r
  JOIN ${name}_keys AS k ON ${cols.map((c) => `k.${q(c)} = r.${q(c)}`).join(" AND ")}
)`);
      return name;
    };
    const left = side(leftCols, `block_${i}_l`);
    const right = symmetric ? left : side(rightCols, `block_${i}_r`);
    const on = rule.on.map(([lc, rc]) => `l.${q(lc)} = r.${q(rc)}`).join(" AND ");
    return `SELECT ${rule.from ? "DISTINCT " : ""}CASE WHEN l.id < r.id THEN l.id ELSE r.id END AS id_l,
       CASE WHEN l.id < r.id THEN r.id ELSE l.id END AS id_r,
       ${rank(rule.name)} AS rule
FROM ${left} AS l JOIN ${right} AS r ON ${on} AND l.id ${symmetric ? "<" : "<>"} r.id`;
  });
  return `WITH ${ctes.join(",\n")}
SELECT id_l, id_r, CASE MIN(rule) ${byName.map((name, k) => `WHEN ${k} THEN ${lit(name)}`).join(" ")} END AS first_rule, COUNT(*) AS rules_matched FROM (
${parts.join("\nUNION ALL\n")}
) AS blocked GROUP BY id_l, id_r`;
}

/**
 * `CASE … END AS cmp_<name>` for one comparison: -1 when a value is missing, or when the
 * comparison's `neutralWhen` holds (another comparison already weighs that evidence).
 */
function comparisonLevel(c) {
  const missing = [...c.columns.map((col) => `l.${q(col)} IS NULL OR r.${q(col)} IS NULL`), ...(c.neutralWhen ? [`(${c.neutralWhen})`] : [])].join(" OR ");
  const whens = c.levels.map((lv, i) => `WHEN ${lv.when} THEN ${i}`).join(" ");
  return `CASE WHEN ${missing} THEN -1 ${whens} ELSE ${c.levels.length} END AS ${q("cmp_" + c.name)}`;
}

/**
 * `pairs` with the columns computed once per pair (see comparisonVectors): expressions over the
 * records l and r ({ column, sql }), and similarities of l.a and r.b ({ column, similarityOf }),
 * in three layers: the counts behind each similarity (with the compared values carried along),
 * its Jaro score, then its Jaro–Winkler score.
 */
function scoredPairs(pairs, records, id, columns) {
  const sims = columns.filter((c) => c.similarityOf);
  const compared = [...new Set(sims.flatMap(({ similarityOf: [a, b] }) => [`l.${a}`, `r.${b}`]))].sort();
  const carriedAs = (side) => q(side.replace(".", "_"));
  const carried = (side) => `c.${carriedAs(side)}`;
  const named = (prefix, column) => q(`${prefix}_${column.replace(/^jw_/, "")}`);
  const layer = (from, alias, selected) => `(SELECT ${alias}.*, ${selected.join(",\n    ")}\n  FROM ${from}\n  OFFSET 0)`;
  const counted = layer(`${pairs} AS p\n  JOIN ${records} AS l ON l.${q(id)} = p.id_l\n  JOIN ${records} AS r ON r.${q(id)} = p.id_r`, "p", [
    ...columns.filter((c) => c.sql).map((c) => `${c.sql} AS ${q(c.column)}`),
    ...compared.map((side) => `${side} AS ${carriedAs(side)}`),
    ...sims.map(({ column, similarityOf: [a, b] }) => `${similarity.similarityCounts(`l.${a}`, `r.${b}`)} AS ${named("counts", column)}`),
  ]);
  if (!sims.length) return counted;
  const sides = ({ similarityOf: [a, b] }) => [carried(`l.${a}`), carried(`r.${b}`)];
  const jaro = layer(`${counted} AS c`, "c", sims.map((s) => `${similarity.jaroOfCounts(`c.${named("counts", s.column)}`, ...sides(s))} AS ${named("jaro", s.column)}`));
  return layer(`${jaro} AS c`, "c", sims.map((s) => `${similarity.similarityOfJaro(`c.${named("jaro", s.column)}`, ...sides(s))} AS ${q(s.column)}`));
}

/**
 * Comparison vector of every pair in `pairs` (id_l, id_r: values of the records' `id` column)
 * against `records`; the pair is named by the records' `key` column (default: `id`).
 */
function comparisonVectors({ pairs, records, id, key, comparisons, extra, joins, countRecords, shareRecords }) {
  const k = key || id;
  // `shareRecords`: `records` is a query (a subquery in parentheses), written once in a CTE that
  // both sides of the pair read, rather than once per side: with a dozen person sources its
  // text (term frequencies, shared-identifier flags) was 7 KB, twice, of a Redshift statement
  // held under the Data API's 100 KB.
  const side = shareRecords ? "compared_records" : records;
  const withRecords = shareRecords ? `WITH compared_records AS ${portable.materialized()}${records}\n` : "";
  // Where similarity and edit distance are plain SQL (Redshift), they are computed once per pair
  // in inner queries over the pairs (scoredPairs), which the levels read as p.<column>: inlined
  // at each level that reads them, they were 13 KB of the 65 KB comparison vectors of a
  // twelve-source project there, whose Data API refuses a statement over 100 KB. `countRecords`: a
  // narrower relation holding the compared columns, when `records` is a heavy query. OFFSET 0
  // keeps each inner query whole: PostgreSQL (the Redshift test server's engine) otherwise pulls
  // it up and evaluates the counting subquery once per reference, which made a 400-person build
  // time out.
  const once = new Map(comparisons.flatMap((c) => c.perPair || []).map((s) => [s.column, s]));
  const from = once.size ? scoredPairs(pairs, countRecords || records, id, [...once.values()]) : pairs;
  return `${withRecords}SELECT l.${q(k)} AS id_l, r.${q(k)} AS id_r${extra ? ", " + extra : ""},
  ${comparisons.map(comparisonLevel).join(",\n  ")}
FROM ${from} AS p
JOIN ${side} AS l ON l.${q(id)} = p.id_l
JOIN ${side} AS r ON r.${q(id)} = p.id_r${joins ? "\n" + joins : ""}`;
}

/** Long form (comparison, level, pairs) of a vector relation. */
function levelCounts(vectors, comparisons, weightExpr) {
  return comparisons
    .map((c) => `SELECT ${lit(c.name)} AS comparison, ${q("cmp_" + c.name)} AS level, SUM(${weightExpr}) AS w FROM ${vectors} WHERE ${q("cmp_" + c.name)} >= 0 GROUP BY ${q("cmp_" + c.name)}`)
    .join("\nUNION ALL\n");
}

/**
 * Random record pairs (id_l < id_r), for u-probabilities. Records are put in a random order (a
 * hash of their id) and each is paired with the next `pairsPerRecord` records in that order, up
 * to `maxPairs` pairs in all (past it, the farthest offset is kept for a share of the records
 * only, so the sample's size follows the estate's smoothly).
 *
 * Why a window, and not buckets or ranks: adding or erasing a record changes only the pairs of the
 * few records beside it in that order, never the whole sample (pairing by rank — records 1–8, 9–16
 * — shifts every record after it, re-drawing u and moving borderline matches: an erasure must not
 * re-resolve other people). Buckets by hash (records sharing hash % b, b a power of two) kept that
 * too, but the number of buckets had to jump from b to 2b somewhere as an estate grew: the run
 * that crossed it drew half as many pairs, and every level no random pair showed (whose u is the
 * smoothed zero count, 0.5 / pairs) lost ln 2 = 0.69 of weight at once.
 */
function randomPairs({ records, id, hash, pairsPerRecord, maxPairs }) {
  const window = Math.max(1, Math.floor(Number(pairsPerRecord) || 4));
  const most = Number(maxPairs) || 2000000;
  // `hash`: a column of records already holding portable.md5Hash of the record (person_records.record_hash).
  const recordHash = hash ? `r.${q(hash)}` : portable.md5Hash(`CAST(r.${q(id)} AS VARCHAR)`);
  const ordered = `(SELECT r.${q(id)} AS id, ${recordHash} AS h, ROW_NUMBER() OVER (ORDER BY ${recordHash}, r.${q(id)}) AS pos FROM ${records} AS r)`;
  const offsets = Array.from({ length: window }, (_, k) => `SELECT ${k + 1} AS k`).join(" UNION ALL ");
  // Offsets per record: `window`, or maxPairs / records when that is fewer; the offset beyond its
  // whole part is kept for that fraction of the records (by their hash's low 20 bits, which the
  // order, set by the high bits, leaves random).
  const perRecord = `LEAST(${window}.0, ${most}.0 / CAST(COUNT(*) AS ${portable.doubleType()}))`;
  return `SELECT CASE WHEN a.id < b.id THEN a.id ELSE b.id END AS id_l, CASE WHEN a.id < b.id THEN b.id ELSE a.id END AS id_r
FROM ${ordered} AS a
CROSS JOIN (${offsets}) AS o
CROSS JOIN (SELECT ${perRecord} AS per_record FROM ${records}) AS n
JOIN ${ordered} AS b ON b.pos = a.pos + o.k
WHERE a.h % 1048576 < (n.per_record - (o.k - 1)) * 1048576`;
}

/** u-probabilities (comparison, level, u) from the vectors of randomPairs. */
function uProbabilities({ records, id, hash, comparisons, pairsPerRecord, maxPairs }) {
  const pairs = randomPairs({ records, id, hash, pairsPerRecord, maxPairs });
  const vectorsSql = comparisonVectors({ pairs: `(${pairs})`, records, id, comparisons });
  // The vectors once, in a CTE read by every comparison's count: inlined, DuckDB computed them
  // once per comparison (and the Redshift Data API takes at most 100 KB of SQL a statement).
  // Every level, seen or not: a level no random pair showed gets the smoothed share of a zero
  // count (0.5 / about as many pairs as were drawn), not an arbitrary floor. With a floor of 1e-6,
  // a 2,000-record estate (8,000 random pairs) weighed a never-seen level like a million-pair one.
  const levels = comparisons
    .flatMap((c) => Array.from({ length: c.levels.length + 1 }, (_, level) => `SELECT ${lit(c.name)} AS comparison, ${level} AS level`))
    .join("\nUNION ALL\n");
  return `WITH random_vectors AS ${portable.materialized()}(
${vectorsSql}
), counts AS (
${levelCounts("random_vectors", comparisons, "1")}
), all_levels AS (
${levels}
), filled AS (
  SELECT a.comparison, a.level, COALESCE(c.w, 0) AS w
  FROM all_levels AS a LEFT JOIN counts AS c ON c.comparison = a.comparison AND c.level = a.level
)
SELECT comparison, level, (w + 0.5) / (SUM(w) OVER (PARTITION BY comparison) + 0.5 * COUNT(*) OVER (PARTITION BY comparison)) AS u
FROM filled`;
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

module.exports = { randomPairs, candidatePairs, comparisonLevel, comparisonVectors, uProbabilities, emStatements, priorSql, weightParts, levelWeights };
