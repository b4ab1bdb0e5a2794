// Records carrying nothing but a name — a contact-centre ticket saying "Nathalie Faure", a
// sign-up whose email was refused — share no evidence with anyone but their name, so no pair
// score can link them: the name's weight never outweighs the prior (at 10k people such pairs
// scored 0.36 on average when one person, 0.32 when namesakes). What a pair score cannot see is
// how many people bear the name. When one person (cluster) does, either the record is theirs, or
// its author is a namesake with no other record under that name while that person is not.
//
// Model, per cluster of such records ("lone"), with h = the clusters bearing its name (by sound:
// "Aurellie" typed on two strangers' records is the sound of every Aurélie, where its spelling
// looked unique — at a million records the spelled form linked 2 records, both wrong):
//   h = A + K, A ~ Bernoulli(v) the author's own records, K ~ Poisson(λ) namesakes' clusters,
//   λ = n_first · n_last / C, from the number of clusters bearing each part (independence, as
//   term-frequency adjustment assumes), v fitted to the estate (maximum a posteriori, Beta(2, 2)
//   prior): v (1 − v) Π (λ + v·(h − λ)), up to factors free of v, is concave in v, so its maximum
//   over a grid of 1,000 values is the estimate to 0.001 in one statement (EM converged too slowly
//   at a million records: v still falling after 30 iterations).
// With h = 1 the holder is the author with probability v / (v + (1 − v)·λ); the record joins it
// when that reaches identity.matching.threshold. The estate sets it: at 10k people v = 0.75 and
// 30 records joined, all rightly; at 100k people and at a million records, where namesakes
// abound, none reached 0.9.
// Not joined: a lone cluster whose genders (titles, given names) differ from the holder's, or
// holding a record of a one_record_per_person source the holder holds one of. Joined, it would
// have the split that follows in person_clusters rearrange the holder's records: a holder whose
// records connect only through its own record of that source would come out in two parts.

const portable = require("./portable");

/**
 * Statements writing `target` (node, cluster_id, name_only_probability): `base`'s clusters with
 * the lone ones that join a holder moved into it (name_only_probability set on their records).
 * `lone` is a scratch table (dropped by the caller): each lone cluster with its holder, the
 * clusters bearing its name, the expected namesakes, the fitted v and the probability.
 * @param {{ records: string, sightings: string, base: string, lone: string, target: string,
 *   threshold: number, otherColumns: string[], oneRecordOf: (alias: string) => string }} o
 *   otherColumns: person_records columns other than the names (identifiers, attributes); a
 *   record with any of them set is not name-only.
 */
function nameOnlyStatements({ records, sightings, base, lone, target, threshold, otherColumns, oneRecordOf }) {
  const dbl = portable.doubleType();
  const onlyName = ["r.first_phon IS NOT NULL", "r.last_phon IS NOT NULL", ...otherColumns.map((c) => `r.${c} IS NULL`), "s.record_key IS NULL"].join(" AND ");
  const digits = Array.from({ length: 10 }, (_, d) => `SELECT ${d} AS d`).join(" UNION ALL ");
  const lam = `GREATEST(o.namesakes, 1e-9)`;
  return [
    ...portable.replaceTable(lone, `AS
WITH named AS (
  SELECT b.node, b.cluster_id, r.source, r.gender, r.first_phon, r.last_phon,
    CASE WHEN ${onlyName} THEN 1 ELSE 0 END AS only_name, ${oneRecordOf("r")} AS one_record
  FROM ${base} AS b JOIN ${records} AS r ON r.record_key = b.node
  LEFT JOIN (SELECT DISTINCT record_key FROM ${sightings}) AS s ON s.record_key = r.record_key
), clusters AS (
  SELECT cluster_id, MIN(only_name) AS only_name FROM named GROUP BY cluster_id
), names AS (
  -- A name as its two sounds, unordered: "Petit Daniel" typed the other way round is Daniel Petit.
  SELECT DISTINCT n.cluster_id, c.only_name, n.first_phon AS f, n.last_phon AS l,
    LEAST(n.first_phon, n.last_phon) AS k1, GREATEST(n.first_phon, n.last_phon) AS k2
  FROM named AS n JOIN clusters AS c ON c.cluster_id = n.cluster_id
  WHERE n.first_phon IS NOT NULL AND n.last_phon IS NOT NULL
), people AS (
  SELECT COUNT(DISTINCT cluster_id) AS n FROM names WHERE only_name = 0
), firsts AS (
  SELECT f, COUNT(DISTINCT cluster_id) AS n FROM names WHERE only_name = 0 GROUP BY f
), lasts AS (
  SELECT l, COUNT(DISTINCT cluster_id) AS n FROM names WHERE only_name = 0 GROUP BY l
), lone AS (
  SELECT cluster_id, MIN(k1) AS k1, MIN(k2) AS k2 FROM names WHERE only_name = 1
  GROUP BY cluster_id HAVING MIN(k1) = MAX(k1) AND MIN(k2) = MAX(k2)
), bearers AS (
  SELECT o.cluster_id, COUNT(DISTINCT h.cluster_id) AS bearers, MIN(h.cluster_id) AS holder
  FROM lone AS o LEFT JOIN names AS h ON h.only_name = 0 AND h.k1 = o.k1 AND h.k2 = o.k2
  GROUP BY o.cluster_id
), genders AS (
  SELECT cluster_id, MIN(gender) AS g_min, MAX(gender) AS g_max FROM named WHERE gender IS NOT NULL GROUP BY cluster_id
), one_records AS (
  SELECT DISTINCT cluster_id, source FROM named WHERE one_record
), crowded AS (
  SELECT DISTINCT b.cluster_id FROM bearers AS b
  JOIN one_records AS x ON x.cluster_id = b.cluster_id
  JOIN one_records AS y ON y.cluster_id = b.holder AND y.source = x.source
)
SELECT o.cluster_id, o.k1, o.k2, b.bearers, CASE WHEN b.bearers = 1 THEN b.holder END AS holder,
  CAST(COALESCE(f1.n * l2.n, 0) + CASE WHEN o.k1 <> o.k2 THEN COALESCE(f2.n * l1.n, 0) ELSE 0 END AS ${dbl}) / GREATEST(p.n, 1) AS namesakes,
  b.bearers = 1 AND c.cluster_id IS NULL
    AND (g.g_min IS NULL OR hg.g_min IS NULL OR (g.g_min = hg.g_max AND g.g_max = hg.g_min)) AS joinable
FROM lone AS o
JOIN bearers AS b ON b.cluster_id = o.cluster_id
CROSS JOIN people AS p
LEFT JOIN firsts AS f1 ON f1.f = o.k1
LEFT JOIN lasts AS l2 ON l2.l = o.k2
LEFT JOIN firsts AS f2 ON f2.f = o.k2
LEFT JOIN lasts AS l1 ON l1.l = o.k1
LEFT JOIN crowded AS c ON c.cluster_id = o.cluster_id
LEFT JOIN genders AS g ON g.cluster_id = o.cluster_id
LEFT JOIN genders AS hg ON hg.cluster_id = b.holder`),
    // v fitted over every lone cluster (those with no bearer or several too: they tell how often
    // an author has no other record under the name), then each one's probability.
    ...portable.replaceTable(lone, `AS
WITH digits AS (${digits}
), grid AS (
  SELECT CAST(a.d * 100 + b.d * 10 + c.d AS ${dbl}) / 1000 + 0.0005 AS v FROM digits AS a CROSS JOIN digits AS b CROSS JOIN digits AS c
), fit AS (
  -- + ln v + ln(1 − v): a Beta(2, 2) prior, one pseudo-record of each kind, so that an estate with
  -- a handful of such records does not fit v at 0.9995 and join them all.
  SELECT g.v, SUM(LN(${lam} + g.v * (o.bearers - ${lam}))) + LN(g.v) + LN(1 - g.v) AS ll FROM ${lone} AS o CROSS JOIN grid AS g GROUP BY g.v
), best AS (
  -- Not "ll = MAX(ll)": a CTE read twice may be summed in another order, and the equality fail.
  SELECT v FROM fit ORDER BY ll DESC, v LIMIT 1
)
SELECT o.cluster_id, o.k1, o.k2, o.bearers, o.holder, o.namesakes, o.joinable, best.v AS visible,
  CASE WHEN o.bearers = 1 THEN best.v / (best.v + (1 - best.v) * ${lam}) END AS probability
FROM ${lone} AS o CROSS JOIN best`),
    ...portable.replaceTable(target, `AS
SELECT b.node, COALESCE(o.holder, b.cluster_id) AS cluster_id, o.probability AS name_only_probability
FROM ${base} AS b
LEFT JOIN ${lone} AS o ON o.cluster_id = b.cluster_id AND o.joinable AND o.probability >= ${Number(threshold)}`),
  ];
}

module.exports = { nameOnlyStatements };
