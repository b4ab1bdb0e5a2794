// String similarity and edit distance in each engine's SQL: the built-ins where an engine has
// them (DuckDB, Snowflake; PostgreSQL's fuzzystrmatch), rcu's own PL/pgSQL Jaro–Winkler on
// PostgreSQL, and plain SQL over character positions on Redshift, which has neither. Kept apart
// from portable.js (the other engine-specific fragments) because this is the one part with
// algorithms of its own, and the identity model is its only user.

const { engine } = require("./portable");

/**
 * String similarity in [0, 1] (Jaro–Winkler where the engine has it), in whole percent: Snowflake's
 * JAROWINKLER_SIMILARITY answers an integer 0–100, so DuckDB's score is rounded the same way and a
 * threshold such as 0.92 links the same pairs on both (unrounded, one cluster of 400 people
 * differed in the cross-engine test).
 *
 * On PostgreSQL it is rcu's own PL/pgSQL function (similaritySetup: the textbook algorithm, equal
 * to DuckDB's on every pair of ASCII keys tested), rounded as numeric: half away from zero, as DuckDB rounds.
 * On Redshift, which runs no PL/pgSQL in a query, it is plain SQL, about 9 KB per call, with a
 * correlated subquery (similarityCounts), which Redshift runs only if its planner can decorrelate
 * it: the standard model never inlines it there, but counts each pair of strings once in a join
 * grouped by the strings — similarityCountsByStrings, then jaroOfCounts, then similarityOfJaro,
 * as identity_match.scoredPairs does (see similarityInPlainSql). Inlined, it is the reference the
 * tests compare that path with.
 */
function similarity(a, b) {
  switch (engine()) {
    case "duckdb":
      return `(round(100 * jaro_winkler_similarity(${a}, ${b})) / 100.0)`;
    case "snowflake":
      return `(JAROWINKLER_SIMILARITY(${a}, ${b}) / 100.0)`;
    case "postgres":
      return `(round(CAST(100 * ${JARO_WINKLER_FUNCTION}(${a}, ${b}) AS NUMERIC)) / 100.0)`;
    case "redshift":
      return similarityOfCounts(similarityCounts(a, b), a, b);
    default:
      throw new Error(`similarity() has no formulation for engine ${engine()} yet`);
  }
}

/**
 * Whether similarity() is plain SQL on this engine (no built-in Jaro–Winkler). Then a statement
 * comparing strings counts them with similarityCountsByStrings (identity_match.scoredPairs)
 * rather than inlining similarity() per use: inlined, the comparison vectors were 97 KB of SQL on
 * Redshift, whose Data API refuses a statement over 100 KB, and each copy was a correlated
 * subquery.
 */
function similarityInPlainSql() {
  return engine() === "redshift";
}

const JARO_WINKLER_FUNCTION = "rcu_jaro_winkler";

/**
 * Statements creating what similarity() calls, for a table that runs before every table using it
 * (person_records: its dependents start after it commits, so two of them never create the function
 * at once). PostgreSQL: rcu_jaro_winkler(a, b), Jaro–Winkler as DuckDB computes it (window
 * max(|a|, |b|) / 2 - 1, the first free match in it, half the out-of-order matches as
 * transpositions, Winkler's bonus of 0.1 per common leading character, at most 4, when Jaro is
 * over 0.7). In the schema first on the search_path; rcu's user needs CREATE there. The plain-SQL
 * form took 177 s of a 235 s identity run at 10k people on PostgreSQL 15, nearly all of it in
 * u_probabilities, whose random pairs have different names (equal names are answered without
 * counting). Other engines need nothing.
 */
function similaritySetup() {
  if (engine() !== "postgres") return [];
  return [`CREATE OR REPLACE FUNCTION ${JARO_WINKLER_FUNCTION}(a text, b text) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $rcu$
DECLARE
  la int := length(a); lb int := length(b); w int; m int := 0; t int := 0; k int := 1; p int := 0;
  am boolean[]; bm boolean[]; jaro double precision;
BEGIN
  IF a = b THEN RETURN 1.0; END IF;
  IF la = 0 OR lb = 0 THEN RETURN 0.0; END IF;
  w := GREATEST(GREATEST(la, lb) / 2 - 1, 0);
  am := array_fill(false, ARRAY[la]);
  bm := array_fill(false, ARRAY[lb]);
  FOR i IN 1..la LOOP
    FOR j IN GREATEST(1, i - w)..LEAST(lb, i + w) LOOP
      IF NOT bm[j] AND substr(a, i, 1) = substr(b, j, 1) THEN
        am[i] := true; bm[j] := true; m := m + 1;
        EXIT;
      END IF;
    END LOOP;
  END LOOP;
  IF m = 0 THEN RETURN 0.0; END IF;
  FOR i IN 1..la LOOP
    IF am[i] THEN
      WHILE NOT bm[k] LOOP k := k + 1; END LOOP;
      IF substr(a, i, 1) <> substr(b, k, 1) THEN t := t + 1; END IF;
      k := k + 1;
    END IF;
  END LOOP;
  jaro := (CAST(m AS double precision) / la + CAST(m AS double precision) / lb + CAST(m - t / 2 AS double precision) / m) / 3.0;
  IF jaro > 0.7 THEN
    WHILE p < LEAST(4, la, lb) AND substr(a, p + 1, 1) = substr(b, p + 1, 1) LOOP p := p + 1; END LOOP;
    jaro := jaro + p * 0.1 * (1 - jaro);
  END IF;
  RETURN jaro;
END
$rcu$`];
}

/**
 * Positions 1 … 100 as a derived table `alias(tens, i)`, built from two UNION ALLs of digits: no
 * VALUES list in FROM (Redshift has none), no generate_series (leader-node only on Redshift).
 * Filter on `tens` as well as `i` (tens < n AND i <= n): PostgreSQL pushes the first into the
 * tens digits, so a string of 7 characters makes 10 positions rather than 100; that was a third
 * of the similarity's time on PostgreSQL.
 */
function positions(alias) {
  const digits = (d) => `(SELECT 0 AS ${d} ${[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `UNION ALL SELECT ${n}`).join(" ")})`;
  return `(SELECT t.d * 10 AS tens, t.d * 10 + u.e + 1 AS i FROM ${digits("d")} AS t CROSS JOIN ${digits("e")} AS u) AS ${alias}`;
}

/**
 * The counts behind Jaro–Winkler, in plain SQL (Redshift has no built-in and runs no PL/pgSQL in a
 * query; PostgreSQL once used it too, see similaritySetup): the
 * matching characters m and the transpositions t of two strings, as one BIGINT m * 1000 + t (both
 * are at most 100), or NULL when either string is NULL or empty or the two are equal
 * (similarityOfCounts answers those without counting). A correlated scalar subquery over
 * character positions (countsOverPositions; the grouped form is similarityCountsByStrings), with
 * no window function, which a grouped query could not hold either:
 * - matching characters: the k-th occurrence of a character in `a` matches the k-th occurrence of
 *   the same character in `b` (found with regexp_instr) when it lies within the Jaro window
 *   max(|a|, |b|) / 2 - 1. The textbook greedy matching takes the first unmatched occurrence in
 *   the window instead; both agree unless a repeated letter's occurrences are out of step.
 * - transpositions: half the matched characters of `a` involved in an inversion (pairs whose
 *   partners in `b` are in the opposite order), rounded down; the textbook count is half the
 *   positions where the two matched sequences differ (the same for swaps of adjacent letters).
 * Strings longer than 100 characters are compared on their first 100.
 */
function similarityCounts(a, b) {
  const c = countsOverPositions(a, b);
  return `(CASE WHEN ${a} IS NULL OR ${b} IS NULL OR ${a} = ${b} OR length(${a}) = 0 OR length(${b}) = 0 THEN NULL ELSE (SELECT ${c.value} FROM ${c.from} WHERE ${c.where}) END)`;
}

/** similarityCounts' aggregate over the positions of `a` (p, q), for one pair of strings. */
function countsOverPositions(a, b) {
  const la = `length(${a})`;
  const lb = `length(${b})`;
  const w = `(GREATEST(${la}, ${lb}) / 2 - 1)`;
  const ch = (p) => `substr(${a}, ${p}.i, 1)`;
  // Occurrences of the character at p in a[1..p] (replace() counts without regular expressions).
  const occ = (p) => `${p}.i - length(replace(substr(${a}, 1, ${p}.i), ${ch(p)}, ''))`;
  // Position in b of the same occurrence of that character (a bracket expression matches it
  // literally; only '^' and a backslash, which matching keys never contain, would not).
  const partner = (p) => `regexp_instr(${b}, '[' || ${ch(p)} || ']', 1, ${occ(p)})`;
  // One reference to the partner (BETWEEN would evaluate it twice); 0 is "no such occurrence".
  const matched = (p) => `ABS(NULLIF(${partner(p)}, 0) - ${p}.i) <= ${w}`;
  // Each position's match is tested once (on its row with q = 1), not once per row.
  const m = `COUNT(CASE WHEN q.i = 1 AND ${matched("p")} THEN 1 END)`;
  // Both orders of a pair are rows, so counting the distinct p of inverted rows counts every
  // character involved in an inversion. The rarest test first (PostgreSQL evaluates AND left to
  // right): few pairs are out of order, most characters are matched.
  const inverted = `(p.i - q.i) * (${partner("p")} - ${partner("q")}) < 0 AND ${matched("p")} AND ${matched("q")}`;
  const t = `COUNT(DISTINCT CASE WHEN ${inverted} THEN p.i END) / 2`;
  return {
    value: `CAST(${m} * 1000 + ${t} AS BIGINT)`,
    from: `${positions("p")} CROSS JOIN ${positions("q")}`,
    where: `p.tens < ${la} AND q.tens < ${la} AND p.i <= ${la} AND q.i <= ${la}`,
  };
}

/**
 * similarityCounts without a correlated subquery: for every row (k, a, b) of the relation
 * `strings` (distinct pairs of strings, neither NULL, different), the counts as `v`, computed by
 * joining the positions and grouping. Redshift runs a correlated subquery only when its planner
 * can decorrelate it, and real clusters have refused patterns it does not document as
 * unsupported; a join grouped by the strings is what it would have to produce anyway. Grouping by
 * the strings rather than by the record pair also counts each pair of names once, however many
 * record pairs carry it. Empty strings get no row, which reads as NULL, as similarityCounts gives.
 */
function similarityCountsByStrings(strings) {
  const c = countsOverPositions("s.a", "s.b");
  return `SELECT s.k, s.a, s.b, ${c.value} AS v
FROM ${strings} AS s CROSS JOIN ${c.from}
WHERE length(s.a) > 0 AND length(s.b) > 0 AND ${c.where}
GROUP BY s.k, s.a, s.b`;
}

/**
 * Jaro–Winkler of `a` and `b` in whole percent, from their similarityCounts (`counts`, an
 * expression or a column computed in an inner query). Winkler: common prefix (at most 4) × 0.1 ×
 * (1 − jaro), when jaro > 0.7 (as DuckDB). Equal strings give 1.
 */
function similarityOfCounts(counts, a, b) {
  return similarityOfJaro(jaroOfCounts(counts, a, b), a, b);
}

/**
 * The Jaro similarity of `a` and `b` from their similarityCounts, in double precision and in the
 * order DuckDB (rapidfuzz) computes it, so that values on a band's edge (0.8 = 0.7999999999999999
 * there) fall on the same side. Meaningful when neither string is NULL, empty or equal to the other.
 */
function jaroOfCounts(counts, a, b) {
  const dbl = (x) => `CAST(${x} AS DOUBLE PRECISION)`;
  const m = `(${counts} / 1000)`;
  const t = `(${counts} % 1000)`;
  return `COALESCE((${dbl(m)} / length(${a}) + ${dbl(m)} / length(${b}) + ${dbl(`${m} - ${t}`)} / NULLIF(${m}, 0)) / 3.0, 0)`;
}

/**
 * Jaro–Winkler of `a` and `b` in whole percent, from their Jaro similarity (jaroOfCounts: an
 * expression, or a column of an inner query, which keeps the statement shorter: the formula reads
 * it three times).
 */
function similarityOfJaro(jaro, a, b) {
  const prefix = `CASE WHEN substr(${a}, 1, 1) <> substr(${b}, 1, 1) THEN 0 WHEN substr(${a}, 1, 2) <> substr(${b}, 1, 2) THEN 1 WHEN substr(${a}, 1, 3) <> substr(${b}, 1, 3) THEN 2 WHEN substr(${a}, 1, 4) <> substr(${b}, 1, 4) THEN 3 ELSE 4 END`;
  const jw = `${jaro} + CASE WHEN ${jaro} > 0.7 THEN ${prefix} * CAST(0.1 AS DOUBLE PRECISION) * (1.0 - ${jaro}) ELSE 0 END`;
  // Rounded to whole percent like every engine (Snowflake's JAROWINKLER_SIMILARITY is an integer),
  // half away from zero as DuckDB rounds: as a decimal, because PostgreSQL (the Redshift test
  // server) rounds a double's halves to even (92.5 → 92: brigitte / btigitte 0.92, not 0.93).
  return `(round(CAST(100 * (CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${a} = ${b} THEN 1.0 WHEN length(${a}) = 0 OR length(${b}) = 0 THEN 0.0 ELSE ${jw} END) AS DECIMAL(18, 6))) / 100.0)`;
}

/** Whether editDistance() is plain SQL on this engine (see similarityInPlainSql). */
function editDistanceInPlainSql() {
  return engine() === "redshift";
}

/** Levenshtein edit distance. */
function editDistance(a, b) {
  switch (engine()) {
    case "duckdb":
    case "postgres":
      return `levenshtein(${a}, ${b})`;
    case "snowflake":
      return `EDITDISTANCE(${a}, ${b})`;
    case "redshift":
      return boundedEditDistanceSql(a, b);
    default:
      throw new Error(`editDistance() has no formulation for engine ${engine()} yet`);
  }
}

/**
 * Levenshtein distance where Redshift has none, for the small thresholds rcu compares it with
 * (<= 1, <= 2), in plain SQL (a correlated scalar subquery over character positions,
 * editsOverPositions; the standard model uses the grouped form, editDistanceByStrings): exact
 * when the distance is 0 or 1; for strings of equal length, the number of differing positions
 * (substitutions only: a deletion plus an insertion, such as a shifted digit, counts more); for
 * lengths one apart that are not one deletion apart, and for lengths further apart, at least 3.
 */
function boundedEditDistanceSql(a, b) {
  const e = editsOverPositions(a, b);
  return `(CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${a} = ${b} THEN 0 ELSE (SELECT ${e.value} FROM ${e.from} WHERE ${e.where}) END)`;
}

/** boundedEditDistanceSql's aggregate over the positions (p) of the longer string. */
function editsOverPositions(a, b) {
  const la = `length(${a})`;
  const lb = `length(${b})`;
  const del = (x, y, lx) => `substr(${x}, 1, p.i - 1) || substr(${x}, p.i + 1, ${lx}) = ${y}`;
  return {
    value: `CASE WHEN ${la} = ${lb} THEN SUM(CASE WHEN substr(${a}, p.i, 1) <> substr(${b}, p.i, 1) THEN 1 ELSE 0 END) WHEN ABS(${la} - ${lb}) = 1 AND SUM(CASE WHEN (${la} > ${lb} AND ${del(a, b, la)}) OR (${lb} > ${la} AND ${del(b, a, lb)}) THEN 1 ELSE 0 END) > 0 THEN 1 ELSE GREATEST(ABS(${la} - ${lb}), 3) END`,
    from: positions("p"),
    where: `p.tens < GREATEST(${la}, ${lb}) AND p.i <= GREATEST(${la}, ${lb})`,
  };
}

/**
 * boundedEditDistanceSql without a correlated subquery (see similarityCountsByStrings): for every
 * row (k, a, b) of `strings` (neither NULL, different), the distance as `v`. Equal strings are 0
 * and NULLs NULL without a row: the caller reads editDistanceOfRow.
 */
function editDistanceByStrings(strings) {
  const e = editsOverPositions("s.a", "s.b");
  return `SELECT s.k, s.a, s.b, ${e.value} AS v
FROM ${strings} AS s CROSS JOIN ${e.from}
WHERE ${e.where}
GROUP BY s.k, s.a, s.b`;
}

/** The edit distance of `a` and `b` given `v`, editDistanceByStrings' value for them (or NULL). */
function editDistanceOfRow(a, b, v) {
  return `(CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${a} = ${b} THEN 0 ELSE ${v} END)`;
}

/**
 * Statements a table using editDistance() runs first (its pre-operations): PostgreSQL's
 * levenshtein is in the fuzzystrmatch extension, shipped with PostgreSQL (contrib) and available
 * on RDS, Aurora, Cloud SQL and Azure, but created per database — by rcu's user if it may
 * (CREATE on the database), else once by an administrator. Other engines need nothing.
 */
function editDistanceSetup() {
  return engine() === "postgres" ? ["CREATE EXTENSION IF NOT EXISTS fuzzystrmatch"] : [];
}

module.exports = { similarity, similarityInPlainSql, similaritySetup, positions, similarityCountsByStrings, jaroOfCounts, similarityOfJaro, editDistance, editDistanceInPlainSql, editDistanceByStrings, editDistanceOfRow, editDistanceSetup };
