// pair_evidence: each candidate pair's weight, comparison by comparison — what `rcu identity
// explain` shows beside an edge. A view, computed only for the pairs asked about: as a table it
// would be eleven rows per candidate pair (over a hundred million at a million records). The terms
// are weightParts' own, with the same neutral comparisons as pair_scores, read through
// per-comparison joins rather than pair_scores' lookup of level combinations (the same operations
// on the same values): with the prior they sum to match_weight.
const S = identity_model.SCHEMA;
const { q, lit } = identity_model;
const cmps = identity_model.comparisons();
const NEUTRAL = identity_model.neutralComparisons();

publish("pair_evidence", {
  type: "view",
  schema: S,
  tags: ["identity"],
  description: "Per candidate pair and comparison (and the prior): the level, its label and the weight it adds to match_weight (natural log-odds); not_counted when the comparison is present but weighs nothing because another one already counts that evidence (a postcode with its address) or the value is shared by many people.",
}).query((ctx) => {
  const params = ctx.ref(S, "match_parameters");
  const prior = identity_weights.priorSql(params);
  const weight = identity_weights.weightParts({ vectorAlias: "v", params, prior, comparisons: cmps, tf: true, neutral: NEUTRAL });
  const level = (c) => `v.${q("cmp_" + c.name)}`;
  const label = (c) => `CASE ${level(c)} WHEN -1 THEN 'missing, or weighed by another comparison' ${c.levels.map((lv, k) => `WHEN ${k} THEN ${lit(lv.label)}`).join(" ")} ELSE 'disagrees' END`;
  const off = (c) => (NEUTRAL[c.name] ? `COALESCE(${level(c)} >= 0 AND (${NEUTRAL[c.name]}), FALSE)` : "FALSE");
  // One row per pair and comparison, without a CTE: a filter on id_l / id_r (explain asks for a
  // few pairs) reaches the scan of comparison_vectors, where a CTE read once per comparison may be
  // materialised whole first.
  const each = (pick) => `CASE k.i ${cmps.map((c, i) => `WHEN ${i + 1} THEN ${pick(c, i)}`).join(" ")} END`;
  const kinds = [`SELECT 0 AS i, '__prior__' AS comparison`, ...cmps.map((c, i) => `SELECT ${i + 1}, ${lit(c.name)}`)].join(" UNION ALL ");
  return `SELECT v.id_l, v.id_r, k.i AS position, k.comparison,
  CASE WHEN k.i = 0 THEN NULL ELSE ${each((c) => level(c))} END AS level,
  CASE WHEN k.i = 0 THEN 'a random pair' ELSE ${each((c) => label(c))} END AS level_label,
  CASE WHEN k.i = 0 THEN LN(${prior} / (1 - ${prior})) ELSE ${each((c, i) => weight.terms[i])} END AS weight,
  CASE WHEN k.i = 0 THEN FALSE ELSE ${each((c) => off(c))} END AS not_counted
FROM ${ctx.ref(S, "comparison_vectors")} AS v
${weight.joins}
CROSS JOIN (${kinds}) AS k`;
});
