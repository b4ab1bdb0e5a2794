// Clustering: connected components of the linked pairs (includes/identity_graph.js), in two
// tiers so that a record without a first name — an email-only newsletter sign-up, a ticket
// saying "Mme Dupont" — can join a person but never bridge two: such "weak" records attach to
// the one person (cluster of named records) they match, and stay alone when they match several.
// Households sharing an email or a landline therefore stay apart even when a nameless record
// carries the shared value.
// A component holding two birth dates that conflict (not a typo, not day and month transposed)
// is two people joined through records without one (an undated e-shop account linked to a father
// and to his son): it is split, the dated records grouped by the links between dated records,
// and each undated record joining the group it is most strongly linked to.
// An assertion fails the run if the fixed number of rounds did not converge.
const cfg = identity_model.config();
const S = identity_model.SCHEMA;
const birthDate = identity_model.comparisons().find((c) => c.name === "birth_date");
// Two birth keys (aliases l and r) conflict when no level of the birth_date comparison holds.
const birthConflict = `NOT (${birthDate.levels.map((lv) => `(${lv.when})`).join(" OR ")})`;
const ATTACH_ROUNDS = 3;

/** Links whose two records are both named, or both nameless. */
const sameKindEdges = (ctx) => `SELECT e.a, e.b FROM ${ctx.ref(S, "match_edges")} AS e
  JOIN ${ctx.ref(S, "person_records")} AS ra ON ra.record_key = e.a
  JOIN ${ctx.ref(S, "person_records")} AS rb ON rb.record_key = e.b
  WHERE (ra.first_key IS NULL) = (rb.first_key IS NULL)`;

const strongEdges = (ctx) => `SELECT e.a, e.b FROM ${ctx.ref(S, "match_edges")} AS e
  JOIN ${ctx.ref(S, "person_records")} AS ra ON ra.record_key = e.a
  JOIN ${ctx.ref(S, "person_records")} AS rb ON rb.record_key = e.b
  WHERE ra.first_key IS NOT NULL AND rb.first_key IS NOT NULL`;

operate("person_clusters")
  .schema(S)
  .tags(["identity"])
  .hasOutput(true)
  .description("Each person record (node) with its cluster id: connected components (component_id) of the links between records with a first name; records without one attach to the cluster of the named records they match when that is a single cluster (otherwise they form their own components). A component holding conflicting birth dates is split (cluster_id then differs from component_id).")
  .queries((ctx) => {
    const self = ctx.self();
    const beside = (suffix) => `${self.slice(0, -1)}${suffix}"`;
    const strong = beside("__strong");
    const base = beside("__base");
    const dated = beside("__dated");
    const split = beside("__split");
    const links = beside("__split_links");
    const conflicted = beside("__conflicted");
    const records = ctx.ref(S, "person_records");
    const edges = ctx.ref(S, "match_edges");
    // One pass computes both kinds of components: edges between two named records, and edges
    // between two nameless ones — they never touch, so their components never mix.
    return [
      ...identity_graph.connectedComponents({
        nodes: `SELECT record_key AS node FROM ${records}`,
        edges: sameKindEdges(ctx),
        target: strong,
        rounds: cfg.matching.cluster_rounds,
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
)
SELECT c.node, COALESCE(l.cluster_id, c.cluster_id) AS cluster_id
FROM ${strong} AS c LEFT JOIN weak_links AS l ON l.node = c.node`),
      ...splitConflicts({ records, edges, base, dated, split, links, conflicted, self }),
      ...[strong, base, dated, split, links, conflicted].map((t) => `DROP TABLE IF EXISTS ${t}`),
    ];
  });

/**
 * Statements splitting the components of `base` (node, cluster_id) that hold conflicting birth
 * dates, writing `self` (node, cluster_id, component_id).
 */
function splitConflicts({ records, edges, base, dated, split, links, conflicted, self }) {
  // Components with two conflicting birth dates: the few holding two distinct dates first (one
  // pass over the records), then their dates compared pairwise.
  const conflictedSql = `WITH dates AS (
  SELECT DISTINCT b.cluster_id, r.birth_key FROM ${base} AS b JOIN ${records} AS r ON r.record_key = b.node
  WHERE r.birth_key IS NOT NULL
), several AS (
  SELECT cluster_id FROM dates GROUP BY cluster_id HAVING COUNT(*) > 1
), candidates AS (
  SELECT d.cluster_id, d.birth_key FROM dates AS d JOIN several AS s ON s.cluster_id = d.cluster_id
)
SELECT DISTINCT l.cluster_id FROM candidates AS l JOIN candidates AS r ON r.cluster_id = l.cluster_id AND l.birth_key < r.birth_key
WHERE ${birthConflict}`;
  // The links inside a conflicted component, both ways; deterministic links rank first.
  const strength = "CASE WHEN e.decision LIKE 'deterministic%' THEN 0 ELSE 1 END";
  const linksSql = `SELECT e.a AS node, e.b AS other, ${strength} AS strength, FLOOR(e.match_probability * 100) AS p
  FROM ${edges} AS e JOIN ${split} AS s ON s.node = e.a
UNION ALL
SELECT e.b, e.a, ${strength}, FLOOR(e.match_probability * 100)
  FROM ${edges} AS e JOIN ${split} AS s ON s.node = e.b`;
  const out = [
    ...portable.editDistanceSetup(),
    ...portable.replaceTable(conflicted, `AS ${conflictedSql}`),
    // The records of conflicted components, read once: dated ones are placed from the start.
    ...portable.replaceTable(split, `AS
SELECT b.node, b.cluster_id AS component, b.node AS part, r.birth_key IS NOT NULL AS placed
FROM ${base} AS b JOIN ${records} AS r ON r.record_key = b.node
WHERE b.cluster_id IN (SELECT cluster_id FROM ${conflicted})`),
    // Their links, both ways, read once from all the links for the grouping and attach rounds.
    ...portable.replaceTable(links, `AS
${linksSql}`),
    // Groups of dated records: components of the links between two dated records of one
    // conflicted component (pairwise, such links never join conflicting dates: see pair_scores).
    ...identity_graph.connectedComponents({
      nodes: `SELECT node FROM ${split}`,
      edges: `SELECT k.node AS a, k.other AS b FROM ${links} AS k
  JOIN ${split} AS sa ON sa.node = k.node AND sa.placed
  JOIN ${split} AS sb ON sb.node = k.other AND sb.placed AND sb.component = sa.component`,
      target: dated,
      // Groups inside one component (at most a few hundred records): pointer jumping converges
      // in a handful of rounds, each a statement.
      rounds: Math.min(8, cfg.matching.cluster_rounds),
    }),
    ...portable.replaceTable(split, `AS
SELECT s.node, s.component, d.cluster_id AS part, s.placed FROM ${split} AS s JOIN ${dated} AS d ON d.node = s.node`),
  ];
  // Undated records join the placed neighbour they are most strongly linked to, a round at a
  // time (a record linked only to undated ones waits for them); the rest stay apart.
  for (let round = 0; round < ATTACH_ROUNDS; round++) {
    out.push(...portable.replaceTable(split, `AS
WITH ranked AS (
  SELECT x.node, s.part, ROW_NUMBER() OVER (PARTITION BY x.node ORDER BY k.strength, k.p DESC, s.part) AS rn
  FROM ${split} AS x
  JOIN ${links} AS k ON k.node = x.node
  JOIN ${split} AS s ON s.node = k.other AND s.placed AND s.component = x.component
  WHERE NOT x.placed
)
SELECT x.node, x.component, COALESCE(r.part, x.part) AS part, x.placed OR r.part IS NOT NULL AS placed
FROM ${split} AS x LEFT JOIN ranked AS r ON r.node = x.node AND r.rn = 1`));
  }
  out.push(...portable.replaceTable(self, `AS
SELECT b.node, COALESCE(s.part, b.cluster_id) AS cluster_id, b.cluster_id AS component_id
FROM ${base} AS b LEFT JOIN ${split} AS s ON s.node = b.node`));
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
