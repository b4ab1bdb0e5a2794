// Clustering: connected components of the linked pairs (includes/identity_graph.js), in two
// tiers so that a record without a first name — an email-only newsletter sign-up, a ticket
// saying "Mme Dupont" — can join a person but never bridge two: such "weak" records attach to
// the one person (cluster of named records) they match, and stay alone when they match several.
// Households sharing an email or a landline therefore stay apart even when a nameless record
// carries the shared value.
// A cluster of records carrying nothing but a name (a ticket saying "Nathalie Faure"), which no
// pair score links, then joins the one person bearing that name when namesakes are unlikely
// enough (includes/identity_name_only.js; identity.matching.join_name_only).
// A component holding two birth dates that conflict (not a typo, not day and month transposed)
// is two people joined through records without one (an undated e-shop account linked to a father
// and to his son): it is split, the dated records grouped by the links between dated records,
// and each undated record joining the group it is most strongly linked to.
// A source declared to hold one record per person (rcu.yaml one_record_per_person: an emailing
// platform's subscribers) has at most one record in a user: two of its records are never linked
// (pair_scores), a nameless one does not attach to a person already holding one, and a component
// still holding two (linked through other records) is split the same way, those records joining
// groups one per group.
// Last, a data steward's pins (rcu identity pin: identity_pins) overrule the links: a component
// holding records pinned to two person labels is split the same way, the pinned records grouped
// by label; then the clusters holding records of one label are made one.
// Assertions fail the run if the fixed number of rounds did not converge: for the components, and
// for the groups of a split component.
const cfg = identity_model.config();
const S = identity_model.SCHEMA;
// Two birth keys (aliases l and r) conflict when no level of the birth_date comparison holds. Where
// the edit distance is plain SQL (Redshift), the levels read it as p."edits_birth_key", computed
// for the distinct pairs of keys compared (identity_match.scoredPairs: no correlated subquery).
const birthDate = identity_model.comparisons().find((c) => c.name === "birth_date");
const birthConflict = `NOT (${birthDate.levels.map((lv) => `(${lv.when})`).join(" OR ")})`;
const birthPairs = birthDate.perPair
  ? identity_match.scoredPairs(
      "(SELECT DISTINCT l.birth_key AS id_l, r.birth_key AS id_r FROM candidates AS l JOIN candidates AS r ON r.cluster_id = l.cluster_id AND l.birth_key < r.birth_key)",
      "(SELECT DISTINCT birth_key FROM candidates)", "birth_key", birthDate.perPair)
  : null;
const ATTACH_ROUNDS = 3;
const oneRecord = identity_model.oneRecordSources(cfg);
const oneRecordOf = (alias) => identity_model.fromOneRecordSource(cfg, alias);
// What a record carries besides its names: a record with none of it joins a person by name
// alone, if at all (includes/identity_name_only.js).
const NAME_COLUMNS = ["first_key", "last_key"];
const otherColumns = [
  ...new Set([
    ...identity_model.comparisons().flatMap((c) => c.columns).filter((c) => !NAME_COLUMNS.includes(c)),
    ...identity_model.identifierTypes(cfg).map((t) => `id_${t}`),
  ]),
];

/** Links whose two records are both named, or both nameless, by record number. */
const sameKindEdges = (ctx) => `SELECT ra.record_num AS a, rb.record_num AS b FROM ${ctx.ref(S, "match_edges")} AS e
  JOIN ${ctx.ref(S, "person_records")} AS ra ON ra.record_key = e.a
  JOIN ${ctx.ref(S, "person_records")} AS rb ON rb.record_key = e.b
  WHERE (ra.first_key IS NULL) = (rb.first_key IS NULL)`;

const strongEdges = (ctx) => `SELECT e.a, e.b FROM ${ctx.ref(S, "match_edges")} AS e
  JOIN ${ctx.ref(S, "person_records")} AS ra ON ra.record_key = e.a
  JOIN ${ctx.ref(S, "person_records")} AS rb ON rb.record_key = e.b
  WHERE ra.first_key IS NOT NULL AND rb.first_key IS NOT NULL`;

/** The steward's pins, one label a record (the CLI keeps one; a hand-made duplicate must not duplicate records). */
const pinsOf = (ctx) => `(SELECT record_key, MIN(person) AS person FROM ${ctx.ref(S, "identity_pins")} GROUP BY record_key)`;

operate("person_clusters")
  .schema(S)
  .tags(["identity"])
  .hasOutput(true)
  .description("Each person record (node) with its cluster id: connected components (component_id) of the links between records with a first name; records without one attach to the cluster of the named records they match when that is a single cluster (otherwise they form their own components). A component holding conflicting birth dates, or two records of a one_record_per_person source, is split (cluster_id then differs from component_id): split_grouped is TRUE for its records grouped by their links to each other, FALSE for those that then joined a group or stayed apart, NULL outside split components. A cluster of records carrying only a name (no email, phone, address, date, id or sighting) joins the one cluster bearing that name (by sound) when the probability that it is theirs reaches identity.matching.threshold (identity.matching.join_name_only): name_only_probability is that probability on its records, NULL on the others. Last, a steward's pins (identity_pins) overrule the links: a component holding records pinned to two labels is split with the pinned records grouped by label, and the clusters holding records of one label become one.")
  .queries((ctx) => {
    const self = ctx.self();
    const beside = (suffix) => `${self.slice(0, -1)}${suffix}"`;
    const strong = beside("__strong");
    const base = beside("__base");
    const dated = beside("__dated");
    const split = beside("__split");
    const links = beside("__split_links");
    const conflicted = beside("__conflicted");
    const lone = beside("__lone");
    const named = beside("__named");
    const records = ctx.ref(S, "person_records");
    const edges = ctx.ref(S, "match_edges");
    const pins = pinsOf(ctx);
    // One pass computes both kinds of components: edges between two named records, and edges
    // between two nameless ones — they never touch, so their components never mix.
    return [
      // Numbered by person_records.record_num (the record_key order): renumbering a million
      // keys by a sort, and joining the edges to them on strings, took 1.2-1.7 s of this step
      // (8.6-8.9 s -> 7.2-8.1 s at a million records, back to back).
      ...identity_graph.connectedComponents({
        nodes: `SELECT record_key AS node, record_num AS i FROM ${records}`,
        edges: sameKindEdges(ctx),
        target: strong,
        rounds: cfg.matching.cluster_rounds,
        numbered: true,
      }),
      ...portable.replaceTable(base, `AS
WITH both_ways AS (
  SELECT a AS node, b AS other, match_probability FROM ${edges}
  UNION ALL
  SELECT b AS node, a AS other, match_probability FROM ${edges}
), weak_links AS (
  -- Only when every named record it matches is one person: a nameless sign-up carrying a
  -- household's shared email could be any of them (at a million records, such guesses were
  -- two thirds of the false links).
  SELECT x.node, MIN(sc.cluster_id) AS cluster_id
  FROM both_ways AS x
  JOIN ${records} AS w ON w.record_key = x.node AND w.first_key IS NULL
  JOIN ${records} AS s ON s.record_key = x.other AND s.first_key IS NOT NULL
  JOIN ${strong} AS sc ON sc.node = x.other
  GROUP BY x.node
  HAVING COUNT(DISTINCT sc.cluster_id) = 1
)${oneRecordGuard(records, strong)}
SELECT c.node, COALESCE(l.cluster_id, c.cluster_id) AS cluster_id
FROM ${strong} AS c LEFT JOIN ${oneRecord.length ? "attachable" : "weak_links"} AS l ON l.node = c.node`),
      ...(cfg.matching.join_name_only
        ? identity_name_only.nameOnlyStatements({
            records, sightings: ctx.ref(S, "record_sightings"), base, lone, target: named,
            threshold: cfg.matching.threshold, otherColumns, oneRecordOf,
          })
        : portable.replaceTable(named, `AS SELECT node, cluster_id, CAST(NULL AS ${portable.doubleType()}) AS name_only_probability FROM ${base}`)),
      ...splitConflicts({ records, edges, pins, base: named, dated, split, links, conflicted, self }),
      ...[strong, base, lone, named, dated, split, links, conflicted].map((t) => `DROP TABLE IF EXISTS ${t}`),
    ];
  });

/**
 * The weak links that keep a source holding one record per person (rcu.yaml
 * one_record_per_person) at one record per user: a nameless record of such a source does not
 * join a person who has a named record there, and when two of its nameless records would join
 * one person, neither does — which sign-up with a household's email is whose cannot be told.
 */
function oneRecordGuard(records, strong) {
  if (!oneRecord.length) return "";
  return `, weak_sources AS (
  SELECT l.node, l.cluster_id, w.source FROM weak_links AS l
  JOIN ${records} AS w ON w.record_key = l.node AND ${oneRecordOf("w")}
), crowded AS (
  -- Clusters and sources a record of that source cannot join: the cluster holds a named one, or
  -- two nameless ones would join it.
  SELECT DISTINCT cluster_id, source FROM (
    SELECT sc.cluster_id, s.source FROM ${strong} AS sc
    JOIN ${records} AS s ON s.record_key = sc.node AND s.first_key IS NOT NULL AND ${oneRecordOf("s")}
    UNION ALL
    SELECT cluster_id, source FROM weak_sources GROUP BY cluster_id, source HAVING COUNT(*) > 1
  ) AS c
), attachable AS (
  SELECT l.node, l.cluster_id FROM weak_links AS l
  LEFT JOIN weak_sources AS x ON x.node = l.node
  LEFT JOIN crowded AS c ON c.cluster_id = x.cluster_id AND c.source = x.source
  WHERE c.cluster_id IS NULL
)`;
}

/**
 * Statements splitting the components of `base` (node, cluster_id) that hold conflicting birth
 * dates, two records of a source holding one record per person, or records pinned to two person
 * labels (`pins`), then making one cluster of each label's records, writing `self` (node,
 * cluster_id, component_id).
 */
function splitConflicts({ records, edges, pins, base, dated, split, links, conflicted, self }) {
  // Components with two conflicting birth dates (by_dates = 1): the few holding two distinct
  // dates first (one pass over the records), then their dates compared pairwise. And those
  // holding two records of a one-record source (by_dates = 0), linked through other records
  // (pair_scores vetoes their direct link; the weak links above never attach a second one). And
  // those holding records pinned to two labels (by_pins = 1), whatever else they hold: the
  // steward's word is the grouping there.
  const conflictedSql = `WITH dates AS (
  SELECT DISTINCT b.cluster_id, r.birth_key FROM ${base} AS b JOIN ${records} AS r ON r.record_key = b.node
  WHERE r.birth_key IS NOT NULL
), several AS (
  SELECT cluster_id FROM dates GROUP BY cluster_id HAVING COUNT(*) > 1
), candidates AS (
  SELECT d.cluster_id, d.birth_key FROM dates AS d JOIN several AS s ON s.cluster_id = d.cluster_id
)${birthPairs ? birthPairs.ctes.map((c) => `, ${c}`).join("") : ""}
SELECT cluster_id, MAX(by_dates) AS by_dates, MAX(by_pins) AS by_pins FROM (
  SELECT DISTINCT l.cluster_id, 1 AS by_dates, 0 AS by_pins FROM candidates AS l JOIN candidates AS r ON r.cluster_id = l.cluster_id AND l.birth_key < r.birth_key${birthPairs ? `
  JOIN ${birthPairs.from} AS p ON p.id_l = l.birth_key AND p.id_r = r.birth_key` : ""}
  WHERE ${birthConflict}${oneRecord.length ? `
  UNION ALL
  SELECT b.cluster_id, 0 AS by_dates, 0 AS by_pins FROM ${base} AS b JOIN ${records} AS r ON r.record_key = b.node
  WHERE ${oneRecordOf("r")} GROUP BY b.cluster_id, r.source HAVING COUNT(*) > 1` : ""}
  UNION ALL
  SELECT b.cluster_id, 0 AS by_dates, 1 AS by_pins FROM ${base} AS b JOIN ${pins} AS p ON p.record_key = b.node
  GROUP BY b.cluster_id HAVING COUNT(DISTINCT p.person) > 1
) AS c GROUP BY cluster_id`;
  // The links inside a conflicted component, both ways; deterministic links rank first, then by
  // weight in tenths (the same on every engine). Not by probability: it is 1 for most links, and
  // an undated "Jean Fournier" linked to his own dated record by weight 36.6 and to his father
  // Jean-François by weight 11.4 joined whichever group's id sorted first.
  const strength = "CASE WHEN e.decision LIKE 'deterministic%' THEN 0 ELSE 1 END";
  const linksSql = `SELECT e.a AS node, e.b AS other, ${strength} AS strength, FLOOR(e.match_weight * 10) AS w
  FROM ${edges} AS e JOIN ${split} AS s ON s.node = e.a
UNION ALL
SELECT e.b, e.a, ${strength}, FLOOR(e.match_weight * 10)
  FROM ${edges} AS e JOIN ${split} AS s ON s.node = e.b`;
  // The records placed from the start are grouped by their links to each other; `grouped` keeps
  // that after the attach rounds place the others (person_clusters.split_grouped, which the
  // convergence assertion reads).
  // Where pins conflict, the pinned records are placed, whatever their source or date.
  const groupedAtStart = `((c.by_pins = 1 AND p.person IS NOT NULL) OR (c.by_pins = 0 AND NOT ${oneRecordOf("r")} AND (r.birth_key IS NOT NULL OR c.by_dates = 0)))`;
  const out = [
    ...similarity.editDistanceSetup(),
    ...portable.replaceTable(conflicted, `AS ${conflictedSql}`),
    // The records of conflicted components, read once. Placed from the start: the dated ones
    // (every one when the conflict is not about dates), except records of one-record sources,
    // which join a group later, one per group; where pins conflict, the pinned ones.
    ...portable.replaceTable(split, `AS
SELECT b.node, b.cluster_id AS component, b.node AS part, r.source, ${oneRecordOf("r")} AS one_record,
  ${groupedAtStart} AS placed, ${groupedAtStart} AS grouped, p.person AS pin, c.by_pins
FROM ${base} AS b JOIN ${records} AS r ON r.record_key = b.node
JOIN ${conflicted} AS c ON c.cluster_id = b.cluster_id
LEFT JOIN ${pins} AS p ON p.record_key = b.node`),
    // Their links, both ways, read once from all the links for the grouping and attach rounds.
    ...portable.replaceTable(links, `AS
${linksSql}`),
    // Groups of placed records: components of the links between two placed records of one
    // conflicted component (pairwise, such links never join conflicting dates: see pair_scores);
    // where pins conflict, of the pinned records by label, their links left out.
    ...identity_graph.connectedComponents({
      nodes: `SELECT node FROM ${split}`,
      edges: `SELECT k.node AS a, k.other AS b FROM ${links} AS k
  JOIN ${split} AS sa ON sa.node = k.node AND sa.placed AND sa.by_pins = 0
  JOIN ${split} AS sb ON sb.node = k.other AND sb.placed AND sb.component = sa.component
UNION ALL
SELECT sa.node AS a, sb.node AS b FROM ${split} AS sa
  JOIN ${split} AS sb ON sb.component = sa.component AND sb.pin = sa.pin AND sb.node > sa.node
  WHERE sa.by_pins = 1`,
      target: dated,
      // Groups inside one component: a handful of rounds converge, but a chain of dated records
      // can need as many as a component, and person_clusters_split_converged checks them.
      rounds: cfg.matching.cluster_rounds,
    }),
    ...portable.replaceTable(split, `AS
SELECT s.node, s.component, d.cluster_id AS part, s.source, s.one_record, s.placed, s.grouped, s.pin, s.by_pins FROM ${split} AS s JOIN ${dated} AS d ON d.node = s.node`),
  ];
  // The other records join the placed neighbour they are most strongly linked to, a round at a
  // time (a record linked only to unplaced ones waits for them); the rest stay apart. A record
  // of a one-record source does not join a group holding one of its source, and when two of
  // them would join one group in a round, neither does (which is whose cannot be told).
  for (let round = 0; round < ATTACH_ROUNDS; round++) {
    out.push(...portable.replaceTable(split, `AS
WITH ranked AS (
  SELECT x.node, x.source, x.one_record, s.part, ROW_NUMBER() OVER (PARTITION BY x.node ORDER BY k.strength, k.w DESC, s.part) AS rn
  FROM ${split} AS x
  JOIN ${links} AS k ON k.node = x.node
  JOIN ${split} AS s ON s.node = k.other AND s.placed AND s.component = x.component
  WHERE NOT x.placed
), best AS (
  SELECT node, source, one_record, part FROM ranked WHERE rn = 1
), crowded AS (
  SELECT DISTINCT part, source FROM (
    SELECT part, source FROM ${split} WHERE placed AND one_record
    UNION ALL
    SELECT part, source FROM best WHERE one_record GROUP BY part, source HAVING COUNT(*) > 1
  ) AS c
), joins AS (
  SELECT b.node, b.part FROM best AS b
  LEFT JOIN crowded AS c ON b.one_record AND c.part = b.part AND c.source = b.source
  WHERE c.part IS NULL
)
SELECT x.node, x.component, COALESCE(r.part, x.part) AS part, x.source, x.one_record, x.placed OR r.part IS NOT NULL AS placed, x.grouped, x.pin, x.by_pins
FROM ${split} AS x LEFT JOIN joins AS r ON r.node = x.node`));
  }
  // A record joined by its name alone has no link, so in a split component it stays apart (which
  // part bears the name is not known): its probability goes with the join. Then the clusters
  // holding records of one pin label become one, under the smallest of their ids (after the
  // splits, a cluster holds records of one label at most).
  out.push(...portable.replaceTable(self, `AS
WITH parts AS (
  SELECT b.node, COALESCE(s.part, b.cluster_id) AS cluster_id, b.cluster_id AS component_id, s.grouped AS split_grouped,
    CASE WHEN s.node IS NULL THEN b.name_only_probability END AS name_only_probability
  FROM ${base} AS b LEFT JOIN ${split} AS s ON s.node = b.node
), labelled AS (
  SELECT DISTINCT x.cluster_id, p.person FROM parts AS x JOIN ${pins} AS p ON p.record_key = x.node
), merged AS (
  SELECT l.cluster_id, MIN(m.into_id) AS into_id FROM labelled AS l
  JOIN (SELECT person, MIN(cluster_id) AS into_id FROM labelled GROUP BY person) AS m ON m.person = l.person
  GROUP BY l.cluster_id
)
SELECT x.node, COALESCE(m.into_id, x.cluster_id) AS cluster_id, x.component_id, x.split_grouped, x.name_only_probability
FROM parts AS x LEFT JOIN merged AS m ON m.cluster_id = x.cluster_id`));
  return out;
}

assert("person_clusters_converged")
  .tags(["identity"])
  .description("Every link between named records ended in one component; otherwise raise identity.matching.cluster_rounds.")
  .query((ctx) =>
    identity_graph.unconvergedEdges({
      edges: strongEdges(ctx),
      clusters: `(SELECT node, component_id AS cluster_id FROM ${ctx.ref(S, "person_clusters")})`,
    }),
  );

// The groups of a split component are connected components too (of the links between its
// grouped records), computed in the same number of rounds: a link between two grouped records
// of one component that ends in two groups means the rounds were too few, and would split a
// person silently.
assert("person_clusters_split_converged")
  .tags(["identity"])
  .description("Every link between two grouped records of a split component (person_clusters.split_grouped) ended in one group, unless a steward pinned them to two people; otherwise raise identity.matching.cluster_rounds.")
  .query((ctx) => {
    const clusters = ctx.ref(S, "person_clusters");
    const pins = pinsOf(ctx);
    return identity_graph.unconvergedEdges({
      edges: `SELECT e.a, e.b FROM ${ctx.ref(S, "match_edges")} AS e
  JOIN ${clusters} AS ca ON ca.node = e.a AND ca.split_grouped
  JOIN ${clusters} AS cb ON cb.node = e.b AND cb.split_grouped AND cb.component_id = ca.component_id
  LEFT JOIN ${pins} AS pa ON pa.record_key = e.a
  LEFT JOIN ${pins} AS pb ON pb.record_key = e.b
  WHERE pa.person IS NULL OR pb.person IS NULL OR pa.person = pb.person`,
      clusters,
    });
  });
