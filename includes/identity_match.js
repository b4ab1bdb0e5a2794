// Probabilistic record linkage in SQL: which pairs are compared, and how, for the identity
// definitions. Their weights (m, u, EM, match weight) are in identity_weights.js.
//
// The pieces, each a function returning SQL text built from rcu's own column names (never from
// record values):
//   candidatePairs  — blocking as a UNION of equi-joins (never one OR-join, which engines can only
//                     run as a cross product), with oversized blocks skipped so the number of
//                     pairs per record stays bounded;
//   comparisonLevel — one CASE per attribute: -1 when either side is missing, 0..k-1 for the
//                     agreement levels in order (first true wins), k for "disagrees";
//   comparisonVectors — every pair's levels, with similarities and edit distances computed once
//                     per pair where they are plain SQL;
//   uProbabilities  — u (agreement by chance) from random record pairs: records are put in a
//                     random order (a hash of their id) and paired with their next few.
//
// A comparison: { name, columns: [...], levels: [{ label, when }], tf?: "column" }, where `when` is
// an SQL condition over `l.<column>` and `r.<column>`.

const portable = require("./portable");
const similarity = require("./similarity");

const { levelCounts } = require("./identity_weights");

const { ident: q, literal: lit } = require("./relations");

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
 * `pairs` with the columns computed once per pair (see comparisonVectors), as CTEs (`ctes`, for
 * the statement's WITH) and the relation to read (`from`): expressions over the records l and r
 * ({ column, sql }), edit distances of two expressions over l and r ({ column, editsOf }), and
 * similarities of l.a and r.b ({ column, similarityOf }).
 *
 * Where these are plain SQL (Redshift), they are counted over character positions without a
 * correlated subquery: the compared values of every pair are listed once as distinct strings
 * (k, a, b), k naming the column, joined with the positions and grouped
 * (similarity.similarityCountsCtes, editDistanceByStrings), and joined back to the pairs on
 * (k, a, b). Redshift decorrelates a correlated subquery only in the patterns its planner knows,
 * and real clusters have refused some it does not document; a join grouped by the strings runs
 * on any engine, and counts each pair of names once however many record pairs carry it. Then
 * each similarity's Jaro score, then its Jaro–Winkler score, in two more layers.
 */
function scoredPairs(pairs, records, id, columns) {
  const sims = columns.filter((c) => c.similarityOf);
  const edits = columns.filter((c) => c.editsOf);
  const compared = [...new Set(sims.flatMap(({ similarityOf: [a, b] }) => [`l.${a}`, `r.${b}`]))].sort();
  const carriedAs = (side) => q(side.replace(".", "_"));
  const carried = (side) => `c.${carriedAs(side)}`;
  const editSide = (c, i) => q(`${i ? "r" : "l"}_${c.column}`);
  const named = (prefix, column) => q(`${prefix}_${column.replace(/^jw_/, "")}`);
  const layer = (from, alias, selected) => `(SELECT ${alias}.*, ${selected.join(",\n    ")}\n  FROM ${from}\n  OFFSET 0)`;
  const base = `SELECT p.*, ${[
    ...columns.filter((c) => c.sql).map((c) => `${c.sql} AS ${q(c.column)}`),
    ...compared.map((side) => `${side} AS ${carriedAs(side)}`),
    ...edits.flatMap((c) => c.editsOf.map((x, i) => `${x} AS ${editSide(c, i)}`)),
  ].join(",\n    ")}
  FROM ${pairs} AS p
  JOIN ${records} AS l ON l.${q(id)} = p.id_l
  JOIN ${records} AS r ON r.${q(id)} = p.id_r`;
  // The distinct pairs of strings compared, one row per column compared (k) and pair of values.
  const strings = (items, a, b) => `SELECT DISTINCT s.k, s.a, s.b FROM (
    SELECT x.k, CASE x.k ${items.map((c, i) => `WHEN ${i + 1} THEN ${a(c)}`).join(" ")} END AS a, CASE x.k ${items.map((c, i) => `WHEN ${i + 1} THEN ${b(c)}`).join(" ")} END AS b
    FROM scored_base AS c CROSS JOIN (${items.map((_, i) => `SELECT ${i + 1} AS k`).join(" UNION ALL ")}) AS x
  ) AS s WHERE s.a IS NOT NULL AND s.b IS NOT NULL AND s.a <> s.b`;
  const simA = ({ similarityOf: [a] }) => carried(`l.${a}`);
  const simB = ({ similarityOf: [, b] }) => carried(`r.${b}`);
  const editA = (c) => `c.${editSide(c, 0)}`;
  const editB = (c) => `c.${editSide(c, 1)}`;
  const ctes = [`scored_base AS (${base})`];
  if (sims.length) ctes.push(`scored_strings AS (${strings(sims, simA, simB)})`, ...similarity.similarityCountsCtes("scored_strings", "scored_counts"));
  if (edits.length) ctes.push(`scored_edit_strings AS (${strings(edits, editA, editB)})`, `scored_edits AS (${similarity.editDistanceByStrings("scored_edit_strings")})`);
  if (!sims.length && !edits.length) return { ctes, from: "scored_base" };
  const joinOn = (table, alias, k, a, b) => `LEFT JOIN ${table} AS ${alias} ON ${alias}.k = ${k} AND ${alias}.a = ${a} AND ${alias}.b = ${b}`;
  const counted = `(SELECT c.*, ${[
    ...sims.map((s, i) => `k${i + 1}.v AS ${named("counts", s.column)}`),
    ...edits.map((e, i) => `${similarity.editDistanceOfRow(editA(e), editB(e), `e${i + 1}.v`)} AS ${q(e.column)}`),
  ].join(",\n    ")}
  FROM scored_base AS c
  ${[...sims.map((s, i) => joinOn("scored_counts", `k${i + 1}`, i + 1, simA(s), simB(s))), ...edits.map((e, i) => joinOn("scored_edits", `e${i + 1}`, i + 1, editA(e), editB(e)))].join("\n  ")}
  OFFSET 0)`;
  if (!sims.length) return { ctes, from: counted };
  const sides = (s) => [simA(s), simB(s)];
  const jaro = layer(`${counted} AS c`, "c", sims.map((s) => `${similarity.jaroOfCounts(`c.${named("counts", s.column)}`, ...sides(s))} AS ${named("jaro", s.column)}`));
  return { ctes, from: layer(`${jaro} AS c`, "c", sims.map((s) => `${similarity.similarityOfJaro(`c.${named("jaro", s.column)}`, ...sides(s))} AS ${q(s.column)}`)) };
}

/**
 * Comparison vector of every pair in `pairs` (id_l, id_r: values of the records' `id` column)
 * against `records`; the pair is named by the records' `key` column (default: `id`).
 */
function comparisonVectors(options) {
  const { ctes, select } = vectorParts(options);
  return ctes.length ? `WITH ${ctes.join(",\n")}\n${select}` : select;
}

/** comparisonVectors as the CTEs its WITH needs and the SELECT, for a caller with CTEs of its own. */
function vectorParts({ pairs, records, id, key, comparisons, extra, joins, countRecords, shareRecords }) {
  const k = key || id;
  // `shareRecords`: `records` is a query (a subquery in parentheses), written once in a CTE that
  // both sides of the pair read, rather than once per side: with a dozen person sources its
  // text (term frequencies, shared-identifier flags) was 7 KB, twice, of a Redshift statement
  // held under the Data API's 100 KB.
  const side = shareRecords ? "compared_records" : records;
  // Where similarity and edit distance are plain SQL (Redshift), they are computed once per pair
  // (scoredPairs), and the levels read them as p.<column>: inlined at each level that reads them,
  // they were 13 KB of the 65 KB comparison vectors of a twelve-source project there, whose Data
  // API refuses a statement over 100 KB. `countRecords`: a narrower relation holding the compared
  // columns, when `records` is a heavy query. OFFSET 0 keeps each inner query whole: PostgreSQL
  // (the Redshift test server's engine) otherwise pulls it up and evaluates its expressions once
  // per reference.
  const once = new Map(comparisons.flatMap((c) => c.perPair || []).map((s) => [s.column, s]));
  const scored = once.size ? scoredPairs(pairs, countRecords || records, id, [...once.values()]) : null;
  const ctes = [...(shareRecords ? [`compared_records AS ${portable.materialized()}${records}`] : []), ...(scored ? scored.ctes : [])];
  const select = `SELECT l.${q(k)} AS id_l, r.${q(k)} AS id_r${extra ? ", " + extra : ""},
  ${comparisons.map(comparisonLevel).join(",\n  ")}
FROM ${scored ? scored.from : pairs} AS p
JOIN ${side} AS l ON l.${q(id)} = p.id_l
JOIN ${side} AS r ON r.${q(id)} = p.id_r${joins ? "\n" + joins : ""}`;
  return { ctes, select };
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
  const vectors = vectorParts({ pairs: `(${pairs})`, records, id, comparisons });
  // The vectors once, in a CTE read by every comparison's count: inlined, DuckDB computed them
  // once per comparison (and the Redshift Data API takes at most 100 KB of SQL a statement).
  // Every level, seen or not: a level no random pair showed gets the smoothed share of a zero
  // count (0.5 / about as many pairs as were drawn), not an arbitrary floor. With a floor of 1e-6,
  // a 2,000-record estate (8,000 random pairs) weighed a never-seen level like a million-pair one.
  const levels = comparisons
    .flatMap((c) => Array.from({ length: c.levels.length + 1 }, (_, level) => `SELECT ${lit(c.name)} AS comparison, ${level} AS level`))
    .join("\nUNION ALL\n");
  return `WITH ${vectors.ctes.map((c) => c + ",\n").join("")}random_vectors AS ${portable.materialized()}(
${vectors.select}
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

module.exports = { randomPairs, candidatePairs, comparisonLevel, scoredPairs, comparisonVectors, uProbabilities };
