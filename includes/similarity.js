// String similarity and edit distance in each engine's SQL: the built-ins where an engine has
// them (DuckDB, Snowflake; PostgreSQL's fuzzystrmatch), rcu's own PL/pgSQL Jaro–Winkler on
// PostgreSQL, and plain SQL over character positions on Redshift, which has neither. Kept apart
// from portable.js (the other engine-specific fragments) because this is the one part with
// algorithms of its own, and the identity model is its only user.

const { engine } = require("./portable");

/**
 * String similarity in [0, 1] (Jaro–Winkler where the engine has it), in whole percent rounded
 * down: Snowflake's JAROWINKLER_SIMILARITY answers an integer 0–100 and truncates (its documented
 * examples: "Gute nacht" / "Ich weis nicht" 56 where the score is 0.5651, "święta" / "swieta" 77
 * for 0.7778), so every other engine's score is truncated the same way and a threshold such as
 * 0.92 links the same pairs on all (unrounded, one cluster of 400 people differed in the
 * cross-engine test). wholePercent adds 1e-9 before truncating, so a score that is a whole
 * percent, computed a hair under it in floating point, keeps it.
 *
 * On PostgreSQL it is rcu's own PL/pgSQL function (similaritySetup: the textbook algorithm, equal
 * to DuckDB's on every pair of ASCII keys tested).
 * On Redshift, which runs no PL/pgSQL in a query, it is plain SQL with a correlated subquery
 * (similarityCounts), which Redshift runs only if its planner can decorrelate it: the standard
 * model never inlines it there, but counts each pair of strings once in CTEs over the distinct
 * strings compared — similarityCountsCtes, then jaroOfCounts, then similarityOfJaro, as
 * identity_match.scoredPairs does (see similarityInPlainSql). Inlined, it is the reference the
 * tests compare that path with.
 */
function similarity(a, b) {
  switch (engine()) {
    case "duckdb":
      return wholePercent(`jaro_winkler_similarity(${a}, ${b})`);
    case "snowflake":
      return `(JAROWINKLER_SIMILARITY(${a}, ${b}) / 100.0)`;
    case "postgres":
      return wholePercent(`${JARO_WINKLER_FUNCTION}(${a}, ${b})`);
    case "redshift":
      return similarityOfCounts(similarityCounts(a, b), a, b);
    default:
      throw new Error(`similarity() has no formulation for engine ${engine()} yet`);
  }
}

/** A score in [0, 1] truncated to whole percent, as Snowflake's JAROWINKLER_SIMILARITY answers it. */
function wholePercent(score) {
  return `(floor(100 * ${score} + 1e-9) / 100.0)`;
}

/**
 * Whether similarity() is plain SQL on this engine (no built-in Jaro–Winkler). Then a statement
 * comparing strings counts them with similarityCountsCtes (identity_match.scoredPairs)
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
 * The counts behind Jaro–Winkler in plain SQL (Redshift has no built-in and runs no PL/pgSQL in a
 * query), exactly as DuckDB and rcu_jaro_winkler match: for every row (k, a, b) of the relation
 * `strings` (distinct pairs of strings, neither NULL nor empty, different), the matching characters
 * m and the transpositions t (already halved) as one BIGINT v = m * 1000 + t (both are at most
 * 100). Returns the CTE definitions; the last is named `name`. A pair without a matching character
 * gets no row, which reads as NULL: jaroOfCounts makes that 0, as m = 0 does.
 *
 * The textbook matching is sequential: each character of `a`, in order, takes the first unmatched
 * equal character of `b` within the window max(|a|, |b|) / 2 - 1. A character only ever matches an
 * equal one, so each letter is matched on its own, and for one letter the matches advance through
 * `b` in order (a later occurrence never takes an earlier one: its window starts no earlier). With
 * lo and hi the number of occurrences of the letter in `b` before and up to the end of an
 * occurrence's window, and occurrences with an empty window (hi = lo) set aside, the pointer P_r
 * (the occurrence of `b` the r-th one took, or the last taken) is P_r = min(hi_r, max(P_{r-1} + 1,
 * lo_r + 1)), P_0 = 0, and the r-th is matched when P_{r-1} < hi_r. With y_r = P_r - r, U_r =
 * hi_r - r and D_r = lo_r + 1 - r (D_r <= U_r), y_r = min(U_r, max(y_{r-1}, D_r)), which unrolls to
 * y_r = max over j in 0..r of min(D_j, min over j < i <= r of U_i), with D_0 = y_0 = 0: a join of
 * each occurrence with the earlier ones of its letter, not a walk (o³ / 6 rows for a letter seen o
 * times: a few per name, a few hundred for the spaces of an address line). Transpositions
 * then pair the n-th matched character of `a` with the n-th of `b` (in `b`'s order), as the
 * textbook does. Strings are compared on their first 100 characters; keys never contain `^` or a
 * backslash, which the bracket expression finding an occurrence in `b` does not support.
 */
function similarityCountsCtes(strings, name) {
  const same = (x, y, c = true) => `${y}.k = ${x}.k AND ${y}.a = ${x}.a AND ${y}.b = ${x}.b${c ? ` AND ${y}.c = ${x}.c` : ""}`;
  const la = "length(s.a)";
  const w = `(GREATEST(${la}, length(s.b)) / 2 - 1)`;
  const ch = "substr(s.a, p.i, 1)";
  // Occurrences of the character among the first n characters of b (replace() counts them).
  const occ = (n) => `length(substr(s.b, 1, ${n})) - length(replace(substr(s.b, 1, ${n}), ${ch}, ''))`;
  const none = 1000; // above any U: a min over no occurrence
  const minU = `COALESCE(MIN(u.hi - u.r), ${none})`;
  return [
    // Each character of a with the occurrences of it in b before its window (lo) and up to its end (hi).
    `${name}_at AS (SELECT s.k, s.a, s.b, p.i AS pa, ${ch} AS c, ${occ(`GREATEST(p.i - ${w} - 1, 0)`)} AS lo, ${occ(`p.i + ${w}`)} AS hi
  FROM ${strings} AS s CROSS JOIN ${positions("p")}
  WHERE length(s.a) > 0 AND length(s.b) > 0 AND p.tens < ${la} AND p.i <= ${la})`,
    `${name}_kept AS (SELECT x.k, x.a, x.b, x.c, x.pa, x.lo, x.hi, ROW_NUMBER() OVER (PARTITION BY x.k, x.a, x.b, x.c ORDER BY x.pa) AS r
  FROM ${name}_at AS x WHERE x.hi > x.lo)`,
    // P_r = r + max over j of min(D_j, min U_i over j < i <= r); the j = 0 term rides on j = 1.
    `${name}_ptr AS (SELECT g.k, g.a, g.b, g.c, g.r, g.pa, g.hi, g.r + MAX(g.y) AS ptr FROM (
    SELECT x.k, x.a, x.b, x.c, x.r, x.pa, x.hi, CASE WHEN j.r = 1 THEN GREATEST(LEAST(j.lo + 1 - j.r, ${minU}), LEAST(0, j.hi - j.r, ${minU})) ELSE LEAST(j.lo + 1 - j.r, ${minU}) END AS y
    FROM ${name}_kept AS x JOIN ${name}_kept AS j ON ${same("x", "j")} AND j.r <= x.r
    LEFT JOIN ${name}_kept AS u ON ${same("x", "u")} AND u.r > j.r AND u.r <= x.r
    GROUP BY x.k, x.a, x.b, x.c, x.r, x.pa, x.hi, j.r, j.lo, j.hi) AS g
  GROUP BY g.k, g.a, g.b, g.c, g.r, g.pa, g.hi)`,
    // The matched characters of a, with the position in b of the occurrence each took.
    // P_{r-1} by LAG, not a join on r - 1: PostgreSQL (the Redshift test server) estimates one row
    // for a grouped CTE and joined it by nested loop. Redshift's LAG takes no default: COALESCE.
    `${name}_matched AS (SELECT x.k, x.a, x.b, x.c, x.pa, regexp_instr(x.b, '[' || x.c || ']', 1, CAST(x.ptr AS INT)) AS pb
  FROM (SELECT y.*, COALESCE(LAG(y.ptr, 1) OVER (PARTITION BY y.k, y.a, y.b, y.c ORDER BY y.r), 0) AS before FROM ${name}_ptr AS y) AS x
  WHERE x.before < x.hi)`,
    // The n-th matched character of a against the n-th of b: each n comes once from either order,
    // and the two differ when their group holds two characters. Grouped, not a self-join, which
    // PostgreSQL estimated at one row and ran as a nested loop (35 million comparisons for 1,800
    // pairs of names).
    `${name}_ranked AS (SELECT m.k, m.a, m.b, m.c, ROW_NUMBER() OVER (PARTITION BY m.k, m.a, m.b ORDER BY m.pa) AS na, ROW_NUMBER() OVER (PARTITION BY m.k, m.a, m.b ORDER BY m.pb) AS nb
  FROM ${name}_matched AS m)`,
    `${name} AS (SELECT n.k, n.a, n.b, CAST(COUNT(*) * 1000 + SUM(n.differ) / 2 AS BIGINT) AS v FROM (
    SELECT o.k, o.a, o.b, CASE WHEN MIN(o.c) <> MAX(o.c) THEN 1 ELSE 0 END AS differ
    FROM (SELECT x.k, x.a, x.b, x.na AS n, x.c FROM ${name}_ranked AS x UNION ALL SELECT y.k, y.a, y.b, y.nb, y.c FROM ${name}_ranked AS y) AS o
    GROUP BY o.k, o.a, o.b, o.n) AS n
  GROUP BY n.k, n.a, n.b)`,
  ];
}

/**
 * similarityCountsCtes for one pair of strings, as a scalar subquery (NULL when either is NULL or
 * empty, or the two are equal: similarityOfCounts answers those without counting). The standard
 * model never inlines it (a correlated subquery, which Redshift runs only when its planner can
 * decorrelate it): it is the reference the tests compare scoredPairs' grouped form with.
 */
function similarityCounts(a, b) {
  const ctes = similarityCountsCtes(`(SELECT 0 AS k, ${a} AS a, ${b} AS b)`, "jw_one");
  return `(CASE WHEN ${a} IS NULL OR ${b} IS NULL OR ${a} = ${b} OR length(${a}) = 0 OR length(${b}) = 0 THEN NULL ELSE (WITH ${ctes.join(",\n")} SELECT v FROM jw_one) END)`;
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
  // Truncated to whole percent like every engine (wholePercent).
  return wholePercent(`(CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${a} = ${b} THEN 1.0 WHEN length(${a}) = 0 OR length(${b}) = 0 THEN 0.0 ELSE ${jw} END)`);
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
 * (<= 1, <= 2, >= 2), in plain SQL (a correlated scalar subquery over character positions; the
 * standard model uses the grouped form, editDistanceByStrings): exact up to 2, and 3 or the
 * difference in length, whichever is more, beyond.
 */
function boundedEditDistanceSql(a, b) {
  const f = firstDifference(a, b);
  const e = editsAfter(a, b, "g.f");
  return `(CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${a} = ${b} THEN 0 ELSE (SELECT ${e.value} FROM (SELECT ${f.value} AS f FROM ${f.from} WHERE ${f.where}) AS g CROSS JOIN ${e.from} WHERE ${e.where} GROUP BY g.f) END)`;
}

/**
 * The first position at which two different strings differ (or one ends), over positions p: the
 * edits can start there, as a common prefix adds none (and where a deletion could sit anywhere in
 * a run of one letter, it can sit at the run's end).
 */
function firstDifference(a, b) {
  const n = `GREATEST(length(${a}), length(${b}))`;
  return {
    value: `MIN(CASE WHEN p.i > length(${a}) OR p.i > length(${b}) OR substr(${a}, p.i, 1) <> substr(${b}, p.i, 1) THEN p.i END)`,
    from: positions("p"),
    where: `p.tens < ${n} AND p.i <= ${n}`,
  };
}

/**
 * The edit distance of two different strings, up to 2, from the first position f at which they
 * differ, over positions q (the other edit, if any): one edit is a substitution at f, or the
 * longer string's character at f deleted; two are a second substitution, the characters at f and
 * q deleted one from each string (a letter moved: "12345" / "13452"), one deleted from the longer
 * and one substituted, or two deleted from the longer. Strings are compared with a character
 * appended, as Redshift ignores trailing blanks in a comparison ("ab " = "ab").
 */
function editsAfter(a, b, f) {
  const la = `length(${a})`;
  const lb = `length(${b})`;
  const n = `GREATEST(${la}, ${lb})`;
  const d = `ABS(${la} - ${lb})`;
  const long = `(CASE WHEN ${la} >= ${lb} THEN ${a} ELSE ${b} END)`;
  const short = `(CASE WHEN ${la} >= ${lb} THEN ${b} ELSE ${a} END)`;
  const eq = (x, y) => `${x} || '|' = ${y} || '|'`;
  // x without its character at i, and at j after i (a length never negative: SQL need not stop
  // at the AND that keeps j after i).
  const del = (x, i) => `substr(${x}, 1, ${i} - 1) || substr(${x}, ${i} + 1, ${n})`;
  const del2 = (x, i, j) => `substr(${x}, 1, ${i} - 1) || substr(${x}, ${i} + 1, GREATEST(${j} - ${i} - 1, 0)) || substr(${x}, ${j} + 1, ${n})`;
  // x and y of one length, equal but at position i (and j after it).
  const eqBut = (x, y, i) => `${eq(`substr(${x}, 1, ${i} - 1)`, `substr(${y}, 1, ${i} - 1)`)} AND ${eq(`substr(${x}, ${i} + 1, ${n})`, `substr(${y}, ${i} + 1, ${n})`)}`;
  const eqBut2 = (x, y, i, j) => `${eq(`substr(${x}, 1, ${i} - 1)`, `substr(${y}, 1, ${i} - 1)`)} AND ${eq(`substr(${x}, ${i} + 1, GREATEST(${j} - ${i} - 1, 0))`, `substr(${y}, ${i} + 1, GREATEST(${j} - ${i} - 1, 0))`)} AND ${eq(`substr(${x}, ${j} + 1, ${n})`, `substr(${y}, ${j} + 1, ${n})`)}`;
  const one = `(${d} = 0 AND ${eqBut(a, b, f)}) OR (${d} = 1 AND ${eq(del(long, f), short)})`;
  const two = `(${d} = 0 AND ((q.i > ${f} AND ${eqBut2(a, b, f, "q.i")}) OR ${eq(del(a, f), del(b, "q.i"))} OR ${eq(del(a, "q.i"), del(b, f))})) OR (${d} = 1 AND (${eqBut(del(long, f), short, "q.i")} OR (q.i > ${f} AND ${eqBut(del(long, "q.i"), short, f)}))) OR (${d} = 2 AND q.i > ${f} AND ${eq(del2(long, f, "q.i"), short)})`;
  return {
    value: `CASE WHEN MAX(CASE WHEN q.i = 1 AND (${one}) THEN 1 ELSE 0 END) = 1 THEN 1 WHEN MAX(CASE WHEN ${two} THEN 1 ELSE 0 END) = 1 THEN 2 ELSE GREATEST(${d}, 3) END`,
    from: positions("q"),
    where: `q.tens < ${n} AND q.i <= ${n}`,
  };
}

/**
 * boundedEditDistanceSql without a correlated subquery (see similarityCountsCtes): for every
 * row (k, a, b) of `strings` (neither NULL, different), the distance as `v`. Equal strings are 0
 * and NULLs NULL without a row: the caller reads editDistanceOfRow.
 */
function editDistanceByStrings(strings) {
  const f = firstDifference("s.a", "s.b");
  const e = editsAfter("g.a", "g.b", "g.f");
  return `SELECT g.k, g.a, g.b, ${e.value} AS v
FROM (SELECT s.k, s.a, s.b, ${f.value} AS f FROM ${strings} AS s CROSS JOIN ${f.from} WHERE ${f.where} GROUP BY s.k, s.a, s.b) AS g
CROSS JOIN ${e.from}
WHERE ${e.where}
GROUP BY g.k, g.a, g.b, g.f`;
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

module.exports = { similarity, similarityInPlainSql, similaritySetup, positions, similarityCountsCtes, jaroOfCounts, similarityOfJaro, editDistance, editDistanceInPlainSql, editDistanceByStrings, editDistanceOfRow, editDistanceSetup };
