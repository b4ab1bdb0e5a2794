// Matching: candidate pairs by blocking, comparison vectors, u by random pairs, m and the prior
// by EM, scores, and the decision to link (deterministic identifiers or probabilistic weight,
// vetoed by conflicting evidence). All in the warehouse; see includes/identity_match.js.
const cfg = identity_model.config();
const S = identity_model.SCHEMA;
const { q, lit } = identity_model;
const idTypes = identity_model.identifierTypes(cfg);
const cmps = identity_model.comparisons();
const m = cfg.matching;
const levelOf = (name) => cmps.find((c) => c.name === name).levels.length; // the "disagrees" level
const swappedLevel = identity_model.levelsOf("last_name", /swapped/)[0];
// First names that agree (for deterministic email/phone links) and that conflict (veto).
const firstAgree = [-1, ...identity_model.levelsOf("first_name", /exact|0\.92|same sound|initials of a compound|last-name field/)].join(", ");
const firstConflict = identity_model.levelsOf("first_name", /masculine|^else$/).join(", ");

publish("identifier_stats", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "Each strong identifier value (email, phone, external ids) with the number of records and distinct first names carrying it; values above identity.matching.max_records_per_identifier are shared (a shop email, a switchboard) and never link records by themselves.",
  assertions: { uniqueKey: ["id_type", "id_value"] },
}).query((ctx) => {
  const P = ctx.ref(S, "person_records");
  const kinds = [["email", "email_key"], ["phone", "phone_e164"], ...idTypes.map((t) => [`id:${t}`, `id_${t}`])];
  return `SELECT id_type, id_value, COUNT(*) AS records, COUNT(DISTINCT first_key) AS first_names,
  COUNT(*) > ${m.max_records_per_identifier} AS is_shared
FROM (
${kinds.map(([k, col]) => `  SELECT ${lit(k)} AS id_type, ${q(col)} AS id_value, first_key FROM ${P} WHERE ${q(col)} IS NOT NULL`).join("\n  UNION ALL\n")}
) AS ids
GROUP BY id_type, id_value`;
});

publish("candidate_pairs", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "Record pairs worth comparing: the union of the blocking rules' equi-joins (blocks larger than identity.matching.max_block_size skipped).",
}).query((ctx) =>
  identity_match.candidatePairs({
    records: ctx.ref(S, "person_records"),
    id: "record_key",
    rules: identity_model.blockingRules(cfg),
    maxBlockSize: m.max_block_size,
  }),
);

publish("term_frequencies", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "Share of records carrying each first name, last name and city: agreement on a common value is weaker evidence.",
}).query((ctx) => {
  const P = ctx.ref(S, "person_records");
  return cmps
    .filter((c) => c.tf)
    .map((c) => `SELECT ${lit(c.name)} AS comparison, ${q(c.tf)} AS value, COUNT(*) * 1.0 / (SELECT COUNT(*) FROM ${P} WHERE ${q(c.tf)} IS NOT NULL) AS frequency FROM ${P} WHERE ${q(c.tf)} IS NOT NULL GROUP BY ${q(c.tf)}`)
    .join("\nUNION ALL\n");
});

const comparisonVectorsTable = publish("comparison_vectors", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "For each candidate pair, the agreement level of every attribute (-1 missing, 0 strongest … k disagrees), term frequencies of exact matches, and the hash EM samples pairs by.",
}).query((ctx) => {
  const tf = ctx.ref(S, "term_frequencies");
  // The frequency of the value both records share, by a plain equi-join on it (NULL when they
  // differ). A correlated subquery here made DuckDB de-duplicate every pair's two values first,
  // which spilled tens of GB at 40 million pairs.
  const withTf = cmps.filter((c) => c.tf);
  const tfCols = withTf.map((c, i) => `tf${i}.frequency AS ${q("tf_" + c.name)}`).join(",\n  ");
  const tfJoins = withTf
    .map((c, i) => `LEFT JOIN ${tf} AS tf${i} ON tf${i}.comparison = ${lit(c.name)} AND tf${i}.value = CASE WHEN l.${q(c.tf)} = r.${q(c.tf)} THEN l.${q(c.tf)} END`)
    .join("\n");
  return identity_match.comparisonVectors({
    pairs: ctx.ref(S, "candidate_pairs"),
    records: ctx.ref(S, "person_records"),
    id: "record_key",
    comparisons: cmps,
    // sample_hash: EM's deterministic sample (identity_match.emStatements), computed once here.
    extra: `p.first_rule, p.rules_matched, ${identity_match.hash64("p.id_l || '|' || p.id_r")} AS sample_hash, ${tfCols}`,
    joins: tfJoins,
  });
});

if (portable.editDistanceSetup().length) comparisonVectorsTable.preOps(portable.editDistanceSetup());

const uProbabilitiesTable = publish("u_probabilities", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "u-probabilities: how often each agreement level occurs between random (non-matching) records, from deterministic random pairs.",
}).query((ctx) =>
  identity_match.uProbabilities({
    records: ctx.ref(S, "person_records"),
    id: "record_key",
    comparisons: cmps,
    bucketSize: 8, // about 4 × records random pairs: plenty for probabilities of 1e-5 and up
  }),
);
if (portable.editDistanceSetup().length) uProbabilitiesTable.preOps(portable.editDistanceSetup());

operate("match_parameters")
  .schema(S)
  .tags(["identity"])
  .hasOutput(true)
  .description("Fellegi–Sunter parameters: m per comparison level estimated by EM over the candidate pairs, u from random pairs (u_candidates: EM's non-match class, for diagnosis); the prior of a random pair is the row comparison = '__prior__'.")
  .queries((ctx) =>
    identity_match.emStatements({
      vectors: ctx.ref(S, "comparison_vectors"),
      uTable: ctx.ref(S, "u_probabilities"),
      records: ctx.ref(S, "person_records"),
      params: ctx.self(),
      comparisons: cmps,
      iterations: m.em_iterations,
      initialPrior: 0.1,
      sessions: identity_model.trainingSessions(),
    }),
  );

publish("pair_scores", {
  type: "table",
  schema: S,
  tags: ["identity"],
  description: "Every candidate pair with its match weight and probability, the deterministic rule that applies (if any), vetoes, and whether the pair is linked.",
}).query((ctx) => {
  const params = ctx.ref(S, "match_parameters");
  const stats = ctx.ref(S, "identifier_stats");
  const records = ctx.ref(S, "person_records");
  // Shared identifier values by a LEFT JOIN per kind (NULL: not shared). An EXISTS per kind
  // inside the CASE made pair_scores the slowest step at ten million pairs.
  const sharedKinds = [...idTypes.map((t) => [`id:${t}`, "id_" + t]), ["email", "email_key"], ["phone", "phone_e164"]];
  const sharedJoins = sharedKinds
    .map(([type, col], i) => `LEFT JOIN (SELECT id_value FROM ${stats} WHERE id_type = ${lit(type)} AND is_shared) AS sh${i} ON sh${i}.id_value = l.${q(col)}`)
    .join("\n  ");
  const shared = (type) => `sh${sharedKinds.findIndex(([t]) => t === type)}.id_value IS NOT NULL`;
  // A shared email or phone (a shop's address, a switchboard: see identifier_stats) is evidence
  // of nobody, for the score as for the deterministic rules. At a million records, probabilistic
  // links agreeing on a shared email were two-thirds false.
  const weight = identity_match.weightParts({
    vectorAlias: "v", params, prior: identity_match.priorSql(params), comparisons: cmps, tf: true,
    neutral: { email: `v.cmp_email = 0 AND ${shared("email")}`, phone: `v.cmp_phone = 0 AND ${shared("phone")}` },
  });
  const deterministic = [
    ...idTypes.map((t) => [`id:${t}`, `l.${q("id_" + t)} = r.${q("id_" + t)} AND NOT ${shared(`id:${t}`)}`]),
    // Email and phone are shared within households: they link only when first names agree, or
    // when one record has none (such a record can join a person but never bridge two: see
    // 03_clusters.js).
    ["email", `v.cmp_email = 0 AND v.cmp_first_name IN (${firstAgree}) AND NOT ${shared("email")}`],
    ["phone", `v.cmp_phone = 0 AND v.cmp_first_name IN (${firstAgree}) AND NOT ${shared("phone")}`],
  ];
  const threshold = Math.log(m.threshold / (1 - m.threshold));
  // The vectors' columns but EM's sample_hash (an implementation detail of training).
  const vectorColumns = ["id_l", "id_r", "first_rule", "rules_matched", ...cmps.filter((c) => c.tf).map((c) => "tf_" + c.name), ...cmps.map((c) => "cmp_" + c.name)];
  return `WITH scored AS (
  SELECT ${vectorColumns.map((c) => `v.${q(c)}`).join(", ")}, ${weight.expr} AS match_weight,
    CASE ${deterministic.map(([rule, cond]) => `WHEN ${cond} THEN ${lit(rule)}`).join(" ")} END AS deterministic_rule,
    -- Different people: first names that disagree outright or are the masculine and feminine
    -- forms (not swapped with the last name), unless a national id agrees (a renamed record) —
    -- households and twins share the rest …
    (v.cmp_first_name IN (${firstConflict}) AND v.cmp_last_name <> ${swappedLevel} AND v.cmp_national_id NOT IN (0, 1, 2)) AS first_name_conflict,
    -- … or birth dates that differ beyond a typo or a day/month swap, unless a national id agrees;
    -- or both present and different.
    (v.cmp_birth_date = ${levelOf("birth_date")} AND v.cmp_national_id NOT IN (0, 1, 2)) AS strong_conflict,
    v.cmp_birth_date = ${levelOf("birth_date")} AS birth_date_conflict
  FROM ${ctx.ref(S, "comparison_vectors")} AS v
  ${weight.joins}
  JOIN ${records} AS l ON l.record_key = v.id_l
  JOIN ${records} AS r ON r.record_key = v.id_r
  ${sharedJoins}
)
SELECT scored.*,
  1.0 / (1.0 + EXP(-match_weight)) AS match_probability,
  NOT first_name_conflict AND NOT strong_conflict AND (
    (deterministic_rule IS NOT NULL AND NOT birth_date_conflict) OR match_weight >= ${threshold}
  ) AS linked,
  CASE
    WHEN first_name_conflict THEN 'vetoed: first names conflict'
    WHEN strong_conflict THEN 'vetoed: birth dates conflict'
    WHEN deterministic_rule IS NOT NULL AND NOT birth_date_conflict THEN 'deterministic: ' || deterministic_rule
    WHEN match_weight >= ${threshold} THEN 'probabilistic'
    ELSE 'below threshold'
  END AS decision
FROM scored`;
});

publish("match_edges", {
  type: "view",
  schema: S,
  tags: ["identity"],
  description: "Linked record pairs: the edges of the identity graph.",
}).query((ctx) => `SELECT id_l AS a, id_r AS b, decision, match_probability FROM ${ctx.ref(S, "pair_scores")} WHERE linked`);
